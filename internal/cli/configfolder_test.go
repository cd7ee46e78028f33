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
	env["HASHGATE_SECRET"] = canary // the same: two secrets are refused (TestTwoSecretsAreRefusedForUploads)
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

// TestAConfigAnotherUserOwnsIsRefusedForUploads: root's cron reading
// --config from a 0755 folder the clinic's login owns passed, though that
// login can rename the file away and put another (its own graph_url,
// credential paths) in its place; a config
// file another user owns, which they may rewrite, passed too. OpenSSH's
// safe_path refuses both; so do uploads now, naming the folder or file,
// its owner's id and the fix (chown), never the contents.
func TestAConfigAnotherUserOwnsIsRefusedForUploads(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file to another user")
	}
	const canary = "zq-owner-canary-secret-8Hw3Pq6Nm1"
	_, url := metaFake(t, nil)
	env := uploadEnv(t)
	env["HASHGATE_SECRET"] = canary // the same: two secrets are refused (TestTwoSecretsAreRefusedForUploads)
	body, _ := os.ReadFile(metaConfig(t, url, ""))
	body = append(body, []byte("secret: "+canary+"\n")...)
	clinic := filepath.Join(t.TempDir(), "clinic")
	os.Mkdir(clinic, 0o755)
	cfg := filepath.Join(clinic, "hashgate.yaml")
	os.WriteFile(cfg, body, 0o600)
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, "")); r.code != ExitOK {
		t.Fatalf("root's own folder: exit %d\n%s", r.code, r.stderr)
	}
	for _, c := range []struct{ what, chowned string }{
		{"the folder", clinic},
		{"the file", cfg},
	} {
		os.Lchown(clinic, 0, 0)
		os.Lchown(cfg, 0, 0)
		os.Lchown(c.chowned, 12345, 12345)
		r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 1, ""))
		if r.code != ExitUsage || !strings.Contains(r.stderr, c.chowned) || !strings.Contains(r.stderr, "12345") || !strings.Contains(r.stderr, "chown") {
			t.Errorf("%s owned by uid 12345: exit %d, want %d naming it, its owner and chown\n%s", c.what, r.code, ExitUsage, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, canary) {
			t.Errorf("%s: the config's contents were shown", c.what)
		}
	}
}
