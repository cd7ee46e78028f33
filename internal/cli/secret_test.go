package cli

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
)

func TestSecretPrintsAStrongFreshKey(t *testing.T) {
	a, b := runCLI(t, nil, "", "secret"), runCLI(t, nil, "", "secret")
	if a.code != ExitOK || b.code != ExitOK {
		t.Fatalf("exit %d, %d: %s", a.code, b.code, a.stderr)
	}
	ka, kb := strings.TrimSpace(a.stdout), strings.TrimSpace(b.stdout)
	if ka == kb || strings.Count(a.stdout, "\n") != 1 {
		t.Fatalf("stdout %q, %q", a.stdout, b.stdout)
	}
	if err := eventid.CheckKey(ka); err != nil {
		t.Errorf("the generated secret is refused: %v", err)
	}
	if !strings.Contains(a.stderr, "HASHGATE_SECRET") || strings.Contains(a.stderr, ka) {
		t.Errorf("stderr: %q", a.stderr)
	}
	if q := runCLI(t, nil, "", "--quiet", "secret"); q.stderr != "" {
		t.Errorf("--quiet printed %q", q.stderr)
	}
}

// TestWeakSecretsAreRefusedForUploadsAndFiles: the demo key, a short key
// and a low-entropy one are refused, naming HASHGATE_SECRET and never the
// key, before anything is sent or written. A dry-run still runs.
func TestWeakSecretsAreRefusedForUploadsAndFiles(t *testing.T) {
	g, url := metaFake(t, nil)
	cfg := metaConfig(t, url, "")
	export := exportFile(t, 3, "")
	// abcd…: 26 distinct letters, ~14 bits: variety is not entropy (issue 22).
	for _, key := range []string{"x", eventid.DemoKey, "zqzqzqzqzqzqzqzqzqzqzqzqzqzqzqzqzqzqzqzq", "golden-test-secret", "abcdefghijklmnopqrstuvwxyzabcdefgh"} {
		env := uploadEnv(t)
		env["HASHGATE_SECRET"] = key
		for _, args := range [][]string{
			{"upload", "--config", cfg, export},
			{"write", "--format", "meta-offline-csv", "--config", cfg, export},
		} {
			r := runWithHTTP(t, http.DefaultClient, env, args...)
			if r.code != ExitUsage || !strings.Contains(r.stderr, "HASHGATE_SECRET") || len(key) > 3 && strings.Contains(r.stderr, key) || r.stdout != "" {
				t.Errorf("%s with key %q: exit %d\n%s", args[0], key, r.code, r.stderr)
			}
		}
		if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--dry-run", "--config", cfg, export); r.code != ExitOK {
			t.Errorf("dry-run with key %q: exit %d\n%s", key, r.code, r.stderr)
		}
	}
	if g.Requests() != 0 {
		t.Errorf("%d requests reached Meta", g.Requests())
	}
}

// TestSecretInAReadableConfigFile: a config file others can read that
// holds the secret is refused for uploads, like key files — with
// HASHGATE_SECRET set too, since the file still holds the key (a
// security review); with mode 0600 it is not.
func TestSecretInAReadableConfigFile(t *testing.T) {
	_, url := metaFake(t, nil)
	cfg := metaConfig(t, url, "")
	body := mustRead(t, cfg) + "secret: " + goldenSecret + "\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(cfg, 0o644)
	env := uploadEnv(t)
	delete(env, "HASHGATE_SECRET")
	export := exportFile(t, 2, "")
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "secret: the config file") || !strings.Contains(r.stderr, "chmod 600") || strings.Contains(r.stderr, goldenSecret) {
		t.Fatalf("readable config with the secret: exit %d\n%s", r.code, r.stderr)
	}
	if r := runWithHTTP(t, http.DefaultClient, env, "write", "--format", "meta-offline-csv", "--config", cfg, export); r.code != ExitUsage {
		t.Errorf("write: exit %d\n%s", r.code, r.stderr)
	}
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--dry-run", "--config", cfg, export); r.code != ExitOK {
		t.Errorf("dry-run: exit %d\n%s", r.code, r.stderr)
	}
	// The same secret from the environment: another one would be stopped
	// by the ledger's fingerprint of the first (run/eventkey.go).
	env["HASHGATE_SECRET"] = goldenSecret
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export); r.code != ExitUsage || !strings.Contains(r.stderr, "chmod 600") || strings.Contains(r.stderr, goldenSecret) {
		t.Errorf("with HASHGATE_SECRET set: exit %d, want the file still refused\n%s", r.code, r.stderr)
	}
	delete(env, "HASHGATE_SECRET")
	os.Chmod(cfg, 0o600)
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Errorf("mode 0600: exit %d\n%s", r.code, r.stderr)
	}
}

// TestDemoKeyInTheReportIsTruthful: HASHGATE_SECRET set to the demo key is
// the demo key: the report says so.
func TestDemoKeyInTheReportIsTruthful(t *testing.T) {
	rep := filepath.Join(t.TempDir(), "report.json")
	env := map[string]string{"HASHGATE_SECRET": eventid.DemoKey}
	r := runCLI(t, env, "", "upload", "--dry-run", "--report", rep, "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var s struct {
		DemoKey bool   `json:"demo_key"`
		WeakKey string `json:"weak_key"`
	}
	b, _ := os.ReadFile(rep)
	if err := json.Unmarshal(b, &s); err != nil || !s.DemoKey {
		t.Errorf("report: %s (%v)", b, err)
	}
	r = runCLI(t, map[string]string{"HASHGATE_SECRET": "short"}, "", "upload", "--dry-run", "--report", rep, "--config", "../../configs/example.yaml", root+"/example/appointments.csv")
	b, _ = os.ReadFile(rep)
	if err := json.Unmarshal(b, &s); err != nil || s.DemoKey || !strings.Contains(s.WeakKey, "shorter than 32 bytes") {
		t.Errorf("report with a short key: %s (%v)", b, err)
	}
}
