package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTwoSecretsAreRefusedForUploads (an agency's review: 15 clinics'
// configs in one crontab): a crontab-wide HASHGATE_SECRET silently
// overrode a clinic config's own secret:, and that clinic's event ids were
// made under the crontab's key — while Meta's token file wins over the
// environment. Two different secrets are refused for an upload, `config
// validate --upload` and `write` (exit 2, key secret, neither value
// printed); a dry-run warns and runs; the same value twice passes.
func TestTwoSecretsAreRefusedForUploads(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	const own = "clinic-own-secret-Zt5Rw8Qp2Mn6Kx9Lv3"
	cfg := metaConfig(t, url, "")
	if err := os.WriteFile(cfg, []byte(mustRead(t, cfg)+"secret: "+own+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	export := exportFile(t, 3, "")
	secrets := []string{own, env["HASHGATE_SECRET"]}
	for name, args := range map[string][]string{
		"upload":                   {"upload", "--config", cfg, export},
		"config validate --upload": {"config", "validate", "--upload", "--config", cfg},
		"write":                    {"write", "--config", cfg, "--format", "meta-offline-csv", "--out", filepath.Join(t.TempDir(), "meta.csv"), export},
	} {
		r := runWithHTTP(t, http.DefaultClient, env, args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "secret: the config file "+cfg+" sets its own secret: and HASHGATE_SECRET is set to another") {
			t.Errorf("%s: exit %d\n%s", name, r.code, r.stderr)
		}
		for _, s := range secrets {
			if strings.Contains(r.stdout+r.stderr, s) || strings.Contains(r.stdout+r.stderr, s[:8]) {
				t.Errorf("%s prints a secret or its prefix", name)
			}
		}
	}
	if g.Requests() != 0 {
		t.Fatalf("%d requests sent under two secrets", g.Requests())
	}
	dry := runWithHTTP(t, http.DefaultClient, env, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), export)
	if dry.code != ExitOK || !strings.Contains(dry.stderr, "an upload refuses the two (exit 2)") {
		t.Errorf("dry-run: exit %d\n%s", dry.code, dry.stderr)
	}
	env["HASHGATE_SECRET"] = own
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export); r.code != ExitOK || strings.Contains(r.stderr, "sets its own secret") {
		t.Fatalf("the same secret twice: exit %d\n%s", r.code, r.stderr)
	}
	delete(env, "HASHGATE_SECRET")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("the config's secret alone: exit %d\n%s", r.code, r.stderr)
	}
}
