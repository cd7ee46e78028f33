package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputsNeverReplaceHashgatesOwnFiles: a review replaced the ledger
// (`upload --dry-run --out $XDG_STATE_HOME/hashgate/ledger.db`), the
// channel report's key (`--report …/channels.key`) and the config in use
// (`--out cfg.yaml`) with a run's output: only the export was protected.
// Each is refused, exit 2 naming the flag, and the file keeps its bytes.
func TestOutputsNeverReplaceHashgatesOwnFiles(t *testing.T) {
	xdg := t.TempDir()
	state := filepath.Join(xdg, "hashgate")
	os.MkdirAll(state, 0o700)
	ledger := filepath.Join(state, "ledger.db")
	key := filepath.Join(state, "channels.key")
	example, err := os.ReadFile("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "cfg.yaml")
	env := map[string]string{"HASHGATE_SECRET": "a-long-enough-test-secret-of-40-bytes-xx", "XDG_STATE_HOME": xdg}
	export := root + "/example/appointments.csv"
	for _, c := range []struct {
		name, flag, victim string
		args               []string
	}{
		{"ledger", "--out", ledger, []string{"upload", "--dry-run", "--config", cfg, "--out", ledger, export}},
		{"ledger-wal", "--out", ledger + "-wal", []string{"upload", "--dry-run", "--config", cfg, "--out", ledger + "-wal", export}},
		{"channels.key", "--report", key, []string{"upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "r.csv"), "--report", key, export}},
		{"config", "--out", cfg, []string{"upload", "--dry-run", "--config", cfg, "--out", cfg, export}},
		{"config via write", "--out", cfg, []string{"write", "--format", "meta-offline-csv", "--config", cfg, "--out", cfg, export}},
		{"key via channels", "--out", key, []string{"channels", "--config", cfg, "--csv", "--out", key, export}},
		{"a run report hashgate keeps", "--report", filepath.Join(state, "reports", "x.json"), []string{"upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "r.csv"), "--report", filepath.Join(state, "reports", "x.json"), export}},
	} {
		t.Run(c.name, func(t *testing.T) {
			os.WriteFile(ledger, []byte("precious ledger"), 0o600)
			os.WriteFile(ledger+"-wal", []byte("precious wal"), 0o600)
			os.WriteFile(key, []byte("precious key"), 0o600)
			os.WriteFile(cfg, example, 0o600)
			want, _ := os.ReadFile(c.victim)
			res := runCLI(t, env, "", c.args...)
			if res.code != ExitUsage || !strings.Contains(res.stderr, c.flag) || !strings.Contains(res.stderr, "refusing to overwrite") {
				t.Errorf("exit %d, want %d naming %s\n%s", res.code, ExitUsage, c.flag, res.stderr)
			}
			if got, _ := os.ReadFile(c.victim); string(got) != string(want) {
				t.Errorf("%s was replaced", c.victim)
			}
		})
	}
	// A name of the user's at the top of the state directory is theirs:
	// the container image's documented --report /var/lib/hashgate/last.json
	// writes there, the one volume it can write (README, Dockerfile).
	os.WriteFile(cfg, example, 0o600)
	res := runCLI(t, env, "", "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "r.csv"), "--report", filepath.Join(state, "last.json"), export)
	if res.code != ExitOK {
		t.Errorf("--report in the state directory under the user's own name: exit %d\n%s", res.code, res.stderr)
	}
}
