package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// exportWithout writes the English fixture's export without the rows
// drop says to leave out, and returns its path.
func exportWithout(t *testing.T, drop func(rec []string) bool) string {
	t.Helper()
	raw, err := os.ReadFile(chPath("export-en.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	kept := recs[:1]
	for _, rec := range recs[1:] {
		if !drop(rec) {
			kept = append(kept, rec)
		}
	}
	path := filepath.Join(t.TempDir(), "export.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(kept); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// metaRow: a row the fixture's config puts in Meta Ads (an fbclid, or
// one of its source words).
func metaRow(rec []string) bool {
	src := strings.ToLower(strings.TrimSpace(rec[6]))
	return rec[8] != "" || slices.Contains([]string{"facebook", "instagram", "fb", "ig"}, src)
}

// TestSpendThatBoughtNothingSaysSo: Meta spent in November (its download
// is given) and brought no booking — the export below has none of its
// rows. Its cost per booking, per visit and per new patient (CAC, and
// their ranges) and its claims per visit divide by zero: the terminal
// says "no bookings", "no visits", "no new pts" (it printed "—", which
// the legend calls not applicable), the CSV says no_bookings, no_visits,
// no_new_patients, and JSON has null, not in suppressed, with the reason
// in not_computed (it had null and suppressed [], reading as "does not
// exist"); no output prints a zero or infinite ratio; the legend says
// what the words mean. Released and --exact alike.
func TestSpendThatBoughtNothingSaysSo(t *testing.T) {
	export := exportWithout(t, metaRow)
	args := func(extra ...string) []string {
		a := []string{"channels", "--config", chPath("en.yaml"), "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf,
			"--spend", "google=" + chPath("google-ads.csv"), "--spend", "meta=" + chPath("meta-daily.csv")}
		return append(append(a, extra...), export)
	}
	want := map[string]string{
		"cost_per_booking": "no_bookings", "cost_per_visit": "no_visits", "cost_per_visit_low": "no_visits", "cost_per_visit_high": "no_visits",
		"cac": "no_new_patients", "cac_low": "no_new_patients", "cac_high": "no_new_patients", "claimed_vs_visits": "no_visits",
	}
	for _, exact := range []bool{false, true} {
		var x []string
		if exact {
			x = []string{"--exact"}
		}
		env := stateEnv(t, "golden")
		res := runCLI(t, env, "", args(append(x, "--json")...)...)
		if res.code != 0 {
			t.Fatalf("exact %v: exit %d: %s", exact, res.code, res.stderr)
		}
		var rep jsonReport
		if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
			t.Fatal(err)
		}
		meta := rep.Channels[1]
		if meta["name"] != "Meta Ads" || meta["bookings"] != 0.0 || meta["spend"] == nil {
			t.Fatalf("exact %v: Meta %v: want spend and no booking", exact, meta)
		}
		nc, _ := meta["not_computed"].(map[string]any)
		for k, why := range want {
			if meta[k] != nil || meta.suppressed(k) || nc[k] != why {
				t.Errorf("exact %v: Meta %s = %v, suppressed %v, not_computed %v; want null, not suppressed, %q", exact, k, meta[k], meta.suppressed(k), nc[k], why)
			}
		}
		if strings.Contains(res.stdout, "Infinity") || strings.Contains(res.stdout, "NaN") {
			t.Errorf("exact %v: JSON carries an infinite ratio", exact)
		}
		// The terminal and the CSV say the same.
		res = runCLI(t, env, "", args(x...)...)
		var row string
		for _, l := range strings.Split(res.stdout, "\n") {
			if strings.HasPrefix(l, "Meta Ads") {
				row = l
			}
		}
		for _, w := range []string{"no bookings", "no visits", "no new pts"} {
			if !strings.Contains(row, w) {
				t.Errorf("exact %v: the table's Meta line does not say %q: %s", exact, w, row)
			}
		}
		if flat := strings.Join(strings.Fields(res.stdout), " "); strings.Contains(row, "—") || !strings.Contains(flat, "“no visits”, “no bookings” and the like = the figure divides by a count that is zero") {
			t.Errorf("exact %v: the table marks Meta's ratios not applicable, or its legend does not say what no visits means:\n%s", exact, res.stdout)
		}
		res = runCLI(t, env, "", args(append(x, "--csv")...)...)
		recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range recs[1:] {
			if rec[0] != "window" || rec[3] != "Meta Ads" {
				continue
			}
			for k, why := range want {
				if got := rec[slices.Index(recs[0], k)]; got != why {
					t.Errorf("exact %v: CSV %s = %q, want %q", exact, k, got, why)
				}
			}
		}
	}
}
