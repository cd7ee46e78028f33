package clients

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/hashgate/hashgate/internal/destination"
)

// TestCredentialsLoadedAreHeld: every credential value the process
// loads — a token from the environment or a file, the access and refresh
// tokens a token source issues, the secrets of a Google credentials file —
// is scrubbed from any platform text afterwards.
func TestCredentialsLoadedAreHeld(t *testing.T) {
	const envToken = "EAAHeldFromTheEnvironment0123456789"
	getenv := func(k string) string {
		if k == MetaTokenEnv {
			return envToken
		}
		return ""
	}
	if _, err := Secret(getenv, MetaTokenEnv, "", "k"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "secret")
	const fileSecret = "app-secret-held-from-a-file-0123"
	if err := os.WriteFile(file, []byte(fileSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Secret(getenv, "", file, "k"); err != nil {
		t.Fatal(err)
	}
	const access, refresh = "ya29.HeldAccessTokenIssuedByTheSource", "1//HeldRefreshTokenIssuedByTheSource"
	if _, err := holding(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access, RefreshToken: refresh})).Token(); err != nil {
		t.Fatal(err)
	}
	const clientSecret, storedRefresh = "GOCSPX-held-client-secret-of-json", "1//0gHeldStoredRefreshTokenInJSON"
	holdJSONSecrets([]byte(`{"client_secret":"` + clientSecret + `","refresh_token":"` + storedRefresh + `","type":"authorized_user"}`))
	for _, v := range []string{envToken, fileSecret, access, refresh, clientSecret, storedRefresh} {
		if got := destination.Scrub("the endpoint echoed " + v + " back"); strings.Contains(got, v) {
			t.Errorf("%s survived Scrub: %q", v, got)
		}
	}
}
