package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTraps runs every fixture under testdata/traps — one per format trap
// of docs/research/clinic-exports.md §b, made by testdata/traps/gen.go —
// through a dry-run and compares exit code, review CSV and summary (or the
// structural error) with the fixture's want.txt. No raw value listed in
// canaries.txt may appear anywhere in the output. Where the fixture has a
// UTF-8 twin of a Big5, GBK or UTF-16 export, both must give the same
// hashes: proof the decoding is right, not merely stable.
func TestTraps(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(root, "traps", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			cfg := filepath.Join(dir, "config.yaml")
			r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", cfg, filepath.Join(dir, "export.csv"))
			got := fmt.Sprintf("exit %d\n--- stdout (review CSV) ---\n%s--- stderr ---\n%s", r.code, r.stdout, r.stderr)
			// An error line names the config by its absolute path: the
			// checkout's, which want.txt cannot hold.
			got = strings.ReplaceAll(got, configNote(t, cfg), " [config TESTDATA"+strings.TrimPrefix(cfg, root)+"]")
			goldenFile(t, filepath.Join(dir, "want.txt"), got)
			if r.code != ExitOK && r.stdout != "" {
				t.Errorf("a run stopped by a structural error wrote output:\n%s", r.stdout)
			}
			canaries, err := os.ReadFile(filepath.Join(dir, "canaries.txt"))
			if err != nil {
				t.Fatal(err)
			}
			// Each canary as written and in its digit form (canaryForms):
			// a phone leaked as +886912345601 or 912345601 holds neither
			// 0912-345-601 nor any other spelling canaries.txt lists. As
			// written, case and all: "Doe" is no leak in "does".
			for _, c := range strings.Split(strings.TrimSpace(string(canaries)), "\n") {
				for _, f := range canaryForms(c) {
					if f != "" && strings.Contains(got, f) {
						t.Errorf("output contains the raw value %q (as %q)", c, f)
					}
				}
			}
			twin := filepath.Join(dir, "export.utf8.csv")
			if _, err := os.Stat(twin); err == nil {
				env := map[string]string{"HASHGATE_INPUT_ENCODING": "utf-8"}
				for k, v := range secretEnv {
					env[k] = v
				}
				tr := runCLI(t, env, "", "upload", "--dry-run", "--config", cfg, twin)
				if tr.code != ExitOK || tr.stdout != r.stdout || r.stdout == "" {
					t.Errorf("the UTF-8 twin gives other output (exit %d):\n%s\n--- encoded export gave ---\n%s", tr.code, tr.stdout+tr.stderr, r.stdout)
				}
			}
		})
	}
	if n < 26 {
		t.Fatalf("only %d trap fixtures: run go run testdata/traps/gen.go", n)
	}
}

// TestPatientRevocationFromStdin: from standard input, as from the file,
// a revocation on a patient's later row holds back their earlier visit:
// the export is read once either way, so standard input no longer skips
// the patient-wide revocation (it used to, with a warning: issue 29).
func TestPatientRevocationFromStdin(t *testing.T) {
	dir := filepath.Join(root, "traps", "26-patient-revoked-on-a-later-row")
	path := filepath.Join(dir, "export.csv")
	in, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "config.yaml")
	r := runCLI(t, secretEnv, string(in), "upload", "--dry-run", "--config", cfg, "-")
	f := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", cfg, path)
	if r.code != ExitOK || strings.Contains(r.stderr, "standard input") || !strings.Contains(r.stderr, "consent_revoked_patient") {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if r.stdout != f.stdout || r.stdout == "" {
		t.Errorf("stdin and the file send differently:\n%s\n--- from the file ---\n%s", r.stdout, f.stdout)
	}
}
