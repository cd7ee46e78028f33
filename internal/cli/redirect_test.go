package cli

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"golang.org/x/oauth2"
)

// redirector answers every request with status code, pointing at the same
// path on target: a hostile or mistaken endpoint. It counts what it got.
func redirector(t *testing.T, code int, target string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Redirect(w, r, strings.TrimSuffix(target, "/")+r.URL.RequestURI(), code)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// counting is a server that records whether anything reached it.
func counting(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"events_received":3,"fbtrace_id":"AbC123","access_token":"x","token_type":"Bearer","expires_in":3600}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func hostOf(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// TestRedirectsAreNeverFollowed: a platform endpoint answering 301, 302,
// 307 or 308 gets no second request anywhere — the hashed identifiers, the
// Meta token in the body and Google's bearer header stay home — the run
// stops that destination with an error naming the redirecting host, and
// nothing is recorded as ingested.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	for _, code := range []int{301, 302, 307, 308} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			dm, gURL := googleFake(t, nil)
			g, mURL := metaFake(t, nil)
			gRedir, gHits := redirector(t, code, gURL)
			mRedir, mHits := redirector(t, code, mURL)
			env := googleEnv(t)
			r := runGoogle(t, env, "", true, "upload", "--config", bothConfig(t, gRedir.URL+"/", mRedir.URL, ""), exportFile(t, 3, ""))
			if r.code == ExitOK {
				t.Fatalf("a redirected upload exited 0:\n%s", r.stderr)
			}
			if gHits.Load() == 0 || mHits.Load() == 0 {
				t.Fatalf("the redirectors were not asked (google %d, meta %d)", gHits.Load(), mHits.Load())
			}
			if n := len(dm.Bodies()); n != 0 {
				t.Errorf("Google's fake got %d requests through a redirect", n)
			}
			if n := len(g.Bodies()); n != 0 {
				t.Errorf("Meta's fake got %d requests through a redirect", n)
			}
			for _, host := range []string{hostOf(t, gRedir.URL), hostOf(t, mRedir.URL)} {
				if !strings.Contains(r.stderr, host+" answered HTTP "+fmt.Sprint(code)+", a redirect to") {
					t.Errorf("stderr does not name the redirecting host %s:\n%s", host, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "3 of 3 conversions ingested") || !strings.Contains(r.stderr, "0 of 3 conversions ingested") {
				t.Errorf("a redirect was counted as an ingestion:\n%s", r.stderr)
			}
			// A rerun against the real endpoints sends all three: nothing
			// was recorded as ingested by the redirected run.
			again := runGoogle(t, env, "", true, "upload", "--config", bothConfig(t, gURL, mURL, ""), exportFile(t, 3, ""))
			if again.code != ExitOK || len(dm.Accepted()) != 3 || len(g.Accepted()) != 3 {
				t.Fatalf("rerun: exit %d, google %d, meta %d\n%s", again.code, len(dm.Accepted()), len(g.Accepted()), again.stderr)
			}
		})
	}
}

// TestTokenRequestsFollowNoRedirect: Google's token endpoint answering
// with a redirect — at the code exchange of `hashgate auth google` and at
// the refresh before an upload — sends the code, the client secret and the
// refresh token nowhere else, and the error names the host.
func TestTokenRequestsFollowNoRedirect(t *testing.T) {
	elsewhere, hits := counting(t)
	tokenSrv, tokenHits := redirector(t, 307, elsewhere.URL)
	client := filepath.Join(t.TempDir(), "client.json")
	os.WriteFile(client, []byte(fmt.Sprintf(`{"installed":{"client_id":"cid.apps.googleusercontent.com","client_secret":"zq-client-secret",
		"auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":%q,"redirect_uris":["http://localhost"]}}`, tokenSrv.URL)), 0o600)
	env := googleEnv(t)
	r := runGoogle(t, env, "zq-auth-code\n", false, "auth", "google", "--client", client)
	// (x/oauth2 asks twice: its auth-style probe tries the header, then the form.)
	if r.code == ExitOK || tokenHits.Load() == 0 || hits.Load() != 0 {
		t.Fatalf("auth through a redirecting token endpoint: exit %d, token endpoint %d, elsewhere %d\n%s", r.code, tokenHits.Load(), hits.Load(), r.stderr)
	}
	if !strings.Contains(r.stderr, hostOf(t, tokenSrv.URL)+" answered HTTP 307") {
		t.Errorf("the error does not name the token host:\n%s", r.stderr)
	}

	// A stored token whose token endpoint redirects: the refresh stops the
	// Google destination, and the refresh token goes nowhere.
	dir := filepath.Join(env["XDG_CONFIG_HOME"], "hashgate")
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "google-token.json"), []byte(fmt.Sprintf(
		`{"client_id":"cid","client_secret":"zq-client-secret","token_uri":%q,"refresh_token":"1//zq-refresh-token-0123456789"}`, tokenSrv.URL)), 0o600)
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	r = runGoogle(t, env, "", false, "upload", "--config", bothConfig(t, gURL, mURL, ""), exportFile(t, 3, ""))
	if r.code == ExitOK || hits.Load() != 0 || len(dm.Bodies()) != 0 {
		t.Fatalf("upload with a redirecting token endpoint: exit %d, elsewhere %d, google %d\n%s", r.code, hits.Load(), len(dm.Bodies()), r.stderr)
	}
	if !strings.Contains(r.stderr, hostOf(t, tokenSrv.URL)+" answered HTTP 307") {
		t.Errorf("the error does not name the token host:\n%s", r.stderr)
	}
}

// TestStatusFollowsNoRedirect: `hashgate status` asking a redirecting
// endpoint about the last run's requests sends nothing onward.
func TestStatusFollowsNoRedirect(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := googleEnv(t)
	if r := runGoogle(t, env, "", true, "upload", "--config", bothConfig(t, gURL, mURL, ""), exportFile(t, 3, "")); r.code != ExitOK {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	before := len(dm.Bodies())
	redir, hits := redirector(t, 307, gURL)
	var out, errOut strings.Builder
	f := NewFactory(strings.NewReader(""), &out, &errOut)
	f.Now = func() time.Time { return fixedNow.Add(2 * time.Hour) }
	f.Getenv = func(k string) string { return env[k] }
	f.HTTPClient = func() (*http.Client, error) { return http.DefaultClient, nil }
	f.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	f.GoogleTokenSource = func(context.Context, *config.Config) (oauth2.TokenSource, error) {
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: googleBearer}), nil
	}
	execute(context.Background(), f, []string{"status", "--config", bothConfig(t, redir.URL+"/", mURL, "")})
	if hits.Load() == 0 {
		t.Fatalf("status did not ask the redirecting endpoint:\n%s%s", out.String(), errOut.String())
	}
	if n := len(dm.Bodies()); n != before {
		t.Errorf("status followed a redirect to the fake")
	}
	_ = destinationtest.ExactlyOnce
}

// TestPlainHTTPToARemoteHostIsRefused: `config validate --upload` and an
// upload refuse an http:// endpoint that is not loopback, naming the key;
// nothing is sent.
func TestPlainHTTPToARemoteHostIsRefused(t *testing.T) {
	env := uploadEnv(t)
	cfg := metaConfig(t, "http://graph.facebook.com", "")
	for _, args := range [][]string{{"config", "validate", "--upload", "--config", cfg}, {"upload", "--config", cfg, exportFile(t, 2, "")}} {
		r := runWithHTTP(t, http.DefaultClient, env, args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "destinations.meta.graph_url") || !strings.Contains(r.stderr, "loopback") {
			t.Errorf("%v: exit %d\n%s", args[:2], r.code, r.stderr)
		}
	}
}

// testClickID is a click id for test row i that passes plaintext's
// grammar: random-looking (a hash in URL-safe base64), as real ids are.
func testClickID(i int) string {
	h := sha256.Sum256([]byte(fmt.Sprint("hashgate test click id ", i)))
	return "Cj0KCQiA" + base64.RawURLEncoding.EncodeToString(h[:])
}
