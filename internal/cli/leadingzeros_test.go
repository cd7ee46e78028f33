package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zeroIDs is the Taiwan fixture export (testdata/ledger) with its chart
// numbers as a clinic system that pads them writes them (A003100 becomes
// 00003100), or, trimmed, as a spreadsheet writes them back after reading
// the column as numbers (3100); rows keeps the first rows only.
func zeroIDs(t *testing.T, trimmed bool, rows int) string {
	t.Helper()
	form := func(id string) string { return id }
	if trimmed {
		form = func(id string) string { return strings.TrimLeft(id, "0") }
	}
	return chartIDs(t, 0, rows, form)
}

// chartIDs is the fixture's rows [from, to) with each chart number padded
// to 8 digits, then written by form.
func chartIDs(t *testing.T, from, to int, form func(padded string) string) string {
	t.Helper()
	raw := mustRead(t, filepath.Join("..", "..", "testdata", "ledger", "tw-composite.csv"))
	lines := strings.SplitAfter(strings.TrimRight(raw, "\n"), "\n")
	out := []string{lines[0]}
	for _, l := range lines[1+from : min(len(lines), to+1)] {
		chart, rest, _ := strings.Cut(l, ",")
		out = append(out, form("0000"+strings.TrimPrefix(chart, "A00"))+","+rest)
	}
	p := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(p, []byte(strings.Join(out, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTrimmedLeadingZerosStop: a clinic whose chart numbers are padded
// uploads its export; the next night's was opened and saved in a
// spreadsheet, which dropped the zeros. Every event id changes, and with
// fewer than 20 conversions the safety net lets them through: before this
// check the 10 visits were counted again, exit 0. Now the run stops before
// sending, naming where and what to do and no id, as a composite order id
// (chart + date + time) and as the chart number alone; the other way round
// (the first night's export was the re-saved one) stops too; and
// --accept-new-ids sends once, after which the new shape is the one kept.
func TestTrimmedLeadingZerosStop(t *testing.T) {
	for _, tc := range []struct {
		name          string
		edit          func(string) string
		first, second bool // trimmed on night 1, on night 2
	}{
		{name: "composite, zeros lost", second: true},
		{name: "composite, zeros gained", first: true},
		{name: "chart number alone, zeros lost", second: true, edit: func(s string) string {
			return strings.Replace(s, `order_id: ["病歷號碼", "就診日期", "就診時間"]`, `order_id: ["病歷號碼"]`, 1)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dm, gURL := googleFake(t, nil)
			g, mURL := metaFake(t, nil)
			env := uploadEnv(t)
			cfg := twComposite(t, gURL, mURL, tc.edit)
			if r := runGoogle(t, env, "", true, "upload", "--config", cfg, zeroIDs(t, tc.first, 48)); r.code != 0 {
				t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
			}
			sentG, sentM := len(dm.Accepted()), len(g.Accepted())
			if sentG != 40 { // Meta takes none: older than its 7 days
				t.Fatalf("night 1 sent google %d, meta %d", sentG, sentM)
			}
			night2 := zeroIDs(t, tc.second, 10)
			r := runGoogle(t, env, "", true, "upload", "--config", cfg, night2)
			if r.code != 2 || len(dm.Accepted()) != sentG || len(g.Accepted()) != sentM {
				t.Fatalf("night 2: exit %d, google %d → %d, meta %d → %d (want exit 2, nothing sent)\n%s",
					r.code, sentG, len(dm.Accepted()), sentM, len(g.Accepted()), r.stderr)
			}
			wants := []string{"input.columns.order_id", "leading zeros", "--accept-new-ids", "nothing was sent"}
			if tc.second {
				wants = append(wants, filepath.Base(night2)+":2:1")
			}
			for _, want := range wants {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
				}
			}
			for _, id := range []string{"3100", "00003100", "0912"} {
				if strings.Contains(r.stderr+r.stdout, id) {
					t.Errorf("the stop prints an id or a phone (%s):\n%s", id, r.stderr)
				}
			}
			// Checked by a person: sent once, and the shape kept is tonight's.
			if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, night2); r.code != 0 || len(dm.Accepted()) == sentG ||
				!strings.Contains(r.stderr, "order_id_leading_zeros") { // the night says what the flag passed
				t.Fatalf("--accept-new-ids: exit %d, google %d → %d\n%s", r.code, sentG, len(dm.Accepted()), r.stderr)
			}
			sentG = len(dm.Accepted())
			if r := runGoogle(t, env, "", true, "upload", "--config", cfg, night2); r.code != 0 || len(dm.Accepted()) != sentG {
				t.Fatalf("night 3, as night 2: exit %d, google %d → %d\n%s", r.code, sentG, len(dm.Accepted()), r.stderr)
			}
		})
	}
}

// TestLeadingZerosKeptOrNeverThere: nothing stops a night whose ids are
// as the last upload's — padded both nights, or never padded (numbers
// of every length, none led by a zero) — nor one whose last upload only
// validated (a test run's ids are no events anywhere).
func TestLeadingZerosKeptOrNeverThere(t *testing.T) {
	for _, tc := range []struct {
		name           string
		trimmed        bool
		validateNight1 bool
	}{
		{name: "padded both nights"},
		{name: "never padded", trimmed: true},
		{name: "night 1 validated only", validateNight1: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dm, gURL := googleFake(t, nil)
			g, mURL := metaFake(t, nil)
			env := uploadEnv(t)
			cfg := twComposite(t, gURL, mURL, nil)
			args := []string{"upload", "--config", cfg, zeroIDs(t, tc.trimmed, 48)}
			if tc.validateNight1 {
				args = append(args[:1], append([]string{"--validate"}, args[1:]...)...)
			}
			r := runGoogle(t, env, "", true, args...)
			if r.code != 0 {
				t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
			}
			if tc.validateNight1 && len(dm.Accepted()) != 0 {
				t.Fatalf("night 1 validated only, yet google accepted %d", len(dm.Accepted()))
			}
			night2 := zeroIDs(t, tc.trimmed != tc.validateNight1, 10)
			sentG, sentM := len(dm.Accepted()), len(g.Accepted())
			r = runGoogle(t, env, "", true, "upload", "--config", cfg, night2)
			if r.code != 0 || strings.Contains(r.stderr, "leading zeros") {
				t.Fatalf("night 2: exit %d\n%s", r.code, r.stderr)
			}
			if !tc.validateNight1 && (len(dm.Accepted()) != sentG || len(g.Accepted()) != sentM) {
				t.Errorf("night 2 sent again: google %d → %d, meta %d → %d", sentG, len(dm.Accepted()), sentM, len(g.Accepted()))
			}
		})
	}
}

// TestZerosCheckSurvivesQuietNights: what the ledger keeps is not given up
// to a night that says nothing of the ids — two visits, an empty export
// (exit 1), a trimmed night that was stopped — so the trimmed night after
// them still stops. Before, each of the first two replaced the shape and
// the trimmed night sent 9 visits a second time.
func TestZerosCheckSurvivesQuietNights(t *testing.T) {
	pad := func(id string) string { return id }
	trim := func(id string) string { return strings.TrimLeft(id, "0") }
	for _, tc := range []struct {
		name  string
		quiet string
		code  int
	}{
		{"two visits", "two", 0},
		{"an empty export", "empty", 1},
		{"a stopped trimmed night", "trimmed", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dm, gURL := googleFake(t, nil)
			_, mURL := metaFake(t, nil)
			env := uploadEnv(t)
			cfg := twComposite(t, gURL, mURL, nil)
			if r := runGoogle(t, env, "", true, "upload", "--config", cfg, chartIDs(t, 0, 48, pad)); r.code != 0 {
				t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
			}
			sent := len(dm.Accepted())
			quiet := map[string]string{"two": chartIDs(t, 46, 48, pad), "empty": chartIDs(t, 0, 0, pad), "trimmed": chartIDs(t, 0, 10, trim)}[tc.quiet]
			if r := runGoogle(t, env, "", true, "upload", "--config", cfg, quiet); r.code != tc.code {
				t.Fatalf("night 2 (%s): exit %d, want %d\n%s", tc.quiet, r.code, tc.code, r.stderr)
			}
			r := runGoogle(t, env, "", true, "upload", "--config", cfg, chartIDs(t, 0, 10, trim))
			if r.code != 2 || len(dm.Accepted()) != sent || !strings.Contains(r.stderr, "lost their leading zeros") {
				t.Fatalf("night 3, trimmed: exit %d, google %d → %d; want exit 2, nothing sent\n%s", r.code, sent, len(dm.Accepted()), r.stderr)
			}
		})
	}
}

// TestOrderIDsAsDecimalsStop: a script or spreadsheet that writes the
// padded ids back as decimals (3100.0) loses the zeros and makes the ids
// no longer all digits, so the shape alone never saw them (a reviewer's
// reproduction: 9 visits sent twice, exit 0). One such id stops the run,
// on the first night too, naming where and no id.
func TestOrderIDsAsDecimalsStop(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	export := chartIDs(t, 0, 10, func(id string) string { return strings.TrimLeft(id, "0") + ".0" })
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if r.code != 2 || len(dm.Accepted()) != 0 {
		t.Fatalf("exit %d, google %d; want exit 2, nothing sent\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	for _, want := range []string{"input.columns.order_id", filepath.Base(export) + ":2:1", "decimal number", "nothing was sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	// Outside the export's path: t.TempDir's random suffix can hold the
	// digits (…/TestOrderIDsAsDecimalsStop310082811/… failed a run).
	if strings.Contains(strings.ReplaceAll(r.stderr, filepath.Dir(export), "DIR"), "3100") {
		t.Errorf("the stop prints an id:\n%s", r.stderr)
	}
}
