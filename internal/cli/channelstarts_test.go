package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartsAreKeptPerConfig: channels' record of the day each year's
// running totals started is kept per config file. A rolling export saved
// under a new name each night (export-2026-12-06.csv, then -07 without
// its first day) is one export whose start moved, and is warned of — keyed
// by the export's path it never was (the closing review); a chain's
// branches, each with its own config, reported in turn warn of nothing.
func TestStartsAreKeptPerConfig(t *testing.T) {
	raw, err := os.ReadFile(chPath("export-en.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Tomorrow's download: the fixture without its first week (the first
	// appointment it counts is on 2026-08-01).
	lines := strings.SplitAfter(string(raw), "\n")
	rolled := lines[0]
	for _, l := range lines[1:] {
		if f := strings.Split(l, ","); len(f) > 1 && f[1][:10] >= "2026-08-08" {
			rolled += l
		}
	}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	day1, day2 := write("export-2026-12-06.csv", string(raw)), write("export-2026-12-07.csv", rolled)
	cfgText, err := os.ReadFile(chPath("en.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	branchA, branchB := write("branch-a.yaml", string(cfgText)), write("branch-b.yaml", string(cfgText))
	env := map[string]string{"XDG_STATE_HOME": t.TempDir()}
	moved := func(cfg, export string) bool {
		t.Helper()
		r := runCLI(t, env, "", "channels", "--config", cfg, "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf, export)
		if r.code != 0 {
			t.Fatalf("channels --config %s %s: exit %d\n%s", filepath.Base(cfg), filepath.Base(export), r.code, r.stderr)
		}
		return strings.Contains(r.stderr, "running totals")
	}
	if moved(branchA, day1) {
		t.Fatal("the first report warned")
	}
	if !moved(branchA, day2) {
		t.Error("tomorrow's export, saved under its own name without its first day, was not warned of")
	}
	// Branches reported in turn: A's full export, B's without its first
	// day, each under its own config, again and again.
	for i := range 2 {
		if moved(branchA, day1) && i > 0 || moved(branchB, day2) && i > 0 {
			t.Errorf("round %d: a branch's report warned of the other's start", i)
		}
	}
}
