package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutDashIsStandardOutput: `--out -` writes to standard output, as "-"
// reads standard input for every export; it wrote a file named "-" in the
// working directory and nothing on the terminal (a review of the CLI
// against its docs, which found such a file left in a checkout). --report
// and --html, which add a file beside stdout, refuse "-" (exit 2) naming
// what prints on stdout instead.
func TestOutDashIsStandardOutput(t *testing.T) {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	cfg, export := abs("../../configs/example.yaml"), abs(root+"/example/appointments.csv")
	chCfg, chExport := abs(chPath("en.yaml")), abs(chPath("export-en.csv"))
	dir := t.TempDir()
	t.Chdir(dir)
	for _, c := range []struct {
		name string
		args []string
		want string // on stdout
	}{
		{"upload --dry-run", []string{"upload", "--dry-run", "--config", cfg, "--out", "-", export}, "destination,event_id"},
		{"write", []string{"write", "--format", "meta-offline-csv", "--config", cfg, "-o", "-", export}, "event_name"},
		{"config init", []string{"config", "init", "--from", export, "--out", "-"}, "input:"},
		{"channels", []string{"channels", "--config", chCfg, "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf, "--csv", "--out", "-", chExport}, "channel"},
	} {
		r := runCLI(t, map[string]string{"HASHGATE_SECRET": goldenSecret}, "", c.args...)
		if r.code != 0 || !strings.Contains(r.stdout, c.want) {
			t.Errorf("%s --out -: exit %d, stdout %.80q\n%s", c.name, r.code, r.stdout, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "-")); err == nil {
			t.Fatalf("%s --out - wrote a file named \"-\"", c.name)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"upload", "--dry-run", "--config", cfg, "--report", "-", export}, "--json"},
		// --out - is still --out: an upload writes no file, and with
		// --json stdout is taken (a review of this change).
		{[]string{"upload", "--config", cfg, "--out", "-", export}, "--out goes with --dry-run"},
		{[]string{"upload", "--dry-run", "--json", "--config", cfg, "--out", "-", export}, "needs --out FILE"},
		{[]string{"channels", "--config", chCfg, "--from", "2026-11-01", "--to", "2026-11-30", "--html", "-", chExport}, "--csv"},
	} {
		r := runCLI(t, secretEnv, "", c.args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d\n%s", c.args, r.code, r.stderr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left in the working directory: %v", entries)
	}
}
