package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// What each destination left out, and where dropped identifiers came
// from. Excluded names a row every destination left out once, by the
// first destination's reason, so that rows add up; an analyst who fixed
// Google's mapping after "no_click_id" still sent nothing to Meta and
// never saw why (weak_identifiers, no_identifier). LeftOut says it per
// destination; the summary prints it only where it tells something the
// lines above do not.

// LeaveOut counts a row one destination left out, by that destination's
// own reason.
func (s *Summary) LeaveOut(platform, reason string) {
	if s.LeftOut == nil { // a summary read back from an older run report
		s.LeftOut = map[string]map[string]int{}
	}
	countSkip(s.LeftOut, platform, reason)
}

// LeaveOutN counts n rows left out of platform for reason.
func (s *Summary) LeaveOutN(platform, reason string, n int) {
	if s.LeftOut == nil {
		s.LeftOut = map[string]map[string]int{}
	}
	countSkipN(s.LeftOut, platform, reason, n)
}

// SkipN counts n rows skipped for platform for reason, as n calls of
// Skip would: the pipeline counts its rows by kind and adds them once.
func (s *Summary) SkipN(platform, reason string, n int) {
	countSkipN(s.Skipped, platform, reason, n)
	s.LeaveOutN(platform, reason, n)
}

// DropColumn notes the configured column (its header name) a value
// counted under Dropped[key] was read from.
func (s *Summary) DropColumn(key, column string) {
	if s.DroppedColumns == nil {
		s.DroppedColumns = map[string][]string{}
	}
	cols := s.DroppedColumns[key]
	if i, found := slices.BinarySearch(cols, column); !found {
		s.DroppedColumns[key] = slices.Insert(cols, i, column)
	}
}

// ownReasonsDiffer returns the reasons whose count in platform's LeftOut
// is not what the excluded rows and its Skipped say, with LeftOut's count
// (0: none of the excluded rows was left out of it for that reason);
// nil when they agree.
func (s *Summary) ownReasonsDiffer(platform string) map[string]int {
	want := maps.Clone(s.Excluded)
	if want == nil {
		want = map[string]int{}
	}
	for r, n := range s.Skipped[platform] {
		want[r] += n
	}
	own := s.LeftOut[platform]
	var differ map[string]int
	for r := range maps.Keys(want) {
		if own[r] != want[r] {
			if differ == nil {
				differ = map[string]int{}
			}
			differ[r] = own[r]
		}
	}
	for r, n := range own {
		if _, ok := want[r]; !ok {
			if differ == nil {
				differ = map[string]int{}
			}
			differ[r] = n
		}
	}
	return differ
}

// writeLeftOut prints, for each destination whose own reasons differ
// from what the excluded rows and its "not sent to" rows say, the
// reasons that differ with its own counts; nothing when the destinations
// agree. The rest is in the run report (left_out_of).
func (s *Summary) writeLeftOut(b *strings.Builder) {
	for _, p := range slices.Sorted(maps.Keys(s.LeftOut)) {
		section(b, "left out of "+p+", by its own reason where that differs from the counts above", s.ownReasonsDiffer(p))
	}
}

// writeDropped prints the dropped identifiers, each with the configured
// columns it was read from: the analyst fixes a column, not a field.
func (s *Summary) writeDropped(b *strings.Builder) {
	if len(s.Dropped) == 0 {
		return
	}
	b.WriteString("  identifiers dropped (not hashed, not sent):\n")
	keys := slices.Sorted(maps.Keys(s.Dropped))
	width := 0
	for _, k := range keys {
		width = max(width, len(k))
	}
	for _, k := range keys {
		line := fmt.Sprintf("    %-*s %d", width, k, s.Dropped[k])
		if cols := s.DroppedColumns[k]; len(cols) > 0 {
			quoted := make([]string, len(cols))
			for i, c := range cols {
				quoted[i] = strconv.Quote(c)
			}
			what := "column"
			if len(cols) > 1 {
				what = "columns"
			}
			line += fmt.Sprintf(" (%s %s)", what, strings.Join(quoted, ", "))
		}
		b.WriteString(line + "\n")
	}
}
