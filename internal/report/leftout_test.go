package report

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLeftOutIsQuietWhenDestinationsAgree: a destination whose own
// reasons are the excluded rows' and its "not sent to" rows' adds no
// line; one whose own reasons differ gets its section.
func TestLeftOutIsQuietWhenDestinationsAgree(t *testing.T) {
	s := New("t.csv")
	s.RowsRead, s.RowsUsed = 4, 1
	s.Excluded["consent_missing"] = 2
	s.Skip("meta", "no_identifier")
	for range 2 {
		s.LeaveOut("google", "consent_missing")
		s.LeaveOut("meta", "consent_missing")
	}
	var b strings.Builder
	if err := s.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "left out of") {
		t.Errorf("a section where nothing differs:\n%s", b.String())
	}
	s.Excluded["no_click_id"]++
	s.LeaveOut("google", "no_click_id")
	s.LeaveOut("meta", "weak_identifiers")
	b.Reset()
	if err := s.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "left out of google") || !strings.Contains(b.String(), "left out of meta") {
		t.Errorf("want Meta's section alone:\n%s", b.String())
	}
}

// TestRunReportKeysAreStable: the per-destination reasons and the dropped
// identifiers' columns are in every run report, empty or not, under the
// keys monitoring reads.
func TestRunReportKeysAreStable(t *testing.T) {
	s := New("t.csv")
	s.LeaveOut("meta", "weak_identifiers")
	s.Drop("google", "phone", "not_possible_number")
	s.DropColumn("google phone not_possible_number", "mobile")
	s.DropColumn("google phone not_possible_number", "home_phone")
	s.DropColumn("google phone not_possible_number", "mobile")
	b, err := s.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		LeftOut map[string]map[string]int `json:"left_out_of"`
		Columns map[string][]string       `json:"identifiers_dropped_columns"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.LeftOut["meta"]["weak_identifiers"] != 1 {
		t.Errorf("left_out_of %v", got.LeftOut)
	}
	if c := got.Columns["google phone not_possible_number"]; len(c) != 2 || c[0] != "home_phone" || c[1] != "mobile" {
		t.Errorf("identifiers_dropped_columns %v, want [home_phone mobile]", got.Columns)
	}
	empty, err := New("t.csv").JSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"left_out_of": {}`, `"identifiers_dropped_columns": {}`} {
		if !strings.Contains(string(empty), k) {
			t.Errorf("an empty run report lacks %s:\n%s", k, empty)
		}
	}
}

// TestSkipIsLeftOutOfThatDestination: a row skipped for one destination
// is also among what that destination left out, one call as n — the
// pipeline's tally (SkipN) and the rows past it, bookings and write's
// files (Skip) count alike. Since the tally, the pipeline's tests no
// longer reach Skip's half (its mutant survived the day's full run).
func TestSkipIsLeftOutOfThatDestination(t *testing.T) {
	one, many := New("x.csv"), New("x.csv")
	for range 3 {
		one.Skip("meta", "no_identifier")
	}
	many.SkipN("meta", "no_identifier", 3)
	for name, s := range map[string]*Summary{"Skip": one, "SkipN": many} {
		if s.Skipped["meta"]["no_identifier"] != 3 || s.LeftOut["meta"]["no_identifier"] != 3 {
			t.Errorf("%s: skipped %v, left out %v; want 3 of each", name, s.Skipped, s.LeftOut)
		}
	}
}
