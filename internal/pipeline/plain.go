package pipeline

import (
	"slices"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/plaintext"
	"github.com/hashgate/hashgate/internal/platform"
)

// Plain-text fields leave hashgate as they are: click ids, Google's
// unhashed postal and region codes, the currency. Package plaintext
// decides their grammar for every sink; the pipeline applies it where a
// conversion is made, so the review CSV, the platform files and the API
// bodies all get only values that passed, and every value that failed is
// counted under the summary's dropped identifiers with its reason.

// clickSlot is one click id a platform takes: its slot in
// Conversion.ClickIDs and the export column it is read from.
type clickSlot struct {
	slot int
	col  export.Column
}

// clickSlotsOf finds the slots of the click ids spec names (Spec.ClickIDs,
// by column key). A key without a slot in conversion.Conversion is not
// carried: TestEverySpecClickIDHasASlot (internal/conversion) keeps the
// known platforms' keys covered, and the walkthrough in internal/platform
// says a platform with a click id of its own needs one.
func clickSlotsOf(spec *platform.Spec) []clickSlot {
	var out []clickSlot
	for slot, id := range (&conversion.Conversion{}).ClickIDs() {
		if !slices.Contains(spec.ClickIDs, id.Key) {
			continue
		}
		if col, ok := export.ColumnByKey(id.Key); ok {
			out = append(out, clickSlot{slot, col})
		}
	}
	return out
}

// clickIDs fills c's click ids, those of slots, from the row: each left
// blank when it does not fit the click-id grammar, holds a health term,
// or holds a value of the row's identifying columns (counted for platform
// p under the column's key and its reason).
func (r *runner) clickIDs(row export.Row, p identifier.Platform, slots []clickSlot, c *conversion.Conversion, sum *tally) {
	if len(slots) == 0 {
		return
	}
	ids := c.ClickIDs()
	for _, s := range slots {
		v := row.Get(s.col)
		if v == "" {
			continue
		}
		if reason := r.clickIDProblem(row, v); reason != "" {
			sum.drop(-1, r.dropKeys.key(p.String(), s.col.Key(), reason, r.cfg.Input.Columns.ByKey(s.col.Key()))) // counted whatever p's consent says
			continue
		}
		*ids[s.slot].Value = v
	}
}

// formattedCol is where a platform's formatted click id is read from.
type formattedCol struct {
	col export.Column
	ok  bool
}

// formatted returns platform p's formatted click id for the row (Meta's
// fbc), or "" when the row has no click id of that kind or it fails the
// click-id checks (counted under p and the column's name, as Google's
// are). The click id was received when the booking was made: booked_at
// when it reads and is not after the appointment, else the appointment
// time at.
func (r *runner) formatted(row export.Row, i int, p identifier.Platform, f *platform.FormattedClickID, at time.Time, sum *tally) string {
	fc := r.formattedCols[i]
	if !fc.ok {
		return ""
	}
	v := row.Get(fc.col)
	if v == "" {
		return ""
	}
	if reason := r.clickIDProblem(row, v); reason != "" {
		sum.drop(i, r.dropKeys.key(p.String(), f.Column, reason, r.cfg.Input.Columns.ByKey(f.Column)))
		return ""
	}
	created := at
	if b, ok := r.bookedAt(row, sum); ok && b.Before(at) {
		created = b
	}
	return f.Format(v, created)
}

// bookedAt reads the row's booked_at; ok is false when the column is
// unmapped, the cell blank, or unreadable (noted once per row).
func (r *runner) bookedAt(row export.Row, sum *tally) (time.Time, bool) {
	if r.bookedTimes == nil {
		return time.Time{}, false
	}
	raw := row.Get(export.BookedAt)
	if raw == "" {
		return time.Time{}, false
	}
	t, err := r.readBooked(row, raw)
	if err != nil {
		if r.bookedBadLine != row.Line {
			r.bookedBadLine = row.Line
			sum.note(NoteBookedAtUnreadable)
		}
		return time.Time{}, false
	}
	return t, true
}

// readBooked parses the row's booked_at cell raw, once a row.
func (r *runner) readBooked(row export.Row, raw string) (time.Time, error) {
	if b := &r.booked; b.line != row.Line || row.Line == 0 {
		b.line = row.Line
		b.t, b.err = r.bookedTimes.Parse(raw)
	}
	return r.booked.t, r.booked.err
}

// noteBooked notes what the row's booked_at says of the column's format
// (fitBookedAt): every row with one, whatever else excludes it.
func (r *runner) noteBooked(row export.Row, o *outcome) {
	if r.bookedTimes == nil {
		return
	}
	raw := row.Get(export.BookedAt)
	if raw == "" {
		return
	}
	o.fits[fitBookedAt].dated = true
	if _, err := r.readBooked(row, raw); err != nil {
		if _, setting := dateReason(err); setting {
			// A date that needs input.date_order or default_year
			// (11/10/2026 9:30 from a spreadsheet's re-save) read as no
			// date: every booking waited for its appointment again, exit
			// 0, where the appointment column's would stop (a review). Its
			// fit counts it apart, and stops the run naming input.date_order.
			n := &o.fits[fitBookedAt]
			n.setting = true
			n.line, n.col = row.Position(export.BookedAt)
			return
		}
		r.noteMisfit(&o.fits[fitBookedAt], row, export.BookedAt, err)
	}
}

// clickIDProblem is plaintext's grammar, then the two checks that need
// more than the value: the health terms (the config's guard) and the
// row's own names, chart number, phone and e-mail local part, gathered
// once per row when it has a click id at all.
func (r *runner) clickIDProblem(row export.Row, v string) string {
	if reason := plaintext.ClickIDProblem(v); reason != "" {
		return reason
	}
	if _, hit := r.guard.FindInToken(v); hit {
		return plaintext.ReasonClickIDHealth
	}
	if r.rowValuesLine != row.Line || !r.rowValuesKnown {
		r.rowValuesLine, r.rowValuesKnown = row.Line, true
		r.rowValues.Reset()
		for _, c := range rowIdentifying {
			r.cells = row.All(c, r.cells[:0])
			for _, cell := range r.cells {
				r.rowValues.Add(cell, c == export.Email)
			}
		}
	}
	if r.rowValues.In(v) {
		return plaintext.ReasonClickIDRowValue
	}
	return ""
}

// rowIdentifying are the columns whose values a click id of the same row
// must not contain.
var rowIdentifying = [...]export.Column{export.FirstName, export.LastName, export.PatientKey, export.Phone, export.Email, export.OrderID}

// plainGrammar checks an identifier a platform takes unhashed: a
// *identifier.Rejection with plaintext's reason when it fails, so the
// caller drops it like any value that does not normalise (and a group
// such as Google's address is then sent whole or not at all). A postal
// code is checked against the row's own region code, normalised for p.
func (r *runner) plainGrammar(row export.Row, p identifier.Platform, s identifier.Sent) error {
	country := ""
	if s.Field() == identifier.PostalCode {
		if r.countryLine != row.Line || !r.countryKnown {
			r.countryLine, r.countryKnown = row.Line, true
			r.country, _ = identifier.Normalize(p, identifier.Country, row.Get(export.Country), r.opt)
		}
		country = r.country
	}
	if reason := plaintext.Identifier(s.Field(), country, s.Text()); reason != "" {
		return &identifier.Rejection{Reason: reason}
	}
	return nil
}
