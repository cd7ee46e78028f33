package pipeline

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// outcome is what process decided for one row, before the sequential
// part (duplicate detection, counting) that settle applies in export order.
type outcome struct {
	convs  []*conversion.Conversion
	reason string
	// late: reason was decided after the point where a duplicate order
	// would have been recognised (no_identifier); a duplicate still wins.
	late bool
	dup  uint64
	// status is what the row's status cell says of conversion.statuses,
	// whatever else excludes the row: statusNone (no column, empty cell),
	// statusMatch or statusOther. The run refuses a status column none of
	// whose values is a conversion status: the mapping or the words are
	// wrong, and every row would be excluded.
	status int8
	t      tally
	// dated: the row's appointment time was read (or tried); dateSetting
	// is the reason when only a setting would read it, at dateLine:dateCol.
	dated             bool
	dateSetting       string
	dateLine, dateCol int
	// dateInvalid: the appointment time is invalid_time; dateSwapped: it
	// reads in the other day/month order (see dateGate).
	dateInvalid, dateSwapped bool
	// Where a parallel run keeps this row's conversions in its chunk.
	convFirst, convN int
	idN              []int // identifiers per conversion
}

// tally holds a row's counts until settle knows the row is no duplicate
// (a duplicate row counts under duplicate_order and nothing else).
type tally struct{ drops, notes []string }

const (
	statusNone int8 = iota
	statusMatch
	statusOther
)

func (t *tally) drop(p, f, reason string) { t.drops = append(t.drops, p+" "+f+" "+reason) }
func (t *tally) note(n string)            { t.notes = append(t.notes, n) }
func (t *tally) reset()                   { t.drops, t.notes = t.drops[:0], t.notes[:0] }
func (t *tally) apply(sum *report.Summary) {
	for _, d := range t.drops {
		sum.Dropped[d]++
	}
	for _, n := range t.notes {
		sum.Notes[n]++
	}
}

// settle applies the sequential rule: among rows that would become
// conversions, the first of an order is the conversion and later ones are
// duplicate_order. It returns the row's final reason.
func settle(o *outcome, seen *keyset.Set, sum *report.Summary) (string, error) {
	if o.reason == "" || o.late {
		dup, err := seen.Seen(o.dup, o.reason == "")
		if err != nil {
			return "", err
		}
		if dup {
			return ReasonDuplicate, nil
		}
	}
	o.t.apply(sum)
	return o.reason, nil
}

// settler is the sequential end of a run, the same for both ways through:
// it settles decided rows in export order — duplicates, exclusion and skip
// counts, the Observe hook — and writes their conversions to the sink.
type settler struct {
	sink      *dateGate // before opt.Sink: holds writes until dates are judged
	observe   func(export.Row, Outcome)
	platforms []platform.Platform
	seen      *keyset.Set
	sum       *report.Summary
	// Conversions are counted here and added to the summary once: a
	// string-keyed map update per conversion showed in profiles.
	counts [platform.Count]int
	// statusRows and statusMatched count rows with a status cell, and
	// those whose status is a conversion status.
	statusRows, statusMatched int
}

func newSettler(opt Options, sum *report.Summary) *settler {
	return &settler{
		sink: newDateGate(opt.Config, opt.InputName, opt.Sink), observe: opt.Observe, platforms: opt.Config.Enabled(),
		seen: keyset.New("", keyset.Sizes{}), sum: sum,
	}
}

// row settles one decided row; skips holds, per enabled platform, why the
// row is not sent there ("" when it is).
func (s *settler) row(row export.Row, o *outcome, skips []string) error {
	s.sum.RowsRead++
	if e := row.Refused(); e != nil {
		s.sum.Refuse(e.Error())
	}
	if o.status != statusNone {
		s.statusRows++
		if o.status == statusMatch {
			s.statusMatched++
		}
	}
	reason, err := settle(o, s.seen, s.sum)
	if err != nil {
		return err
	}
	if err := s.sink.observe(o); err != nil {
		return err
	}
	if s.observe != nil {
		s.observe(row, Outcome{Reason: reason, Platforms: s.platforms, Skipped: skips})
	}
	if reason != "" {
		s.sum.Excluded[reason]++
		if refuses(reason) && o.dup != 0 {
			// A later row refuses an order already sent: only a run that
			// could not pre-scan (standard input) gets here.
			if sent, err := s.seen.Has(o.dup); err != nil {
				return err
			} else if sent {
				s.sum.Notes[NoteRefusedAfterSent]++
			}
		}
		return nil
	}
	s.sum.RowsUsed++
	for j, p := range s.platforms {
		if skips[j] != "" {
			s.sum.Skip(p.String(), skips[j])
		}
	}
	for _, cv := range o.convs {
		if err := s.sink.Write(cv); err != nil {
			return fmt.Errorf("write conversion from line %d: %w", cv.Line, err)
		}
		s.counts[cv.Platform]++
	}
	return nil
}

// finish ends a run that read the whole export: the date gate decides if
// it has not, and passes on what it holds.
func (s *settler) finish() error { return s.sink.finish() }

// close adds the conversion counts to the summary and frees the order set.
func (s *settler) close() {
	s.sum.StatusRows += s.statusRows
	s.sum.StatusMatched += s.statusMatched
	for _, p := range s.platforms {
		if n := s.counts[p]; n > 0 {
			s.sum.Conversions[p.String()] += n
		}
	}
	s.seen.Close()
}
