package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// The "done when" of issue 13, end to end through `hashgate upload`:
// docs/contract.md names the platform rule each test proves hashgate
// honours.

// googleOnly turns bothConfig's Meta block off.
func googleOnly(t *testing.T, gURL, mURL, extra string) string {
	p := bothConfig(t, gURL, mURL, extra)
	os.WriteFile(p, []byte(strings.Replace(mustRead(t, p), "  meta:\n    enabled: true", "  meta:\n    enabled: false", 1)), 0o600)
	return p
}

func TestValidateFirstThenTheRealRunDeliversEveryEvent(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := googleEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	in := exportFile(t, 60, "")

	v := runGoogle(t, env, "", true, "upload", "--validate", "--config", cfg, in)
	if v.code != 0 || dm.ValidateOnlyRequests() != 1 || len(dm.Accepted()) != 0 || g.Requests() != 0 {
		t.Fatalf("validate: exit %d, validate-only %d, ingested %d, meta requests %d\n%s", v.code, dm.ValidateOnlyRequests(), len(dm.Accepted()), g.Requests(), v.stderr)
	}
	for _, s := range []string{"validation run: nothing was ingested", "google: 60 of 60 conversions validated", "meta: not validated", "test_event_code"} {
		if !strings.Contains(v.stderr, s) {
			t.Errorf("validate summary does not say %q:\n%s", s, v.stderr)
		}
	}

	r := runGoogle(t, env, "", true, "upload", "--config", cfg, in)
	if r.code != 0 || strings.Contains(r.stderr, "already ingested") {
		t.Fatalf("real run: exit %d\n%s", r.code, r.stderr)
	}
	destinationtest.ExactlyOnce(t, dm.Accepted(), 60)
	destinationtest.ExactlyOnce(t, g.Accepted(), 60)
}

func TestATestEventCodeRunThenProductionDeliversEveryEvent(t *testing.T) {
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	in := exportFile(t, 40, "")

	// --validate sends Meta test events when the code is set, twice here;
	// neither run is recorded as delivered.
	for range 2 {
		v := runWithHTTP(t, http.DefaultClient, env, "upload", "--validate", "--config", metaConfig(t, mURL, "    test_event_code: TEST4242\n"), in)
		if v.code != 0 || !strings.Contains(v.stderr, "40 of 40 conversions sent as test events") {
			t.Fatalf("test run: exit %d\n%s", v.code, v.stderr)
		}
	}
	// A plain upload whose config still holds the code is refused,
	// naming the key: left in, it would turn every night into test events.
	tr := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", metaConfig(t, mURL, "    test_event_code: TEST4242\n"), in)
	if tr.code != ExitUsage || !strings.Contains(tr.stderr, "destinations.meta.test_event_code") || g.Requests() != 2 {
		t.Fatalf("plain upload with a test code: exit %d, %d requests\n%s", tr.code, g.Requests(), tr.stderr)
	}
	if len(g.Accepted()) != 0 || len(g.TestEvents()) != 40 {
		t.Fatalf("production %d, test events %d", len(g.Accepted()), len(g.TestEvents()))
	}

	p := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", metaConfig(t, mURL, ""), in)
	if p.code != 0 || strings.Contains(p.stderr, "already ingested") {
		t.Fatalf("production run: exit %d\n%s", p.code, p.stderr)
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 40)
}

func TestMetaPurchaseWithoutValueIsRefusedAtLoad(t *testing.T) {
	g, mURL := metaFake(t, nil)
	cfg := metaConfig(t, mURL, "")
	os.WriteFile(cfg, []byte(strings.Replace(mustRead(t, cfg), "  value: fixed\n  fixed_value: 1000\n", "", 1)), 0o600)
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--config", cfg, exportFile(t, 5, ""))
	if r.code != ExitUsage || g.Requests() != 0 {
		t.Fatalf("exit %d, requests %d\n%s", r.code, g.Requests(), r.stderr)
	}
	for _, s := range []string{"conversion.value", "conversion.fixed_value", "conversion.currency", "Purchase"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("message does not name %q:\n%s", s, r.stderr)
		}
	}
	// A dry-run of it runs, and predicts that Meta would get nothing.
	d := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--dry-run", "--config", cfg, exportFile(t, 5, ""))
	if d.code != 0 || !strings.Contains(d.stderr, "an upload would hold back from meta before sending:\n    purchase_without_value 5") {
		t.Fatalf("dry-run: exit %d\n%s", d.code, d.stderr)
	}
}

func TestARowWithoutAFeeIsHeldBackFromMetaOnly(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	cfg := bothConfig(t, gURL, mURL, "")
	body := strings.Replace(mustRead(t, cfg), "  value: fixed\n  fixed_value: 1000\n", "  value: actual\n", 1)
	body = strings.Replace(body, "    consent: consent\n", "    consent: consent\n    value: fee\n", 1)
	body += "privacy:\n  allow_actual_value: true\n"
	os.WriteFile(cfg, []byte(body), 0o600)
	in := filepath.Join(t.TempDir(), "fees.csv")
	os.WriteFile(in, []byte("id,at,status,email,phone,first,last,consent,fee\n"+
		"F1,2026-11-20 10:00,completed,zqf1@example.com,0912-000-001,Zqa,Zqb,yes,1500\n"+
		"F2,2026-11-20 11:00,completed,zqf2@example.com,0912-000-002,Zqa,Zqb,yes,\n"+ // NHI: no fee
		"F3,2026-11-20 12:00,completed,zqf3@example.com,0912-000-003,Zqa,Zqb,yes,800\n"), 0o600)

	d := runGoogle(t, googleEnv(t), "", true, "upload", "--dry-run", "--config", cfg, in)
	if d.code != 0 || strings.Count(d.stdout, "\nmeta,") != 3 || !strings.Contains(d.stderr, "an upload would hold back from meta before sending:\n    purchase_without_value 1") {
		t.Fatalf("dry-run: exit %d\n%s%s", d.code, d.stdout, d.stderr)
	}
	if strings.Contains(d.stderr, "hold back from google") {
		t.Errorf("Google takes a conversion without value:\n%s", d.stderr)
	}

	r := runGoogle(t, googleEnv(t), "", true, "upload", "--config", cfg, in)
	if r.code != ExitPartial || len(dm.Accepted()) != 3 || len(g.Accepted()) != 2 || g.Requests() != 1 {
		t.Fatalf("exit %d, google %d, meta %d in %d requests\n%s", r.code, len(dm.Accepted()), len(g.Accepted()), g.Requests(), r.stderr)
	}
	if !strings.Contains(r.stderr, "meta quarantined:\n    purchase_without_value 1") {
		t.Errorf("summary:\n%s", r.stderr)
	}
}

func TestEveryGoogleEventCarriesEventSource(t *testing.T) {
	for _, src := range []string{"", "OTHER"} {
		dm, gURL := googleFake(t, nil)
		dm.ClickActions = true // an Import → clicks action, as README tells clinics to create
		_, mURL := metaFake(t, nil)
		extra := "    batch_size: 20\n"
		if src != "" {
			extra += "    event_source: " + src + "\n"
		}
		r := runGoogle(t, googleEnv(t), "", true, "upload", "--config", googleOnly(t, gURL, mURL, extra), exportFile(t, 70, ""))
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		want := src
		if want == "" {
			want = "WEB"
		}
		n := 0
		for _, b := range dm.Bodies() {
			var req struct {
				Events []struct{ EventSource string }
			}
			json.Unmarshal(b, &req)
			for _, ev := range req.Events {
				if ev.EventSource != want {
					t.Fatalf("eventSource %q, want %q", ev.EventSource, want)
				}
				n++
			}
		}
		if n != 70 || len(dm.Bodies()) != 4 {
			t.Fatalf("%d events checked", n)
		}
	}
}

// TestInStoreToAClickActionStopsGoogleNamingWEB: IN_STORE is opt-in; an
// UPLOAD_CLICKS action that refuses it (the fake's ClickActions mode,
// docs/contract.md G2) stops Google after one request with a fix that
// names the key and the value to set, while --validate passes it (Google's
// validateOnly skips the rule, so a preflight cannot prove the source).
func TestInStoreToAClickActionStopsGoogleNamingWEB(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	dm.ClickActions = true
	_, mURL := metaFake(t, nil)
	env := googleEnv(t)
	cfg := googleOnly(t, gURL, mURL, "    event_source: IN_STORE\n")
	in := exportFile(t, 30, "")
	if v := runGoogle(t, env, "", true, "upload", "--validate", "--config", cfg, in); v.code != 0 || dm.ValidateOnlyRequests() != 1 {
		t.Fatalf("validate: exit %d\n%s", v.code, v.stderr)
	}
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, in)
	if r.code != ExitFailure || dm.Requests() != 2 || len(dm.Accepted()) != 0 {
		t.Fatalf("exit %d after %d requests, %d ingested\n%s", r.code, dm.Requests(), len(dm.Accepted()), r.stderr)
	}
	for _, s := range []string{"EVENT_SOURCE_AND_DESTINATION_MISMATCH", "destinations.google.event_source", "set WEB"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("summary does not say %q:\n%s", s, r.stderr)
		}
	}
}

// writeKey writes a service-account key file (mode 0600); broken makes its
// private key unparseable.
func writeKey(t *testing.T, broken bool) string {
	t.Helper()
	k, _ := rsa.GenerateKey(rand.Reader, 1024)
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	if broken {
		der = der[:len(der)/2]
	}
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	b, _ := json.Marshal(map[string]string{"type": "service_account", "client_email": "hg@example.iam.gserviceaccount.com",
		"private_key": pemKey, "token_uri": "http://127.0.0.1:1/token", "private_key_id": "zqkeyid"})
	p := filepath.Join(t.TempDir(), "key.json")
	os.WriteFile(p, b, 0o600)
	return p
}

func TestAccountAndCredentialFailuresEndTheRunAfterAtMostThreeRequests(t *testing.T) {
	cases := []struct {
		name     string
		setup    func(t *testing.T, dm *destinationtest.DataManager, g *destinationtest.Graph, gURL, mURL string, env map[string]string) (cfg string, static bool)
		requests func(dm *destinationtest.DataManager, g *destinationtest.Graph) int
		code     int
		say      []string
	}{
		{"meta wrong dataset", func(t *testing.T, _ *destinationtest.DataManager, _ *destinationtest.Graph, _, mURL string, _ map[string]string) (string, bool) {
			cfg := metaConfig(t, mURL, "    batch_size: 10\n")
			os.WriteFile(cfg, []byte(strings.Replace(mustRead(t, cfg), `dataset_id: "998877"`, `dataset_id: "111222"`, 1)), 0o600)
			return cfg, true
		}, func(_ *destinationtest.DataManager, g *destinationtest.Graph) int { return g.Requests() },
			ExitFailure, []string{"100/33", "destinations.meta.dataset_id", "does not exist"}},
		{"google 403", func(t *testing.T, dm *destinationtest.DataManager, _ *destinationtest.Graph, gURL, mURL string, _ map[string]string) (string, bool) {
			dm.Destinations = []string{"9999999999/555000111"}
			return googleOnly(t, gURL, mURL, "    batch_size: 10\n"), true
		}, func(dm *destinationtest.DataManager, _ *destinationtest.Graph) int { return dm.Requests() },
			ExitFailure, []string{"PERMISSION_DENIED", "HTTP 403", "destinations.google.operating_account"}},
		{"google request-level reason", func(t *testing.T, dm *destinationtest.DataManager, _ *destinationtest.Graph, gURL, mURL string, _ map[string]string) (string, bool) {
			dm.Destinations = []string{"1234567890/42"}
			return googleOnly(t, gURL, mURL, "    batch_size: 10\n"), true
		}, func(dm *destinationtest.DataManager, _ *destinationtest.Graph) int { return dm.Requests() },
			ExitFailure, []string{"INVALID_CONVERSION_ACTION_ID", "destinations.google.conversion_action_id"}},
		{"invalid_grant", func(t *testing.T, _ *destinationtest.DataManager, _ *destinationtest.Graph, gURL, mURL string, env map[string]string) (string, bool) {
			tok := &destinationtest.TokenEndpoint{Refuse: "invalid_grant"}
			srv := tok.Start(t)
			dir := filepath.Join(env["XDG_CONFIG_HOME"], "hashgate")
			os.MkdirAll(dir, 0o700)
			b, _ := json.Marshal(storedGoogleToken{ClientID: "cid", ClientSecret: "cs", TokenURL: srv.URL, RefreshToken: "1//zq-expired-refresh"})
			os.WriteFile(filepath.Join(dir, "google-token.json"), b, 0o600)
			return googleOnly(t, gURL, mURL, "    batch_size: 10\n"), false
		}, func(dm *destinationtest.DataManager, _ *destinationtest.Graph) int { return dm.Requests() },
			ExitFailure, []string{"invalid_grant", "hashgate auth google", "google-token.json"}},
		{"malformed key", func(t *testing.T, _ *destinationtest.DataManager, _ *destinationtest.Graph, gURL, mURL string, _ map[string]string) (string, bool) {
			return googleOnly(t, gURL, mURL, "    credentials_file: "+writeKey(t, true)+"\n"), false
		}, func(dm *destinationtest.DataManager, _ *destinationtest.Graph) int { return dm.Requests() },
			ExitUsage, []string{"destinations.google.credentials_file", "private_key", "new key"}},
		{"meta expired token", func(t *testing.T, _ *destinationtest.DataManager, g *destinationtest.Graph, _, mURL string, _ map[string]string) (string, bool) {
			g.ExpiredToken = metaToken
			return metaConfig(t, mURL, "    batch_size: 10\n"), true
		}, func(_ *destinationtest.DataManager, g *destinationtest.Graph) int { return g.Requests() },
			ExitFailure, []string{"190/463", metaTokenEnv}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dm, gURL := googleFake(t, nil)
			g, mURL := metaFake(t, nil)
			env := googleEnv(t)
			cfg, static := tc.setup(t, dm, g, gURL, mURL, env)
			r := runGoogle(t, env, "", static, "upload", "--config", cfg, exportFile(t, 200, "")) // 20 batches
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r.stderr)
			}
			if n := tc.requests(dm, g); n > 3 {
				t.Errorf("%d requests before stopping, want at most 3", n)
			}
			for _, s := range tc.say {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("message does not say %q:\n%s", s, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "quarantined:") {
				t.Errorf("an account-level failure was blamed on events:\n%s", r.stderr)
			}
			if strings.Contains(r.stderr, metaToken) || strings.Contains(r.stderr, "zq-expired-refresh") {
				t.Error("a credential appears in the output")
			}
		})
	}
}

// simClock is a simulated clock: Sleep advances it.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *simClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func TestAThirtyMinuteOutageEndsWithinTheRetryBudget(t *testing.T) {
	clk := &simClock{t: fixedNow}
	up := fixedNow.Add(30 * time.Minute)
	dm, gURL := googleFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		clk.Sleep(context.Background(), 3*time.Second) // a failing request takes time too
		if clk.Now().Before(up) {
			destinationtest.Unavailable(w)
			return true
		}
		return false
	})
	dm.Now = func() time.Time { return fixedNow }
	_, mURL := metaFake(t, nil)
	env := googleEnv(t)
	cfg := googleOnly(t, gURL, mURL, "    retry_budget_minutes: 10\n    batch_size: 100\n")
	export := exportFile(t, 450, "")
	run := func() result { return runOnClock(clk, env, "upload", "--config", cfg, export) }
	start := clk.Now()
	r := run()
	if elapsed := clk.Now().Sub(start); elapsed > 11*time.Minute {
		t.Fatalf("the run waited %v of simulated time; the budget is 10 minutes", elapsed)
	}
	if r.code != ExitFailure || !strings.Contains(r.stderr, "google: 0 of 450 conversions ingested") || !strings.Contains(r.stderr, "retry_budget_exhausted") ||
		!strings.Contains(r.stderr, "UNAVAILABLE") || !strings.Contains(r.stderr, "next run") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	clk.Sleep(context.Background(), time.Hour) // the outage is over by the next run
	if r := run(); r.code != 0 {
		t.Fatalf("next run: exit %d\n%s", r.code, r.stderr)
	}
	destinationtest.ExactlyOnce(t, dm.Accepted(), 450)
}

func TestPlatformMessagesAppearInTheSummaryAndReport(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	dm.Warn = func(i int, _ map[string]any) (string, string) {
		if i < 3 {
			return "user_data.user_identifiers[1]", "WARNING_REASON_INVALID_SHA256_FORMAT"
		}
		return "", ""
	}
	g, mURL := metaFake(t, nil)
	g.Messages = []string{"Some parameters look unusual for " + metaToken}
	rep := filepath.Join(t.TempDir(), "report.json")
	r := runGoogle(t, googleEnv(t), "", true, "upload", "--report", rep, "--config", bothConfig(t, gURL, mURL, ""), exportFile(t, 10, ""))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, s := range []string{"google said:", "field warning WARNING_REASON_INVALID_SHA256_FORMAT at user_data.user_identifiers[1] 3", "meta said:", "message: Some parameters look unusual for …"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("summary does not say %q:\n%s", s, r.stderr)
		}
	}
	var report struct {
		Destinations []struct {
			Destination string         `json:"destination"`
			Messages    map[string]int `json:"platform_messages"`
		} `json:"destinations"`
	}
	b, _ := os.ReadFile(rep)
	if err := json.Unmarshal(b, &report); err != nil {
		t.Fatal(err)
	}
	if len(report.Destinations) != 2 || report.Destinations[0].Messages["field warning WARNING_REASON_INVALID_SHA256_FORMAT at user_data.user_identifiers[1]"] != 3 || len(report.Destinations[1].Messages) != 1 {
		t.Errorf("report destinations %+v", report.Destinations)
	}
	if bytes.Contains(b, []byte(metaToken)) || bytes.Contains(b, []byte("zqpatient")) {
		t.Error("the report carries a token or a raw value")
	}
}

func staticGoogleToken(context.Context, *config.Config) (oauth2.TokenSource, error) {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: googleBearer}), nil
}

func TestValidateWithNothingValidatableSaysSoAndSendsNothing(t *testing.T) {
	g, mURL := metaFake(t, nil)
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--validate", "--config", metaConfig(t, mURL, ""), exportFile(t, 5, ""))
	if r.code != 0 || g.Requests() != 0 || !strings.Contains(r.stderr, "meta: not validated") {
		t.Fatalf("exit %d, requests %d\n%s", r.code, g.Requests(), r.stderr)
	}
	if u := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--validate", "--dry-run", "--config", metaConfig(t, mURL, ""), exportFile(t, 5, "")); u.code != ExitUsage {
		t.Fatalf("--validate --dry-run: exit %d\n%s", u.code, u.stderr)
	}
}

// TestAnotherConversionActionIsSentTo: the ledger keys acceptance by the
// destination's identity, so pointing the config at another conversion
// action sends every event there instead of skipping them as "already
// accepted" (issue 13; the ledger side is issue 16's, Meta's dataset is
// TestAnotherDatasetIsSentTo).
func TestAnotherConversionActionIsSentTo(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	dm.Destinations = []string{"1234567890/555000111", "1234567890/555000222"}
	_, mURL := metaFake(t, nil)
	env := googleEnv(t)
	in := exportFile(t, 30, "")
	first := googleOnly(t, gURL, mURL, "")
	if r := runGoogle(t, env, "", true, "upload", "--config", first, in); r.code != 0 {
		t.Fatalf("first: exit %d\n%s", r.code, r.stderr)
	}
	second := googleOnly(t, gURL, mURL, "")
	os.WriteFile(second, []byte(strings.Replace(mustRead(t, second), `"555000111"`, `"555000222"`, 1)), 0o600)
	r := runGoogle(t, env, "", true, "upload", "--config", second, in)
	if r.code != 0 || strings.Contains(r.stderr, "already ingested") {
		t.Fatalf("second: exit %d\n%s", r.code, r.stderr)
	}
	destinationtest.ExactlyOnce(t, dm.AcceptedAt("1234567890/555000111"), 30)
	destinationtest.ExactlyOnce(t, dm.AcceptedAt("1234567890/555000222"), 30)
	// And the first action, again: everything is already there.
	if again := runGoogle(t, env, "", true, "upload", "--config", first, in); again.code != 0 || !strings.Contains(again.stderr, "30 already ingested") {
		t.Fatalf("back to the first action: exit %d\n%s", again.code, again.stderr)
	}
}

// TestOnePlatformDownExitsPartial: Google down all night (its retry
// budget spent), Meta healthy and taking everything: the night is partial
// (exit 3), whatever the number of visits waiting — a month's simulation
// got 3 for five and 1 for forty, when the budget stopped the destination
// — and the next night sends Google what waited, once.
func TestOnePlatformDownExitsPartial(t *testing.T) {
	for _, n := range []int{5, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			clk := &simClock{t: fixedNow}
			down := true
			dm, gURL := googleFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
				clk.Sleep(context.Background(), 3*time.Second)
				if down {
					destinationtest.Unavailable(w)
					return true
				}
				return false
			})
			dm.Now = func() time.Time { return fixedNow }
			g, mURL := metaFake(t, nil)
			env := uploadEnv(t)
			cfg := bothConfig(t, gURL, mURL, "    retry_budget_minutes: 2\n    batch_size: 5\n")
			export := exportFile(t, n, "")
			run := func() result { return runOnClock(clk, env, "upload", "--config", cfg, export) }
			r := run()
			if r.code != ExitPartial || len(g.Accepted()) != n || len(dm.Accepted()) != 0 {
				t.Fatalf("exit %d (want 3), meta %d of %d, google %d\n%s", r.code, len(g.Accepted()), n, len(dm.Accepted()), r.stderr)
			}
			down = false
			clk.Sleep(context.Background(), time.Hour)
			if r := run(); r.code != 0 {
				t.Fatalf("next night: exit %d\n%s", r.code, r.stderr)
			}
			destinationtest.ExactlyOnce(t, dm.Accepted(), n)
			destinationtest.ExactlyOnce(t, g.Accepted(), n)
		})
	}
}

// runOnClock runs hashgate on a simulated clock (its sleeps advance it),
// with env, loopback HTTP and a static Google token.
func runOnClock(clk *simClock, env map[string]string, args ...string) result {
	var out, errOut bytes.Buffer
	f := NewFactory(strings.NewReader(""), &out, &errOut)
	f.Now, f.Sleep = clk.Now, clk.Sleep
	f.Getenv = func(k string) string { return env[k] }
	f.HTTPClient = func() (*http.Client, error) { return http.DefaultClient, nil }
	f.GoogleTokenSource = staticGoogleToken
	code := execute(context.Background(), f, args)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}
