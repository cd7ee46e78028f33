package pipeline

import (
	"time"

	"github.com/hashgate/hashgate/internal/export"
)

// rowKey is a row's order id, and its appointment time when the key
// needed it.
type rowKey struct {
	// key is what the event id is made from (export.Row.OrderKey); legacy
	// is the order id as written (export.Row.Key), which revocation lists
	// name and from which hashgate made event ids before (see
	// conversion.Conversion.LegacyID).
	key, legacy string
	// parsed: the appointment time was read for the key; at and atErr are
	// what reading it gave.
	parsed bool
	at     time.Time
	atErr  error
}

// orderKey reads the row's order id. A composite one with a part mapped to
// the appointment date or time takes the time read, in the clinic's zone,
// as 2006-01-02T15:04 (seconds dropped) — or 2006-01-02 for the date
// column when a time column holds the time, or when the date column alone
// holds a time of 00:00 — so the id means the appointment, whatever the
// export's date format. A time that cannot be read leaves the key as
// written: the row is excluded for its time anyway.
func (r *runner) orderKey(row export.Row) (rowKey, bool) {
	var k rowKey
	var ok bool
	if k.legacy, ok = row.Key(export.OrderID); !ok {
		return k, false
	}
	k.key = k.legacy
	if !r.composite {
		return k, true
	}
	if row.KeyTimed(export.OrderID) {
		k.parsed = true
		if k.at, k.atErr = r.eventTime(row); k.atErr != nil {
			return k, true
		}
	}
	k.key, ok = row.OrderKey(export.OrderID, func(c export.Column) string { return r.wallText(k.at, c) })
	return k, ok
}

// wallText spells the appointment time t as a part of an order id.
func (r *runner) wallText(t time.Time, c export.Column) string {
	if r.loc != nil {
		t = t.In(r.loc)
	}
	if c == export.AppointmentDate && (r.timeMapped || t.Hour() == 0 && t.Minute() == 0) {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02T15:04")
}
