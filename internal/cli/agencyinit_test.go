package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// writtenLedgerPath is the ledger.path of the config config init wrote at out.
func writtenLedgerPath(t *testing.T, out string) string {
	t.Helper()
	var c struct {
		Ledger struct {
			Path *string `yaml:"path"`
		} `yaml:"ledger"`
	}
	if err := yaml.Unmarshal([]byte(mustRead(t, out)), &c); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if c.Ledger.Path == nil {
		t.Fatalf("%s sets no ledger.path", out)
	}
	return *c.Ledger.Path
}

// TestConfigInitGivesEachConfigItsOwnLedger (an agency's review: 15
// clinics' configs, one user, one crontab): config init wrote no
// ledger.path, so every config it made shared
// $XDG_STATE_HOME/hashgate/ledger.db, and their lock, withdrawals'
// fingerprint and order-id shape with it. A config written with --out
// names its own ledger, an absolute path under the state directory made
// from the config's own path: two configs never share one, even both
// called hashgate.yaml in two folders, and writing the same file again
// (--force) keeps the one it had.
func TestConfigInitGivesEachConfigItsOwnLedger(t *testing.T) {
	xdg, dir := t.TempDir(), t.TempDir()
	env := map[string]string{"XDG_STATE_HOME": xdg}
	outs := []string{
		filepath.Join(dir, "clinic-a.yaml"), filepath.Join(dir, "clinic-b.yaml"),
		filepath.Join(dir, "a", "hashgate.yaml"), filepath.Join(dir, "b", "hashgate.yaml"),
		filepath.Join(dir, "台北 分院.yaml"),
	}
	seen := map[string]string{}
	for _, out := range outs {
		if r := runCLI(t, env, "", "config", "init", "--out", out); r.code != ExitOK {
			t.Fatalf("%s: exit %d\n%s", out, r.code, r.stderr)
		}
		p := writtenLedgerPath(t, out)
		if !filepath.IsAbs(p) || !strings.HasPrefix(p, filepath.Join(xdg, "hashgate")+string(filepath.Separator)) || p == filepath.Join(xdg, "hashgate", "ledger.db") {
			t.Errorf("%s: ledger.path %q is not a ledger of its own under the state directory", out, p)
		}
		if other, ok := seen[p]; ok {
			t.Errorf("%s and %s share the ledger %s", other, out, p)
		}
		seen[p] = out
	}
	if _, err := os.Stat(filepath.Join(xdg, "hashgate", "ledger.db")); err == nil {
		t.Error("config init made a ledger")
	}
	again := outs[0]
	want := writtenLedgerPath(t, again)
	if r := runCLI(t, env, "", "config", "init", "--out", again, "--force"); r.code != ExitOK {
		t.Fatalf("--force: exit %d\n%s", r.code, r.stderr)
	}
	if got := writtenLedgerPath(t, again); got != want {
		t.Errorf("writing %s again moved its ledger from %s to %s", again, want, got)
	}
	// Relative, the same file: the same ledger.
	t.Chdir(dir)
	if r := runCLI(t, env, "", "config", "init", "--out", "clinic-a.yaml", "--force"); r.code != ExitOK {
		t.Fatalf("relative --out: exit %d\n%s", r.code, r.stderr)
	}
	if got := writtenLedgerPath(t, again); got != want {
		t.Errorf("a relative --out gave %s, want %s", got, want)
	}
}
