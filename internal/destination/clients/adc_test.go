package clients

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/platform"
)

// keyJSON is a service-account key file that parses, with token_uri.
func keyJSON(t *testing.T, tokenURI string) []byte {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	b, _ := json.Marshal(map[string]string{"type": "service_account", "client_email": "hg@example.iam.gserviceaccount.com",
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), "private_key_id": "zqkeyid",
		"token_uri": tokenURI})
	return b
}

func writeFile(t *testing.T, b []byte, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "key.json")
	if err := os.WriteFile(p, b, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // whatever the umask
		t.Fatal(err)
	}
	return p
}

// TestDefaultCredentialsFollowTheKeyFileRules: a key given through
// GOOGLE_APPLICATION_CREDENTIALS is held to credentials_file's rules — not
// readable by others, a token_uri over https (or http to loopback) — and
// so are a key file's and a stored token's token_uri (security review,
// 2026-12-07: a 0644 key by the variable was "valid").
func TestDefaultCredentialsFollowTheKeyFileRules(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, cfg *config.Config, env map[string]string, tokenFile string) error {
		t.Helper()
		return Check(ctx, cfg, platform.Google, Deps{Getenv: func(k string) string { return env[k] }, GoogleTokenFile: tokenFile})
	}
	good := keyJSON(t, "https://oauth2.googleapis.com/token")
	cases := []struct {
		name    string
		adc     string // GOOGLE_APPLICATION_CREDENTIALS
		keyFile string // credentials_file
		stored  string // google-token.json
		want    string // "" accepted
	}{
		{name: "adc 0600", adc: writeFile(t, good, 0o600)},
		{name: "adc 0644", adc: writeFile(t, good, 0o644), want: "readable by others"},
		{name: "adc plain http token_uri", adc: writeFile(t, keyJSON(t, "http://tokens.example.net/token"), 0o600), want: "token_uri plain http"},
		{name: "key plain http token_uri", keyFile: writeFile(t, keyJSON(t, "http://tokens.example.net/token"), 0o600), want: "token_uri plain http"},
		{name: "key loopback token_uri", keyFile: writeFile(t, keyJSON(t, "http://127.0.0.1:1/token"), 0o600)},
		{name: "stored plain http token_uri", stored: writeFile(t, []byte(`{"client_id":"c","client_secret":"GOCSPX-zq-client-secret","token_uri":"http://tokens.example.net/token","refresh_token":"1//zq-refresh-token-value"}`), 0o600), want: "token_uri plain http"},
		{name: "stored https token_uri", stored: writeFile(t, []byte(`{"client_id":"c","client_secret":"GOCSPX-zq-client-secret","token_uri":"https://oauth2.googleapis.com/token","refresh_token":"1//zq-refresh-token-value"}`), 0o600)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// FindDefaultCredentials reads the process's environment.
			t.Setenv(ADCEnv, c.adc)
			env := map[string]string{ADCEnv: c.adc, "HOME": t.TempDir()}
			var cfg config.Config
			cfg.Destinations.Google.CredentialsFile = c.keyFile
			err := check(t, &cfg, env, c.stored)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, want an error saying %q", err, c.want)
			}
		})
	}
}
