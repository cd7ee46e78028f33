package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigInitNeverReplacesHashgatesOwnFiles: `config init --out` went
// through the output guard (no link followed) but not through the check of
// hashgate's own files, so `--force` replaced the ledger — every visit
// would be sent again — or the channel report's key with a starting config
// (a security review's leftover). Refused, exit 2 naming --out, even with
// --force, and the file keeps its bytes.
func TestConfigInitNeverReplacesHashgatesOwnFiles(t *testing.T) {
	xdg := t.TempDir()
	state := filepath.Join(xdg, "hashgate")
	os.MkdirAll(filepath.Join(state, "reports"), 0o700)
	env := map[string]string{"XDG_STATE_HOME": xdg}
	for _, name := range []string{"ledger.db", "ledger.db-wal", "channels.key", "last-run.json", filepath.Join("reports", "r.json")} {
		t.Run(name, func(t *testing.T) {
			victim := filepath.Join(state, name)
			os.WriteFile(victim, []byte("precious"), 0o600)
			r := runCLI(t, env, "", "config", "init", "--out", victim, "--force")
			if r.code != ExitUsage || !strings.Contains(r.stderr, "--out") || !strings.Contains(r.stderr, "refusing to overwrite") {
				t.Errorf("exit %d, want %d naming --out\n%s", r.code, ExitUsage, r.stderr)
			}
			if got, _ := os.ReadFile(victim); string(got) != "precious" {
				t.Errorf("%s was replaced", victim)
			}
		})
	}
	// Another name, even in the state directory's top, is the user's.
	out := filepath.Join(state, "hashgate.yaml")
	if r := runCLI(t, env, "", "config", "init", "--out", out); r.code != ExitOK {
		t.Errorf("a config beside the ledger: exit %d\n%s", r.code, r.stderr)
	}
}

// TestConfigInitWithoutForceKeepsAFileThatAppears: without --force an
// existing --out is refused, but the check was a stat before a rename:
// a file made between the two (another config init, an editor saving)
// was replaced. The file is now linked into place only if nothing is
// there, and what appeared is kept.
func TestConfigInitWithoutForceKeepsAFileThatAppears(t *testing.T) {
	out := filepath.Join(t.TempDir(), "hashgate.yaml")
	old := beforeInitCommit
	t.Cleanup(func() { beforeInitCommit = old })
	beforeInitCommit = func() { os.WriteFile(out, []byte("someone else's config"), 0o600) }
	r := runCLI(t, nil, "", "config", "init", "--out", out)
	if r.code == ExitOK || !strings.Contains(r.stderr, out) || !strings.Contains(r.stderr, "--force") {
		t.Errorf("exit %d, want a refusal naming %s and --force\n%s", r.code, out, r.stderr)
	}
	if got, _ := os.ReadFile(out); string(got) != "someone else's config" {
		t.Errorf("the file that appeared was replaced:\n%s", got)
	}
	if ents, _ := os.ReadDir(filepath.Dir(out)); len(ents) != 1 {
		t.Errorf("left behind: %v", ents)
	}
	// With --force it is replaced, as asked.
	beforeInitCommit = func() {}
	if r := runCLI(t, nil, "", "config", "init", "--out", out, "--force"); r.code != ExitOK {
		t.Fatalf("--force: exit %d\n%s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(out); !strings.HasPrefix(string(got), "# hashgate configuration") {
		t.Errorf("--force did not replace it:\n%s", got)
	}
}
