package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// longChart writes a fixture chart number (padded: 00003100) as an
// 18-digit id whose first 15 digits differ chart to chart, as the clinic
// system wrote it or as a spreadsheet wrote it back, rounded to 15
// significant digits (…412345678 → …412346000): rounded apart, no two
// visits share an id.
func longChart(rounded bool) func(string) string {
	return func(padded string) string {
		if rounded {
			return "1" + padded[4:] + "0000412346000"
		}
		return "1" + padded[4:] + "0000412345678"
	}
}

// TestRoundedApartIDsStopTheUpload: a clinic's 18-digit chart numbers
// (order id and patient key) uploaded one night as the clinic system
// wrote them, the next from a copy a spreadsheet re-saved (or the other
// way round). Rounded apart, no two visits share an id, so the merge stop
// cannot see it, and 10 conversions are too few for the safety net:
// before, night 2 sent its visits again under other ids, exit 0. Now it
// stops before sending, naming the first cell and the cause and no id;
// --accept-new-ids sends once and says it passed order_id_rounded, and
// patient_key_shape: the same rounded chart numbers as patient keys no
// longer match the withdrawals remembered under the full ones.
func TestRoundedApartIDsStopTheUpload(t *testing.T) {
	for _, tc := range []struct {
		name          string
		first, second bool // rounded on night 1, on night 2
		want          string
	}{
		{"rounded tonight", false, true, "look rounded by a spreadsheet"},
		{"rounded the night before", true, false, "no longer rounded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dm, gURL := googleFake(t, nil)
			g, mURL := metaFake(t, nil)
			env := uploadEnv(t)
			cfg := twComposite(t, gURL, mURL, nil)
			if r := runGoogle(t, env, "", true, "upload", "--config", cfg, chartIDs(t, 0, 48, longChart(tc.first))); r.code != 0 {
				t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
			}
			sentG, sentM := len(dm.Accepted()), len(g.Accepted())
			night2 := chartIDs(t, 0, 10, longChart(tc.second))
			r := runGoogle(t, env, "", true, "upload", "--config", cfg, night2)
			if r.code != 2 || len(dm.Accepted()) != sentG || len(g.Accepted()) != sentM {
				t.Fatalf("night 2: exit %d, google %d → %d, meta %d → %d (want exit 2, nothing sent)\n%s",
					r.code, sentG, len(dm.Accepted()), sentM, len(g.Accepted()), r.stderr)
			}
			for _, want := range []string{"input.columns.order_id", tc.want, filepath.Base(night2) + ":2:1", "15 significant digits", "--accept-new-ids", "nothing was sent"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
				}
			}
			for _, id := range []string{"1310000004123", "0912-"} { // an id's first digits, a phone
				if strings.Contains(r.stderr+r.stdout, id) {
					t.Errorf("the stop prints an id or a phone (%s):\n%s", id, r.stderr)
				}
			}
			if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, night2); r.code != 0 || len(dm.Accepted()) == sentG ||
				!strings.Contains(r.stderr, "order_id_rounded") ||
				// The chart number is the patient key too: its rounding,
				// kept by the ledger, would have stopped the run as well.
				!strings.Contains(r.stderr, "patient_key_shape") {
				t.Fatalf("--accept-new-ids: exit %d, google %d → %d\n%s", r.code, sentG, len(dm.Accepted()), r.stderr)
			}
		})
	}
}

// TestLongIDsAsWrittenGoThrough: the same 18-digit ids as the clinic
// wrote them, night after night, stop nothing and send nothing twice.
func TestLongIDsAsWrittenGoThrough(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, chartIDs(t, 0, 48, longChart(false))); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	sent := len(dm.Accepted())
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, chartIDs(t, 0, 10, longChart(false))); r.code != 0 || len(dm.Accepted()) != sent {
		t.Fatalf("night 2: exit %d, google %d → %d\n%s", r.code, sent, len(dm.Accepted()), r.stderr)
	}
}
