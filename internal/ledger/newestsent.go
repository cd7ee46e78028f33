package ledger

import (
	"context"
	"database/sql"
	"time"

	"github.com/hashgate/hashgate/internal/platform"
)

// NewestSent is the newest event time of anything sent to dests (test
// destinations left out), whatever the answer: an event sent and never
// answered may have arrived. A secret's rotation names it (package run's
// eventkey.go): every visit dated up to it may be held by a platform under
// the old secret's event id, and sent again under the new one it is a
// second conversion no platform can match to the first. ok is false when
// nothing was sent.
func (l *Ledger) NewestSent(ctx context.Context, dests map[platform.Platform]Destination) (t time.Time, ok bool, err error) {
	ids, err := l.destIDs(ctx, dests)
	if err != nil {
		return time.Time{}, false, err
	}
	var newest int64
	for p, id := range ids {
		if dests[p].Test {
			continue
		}
		var ms sql.NullInt64
		if err := l.db.QueryRowContext(ctx, `SELECT max(coalesce(newest_event, at)) FROM requests WHERE destination = ? AND sent = 1`, id).Scan(&ms); err != nil {
			return time.Time{}, false, err
		}
		if ms.Valid && (!ok || ms.Int64 > newest) {
			newest, ok = ms.Int64, true
		}
	}
	if !ok {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(newest), true, nil
}
