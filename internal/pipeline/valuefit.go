package pipeline

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/config"
)

// DefaultMaxUnreadableValueShare is input.max_unreadable_value_share when
// unset: the date share's 0.2, for the same reason — a fee or two in five
// that do not read are no typo but a column whose form changed (an
// export re-saved with "(1,200)" or "1.20E+03" made every row
// value_not_a_number), while a few cells someone typed by hand stay row
// problems, counted and named in the summary.
const DefaultMaxUnreadableValueShare = 0.2

// minValueMisfit is the fewest unreadable fee cells that stop a run, as
// minDateMisfit is for invalid_time: in a small export one or two cells
// are above any share.
const minValueMisfit = 3

// valueFit judges whether the fee column still reads, over the whole
// export, before anything reaches the sink (settler.finish). A column the
// config no longer reads made every row value_not_a_number with exit 0:
// Google recorded every visit without a value — for good, unless
// destinations.google.restate resends it — and Meta held each back
// (purchase_without_value) until the real upload exited 3. More than the
// allowed share of the fee cells that hold a number (rows whose fee the
// value policy reads: actual or bucket) not reading stops the run.
//
// A blank cell is a visit with no charge, and a cell without a digit
// ("健保" for a visit the national insurance pays, "N/A", "-") a word for
// no fee (shared/docs/clinic-exports.md, row 23: "treat non-numeric
// values as no value"): neither counts, in the share or its base — a
// Taiwanese export writing 健保 on most rows must not stop every night.
type valueFit struct {
	name, column string
	share        float64
	numbers      int // fee cells holding a number: read, or not
	unread       int // of them, value_not_a_number
	first        valueCell
}

func newValueFit(cfg *config.Config, name string) valueFit {
	share := cfg.Input.MaxUnreadableValueShare
	if share == 0 {
		share = DefaultMaxUnreadableValueShare
	}
	return valueFit{name: name, column: cfg.Input.Columns.Value, share: share}
}

// observe counts one row's fee cell, in export order.
func (f *valueFit) observe(t *tally) {
	switch {
	case t.feeRead:
		f.numbers++
	case t.unread.line != 0 && t.unread.number:
		f.numbers++
		if f.unread == 0 {
			f.first = t.unread
		}
		f.unread++
	}
}

// err is the verdict: nil, or a *config.Error naming the key to check,
// the first unreadable cell by file:line:column and why (the
// input.decimal_comma that would read it, when one would) — never a
// cell's value.
func (f *valueFit) err() error {
	if f.unread < minValueMisfit || float64(f.unread) <= f.share*float64(f.numbers) {
		return nil
	}
	key := "input.columns.value"
	if f.first.why == whyOtherMark[0] || f.first.why == whyOtherMark[1] {
		key = "input.decimal_comma"
	}
	at := fmt.Sprintf("%s:%d:%d", f.name, f.first.line, f.first.col)
	if f.first.col == 0 {
		at = fmt.Sprintf("%s:%d", f.name, f.first.line)
	}
	return &config.Error{Key: key, Problem: fmt.Sprintf(
		"%s: column %q (input.columns.value): %s — %d of the %d fee cells holding a number do not read (value_not_a_number), more than input.max_unreadable_value_share (%g): "+
			"their visits would go to Google without a value, which a later fix does not change unless destinations.google.restate is on, and Meta would hold them back. "+
			"hashgate reads amounts such as 1200, 1,200.00, 1 200, 1'200 and NT$1,200 (1.200,00 and 1 200,00 under input.decimal_comma: true); "+
			"a space or apostrophe that does not group by three (12 00), parentheses, exponents and another currency's mark are not read — export the column as plain amounts (or, if these cells are meant, raise input.max_unreadable_value_share; 1 never stops); nothing was sent",
		at, f.column, f.first.why, f.unread, f.numbers, f.share)}
}

// columnsFit judges the date columns beside the appointment's (DateFit),
// then the fee column, over the whole export.
func (s *settler) columnsFit() error {
	for _, f := range s.fits {
		if f == nil {
			continue
		}
		if err := f.Err("nothing was sent"); err != nil {
			return err
		}
	}
	return s.fees.err()
}
