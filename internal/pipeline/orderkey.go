package pipeline

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/config"
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
	// prior is the key as an earlier release made it, when it differs
	// from key: its event id is the legacy one the ledger looks up
	// (eventIDs), so an upgrade sends nothing again. A key a part of
	// which was an Excel text formula (="A0001") is the key of the
	// formula as written (export.Row.OrderKeyLiteral: hashgate read such
	// a cell so up to c55587c); else a composite key's as hashgate made
	// it before its parts were folded (export.Row.OrderKeyNFKC: a
	// zero-width space inside a chart number stayed). "" for nearly
	// every row.
	prior string
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
		// Folded (export.Row.OrderKey): Ａ１００１ and A1001\u200b are
		// A1001, one order within a run (duplicate_order) and over nights.
		k.key = celltext.Fold(k.legacy)
		if row.Literals() { // one word; a Row is not copied for nearly every row
			k.prior = literalKey(row, k.key, nil)
		}
		return k, k.key != ""
	}
	if row.KeyTimed(export.OrderID) {
		k.parsed = true
		if k.at, k.atErr = r.eventTime(row); k.atErr != nil {
			return k, true
		}
	}
	wall := func(c export.Column) string { return r.wallText(k.at, c) }
	k.key, ok = row.OrderKey(export.OrderID, wall)
	if ok && !celltext.ASCII(k.legacy) {
		// Only a part with a byte past ASCII can fold otherwise.
		if p, pok := row.OrderKeyNFKC(export.OrderID, wall); pok && p != k.key {
			k.prior = p
		}
	}
	if ok && row.Literals() {
		if p := literalKey(row, k.key, wall); p != "" {
			k.prior = p // the spelling last sent: the NFKC one never was
		}
	}
	return k, ok
}

// literalKey is the key a hashgate before it read Excel text formulas
// made of the row's order id, when a part of it was one (="A0001") and
// the key differs; "" otherwise. Asked only of a row with such a cell
// (export.Row.Literals). That hashgate sent the visit under this key's event id: looked
// up as the legacy id, the visit is not sent again, and the safety net
// and the id-shape checks see ids they know.
func literalKey(row export.Row, key string, wall func(export.Column) string) string {
	if p, ok := row.OrderKeyLiteral(export.OrderID, wall); ok && p != key {
		return p
	}
	return ""
}

// wallText spells the appointment time t as a part of an order id, in the
// clinic's zone. Without one (r.loc nil: only when keyMoved re-reads a row
// as a zone-less upload of an older config did — config refuses such an
// order id without a timezone now) t stays in the offset its cell stated,
// as those uploads spelled it.
func (r *runner) wallText(t time.Time, c export.Column) string {
	if r.loc != nil {
		t = t.In(r.loc)
	}
	if c == export.AppointmentDate && (r.timeMapped || t.Hour() == 0 && t.Minute() == 0) {
		return t.Format("2006-01-02")
	}
	if r.loc != nil && repeatedLater(t) {
		return t.Format("2006-01-02T15:04-07:00")
	}
	return t.Format("2006-01-02T15:04")
}

// repeatedLater reports whether t (in its zone) is the second occurrence
// of a wall time the zone repeats when its clocks go back: 01:30 -05:00 in
// New York on the night of 1 November 2026, after 01:30 -04:00. Its order
// id takes the offset, else the two visits made one id and the second was
// excluded as duplicate_order, lost (a review of time handling). Only
// that one: every other time, and the first occurrence — which is also
// how a cell without an offset reads — keeps the id it always had.
func repeatedLater(t time.Time) bool {
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return false
	}
	_, now := t.Zone()
	_, before := start.Add(-time.Second).Zone()
	return before > now && t.Sub(start) < time.Duration(before-now)*time.Second
}

// excelScientific is how Excel shows a number it has cut to 15 significant
// digits: one digit, maybe a fraction, and a signed exponent of two digits
// or more (2.02611E+14, 1E+15). An id that merely holds an E between
// digits (2024E001) is not one.
// (By hand, not a regexp: a package-level one is compiled at init, which
// every command pays: cmd/hashgate's init budget.)
func excelScientific(s string) bool {
	digits := func(i int) int {
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i
	}
	if len(s) < 5 || s[0] < '1' || s[0] > '9' {
		return false
	}
	i := 1
	if s[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i+1 >= len(s) || s[i] != 'E' && s[i] != 'e' || s[i+1] != '+' {
		return false
	}
	j := digits(i + 2)
	return j == len(s) && j-(i+2) >= 2
}

// orderIDMangled stops the run at an order id Excel wrote in scientific
// notation (2.02611E+14): its last digits are gone, so two visits can share
// one id — the second excluded as a duplicate, lost — and the id differs
// from the one the ledger knows, so a visit sent before is sent again. A
// reviewer's re-saved export did both with exit 0. The column was re-saved
// that way as a whole, so one such id stops the run before anything is
// sent; the value is never quoted.
//
// An id written as a decimal number (12345.0) stops it too: a spreadsheet
// or a script (pandas writes a number column with a missing cell so) read
// the column as numbers, which also drops leading zeros, and the id is not
// the one the ledger knows. A reviewer's re-saved export sent 9 visits a
// second time with exit 0.
func (r *runner) orderIDMangled(row export.Row, key string) error {
	if strings.IndexByte(key, '+') < 0 && strings.IndexByte(key, '.') < 0 {
		return nil // every row asks: nothing to read in an id without an exponent's sign or a point
	}
	n := -1
	for part := range strings.SplitSeq(key, "\x1f") {
		n++
		part = strings.TrimSpace(part)
		if r.composite && row.KeyPartTimed(export.OrderID, n) {
			continue // an appointment date or time enters as the time read (46328.0: an Excel serial)
		}
		var how string
		switch {
		case excelScientific(part):
			how = "an order id written in scientific notation (as Excel shows a long number it has cut to 15 digits): its digits are lost, and two visits could share one id"
		case decimalInteger(part):
			how = "an order id written as a decimal number (a whole number followed by .0, as a spreadsheet or a script writes a column it read as numbers): its leading zeros may be gone, and its event id is not the one sent before"
		default:
			continue
		}
		line, col := row.Position(export.OrderID)
		return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
			"%s:%d:%d: %s; export again, and upload the file without opening it in a spreadsheet (or import that column as Text); nothing was sent", r.name, line, col, how)}
	}
	return nil
}

// decimalInteger is a whole number written with a point and zeros after
// it (12345.0, 12345.00): a number column written back by a spreadsheet
// or a script, not an id (an id with a point has other digits after it).
func decimalInteger(s string) bool {
	dot := strings.IndexByte(s, '.')
	if dot < 1 || dot == len(s)-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch {
		case i < dot && '0' <= s[i] && s[i] <= '9', i > dot && s[i] == '0', i == dot:
		default:
			return false
		}
	}
	return true
}
