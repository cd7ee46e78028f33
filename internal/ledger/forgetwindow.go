package ledger

// # What `ledger forget` may not forget
//
// Forget deletes what the ledger knows was accepted. An event it forgot
// that a later export still holds is sent again, and Meta, which
// deduplicates only within 7 days (docs/contract.md M11), counts it
// twice: a review forgot --before two days ago after ten nights of a
// 90-day backfill, and the next upload sent 108 conversions, 99 of them
// counted twice. Past a platform's window an event cannot be sent at all
// (event_too_old), so forgetting it costs nothing. So a cut later than
// now minus the longest window of the destinations concerned is refused
// unless the caller overrides it, and then SendableAfter says how many of
// the events forgotten a platform could still take again.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/hashgate/hashgate/internal/platform"
)

// ErrForgetSendable: a cut later than ForgetWindow.Latest.
var ErrForgetSendable = errors.New("it would forget events a platform could still take")

// ForgetWindow is the longest window inside which a platform could still
// take an event of a destination concerned: the ledger's destinations and
// the platforms given (a config's). Its window is the platform's
// Spec.MaxEventAge (Google 90 days: the longest click-through lookback;
// Meta 62: "upload transactions within 62 days of the conversion").
type ForgetWindow struct {
	Platform platform.Platform // whose window is the longest; 0: none concerned
	Window   time.Duration
	// Latest is the latest cut that forgets nothing a platform could
	// still take: the clock minus Window.
	Latest time.Time
}

// ForgetWindow reads the destinations the ledger holds and returns the
// longest of their platforms' windows and of platforms'. A destination
// of no platform this hashgate knows counts with the longest window of
// all.
func (l *Ledger) ForgetWindow(ctx context.Context, platforms []platform.Platform) (ForgetWindow, error) {
	ps := append([]platform.Platform(nil), platforms...)
	rows, err := l.db.QueryContext(ctx, `SELECT key FROM destinations`)
	if err != nil {
		return ForgetWindow{}, fmt.Errorf("ledger: read the destinations: %w", err)
	}
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			rows.Close()
			return ForgetWindow{}, err
		}
		p, err := platform.Parse(platformOf(key))
		if err != nil {
			ps = append(ps, platform.All...) // unknown: the longest of all
			continue
		}
		ps = append(ps, p)
	}
	if err := rows.Close(); err != nil {
		return ForgetWindow{}, err
	}
	var w ForgetWindow
	for _, p := range ps {
		if s := p.Spec(); s != nil && s.MaxEventAge > w.Window {
			w.Platform, w.Window = p, s.MaxEventAge
		}
	}
	w.Latest = l.now().Add(-w.Window)
	return w, nil
}

// CheckForget returns ErrForgetSendable (wrapped, with the latest date
// that forgets nothing sendable in loc) when a cut at before could forget
// an event a platform could still take.
func (w ForgetWindow) CheckForget(before time.Time, loc *time.Location) error {
	if w.Window == 0 || !before.After(w.Latest) {
		return nil
	}
	days := int(w.Window / (24 * time.Hour))
	return fmt.Errorf("%w: %s takes an event up to %d days old — forgotten, one that an export still holds is sent again, and a platform that deduplicates only for a while (Meta: 7 days) counts it twice; give %s or earlier",
		ErrForgetSendable, w.Platform, days, LatestDay(w.Latest, loc).Format(time.DateOnly))
}

// LatestDay is the last day whose midnight in loc is not after t: the
// latest --before date a cut at t allows.
func LatestDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	d := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	if d.After(t) { // a day that begins late (a DST change at midnight)
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// SendableAfter counts, per destination key, the distinct events that a
// Forget at before would leave the ledger not knowing were delivered —
// accepted (or confirmed by a person), or sent with no answer, and no
// later request that stays accepted them — while a platform could still
// take them: their event time (as sent, schema 12; else the newest of
// their request) is inside the platform's window of the clock. Each of
// them an export still holds is sent again. Call it before Forget.
func (l *Ledger) SendableAfter(ctx context.Context, before time.Time) (map[string]int, error) {
	now := l.now()
	cut, ahead := before.UnixMilli(), now.Add(futureSlack).UnixMilli()
	open := map[string]map[uint64]struct{}{}
	rows, err := l.db.QueryContext(ctx, `SELECT d.key, r.event_ids, `+sentTimesColumn()+`, coalesce(r.newest_event, r.at)
		FROM requests r JOIN destinations d ON d.id = r.destination LEFT JOIN outcomes o ON o.request = r.id
		WHERE r.id IN (`+forgetRequests+`) AND (o.state = 'accepted' OR (`+unansweredReal()+`))`, cut, ahead)
	if err != nil {
		return nil, fmt.Errorf("ledger: read what forget would delete: %w", err)
	}
	for rows.Next() {
		var key string
		var ids, times []byte
		var newest int64
		if err := rows.Scan(&key, &ids, &times, &newest); err != nil {
			rows.Close()
			return nil, err
		}
		from, ok := sendableFrom(key, now)
		if !ok {
			continue
		}
		s := salt(key)
		for i := 0; (i+1)*idLen <= len(ids); i++ {
			at := time.UnixMilli(newest).Unix()
			if (i+1)*sentTimeLen <= len(times) {
				at = int64(binary.BigEndian.Uint32(times[i*sentTimeLen:]))
			}
			if at < from {
				continue
			}
			if open[key] == nil {
				open[key] = map[uint64]struct{}{}
			}
			open[key][key64(ids[i*idLen:], s)] = struct{}{}
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if len(open) > 0 {
		// Minus those an acceptance that stays still covers.
		err = l.each(ctx, `WHERE o.state = 'accepted' AND r.id NOT IN (`+forgetRequests+`)`, []any{cut, ahead}, func(r *row) error {
			set := open[r.dest]
			if set == nil {
				return nil
			}
			s := salt(r.dest)
			for i := 0; i+idLen <= len(r.ids); i += idLen {
				delete(set, key64(r.ids[i:], s))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ledger: read what forget keeps: %w", err)
		}
	}
	out := map[string]int{}
	for k, set := range open {
		if len(set) > 0 {
			out[k] = len(set)
		}
	}
	return out, nil
}

// sendableFrom is the oldest event time (unix seconds) the platform of
// destination key still takes at now; ok is false for no platform this
// hashgate knows (nothing it could send there).
func sendableFrom(key string, now time.Time) (int64, bool) {
	p, err := platform.Parse(platformOf(key))
	if err != nil || p.Spec() == nil {
		return 0, false
	}
	return now.Add(-p.Spec().MaxEventAge).Unix(), true
}
