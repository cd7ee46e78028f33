package pipeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/export"
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

// ValueFit judges whether the fee column still reads, over the whole
// export: the upload before anything reaches the sink (settler.finish),
// the channel report before anything is printed — one rule, as DateFit
// is for the dates. A column the config no longer reads made every row
// value_not_a_number with exit 0: Google recorded every visit without a
// value — for good, unless destinations.google.restate resends it — and
// Meta held each back (purchase_without_value) until the real upload
// exited 3; the channel report summed the fees that read, its revenue and
// ROAS missing the rest without a word. More than the allowed share of
// the fee cells that hold a number (rows whose fee the value policy
// reads: actual or bucket) not reading stops the run.
//
// A blank cell is a visit with no charge, and a cell without a digit
// ("健保" for a visit the national insurance pays, "N/A", "-") a word for
// no fee (shared/docs/clinic-exports.md, row 23: "treat non-numeric
// values as no value"): neither counts, in the share or its base — a
// Taiwanese export writing 健保 on most rows must not stop every night.
type ValueFit struct {
	name, column string
	share        float64
	numbers      int // fee cells holding a number: read, or not
	unread       int // of them, value_not_a_number
	first        valueCell
	// noCounts leaves the numbers of cells out of the verdict, as
	// DateFit.Released does, for a channel report under its release rule.
	noCounts bool
	// none: conversion.value is none, and no conversion carries a value
	// (settler.countVisits).
	none bool
}

// NewValueFit judges the fee column (input.columns.value) of file name.
func NewValueFit(cfg *config.Config, name string) *ValueFit {
	share := cfg.Input.MaxUnreadableValueShare
	if share == 0 {
		share = DefaultMaxUnreadableValueShare
	}
	return &ValueFit{name: name, column: cfg.Input.Columns.Value, share: share, none: cfg.Conversion.Value == config.ValueNone}
}

// Released leaves the numbers of cells out of f's verdict, for a report
// released under the channel report's rule: it names the column, the
// setting and the first cell, not how many of the export's cells.
func (f *ValueFit) Released() *ValueFit {
	f.noCounts = true
	return f
}

// Observe counts one fee cell raw that the value policy reads, in export
// order: err is money.ParseIn's answer for it in currency cur (the row's)
// under decimalComma. A blank cell is not observed.
func (f *ValueFit) Observe(row export.Row, raw, cur string, decimalComma bool, err error) {
	if err == nil {
		f.numbers++
		return
	}
	f.observeUnread(unreadCell(row, raw, cur, decimalComma, err))
}

// observe counts one upload row's fee cell, in export order, from what
// the worker that decided it noted (value, unreadValue).
func (f *ValueFit) observe(t *tally) {
	switch {
	case t.feeRead:
		f.numbers++
	case t.unread.line != 0:
		f.observeUnread(t.unread)
	}
}

func (f *ValueFit) observeUnread(c valueCell) {
	if !c.number {
		return
	}
	f.numbers++
	if f.unread == 0 {
		f.first = c
	}
	f.unread++
}

// Err is the verdict: nil, or a *config.Error naming the key to check,
// the first unreadable cell by file:line:column and why (the
// input.decimal_comma that would read it, when one would) — never a
// cell's value. effect says what the cells would do to the command's
// output (WithoutValue for an upload), outcome what became of it
// ("nothing was sent").
func (f *ValueFit) Err(effect, outcome string) error {
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
	howMany := fmt.Sprintf("%d of the %d fee cells holding a number do not read (value_not_a_number), more than input.max_unreadable_value_share (%g)", f.unread, f.numbers, f.share)
	if f.noCounts {
		howMany = fmt.Sprintf("more than the allowed share of the fee cells holding a number do not read (value_not_a_number; input.max_unreadable_value_share %g)", f.share)
	}
	return &config.Error{Key: key, Problem: fmt.Sprintf(
		"%s: column %q (input.columns.value): %s — %s: %s. "+
			"hashgate reads amounts such as 1200, 1,200.00, 1'200, 1 200 with a no-break space, and NT$1,200 (1.200,00 and 1 200,00 under input.decimal_comma: true); "+
			"a plain space between digits (two fees, or one grouped?) under input.decimal_comma: false, "+
			"a space or apostrophe that does not group digits by three, parentheses, exponents and another currency's mark are not read — export the column as plain amounts (or, if these cells are meant, raise input.max_unreadable_value_share; 1 never stops); %s",
		at, f.column, f.first.why, howMany, effect, outcome)}
}

// WithoutValue says what the enabled destinations do with a visit sent
// without a value — each of them and no other: the stop told a clinic
// sending to Google alone that "Meta would hold them back" (a review,
// 2026-12-07). A platform that rejects the event name without a value
// (Spec.ValueRequired: Meta's Purchase) holds it back; another records
// it without one, for good unless it documents restating
// (Spec.Restatement: destinations.<name>.restate).
func WithoutValue(cfg *config.Config) string {
	var parts []string
	for _, p := range cfg.Enabled() {
		spec := p.Spec()
		switch {
		case slices.Contains(spec.ValueRequired, cfg.Conversion.EventName):
			parts = append(parts, spec.Title+" would hold them back")
		case spec.Restatement != "":
			parts = append(parts, fmt.Sprintf("their visits would go to %s without a value, which a later fix does not change unless destinations.%s.restate is on", spec.Title, spec.Name))
		default:
			parts = append(parts, "their visits would go to "+spec.Title+" without a value")
		}
	}
	if len(parts) == 0 {
		return "their visits would be sent without a value"
	}
	return strings.Join(parts, ", and ")
}

// countVisits counts a sent row's visit conversions, per platform, and
// those that carry no value: Google records those at the conversion
// action's default value (report.Valueless). Whether they do is the
// row's, read from its notes as runner.value left them (a held record
// keeps the notes, not a prepared conversion's HasValue): no value under
// conversion.value none, or where the row noted a blank fee, an
// unreadable one or an invalid currency.
func (s *settler) countVisits(o *outcome) {
	none := s.fees.none || slices.ContainsFunc(o.t.notes, func(n string) bool {
		return n == NoteValueMissing || n == NoteValueUnparsed || n == NoteCurrencyInvalid
	})
	for _, cv := range o.convs {
		if !cv.Booking {
			s.counts[cv.Platform]++
			if none {
				s.valueless[cv.Platform]++
			}
		}
	}
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
	return s.fees.Err(s.feesEffect, "nothing was sent")
}
