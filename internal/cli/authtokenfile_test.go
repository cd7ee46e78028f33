//go:build linux

package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestAuthGoogleStoresTheTokenOnlyInARegularFile: the token file was
// written as a run output is, in place when its path is a FIFO or a link
// to a character device or to this process's stdout: a FIFO planted at
// $XDG_CONFIG_HOME/hashgate/google-token.json handed the refresh token to
// its reader, a link to /dev/null lost it while "token stored" was
// printed (a security review's leftover). Each is refused, exit 2 naming
// the token file, before the consent URL is printed and before any code
// is exchanged; nothing reaches the FIFO.
func TestAuthGoogleStoresTheTokenOnlyInARegularFile(t *testing.T) {
	const refresh = "1//zq-planted-refresh-token"
	exchanged := 0
	tokenSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		exchanged++
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"first","refresh_token":%q,"token_type":"Bearer","expires_in":3600}`, refresh)
	}))
	t.Cleanup(tokenSrv.Close)
	client := filepath.Join(t.TempDir(), "client.json")
	os.WriteFile(client, []byte(fmt.Sprintf(`{"installed":{"client_id":"cid.apps.googleusercontent.com","client_secret":"csecret",
		"auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":%q,"redirect_uris":["http://localhost"]}}`, tokenSrv.URL)), 0o600)
	for _, c := range []struct {
		name  string
		plant func(t *testing.T, path string) (read func() string)
	}{
		{"a FIFO with a reader", func(t *testing.T, path string) func() string {
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
			rd, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { rd.Close() })
			return func() string {
				b := make([]byte, 4096)
				n, _ := rd.Read(b)
				return string(b[:max(n, 0)])
			}
		}},
		{"a link to /dev/null", func(t *testing.T, path string) func() string {
			if err := os.Symlink("/dev/null", path); err != nil {
				t.Fatal(err)
			}
			return func() string { return "" }
		}},
		{"a link to a file", func(t *testing.T, path string) func() string {
			victim := filepath.Join(t.TempDir(), "victim")
			os.WriteFile(victim, []byte("victim"), 0o644)
			if err := os.Symlink(victim, path); err != nil {
				t.Fatal(err)
			}
			return func() string { b, _ := os.ReadFile(victim); return strings.TrimPrefix(string(b), "victim") }
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			exchanged = 0
			env := googleEnv(t)
			env["XDG_CONFIG_HOME"] = t.TempDir()
			dir := filepath.Join(env["XDG_CONFIG_HOME"], "hashgate")
			os.MkdirAll(dir, 0o700)
			path := filepath.Join(dir, "google-token.json")
			read := c.plant(t, path)
			r := runGoogle(t, env, "zq-auth-code\n", false, "auth", "google", "--client", client)
			if r.code != ExitUsage || !strings.Contains(r.stderr, path) || !strings.Contains(r.stderr, "token file") {
				t.Errorf("exit %d, want %d naming the token file %s\n%s", r.code, ExitUsage, path, r.stderr)
			}
			if exchanged != 0 || strings.Contains(r.stderr, "Open this address") {
				t.Errorf("the flow went on (%d exchanges):\n%s", exchanged, r.stderr)
			}
			if got := read(); strings.Contains(got, refresh) || got != "" {
				t.Errorf("the token reached what was planted (%d bytes)", len(got))
			}
			if strings.Contains(r.stdout+r.stderr, refresh) {
				t.Error("the refresh token was printed")
			}
		})
	}
}

// TestAuthGoogleRefusesATokenFolderOthersCanReplace: the token file was
// checked (CheckSecret) but not its folders, so a refresh token went into
// a folder others could write, where they can rename it away and plant
// their own (a review, 2026-12-07) — the rule the config already follows
// (outfile.UnsafeFolder). Refused before the consent URL is printed.
func TestAuthGoogleRefusesATokenFolderOthersCanReplace(t *testing.T) {
	client := filepath.Join(t.TempDir(), "client.json")
	os.WriteFile(client, []byte(`{"installed":{"client_id":"cid.apps.googleusercontent.com","client_secret":"csecret",
		"auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"https://oauth2.googleapis.com/token","redirect_uris":["http://localhost"]}}`), 0o600)
	env := googleEnv(t)
	env["XDG_CONFIG_HOME"] = filepath.Join(t.TempDir(), "shared")
	dir := filepath.Join(env["XDG_CONFIG_HOME"], "hashgate")
	os.MkdirAll(dir, 0o700)
	os.Chmod(env["XDG_CONFIG_HOME"], 0o777)
	r := runGoogle(t, env, "zq-auth-code\n", false, "auth", "google", "--client", client)
	if r.code != ExitUsage || !strings.Contains(r.stderr, env["XDG_CONFIG_HOME"]) || !strings.Contains(r.stderr, "token file") || !strings.Contains(r.stderr, "0777") {
		t.Errorf("exit %d, want %d naming the folder %s and its mode\n%s", r.code, ExitUsage, env["XDG_CONFIG_HOME"], r.stderr)
	}
	if strings.Contains(r.stderr, "Open this address") {
		t.Errorf("the flow went on:\n%s", r.stderr)
	}
}
