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

// spendDownload writes the rows of the fixture's Meta download that keep
// says to keep (by their day), under its header, and returns its path.
func spendDownload(t *testing.T, keep func(day string) bool) string {
	t.Helper()
	raw, err := os.ReadFile(chPath("meta-daily.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\r\n"), "\n")
	out := []string{lines[0]}
	for _, l := range lines[1:] {
		if f := strings.Split(l, ","); len(f) > 1 && keep(f[1]) {
			out = append(out, l)
		}
	}
	path := filepath.Join(t.TempDir(), "meta.csv")
	if err := os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSpendThatCoversNoneOfTheWindow: a Meta download of October only, or
// one with its header and no row, given for November, printed Meta's
// spend 0, CAC 0 "95% range 0 to 0" and cost per visit 0, and the paid
// line divided Google's spend by Google's and Meta's patients — exit 0,
// one warning about incompleteness. Such a platform now has no spend data
// for the window, as if no --spend were given for it (and so has one with
// no --spend): its spend, clicks, claims and costs say "no data" (JSON:
// null, no_spend_data in not_computed; CSV: no_spend_data), the paid and
// total lines' spend and costs too — they would mix Google's spend with
// Meta's patients — and the run says which download covers none of the
// window (stderr, and platforms_without_spend in JSON).
func TestSpendThatCoversNoneOfTheWindow(t *testing.T) {
	october := spendDownload(t, func(d string) bool { return strings.HasPrefix(d, "2026-10-") })
	empty := spendDownload(t, func(string) bool { return false })
	spendKeys := []string{"spend", "clicks", "platform_conversions", "cost_per_booking", "cost_per_visit", "cost_per_visit_low", "cost_per_visit_high",
		"roas", "cac", "cac_low", "cac_high", "claimed_vs_visits", "booking_rate"}
	lineKeys := []string{"spend", "cost_per_booking", "cost_per_visit", "cost_per_visit_low", "cost_per_visit_high", "roas", "cac", "cac_low", "cac_high"}
	for _, c := range []struct {
		name, meta, reason, says string
	}{
		{"October's download", october, "downloads_cover_none_of_window", filepath.Base(october) + " covers 2026-10-01 to 2026-10-31"},
		{"a download without a row", empty, "downloads_cover_none_of_window", filepath.Base(empty) + " holds no day"},
		{"no Meta download", "", "no_download", ""},
	} {
		for _, exact := range []bool{false, true} {
			args := []string{"channels", "--config", chPath("en.yaml"), "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf,
				"--spend", "google=" + chPath("google-ads.csv")}
			if c.meta != "" {
				args = append(args, "--spend", "meta="+c.meta)
			}
			if exact {
				args = append(args, "--exact")
			}
			env := stateEnv(t, "golden")
			res := runCLI(t, env, "", append(args, "--json", chPath("export-en.csv"))...)
			if res.code != 0 {
				t.Fatalf("%s: exit %d: %s", c.name, res.code, res.stderr)
			}
			var rep jsonReport
			if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Gaps []map[string]string `json:"platforms_without_spend"`
			}
			if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Gaps) != 1 || doc.Gaps[0]["platform"] != "meta" || doc.Gaps[0]["reason"] != c.reason {
				t.Errorf("%s: platforms_without_spend %v, want meta %s", c.name, doc.Gaps, c.reason)
			}
			check := func(l jsonLine, keys []string) {
				nc, _ := l["not_computed"].(map[string]any)
				for _, k := range keys {
					if l[k] != nil || l.suppressed(k) || nc[k] != "no_spend_data" {
						t.Errorf("%s, exact %v: %s %s = %v, not_computed %v; want null for no_spend_data", c.name, exact, l["name"], k, l[k], nc[k])
					}
				}
			}
			keys := spendKeys
			if c.meta == "" { // whether a download would carry claims is not known
				keys = slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == "platform_conversions" || k == "claimed_vs_visits" })
			}
			check(rep.Channels[1], keys)
			check(rep.Paid, lineKeys)
			check(rep.Total, lineKeys)
			if g := rep.Channels[0]; g["spend"] == nil || g["cac"] == nil && !g.suppressed("cac") {
				t.Errorf("%s: Google's own spend and CAC are lost: %v", c.name, g)
			}
			if c.says != "" && !strings.Contains(res.stderr, "Meta spend: no download covers any day of the window 2026-11-01 to 2026-11-30") ||
				!strings.Contains(res.stderr, c.says) {
				t.Errorf("%s: stderr does not say the download covers none of the window:\n%s", c.name, res.stderr)
			}
			res = runCLI(t, env, "", append(args, chPath("export-en.csv"))...)
			if flat := strings.Join(strings.Fields(res.stdout), " "); strings.Contains(flat, "range 0 to 0") || !strings.Contains(flat, "no data = no spend download covers any day") {
				t.Errorf("%s: the table:\n%s", c.name, res.stdout)
			}
			for _, l := range strings.Split(res.stdout, "\n") {
				if strings.HasPrefix(l, "Meta Ads") && strings.Count(l, "no data") < 7 {
					t.Errorf("%s: Meta's line: %s", c.name, l)
				}
			}
			res = runCLI(t, env, "", append(args, "--csv", chPath("export-en.csv"))...)
			recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, rec := range recs[1:] {
				if rec[3] == "Meta Ads" || rec[3] == "Paid" {
					if got := rec[slices.Index(recs[0], "spend")]; got != "no_spend_data" {
						t.Errorf("%s: CSV %s spend %q", c.name, rec[3], got)
					}
				}
			}
		}
	}
}

// TestSpendOverPartOfTheSpan: a Meta download that stops on 20 November
// leaves ten days of the window and two of week 47 without spend data.
// Figures over part of a span print with "†" beside them in every table
// that has them — the weeks' as the window's — and a note per line says
// how many days are missing and which figures are partial; JSON lists them
// in incomplete; a week no download covers is no data, not a partial
// figure.
func TestSpendOverPartOfTheSpan(t *testing.T) {
	part := spendDownload(t, func(d string) bool { return d >= "2026-11-01" && d <= "2026-11-20" })
	args := []string{"channels", "--config", chPath("en.yaml"), "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf, "--exact",
		"--spend", "google=" + chPath("google-ads.csv"), "--spend", "meta=" + part, "--period", "week"}
	res := runCLI(t, nil, "", append(args, chPath("export-en.csv"))...)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	tables := strings.Split(res.stdout, "\n\n")
	marked := map[string]bool{}
	for _, tb := range tables {
		first := strings.SplitN(tb, "\n", 2)[0]
		for _, l := range strings.Split(tb, "\n") {
			if strings.HasPrefix(l, "Meta Ads") && strings.Contains(l, "†") {
				marked[first] = true
			}
		}
	}
	if !marked["2026-W47"] || !marked["2026-11-01 to 2026-11-30, amounts in TWD"] || marked["2026-W46"] || marked["2026-W48"] {
		t.Errorf("partial figures marked in %v; want week 47 and the window only", marked)
	}
	flat := strings.Join(strings.Fields(res.stdout), " ")
	for _, n := range []string{"Meta Ads: no spend data for 2 of the 7 day(s): its spend, clicks and claims are the other days' only",
		"Meta Ads: no spend data for 10 of the 30 day(s)", "Paid: no spend data for 10 of the 30 day(s)"} {
		if !strings.Contains(flat, n) {
			t.Errorf("no note %q", n)
		}
	}
	res = runCLI(t, nil, "", append(args, "--json", chPath("export-en.csv"))...)
	var rep jsonReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	// Clicks and the platform's claims come from the same downloads: over
	// the covered days only, and marked so (they were printed unmarked).
	if inc, _ := rep.Channels[1]["incomplete"].([]any); !slices.Contains(inc, any("cac")) || !slices.Contains(inc, any("clicks")) ||
		!slices.Contains(inc, any("platform_conversions")) || rep.Channels[1]["spend_days_missing"] != 10.0 {
		t.Errorf("Meta's window: incomplete %v, %v days missing", inc, rep.Channels[1]["spend_days_missing"])
	}
	for _, p := range rep.Periods {
		if p.From == "2026-11-23" {
			if nc, _ := p.Channels[1]["not_computed"].(map[string]any); nc["spend"] != "no_spend_data" {
				t.Errorf("week 48 has no Meta download: spend %v, not_computed %v", p.Channels[1]["spend"], nc)
			}
		}
	}
}
