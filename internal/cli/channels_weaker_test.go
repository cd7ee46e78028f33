package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChannelsWeakerThanDefault: a privacy officer's review ran
// HASHGATE_CHANNELS_MIN_CELL=2 HASHGATE_CHANNELS_DOMINANCE_SHARE=0.999 and
// got one day's "2 new pts, 2 visits, revenue 5,351" with only the legend
// changed ("<2 = fewer than 2") — and either setting can come silently
// from the environment. Every output of a report released under a setting
// weaker than the default (min_cell under 5, dominance_share over 0.6) now
// names it with its value and default — terminal, CSV, HTML in the page's
// language, JSON — and stderr says where each came from, even under
// --quiet. At the defaults, and under --exact (NOT FOR SHARING says
// more), nothing of the kind is printed.
func TestChannelsWeakerThanDefault(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile(chPath("en.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	weakCfg := filepath.Join(dir, "weak.yaml")
	if err := os.WriteFile(weakCfg, []byte(strings.Replace(string(raw), "\nchannels:\n", "\nchannels:\n  dominance_share: 0.999\n", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	weakEnv := map[string]string{"HASHGATE_CHANNELS_MIN_CELL": "2"}
	const (
		minCell   = "channels.min_cell 2 (default 5)"
		dominance = "channels.dominance_share 0.999 (default 0.6)"
	)
	runWith := func(env map[string]string, cfg string, extra ...string) result {
		t.Helper()
		args := append([]string{"channels", "--quiet", "--config", cfg, "--from", "2026-11-03", "--to", "2026-11-04", "--as-of", fixtureAsOf, "--period", "day"}, extra...)
		res := runCLI(t, env, "", append(args, chPath("export-en.csv"))...)
		if res.code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, res.code, res.stderr)
		}
		return res
	}
	type weakened struct {
		Key            string
		Value, Default float64
	}
	weakerOf := func(stdout string) []weakened {
		t.Helper()
		var rep struct {
			Weaker []weakened `json:"weaker_than_default"`
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Weaker == nil {
			t.Fatalf("no weaker_than_default list in the JSON")
		}
		return rep.Weaker
	}

	// Terminal.
	res := runWith(weakEnv, weakCfg)
	head := strings.Join(strings.Fields(res.stdout[:strings.Index(res.stdout, "2026-11-03")]), " ")
	if !strings.Contains(head, "BELOW DEFAULT PROTECTION: "+minCell+", "+dominance) {
		t.Errorf("the table does not open naming the weaker settings:\n%s", res.stdout)
	}
	for _, want := range []string{minCell + ", set by the environment variable HASHGATE_CHANNELS_MIN_CELL", dominance + ", set by the config file " + weakCfg} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr (--quiet) lacks %q:\n%s", want, res.stderr)
		}
	}
	// JSON.
	got := weakerOf(runWith(weakEnv, weakCfg, "--json").stdout)
	if want := []weakened{{"channels.min_cell", 2, 5}, {"channels.dominance_share", 0.999, 0.6}}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("weaker_than_default = %+v, want %+v", got, want)
	}
	// CSV: every record.
	recs, err := csv.NewReader(strings.NewReader(runWith(weakEnv, weakCfg, "--csv").stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "below_default_protection" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no below_default_protection column: %v", recs[0])
	}
	for _, rec := range recs[1:] {
		if rec[col] != minCell+"; "+dominance {
			t.Fatalf("a record's below_default_protection is %q", rec[col])
		}
	}
	// HTML, in the page's language.
	for lang, want := range map[string]string{"en": "BELOW DEFAULT PROTECTION: " + minCell + ", " + dominance,
		"zh-Hant": "低於預設保護：channels.min_cell 2（預設 5）、channels.dominance_share 0.999（預設 0.6）"} {
		env := map[string]string{"HASHGATE_CHANNELS_MIN_CELL": "2", "HASHGATE_CHANNELS_LANGUAGE": lang}
		page := filepath.Join(dir, lang+".html")
		runWith(env, weakCfg, "--html", page)
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("the %s page does not name the weaker settings (%q)", lang, want)
		}
	}
	// The environment alone, the file at the defaults: min_cell only.
	res = runWith(weakEnv, chPath("en.yaml"), "--json")
	if got := weakerOf(res.stdout); len(got) != 1 || got[0].Key != "channels.min_cell" || strings.Contains(res.stderr, "dominance_share") {
		t.Errorf("min_cell from the environment alone: %+v\n%s", got, res.stderr)
	}

	// min_cell 1 from the environment is an exact report: NOT FOR SHARING,
	// naming where the 1 came from (a review: it said "--exact or
	// channels.min_cell 1", and nobody had passed either).
	res = runWith(map[string]string{"HASHGATE_CHANNELS_MIN_CELL": "1"}, chPath("en.yaml"))
	if !strings.Contains(res.stderr, "NOT FOR SHARING (channels.min_cell 1, set by the environment variable HASHGATE_CHANNELS_MIN_CELL)") {
		t.Errorf("an exact report from the environment does not say so:\n%s", res.stderr)
	}
	if res = runWith(nil, chPath("en.yaml"), "--exact"); !strings.Contains(res.stderr, "NOT FOR SHARING (--exact)") {
		t.Errorf("--exact is not named:\n%s", res.stderr)
	}

	// The defaults, and --exact: nothing.
	for _, c := range []struct {
		name  string
		env   map[string]string
		cfg   string
		extra []string
	}{{"defaults", nil, chPath("en.yaml"), nil}, {"--exact", weakEnv, weakCfg, []string{"--exact"}}} {
		for _, f := range [][]string{nil, {"--csv"}} {
			res := runWith(c.env, c.cfg, append(c.extra, f...)...)
			if strings.Contains(res.stdout, "BELOW DEFAULT") || strings.Contains(res.stdout, "below_default_protection") || strings.Contains(res.stderr, "below hashgate's default") {
				t.Errorf("%s %v names a weaker setting:\n%s\n%s", c.name, f, res.stdout, res.stderr)
			}
		}
		if got := weakerOf(runWith(c.env, c.cfg, append(c.extra, "--json")...).stdout); len(got) != 0 {
			t.Errorf("%s: weaker_than_default = %+v", c.name, got)
		}
	}
}
