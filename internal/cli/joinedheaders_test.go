package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// moveColumns rewrites CSV lines (no quoted cells) with cells i and j
// swapped: the same export, run with its columns in another order.
func moveColumns(lines []string, i, j int) string {
	var b strings.Builder
	for _, l := range lines {
		if l = strings.TrimRight(l, "\n"); l == "" {
			continue
		}
		c := strings.Split(l, ",")
		c[i], c[j] = c[j], c[i]
		b.WriteString(strings.Join(c, ",") + "\n")
	}
	return b.String()
}

// writeFile writes body to name in a new temporary directory.
func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestJoinedExportsOfOtherColumnsStopEveryCommand: night 1's export and
// night 2's, exported with the order id and chart number columns the other
// way round (or one column more, or one fewer), joined into one file. The second's 15 visits took
// the chart number as their order id and went to Google and Meta again as
// new conversions (70 transactions for 55 visits), or were malformed_row,
// exit 0 (a review with real multi-night ledgers and these fakes,
// 2026-12-07). Every command that reads the export stops at the second
// header, exit 1, naming file:line and why, never a cell: no request
// reaches either platform, write leaves no file. The same header joined
// is still skipped and the union sent.
func TestJoinedExportsOfOtherColumnsStopEveryCommand(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	// The clinic guard off: its stop on the second header's 分院 cell
	// would hide what the reader does.
	cfg := clinicGuardConfig(t, gURL, mURL, "")
	if err := os.WriteFile(cfg, []byte(mustReplace(t, mustRead(t, cfg), "    clinic: 分院\n", "")), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(stdin string, args ...string) result {
		t.Helper()
		return runGoogle(t, env, stdin, true, args...)
	}
	night1 := strings.SplitAfter(strings.TrimSpace(mustRead(t, clinicExport(t, "台北分院", "A", 5, false, 20))), "\n")
	night2 := strings.SplitAfter(strings.TrimSpace(mustRead(t, clinicExport(t, "台北分院", "B", 5, false, 21))), "\n")
	first := strings.Join(night1, "") + "\n"
	// Each night's export run on its own: both sent, each read by its
	// header names.
	for _, export := range []string{first, moveColumns(night2, 0, 8)} {
		if r := run("", "upload", "--config", cfg, writeFile(t, "night.csv", export)); r.code != 0 {
			t.Fatalf("a night on its own: exit %d\n%s", r.code, r.stderr)
		}
	}
	gReq, gStatus, mReq := dm.Requests(), dm.StatusReads(), g.Requests()
	added := make([]string, len(night2))
	removed := make([]string, len(night2))
	for i, l := range night2 {
		l = strings.TrimRight(l, "\n")
		c := strings.SplitN(l, ",", 4)
		added[i] = strings.Join(c[:3], ",") + map[bool]string{true: ",note,", false: ",ZqNoteCell,"}[i == 0] + c[3] + "\n"
		removed[i] = l[:strings.LastIndex(l, ",")] + "\n" // 分院, read by no setting
	}
	var outputs []string
	for name, second := range map[string]string{
		"columns moved":    moveColumns(night2, 0, 8),
		"a column added":   strings.Join(added, ""),
		"a column removed": strings.Join(removed, ""),
	} {
		joined := writeFile(t, "joined.csv", first+second)
		r := run("", "upload", "--config", cfg, joined)
		if r.code != 1 || !strings.Contains(r.stderr, "joined.csv:7: a second header, different from the first") {
			t.Errorf("%s: upload exit %d, want 1 naming joined.csv:7\n%s", name, r.code, r.stderr)
		}
		outputs = append(outputs, r.stdout+r.stderr)
	}
	if sends := dm.Requests() - gReq - (dm.StatusReads() - gStatus); sends != 0 || g.Requests() != mReq {
		t.Fatalf("stopped, yet made %d google requests besides status reads and %d meta requests", sends, g.Requests()-mReq)
	}
	joined := writeFile(t, "joined.csv", first+moveColumns(night2, 0, 8))
	out := filepath.Join(t.TempDir(), "google.csv")
	var fixture strings.Builder
	for i, l := range strings.SplitAfter(strings.TrimSpace(first+moveColumns(night2, 0, 8)), "\n") {
		l = strings.TrimRight(l, "\n")
		fixture.WriteString(l + map[bool]string{true: ",expect", false: ",google:include;meta:include"}[i == 0 || i == 6] + "\n")
	}
	for name, args := range map[string][]string{
		"dry-run":     {"upload", "--dry-run", "--config", cfg, joined},
		"write":       {"write", "--format", "google-ads-csv", "--out", out, "--config", cfg, joined},
		"check":       {"check", "--config", cfg, writeFile(t, "joined.csv", fixture.String())},
		"inspect":     {"inspect", joined},
		"inspect cfg": {"inspect", "--config", cfg, joined},
		"ledger find": {"ledger", "find", "--json", "--config", cfg, "--patients", "-", "--export", joined},
	} {
		r := run("P1\n", args...)
		if r.code != 1 || !strings.Contains(r.stderr, "joined.csv:7: a second header, different from the first") {
			t.Errorf("%s: exit %d, want 1 naming joined.csv:7\n%s%s", name, r.code, r.stdout, r.stderr)
		}
		outputs = append(outputs, r.stdout+r.stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("write stopped, yet left its file")
	}
	// channels reads the export by the same reader.
	raw := strings.SplitAfter(mustRead(t, chPath("export-en.csv")), "\n")
	mid := len(raw) / 2
	chJoined := writeFile(t, "joined.csv", strings.Join(raw[:mid], "")+moveColumns(append(raw[:1:1], raw[mid:]...), 0, 1))
	r := runCLI(t, stateEnv(t, "joined"), "", "channels", "--config", chPath("en.yaml"), "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf, "--exact", chJoined)
	if want := "joined.csv:" + fmt.Sprint(mid+1) + ": a second header"; r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("channels: exit %d, want 1 and %q\n%s%s", r.code, want, r.stdout, r.stderr)
	}
	for i, o := range outputs {
		for _, cell := range []string{"zqa", "zqb", "zqfirst", "zqlast", "zqnotecell", "0912", "@example"} {
			if strings.Contains(strings.ToLower(o), cell) {
				t.Errorf("output %d holds a cell (%q):\n%s", i, cell, o)
			}
		}
	}
	// The same header joined: skipped, the union sent.
	same := writeFile(t, "same.csv", first+strings.Join(night2, "")+"\n")
	if r := run("", "upload", "--config", cfg, same); r.code != 0 || !strings.Contains(r.stderr, "the header line repeated 1 time(s) below it, first on line 7") {
		t.Errorf("the same header joined: exit %d\n%s", r.code, r.stderr)
	}
}
