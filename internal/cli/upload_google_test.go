package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

const googleBearer = "ya29.zq-fake-access-token"

func googleFake(t *testing.T, fault func(n int, w http.ResponseWriter, r *http.Request) bool) (*destinationtest.DataManager, string) {
	dm := &destinationtest.DataManager{Token: googleBearer, Now: func() time.Time { return fixedNow }, Fault: fault}
	return dm, dm.Start(t).URL + "/"
}

// runGoogle runs hashgate with a static Google token, a state directory of
// its own, and the given stdin.
func runGoogle(t *testing.T, env map[string]string, stdin string, staticToken bool, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	f := NewFactory(strings.NewReader(stdin), &out, &errOut)
	f.Now = func() time.Time { return fixedNow }
	f.Getenv = func(k string) string { return env[k] }
	f.HTTPClient = func() (*http.Client, error) { return http.DefaultClient, nil }
	f.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	if staticToken {
		f.GoogleTokenSource = func(context.Context, *config.Config) (oauth2.TokenSource, error) {
			return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: googleBearer}), nil
		}
	}
	code := execute(context.Background(), f, args)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

func bothConfig(t *testing.T, googleURL, graphURL, googleExtra string) string {
	t.Helper()
	p := metaConfig(t, graphURL, "")
	body := mustRead(t, p) + fmt.Sprintf(`  google:
    enabled: true
    identifiers: [email, phone]
    endpoint: %s
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
%s`, googleURL, googleExtra)
	os.WriteFile(p, []byte(body), 0o600)
	return p
}

func googleEnv(t *testing.T) map[string]string {
	return uploadEnv(t)
}

func TestUploadToBothDestinations(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := googleEnv(t)
	r := runGoogle(t, env, "", true, "upload", "--config", bothConfig(t, gURL, mURL, ""), exportFile(t, 5000, ""))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if len(dm.AcceptedBatches()) != 3 || len(dm.Accepted()) != 5000 || len(g.Accepted()) != 5000 {
		t.Fatalf("google batches %v (%d events), meta %d events", dm.AcceptedBatches(), len(dm.Accepted()), len(g.Accepted()))
	}
	destinationtest.ExactlyOnce(t, dm.Accepted(), 0)
	// The same event id travels to both platforms.
	for id := range g.Accepted() {
		if dm.Accepted()[id] != 1 {
			t.Fatalf("meta event %s has no google twin", id)
		}
		break
	}
	if !strings.Contains(r.stderr, "google: 5000 of 5000 conversions ingested in 3 requests") {
		t.Errorf("summary:\n%s", r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, googleBearer) || strings.Contains(r.stdout+r.stderr, metaToken) {
		t.Error("a token appears in the output")
	}
	for _, b := range dm.Bodies() {
		if bytes.Contains(b, []byte("zqpatient")) || bytes.Contains(b, []byte("Zqfirst")) || bytes.Contains(b, []byte("0912-")) {
			t.Fatal("a Google request body carries raw personal data")
		}
	}

	// status right after the upload: nothing is due (Google asks for 30
	// minutes), so all is ingested and still processing; Meta says no more.
	st := runGoogle(t, env, "", true, "status", "--config", bothConfig(t, gURL, mURL, ""))
	if st.code != 0 || !strings.Contains(st.stdout, "5000 ingested; 0 processed ok, 0 failed, 5000 still processing") ||
		!strings.Contains(st.stdout, "5000 ingested (Meta reports no processing verdict per event") {
		t.Fatalf("status exit %d:\n%s%s", st.code, st.stdout, st.stderr)
	}
	// With the ledger a rerun sends nothing; with the ledger lost it resends
	// the same values under the same transaction ids: Google treats that as
	// an adjustment to what it holds, which restates nothing.
	again := runGoogle(t, env, "", true, "upload", "--config", bothConfig(t, gURL, mURL, ""), exportFile(t, 10, ""))
	if again.code != 0 || !strings.Contains(again.stderr, "10 already ingested in earlier runs") {
		t.Fatalf("rerun: exit %d\n%s", again.code, again.stderr)
	}
	lost := uploadEnv(t)
	before := map[string]string{}
	for id := range dm.Accepted() {
		before[id] = fmt.Sprint(dm.Event(id)["conversionValue"])
	}
	runGoogle(t, lost, "", true, "upload", "--config", bothConfig(t, gURL, mURL, ""), exportFile(t, 10, ""))
	if n := len(dm.Accepted()); n != 5000 {
		t.Errorf("%d conversions at Google after the resend, want 5000", n)
	}
	for id, v := range before {
		if got := fmt.Sprint(dm.Event(id)["conversionValue"]); got != v {
			t.Fatalf("the resend restated %s from %s to %s", id, v, got)
		}
	}
}

func TestGoogleValidateOnly(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	cfg := bothConfig(t, gURL, mURL, "")
	r := runGoogle(t, googleEnv(t), "", true, "upload", "--validate", "--config", cfg, exportFile(t, 20, ""))
	if r.code != 0 || dm.ValidateOnlyRequests() != 1 || len(dm.Accepted()) != 0 {
		t.Fatalf("exit %d, validate-only %d, ingested %d\n%s", r.code, dm.ValidateOnlyRequests(), len(dm.Accepted()), r.stderr)
	}
	if !strings.Contains(r.stderr, "validated (validate_only: nothing ingested)") {
		t.Errorf("summary must say nothing was ingested:\n%s", r.stderr)
	}
}

func TestGoogleStormsAndPoison(t *testing.T) {
	dm, gURL := googleFake(t, func(n int, w http.ResponseWriter, _ *http.Request) bool {
		switch {
		case n <= 3:
			destinationtest.Unavailable(w)
		case n <= 6:
			destinationtest.QuotaExceeded(w, 5)
		default:
			return false
		}
		return true
	})
	dm.MaxAge = 30 * 24 * time.Hour
	_, mURL := metaFake(t, nil)
	old := "OLD1,2026-10-01 10:00,completed,zqold@example.com,0912-999-000,Zqold,Zqold,yes\n"
	r := runGoogle(t, googleEnv(t), "", true, "upload", "--config", bothConfig(t, gURL, mURL, ""), exportFile(t, 2500, old))
	if r.code != ExitPartial {
		t.Fatalf("exit %d, want 3 (one poisoned row)\n%s", r.code, r.stderr)
	}
	if len(dm.Accepted()) != 2500 || !strings.Contains(r.stderr, "rejected_by_platform:EVENT_TIME_INVALID 1") {
		t.Fatalf("google ingested %d\n%s", len(dm.Accepted()), r.stderr)
	}
	destinationtest.ExactlyOnce(t, dm.Accepted(), 0)
}

func TestAuthGoogleThenUpload(t *testing.T) {
	const refresh = "1//zq-refresh-token"
	var exchanged, refreshed int
	tokenSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		switch r.Form.Get("grant_type") {
		case "authorization_code":
			if r.Form.Get("code") != "zq-auth-code" || r.Form.Get("code_verifier") == "" {
				w.WriteHeader(400)
				io := `{"error":"invalid_grant"}`
				w.Write([]byte(io))
				return
			}
			exchanged++
			fmt.Fprintf(w, `{"access_token":"first","refresh_token":%q,"token_type":"Bearer","expires_in":3600}`, refresh)
		case "refresh_token":
			if r.Form.Get("refresh_token") != refresh {
				w.WriteHeader(400)
				return
			}
			refreshed++
			fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, googleBearer)
		}
	}))
	t.Cleanup(tokenSrv.Close)
	client := filepath.Join(t.TempDir(), "client.json")
	os.WriteFile(client, []byte(fmt.Sprintf(`{"installed":{"client_id":"cid.apps.googleusercontent.com","client_secret":"csecret",
		"auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":%q,"redirect_uris":["http://localhost"]}}`, tokenSrv.URL)), 0o600)
	env := googleEnv(t)
	r := runGoogle(t, env, "zq-auth-code\n", false, "auth", "google", "--client", client)
	if r.code != 0 || exchanged != 1 {
		t.Fatalf("auth exit %d, exchanged %d\n%s", r.code, exchanged, r.stderr)
	}
	if !strings.Contains(r.stderr, "scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fdatamanager") || !strings.Contains(r.stderr, "code_challenge_method=S256") {
		t.Errorf("consent URL must ask for the datamanager scope only, with PKCE:\n%s", r.stderr)
	}
	path := filepath.Join(env["XDG_CONFIG_HOME"], "hashgate", "google-token.json")
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", st, err)
	}
	var stored storedGoogleToken
	b, _ := os.ReadFile(path)
	json.Unmarshal(b, &stored)
	if stored.RefreshToken != refresh {
		t.Errorf("stored %+v", stored)
	}
	if strings.Contains(r.stdout+r.stderr, refresh) {
		t.Error("the refresh token was printed")
	}

	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	r = runGoogle(t, env, "", false, "upload", "--config", bothConfig(t, gURL, mURL, ""), exportFile(t, 3, ""))
	if r.code != 0 || refreshed == 0 || len(dm.Accepted()) != 3 {
		t.Fatalf("upload with the stored token: exit %d, refreshed %d, ingested %d\n%s", r.code, refreshed, len(dm.Accepted()), r.stderr)
	}
}

// TestInterruptStopsNewBatches: SIGINT while a request is in flight lets it
// finish, sends nothing more, prints what was and was not sent, exits 130.
func TestInterruptStopsNewBatches(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: func() time.Time { return fixedNow },
		Fault: func(n int, w http.ResponseWriter, r *http.Request) bool {
			if n == 1 {
				cancel() // the signal arrives during the first request
			}
			return false
		}}
	srv := g.Start(t)
	var out, errOut bytes.Buffer
	f := NewFactory(strings.NewReader(""), &out, &errOut)
	f.Now = func() time.Time { return fixedNow }
	env := googleEnv(t)
	f.Getenv = func(k string) string { return env[k] }
	f.HTTPClient = func() (*http.Client, error) { return http.DefaultClient, nil }
	code := execute(ctx, f, []string{"upload", "--config", metaConfig(t, srv.URL, "    concurrency: 1\n"), exportFile(t, 5000, "")})
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want 130\n%s", code, errOut.String())
	}
	if g.Requests() != 1 || len(g.Accepted()) != 1000 {
		t.Fatalf("requests %d, accepted %d: the in-flight batch must finish and nothing more be sent", g.Requests(), len(g.Accepted()))
	}
	if !strings.Contains(errOut.String(), "meta: 1000 of") || !strings.Contains(errOut.String(), "not sent") || !strings.Contains(errOut.String(), "interrupted") {
		t.Errorf("summary must say what was and was not sent:\n%s", errOut.String())
	}
}
