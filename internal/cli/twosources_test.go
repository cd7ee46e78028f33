package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestACrontabWideSourceDoesNotOverrideTheConfigsOwn (an agency's review,
// session 24): every HASHGATE_<KEY> overrides its key, so a crontab-wide
// HASHGATE_DESTINATIONS_META_ACCESS_TOKEN_FILE silently replaced the
// access_token_file a clinic's config names — its upload went under the
// crontab's token — as HASHGATE_LEDGER_PATH replaced its own ledger and
// HASHGATE_DESTINATIONS_GOOGLE_CREDENTIALS_FILE its own Google key. As
// with two secrets, the two are refused for an upload, config validate
// --upload and write (exit 2, the key named, no token printed); a dry-run
// warns; the same file named both ways passes. (A config naming its own
// token file never reads HASHGATE_META_ACCESS_TOKEN: the file wins.)
func TestACrontabWideSourceDoesNotOverrideTheConfigsOwn(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	dir := t.TempDir()
	own, crontab := filepath.Join(dir, "clinic-b.token"), filepath.Join(dir, "agency.token")
	const crontabToken = "EAAcrontabWideTokenXq7Lm2Vp9Rt4"
	os.WriteFile(own, []byte(metaToken), 0o600)
	os.WriteFile(crontab, []byte(crontabToken), 0o600)
	cfg := metaConfig(t, url, "    access_token_file: "+own+"\n")
	env["HASHGATE_DESTINATIONS_META_ACCESS_TOKEN_FILE"] = crontab
	export := exportFile(t, 3, "")
	for name, args := range map[string][]string{
		"upload":                   {"upload", "--config", cfg, export},
		"config validate --upload": {"config", "validate", "--upload", "--config", cfg},
		"write":                    {"write", "--config", cfg, "--format", "meta-offline-csv", "--out", filepath.Join(t.TempDir(), "meta.csv"), export},
	} {
		r := runWithHTTP(t, http.DefaultClient, env, args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "destinations.meta.access_token_file: the config file "+cfg+" names its own and HASHGATE_DESTINATIONS_META_ACCESS_TOKEN_FILE names another") {
			t.Errorf("%s: exit %d\n%s", name, r.code, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, crontabToken) || strings.Contains(r.stdout+r.stderr, metaToken) {
			t.Errorf("%s prints a token", name)
		}
	}
	if g.Requests() != 0 {
		t.Fatalf("%d requests sent under the crontab's token file", g.Requests())
	}
	dry := runWithHTTP(t, http.DefaultClient, env, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), export)
	if dry.code != ExitOK || !strings.Contains(dry.stderr, "an upload refuses the two (exit 2)") || !strings.Contains(dry.stderr, "HASHGATE_DESTINATIONS_META_ACCESS_TOKEN_FILE") {
		t.Errorf("dry-run: exit %d\n%s", dry.code, dry.stderr)
	}
	// The ledger the same way.
	env["HASHGATE_DESTINATIONS_META_ACCESS_TOKEN_FILE"] = own
	editConfig(t, cfg, "    access_token_file: "+own+"\n", "    access_token_file: "+own+"\nledger:\n  path: "+filepath.Join(dir, "clinic-b.db")+"\n")
	env["HASHGATE_LEDGER_PATH"] = filepath.Join(dir, "shared.db")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export); r.code != ExitUsage || !strings.Contains(r.stderr, "ledger.path: the config file") {
		t.Errorf("a crontab-wide ledger: exit %d\n%s", r.code, r.stderr)
	}
	// The same values both ways pass.
	env["HASHGATE_LEDGER_PATH"] = filepath.Join(dir, "clinic-b.db")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export); r.code != ExitOK || g.Requests() == 0 {
		t.Fatalf("the same file named twice: exit %d\n%s", r.code, r.stderr)
	}
}
