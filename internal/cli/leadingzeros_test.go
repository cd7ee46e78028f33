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
	raw := mustRead(t, filepath.Join("..", "..", "testdata", "ledger", "tw-composite.csv"))
	lines := strings.SplitAfter(strings.TrimRight(raw, "\n"), "\n")
	out := []string{lines[0]}
	for _, l := range lines[1:min(len(lines), rows+1)] {
		chart, rest, _ := strings.Cut(l, ",")
		id := "0000" + strings.TrimPrefix(chart, "A00") // 8 digits, zero-led
		if trimmed {
			id = strings.TrimLeft(id, "0")
		}
		out = append(out, id+","+rest)
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
			if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, night2); r.code != 0 || len(dm.Accepted()) == sentG {
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
