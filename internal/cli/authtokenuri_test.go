package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuthGoogleRefusesAPlainTokenURI: `hashgate auth google` sent the
// code, the PKCE verifier and the client secret to whatever token_uri the
// client file named (a security review); the uploads' refresh refused the
// same address. It is refused, exit 2 naming the file, before the consent
// URL is printed and before any HTTP client is asked for (runCLI fails the
// test if one is).
func TestAuthGoogleRefusesAPlainTokenURI(t *testing.T) {
	for _, uri := range []string{"http://attacker.invalid/token", "ftp://oauth2.googleapis.com/token"} {
		client := filepath.Join(t.TempDir(), "client.json")
		os.WriteFile(client, []byte(`{"installed":{"client_id":"cid.apps.googleusercontent.com","client_secret":"zq-client-secret",
			"auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"`+uri+`","redirect_uris":["http://localhost"]}}`), 0o600)
		res := runCLI(t, nil, "zq-auth-code\n", "auth", "google", "--client", client)
		if res.code != ExitUsage || !strings.Contains(res.stderr, client) || !strings.Contains(res.stderr, "token_uri") {
			t.Errorf("%s: exit %d, want %d naming the file and token_uri\n%s", uri, res.code, ExitUsage, res.stderr)
		}
		if strings.Contains(res.stderr, "Open this address") || strings.Contains(res.stderr, "zq-client-secret") {
			t.Errorf("%s: the consent URL was printed or the secret shown:\n%s", uri, res.stderr)
		}
	}
}
