package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAConfigInAFolderOthersCanWriteIsRefusedForUploads: a 0600 config
// in a folder others could write passed for uploads (a security review's
// leftover): they can rename it away and put their own in its place —
// graph_url, the credential files. Every folder above it counts (renaming
// a parent replaces the subtree), as OpenSSH's safe_path walks to the
// root. Uploads and `config validate --upload` refuse it, exit 2 naming
// the folder, its mode and --config, never the file's contents; a
// dry-run, `write` and `channels` warn and run. A sticky folder (/tmp,
// 1777) protects the entries its users own: accepted.
func TestAConfigInAFolderOthersCanWriteIsRefusedForUploads(t *testing.T) {
	const canary = "zq-folder-canary-secret-5Tg7Hj2Kl9"
	_, url := metaFake(t, nil)
	env := uploadEnv(t)
	body, _ := os.ReadFile(metaConfig(t, url, ""))
	body = append(body, []byte("secret: "+canary+"\n")...)
	shared := filepath.Join(t.TempDir(), "shared")
	clinic := filepath.Join(shared, "clinic")
	os.MkdirAll(clinic, 0o700)
	os.Chmod(shared, 0o777)
	cfg := filepath.Join(clinic, "hashgate.yaml")
	os.WriteFile(cfg, body, 0o600)
	check := func(r result, want int, what string) {
		t.Helper()
		if r.code != want || !strings.Contains(r.stderr, shared) || !strings.Contains(r.stderr, "0777") {
			t.Errorf("%s: exit %d, want %d naming %s and its mode\n%s", what, r.code, want, shared, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, canary) {
			t.Errorf("%s: the config's contents were shown", what)
		}
	}
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, ""))
	check(r, ExitUsage, "upload")
	if !strings.Contains(r.stderr, "--config") || !strings.Contains(r.stderr, "chmod go-w "+shared) {
		t.Errorf("upload: the fix is not named\n%s", r.stderr)
	}
	check(runWithHTTP(t, http.DefaultClient, env, "config", "validate", "--upload", "--config", cfg), ExitUsage, "config validate --upload")
	check(runWithHTTP(t, http.DefaultClient, env, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "r.csv"), exportFile(t, 1, "")), ExitOK, "dry-run")
	check(runWithHTTP(t, http.DefaultClient, env, "write", "--format", "meta-offline-csv", "--config", cfg, "--out", filepath.Join(t.TempDir(), "w.csv"), exportFile(t, 1, "")), ExitOK, "write")

	// The sticky bit: others cannot rename what they do not own.
	os.Chmod(shared, 0o777|os.ModeSticky)
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, "")); r.code != ExitOK {
		t.Errorf("a sticky folder: exit %d\n%s", r.code, r.stderr)
	}
	// Through a link: the link's folder decides who can point it
	// elsewhere.
	os.Chmod(shared, 0o755)
	open := filepath.Join(t.TempDir(), "open")
	os.Mkdir(open, 0o700)
	os.Chmod(open, 0o757)
	link := filepath.Join(open, "hashgate.yaml")
	os.Symlink(cfg, link)
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", link, exportFile(t, 1, "")); r.code != ExitUsage || !strings.Contains(r.stderr, open) {
		t.Errorf("a link in an open folder: exit %d\n%s", r.code, r.stderr)
	}
}

// TestChannelsWarnsOfAConfigOthersCanReplace: channels sends nothing, so
// a config in a folder others can write is warned of, not refused — as
// the file's own mode is for a dry-run.
func TestChannelsWarnsOfAConfigOthersCanReplace(t *testing.T) {
	example, err := os.ReadFile("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(t.TempDir(), "shared")
	os.Mkdir(shared, 0o700)
	os.Chmod(shared, 0o707)
	cfg := filepath.Join(shared, "cfg.yaml")
	os.WriteFile(cfg, example, 0o600)
	env := map[string]string{"HASHGATE_SECRET": "a-long-enough-test-secret-of-40-bytes-xx"}
	r := runCLI(t, env, "", "channels", "--config", cfg, "--csv", "--out", filepath.Join(t.TempDir(), "c.csv"), root+"/example/appointments.csv")
	if r.code != ExitOK || !strings.Contains(r.stderr, shared) || !strings.Contains(r.stderr, "an upload refuses it") {
		t.Errorf("exit %d, want 0 with a warning naming %s\n%s", r.code, shared, r.stderr)
	}
}
