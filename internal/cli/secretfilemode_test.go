package cli

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestASecretInAReadableConfigIsRefusedWhateverTheEnvironment: a 0644
// config holding secret: was refused for uploads only while
// HASHGATE_SECRET was unset — with it set, cfg.Secret was the
// environment's and the file's key passed (a security review). The file's
// own keys decide; a 0600 file, or a 0644 one without the key, passes.
func TestASecretInAReadableConfigIsRefusedWhateverTheEnvironment(t *testing.T) {
	_, url := metaFake(t, nil)
	env := uploadEnv(t) // HASHGATE_SECRET set
	cfg := metaConfig(t, url, "")
	body, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(body, []byte("secret: file-secret-8Kq2Lw9Xz4Rt6Yp1Vb3N\n")...), 0o644)
	os.Chmod(cfg, 0o644)
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, ""))
	if r.code != ExitUsage || !strings.Contains(r.stderr, cfg) || !strings.Contains(r.stderr, "readable by others") || strings.Contains(r.stderr, "file-secret") {
		t.Fatalf("0644 config holding secret:, HASHGATE_SECRET set: exit %d\n%s", r.code, r.stderr)
	}
	r = runWithHTTP(t, http.DefaultClient, env, "config", "validate", "--upload", "--config", cfg)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "readable by others") {
		t.Errorf("config validate --upload: exit %d\n%s", r.code, r.stderr)
	}
	os.Chmod(cfg, 0o600)
	if r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, "")); r.code != ExitOK {
		t.Fatalf("0600: exit %d\n%s", r.code, r.stderr)
	}
	os.WriteFile(cfg, body, 0o644)
	os.Chmod(cfg, 0o644)
	if r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, "")); r.code == ExitUsage && strings.Contains(r.stderr, "holds a secret") {
		t.Fatalf("0644 without secret: was refused:\n%s", r.stderr)
	}
}
