package pipeline

import (
	"fmt"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/export"
)

// The part of the export new to the ledger (a review: a clinic that
// changes its practice-management software mid-year). The rolling export
// holds the old system's rows (consent "yes", status "completed") beside
// the new one's ("Y", "Checked Out"): judged over the whole export, one
// granted or converted old row disarmed the consent-words stop
// (consentwords.go) and the status stop (package run's statusMismatch),
// and the new system's visits were withheld with exit 0 — consent_not_
// granted or status_not_converted, no warning — for as long as the old
// rows stayed in a 60–90-day export, some ageing past the platforms'
// windows. The rows dated on a day after the newest event already
// delivered (Options.DeliveredThrough, the ledger's) are where the new
// system's words are alone; they are judged as a run of only them would
// be, by the same thresholds and with the same ways out, the messages
// naming the part judged. An ordinary night's new rows hold granted and
// converted words beside a few unknown ones, and pass.
//
// It costs counts, not rows, and per row a comparison of its appointment
// time — read anyway for a row that goes on; for a row its consent
// screened out (whose time is otherwise never read) one parse, only on a
// run that judges the part (an upload, without --accept-new-ids).

// Kinds of a status cell (outcome.status). statusListed is a no-show or
// cancelled status (conversion.no_show_statuses, cancelled_statuses): a
// word the config knows, though not a visit; told apart from statusOther
// only on a run that judges the new part.
const (
	statusNone int8 = iota
	statusMatch
	statusOther
	statusListed
)

// freshPart is the run's new part: rows dated from `from` (the start of
// the day after the newest event delivered, in the clinic's zone) up to
// `to` (the run's clock: an appointment still to come is no visit yet,
// whatever its status says). on is false when the run does not judge it.
type freshPart struct {
	on       bool
	from, to int64  // unix seconds
	after    string // the newest delivered event's day, "2006-01-02"
}

// newFreshPart is opt's new part.
func newFreshPart(opt Options) freshPart {
	if opt.DeliveredThrough.IsZero() || opt.Fixtures {
		return freshPart{}
	}
	loc := opt.Config.Location()
	if loc == nil {
		loc = time.UTC
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	d := opt.DeliveredThrough.In(loc)
	y, m, day := d.Date()
	return freshPart{on: true, from: time.Date(y, m, day+1, 0, 0, 0, 0, loc).Unix(), to: now.Unix(), after: d.Format(time.DateOnly)}
}

// has reports whether an appointment at unix seconds at is in the part.
func (f freshPart) has(at int64) bool {
	return f.on && at >= f.from && at <= f.to
}

// part is what a stop says of the rows it judged.
func (f freshPart) part() string {
	return fmt.Sprintf(" dated after %s (the day of the newest event already delivered: the rows new to the ledger)", f.after)
}

// dateScreened dates a row its consent screened out (its appointment time
// is otherwise never read), for the new part's count of its words.
func (r *runner) dateScreened(row export.Row, k rowKey, o *outcome) {
	if !r.fresh.on {
		return
	}
	at, err := k.at, k.atErr
	if !k.parsed {
		at, err = r.eventTime(row)
	}
	if err == nil {
		o.fresh = r.fresh.has(at.Unix())
	}
}

// listedStatus reports whether a status that is no visit is one the
// config lists as a no-show or cancellation.
func (r *runner) listedStatus(st string) bool {
	return r.fresh.on && r.otherStatuses.Has(st)
}

// otherStatusWords are conversion.no_show_statuses and cancelled_statuses.
func otherStatusWords(cfg *config.Config) consent.Words {
	return consent.NewWords(append(append([]string(nil), cfg.Conversion.NoShowStatuses...), cfg.Conversion.CancelledStatuses...))
}

// statusTally counts status cells: rows with one, those converted, those
// in no list of the config (neither a visit, a no-show nor a cancellation).
type statusTally struct {
	rows, matched, unknown int
}

func (t *statusTally) note(status int8) {
	switch status {
	case statusNone:
		return
	case statusMatch:
		t.matched++
	case statusOther:
		t.unknown++
	}
	t.rows++
}

// noteFresh counts a row of the new part (consentDrift.note).
func (d *consentDrift) noteFresh(o *outcome) {
	d.status.note(o.status)
	if !o.fresh {
		return
	}
	d.freshStatus.note(o.status)
	for j := range min(len(d.cols), maxConsentCols) {
		d.freshTallies[j].add(&o.consent[j])
	}
}

// freshErr is the new part's consent verdict, once the whole export's
// passed (consentDrift.err): a consent column that worked before, none of
// whose new rows is granted (consentDrift.drifted over them).
func (d *consentDrift) freshErr() error {
	if !d.fresh.on {
		return nil
	}
	for j := range d.freshTallies {
		if !d.hasWorked(j) {
			continue
		}
		if e, hint := d.drifted(d.freshTallies[j], j, true, d.fresh.part()); e != nil {
			e.Problem += "; nothing was sent. " + hint
			return e
		}
	}
	return nil
}

// statusErr is the new part's status verdict (a stop of its own,
// report.StopStatusWords): none of its rows converted while some hold
// words in no list. The whole export's status stop (package run) speaks
// for an export none of whose rows is converted.
func (d *consentDrift) statusErr() error {
	if d == nil || !d.fresh.on {
		return nil
	}
	t := d.freshStatus
	if t.rows < consentMinRows || t.matched > 0 || t.unknown == 0 || d.status.matched == 0 {
		return nil
	}
	e := StatusMismatch(d.cfg, t.rows, t.unknown, d.fresh.part())
	e.Problem += "; nothing was sent. If these rows really are no visits, run `hashgate upload --accept-new-ids` once (it also passes, for that night, the safety net on new event ids and the secret's and order ids' checks: only when nothing else changed)"
	return e
}

// StatusMismatch is the stop for a status column none of whose rows (part:
// "", the whole export; else which, unknown of them holding words in no
// list of the config) is a conversion status: the mapping or the words
// are wrong, and every such row would be excluded as status_not_converted,
// night after night, without an error. It names both keys and no value:
// 'hashgate inspect' shows the words.
func StatusMismatch(cfg *config.Config, rows, unknown int, part string) *config.Error {
	col, st := cfg.Input.Columns.Status, cfg.Conversion.Statuses
	if part == "" {
		return &config.Error{Key: "conversion.statuses", Problem: fmt.Sprintf(
			"none of the %d status values in input.columns.status (%q) is one of %q: map the right column or list its words for a visit ('hashgate inspect' shows the status words seen)",
			rows, col, st)}
	}
	return &config.Error{Key: "conversion.statuses", Problem: fmt.Sprintf(
		"none of the %d rows%s has a status in input.columns.status (%q) that is one of %q, and %d of them hold words in none of conversion.statuses, no_show_statuses or cancelled_statuses (status_not_converted): "+
			"the export's status words changed, or input.columns.status maps another column. Map the right column or list its words for a visit ('hashgate inspect' shows the status words seen)",
		rows, part, col, st, unknown)}
}
