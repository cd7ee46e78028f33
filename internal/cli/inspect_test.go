package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInspectPrintsNoCellValue: inspect and config init over the canary
// export and every trap fixture print no personal value, in text or JSON.
func TestInspectPrintsNoCellValue(t *testing.T) {
	type target struct {
		export string
		values []string
	}
	targets := []target{{root + "/canary/export.csv", canaries(t)}}
	dirs, _ := filepath.Glob(filepath.Join(root, "traps", "*", "export.csv"))
	for _, e := range dirs {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(e), "canaries.txt"))
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, target{e, strings.Fields(strings.ReplaceAll(string(b), " ", "\u00a0"))})
	}
	for _, tg := range targets {
		for _, args := range [][]string{{"inspect", tg.export}, {"inspect", "--json", tg.export}, {"config", "init", "--from", tg.export}} {
			r := runCLI(t, nil, "", args...)
			out := strings.ToLower(r.stdout + r.stderr)
			for _, v := range tg.values {
				v = strings.ToLower(strings.ReplaceAll(v, "\u00a0", " "))
				if v != "" && strings.Contains(out, v) {
					t.Errorf("%v printed the cell value %q", args, v)
				}
			}
		}
	}
}

// TestInspectGolden shows the analyst's view of a Big5 Taiwanese report.
func TestInspectGolden(t *testing.T) {
	r := runCLI(t, nil, "", "inspect", root+"/traps/02-big5-auto-tw-his/export.csv")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "inspect-tw-his.txt", r.stdout)
}

// TestConfigInitFromExportRuns: the config written from an export loads
// and runs a dry-run that sends the rows a hand-written config would.
func TestConfigInitFromExportRuns(t *testing.T) {
	for _, c := range []struct {
		export string
		used   string
	}{
		{root + "/traps/02-big5-auto-tw-his/export.csv", "1 used"},
		{root + "/traps/19-cn-mobiles-cn-clinic/export.csv", "3 used"},
		{root + "/example/appointments.csv", "used"},
	} {
		out := filepath.Join(t.TempDir(), "hashgate.yaml")
		r := runCLI(t, nil, "", "config", "init", "--from", c.export, "--out", out)
		if r.code != ExitOK {
			t.Fatalf("config init: exit %d: %s", r.code, r.stderr)
		}
		if again := runCLI(t, nil, "", "config", "init", "--out", out); again.code != ExitUsage {
			t.Errorf("config init overwrote %s without --force (exit %d)", out, again.code)
		}
		d := runCLI(t, nil, "", "upload", "--dry-run", "--config", out, c.export)
		if d.code != ExitOK || !strings.Contains(d.stderr, c.used) {
			t.Errorf("%s: dry-run with the generated config: exit %d\n%s", c.export, d.code, d.stderr)
		}
	}
	// Without --from the template still needs the analyst: it must not
	// pass validation silently (no consent column, no order id).
	blank := filepath.Join(t.TempDir(), "hashgate.yaml")
	if r := runCLI(t, nil, "", "config", "init", "--out", blank); r.code != ExitOK {
		t.Fatal(r.stderr)
	}
	if d := runCLI(t, nil, "", "upload", "--dry-run", "--config", blank, root+"/example/appointments.csv"); d.code != ExitUsage ||
		!strings.Contains(d.stderr, "input.columns.consent") {
		t.Errorf("blank template: exit %d\n%s", d.code, d.stderr)
	}
}
