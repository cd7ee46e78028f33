package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
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
	// 0600, but two secrets: refused too (TestTwoSecretsAreRefusedForUploads).
	if r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, "")); r.code != ExitUsage || !strings.Contains(r.stderr, "sets its own secret") {
		t.Fatalf("0600, another HASHGATE_SECRET: exit %d\n%s", r.code, r.stderr)
	}
	env["HASHGATE_SECRET"] = "file-secret-8Kq2Lw9Xz4Rt6Yp1Vb3N"
	if r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, "")); r.code != ExitOK {
		t.Fatalf("0600: exit %d\n%s", r.code, r.stderr)
	}
	os.WriteFile(cfg, body, 0o644)
	os.Chmod(cfg, 0o644)
	if r = runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, "")); r.code == ExitUsage && strings.Contains(r.stderr, "holds a secret") {
		t.Fatalf("0644 without secret: was refused:\n%s", r.stderr)
	}
}

// TestAConfigOthersCanWriteIsRefusedForUploads: a group- or
// world-writable config chooses graph_url and the credential files, and
// was accepted for uploads (a security review). Uploads and `config
// validate --upload` refuse it, exit 2 naming the file, its mode and
// chmod go-w; a dry-run warns and runs.
func TestAConfigOthersCanWriteIsRefusedForUploads(t *testing.T) {
	_, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	for _, mode := range []os.FileMode{0o620, 0o602} {
		os.Chmod(cfg, mode)
		r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, ""))
		if r.code != ExitUsage || !strings.Contains(r.stderr, cfg) || !strings.Contains(r.stderr, "chmod go-w") || !strings.Contains(r.stderr, "0"+strconv.FormatUint(uint64(mode), 8)) {
			t.Errorf("upload, mode %04o: exit %d\n%s", mode, r.code, r.stderr)
		}
		r = runWithHTTP(t, http.DefaultClient, env, "config", "validate", "--upload", "--config", cfg)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "chmod go-w") {
			t.Errorf("config validate --upload, mode %04o: exit %d\n%s", mode, r.code, r.stderr)
		}
		r = runWithHTTP(t, http.DefaultClient, env, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "r.csv"), exportFile(t, 1, ""))
		if r.code != ExitOK || !strings.Contains(r.stderr, "chmod go-w") {
			t.Errorf("dry-run, mode %04o: exit %d, want 0 with a warning\n%s", mode, r.code, r.stderr)
		}
	}
	os.Chmod(cfg, 0o644)
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, "")); r.code != ExitOK {
		t.Fatalf("0644 without secret: exit %d\n%s", r.code, r.stderr)
	}
}
