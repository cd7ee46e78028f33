package run

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/pipeline"
)

// sameNightIdentifiers judges a recorded run that the same night's
// identifier rule changed on purpose, after the recording: a row carrying
// an email or phone that a row withdrawing its patient carried is
// consent_withdrawn_identifier the night of the withdrawal, not from the
// next upload on (pipeline's samenightids.go,
// cli.TestAWithdrawalStopsHerIdentifiersTheSameNight). It returns false
// when the run counts no such row (it must then be the recorded one).
// Else it checks that the rule only moved rows: as many read, the rows it
// counts taken from the other reasons and the rows used — a duplicate of
// an order whose first row it withdrew may be used in its stead — and no
// conversion added.
func sameNightIdentifiers(t *testing.T, run string, got, want onePassAnswer) bool {
	t.Helper()
	if len(got.Report) == 0 { // check's fixtures and write's files: the rule named in their output
		return strings.Contains(string(got.written)+got.Stderr, pipeline.ReasonIdentifierWithdrawn)
	}
	var g, w map[string]any
	if json.Unmarshal(got.Report, &g) != nil || json.Unmarshal(want.Report, &w) != nil {
		t.Fatalf("%s: run reports that do not read", run)
	}
	ge, _ := g["excluded"].(map[string]any)
	we, _ := w["excluded"].(map[string]any)
	moved, _ := ge[pipeline.ReasonIdentifierWithdrawn].(float64)
	if moved == 0 {
		return false
	}
	num := func(m map[string]any, k string) float64 { f, _ := m[k].(float64); return f }
	gained := max(0, num(g, "rows_used")-num(w, "rows_used"))
	for reason := range ge {
		if reason != pipeline.ReasonIdentifierWithdrawn {
			gained += max(0, num(ge, reason)-num(we, reason))
		}
	}
	if num(g, "rows_read") != num(w, "rows_read") || gained > max(0, num(we, pipeline.ReasonDuplicate)-num(ge, pipeline.ReasonDuplicate)) {
		t.Errorf("%s: the same night's identifier rule moved more than its rows:\n%s\nwant %s", run, got.Report, want.Report)
	}
	gc, _ := g["conversions"].(map[string]any)
	for p := range gc {
		if num(gc, p) > num(w["conversions"].(map[string]any), p) {
			t.Errorf("%s: the same night's identifier rule added %s conversions", run, p)
		}
	}
	return true
}
