package cli

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestHostilePlatformsReachNoOutput drives `hashgate upload` and `hashgate
// status` against hostile fakes (issue 22, round 2: "the platforms' text
// is trusted", "answers are unbounded"): answers echo the bearer token,
// the Meta token and other credentials, carry terminal escapes, bidi
// overrides and forged log lines, name events outside the batch, make up
// reasons and status words, acknowledge more events than were sent, count
// below zero or above the request, list 3 million record indices, and
// come in 2 MiB bodies. Nothing of it — no credential, no escape, no
// unvalidated enumeration — may reach stderr, stdout, the run report or
// the ledger; nothing is recorded as ingested or processed from a bad
// answer; and the run still ends with what the platforms did accept.
func TestHostilePlatformsReachNoOutput(t *testing.T) {
	clk := &simClock{t: fixedNow}
	env := uploadEnv(t)
	// A passphrase: no credential shape Scrub knows matches it, so only
	// the credentials the process holds (destination.HoldSecret) keep it
	// out when an endpoint echoes it.
	env["HASHGATE_SECRET"] = "zq purple Kettle 7741 marmot Jh8Nq violin"
	secret := env["HASHGATE_SECRET"]
	h := &destinationtest.Hostile{Echo: []string{secret}}
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now, Fault: h.GoogleFault}
	// Every event Google accepts comes back with a field warning whose
	// description quotes the event (its click id, transaction id, any
	// identifier) and hostile text: hashgate counts warnings by reason
	// and field and never prints a description.
	dm.Warn = func(int, map[string]any) (string, string) {
		return "ad_identifiers.gclid", "WARNING_REASON_GENERIC"
	}
	dm.WarnDescription = h.WarnDescription
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now, Fault: h.GraphFault}
	mURL := g.Start(t).URL
	cfg := bothConfig(t, gURL, mURL, "")
	export := exportFile(t, 20, "")
	rep := filepath.Join(t.TempDir(), "run.json")

	credentials := []string{googleBearer, metaToken, secret}
	clean := func(where, s string) {
		t.Helper()
		marks := append(append([]string{destinationtest.DescriptionMark}, destinationtest.Canaries...), credentials...)
		if strings.HasPrefix(where, "state file") {
			// SQLite's pages hold control bytes of their own: look for the
			// answers' sequences, not single bytes.
			marks = append(credentials, destinationtest.DescriptionMark, "\x1b[2J", "\x1b]0;pwned", "\u009b31m", "\u202e", "\nlevel=ERROR", "PWNED_REASON", "pwned_field", "PWNED_STATUS")
		}
		for _, c := range marks {
			if strings.Contains(s, c) {
				i := strings.Index(s, c)
				t.Errorf("%s carries %q: …%q…", where, c, s[max(0, i-80):min(len(s), i+80)])
			}
		}
	}

	up := runAt(t, clk, env, "upload", "--config", cfg, "--report", rep, export)
	clean("upload stderr", up.stderr)
	clean("upload stdout", up.stdout)
	// Meta acknowledged 25 events for a batch of 20: refused, nothing
	// recorded as ingested, the batch rejected and left for the next run.
	if up.code != ExitPartial || !strings.Contains(up.stderr, "answers refused as inconsistent with their request") {
		t.Errorf("upload exit %d (want %d, a refused answer)\n%s", up.code, ExitPartial, up.stderr)
	}
	if !strings.Contains(up.stderr, "google: 20 of 20 conversions ingested") {
		t.Errorf("Google's hostile answers cost conversions:\n%s", up.stderr)
	}
	if !strings.Contains(up.stderr, "field warning WARNING_REASON_GENERIC at ad_identifiers.gclid 20") {
		t.Errorf("the field warnings are not counted by reason and field:\n%s", up.stderr)
	}
	destinationtest.ExactlyOnce(t, dm.Accepted(), 20)
	raw, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	clean("run report", string(raw))
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Errorf("the run report is not JSON: %v", err)
	}

	// The Meta batch whose acknowledgement was refused is not ingested:
	// the next run sends it, and the platform sees every event once.
	again := runAt(t, clk, env, "upload", "--config", cfg, export)
	clean("second upload stderr", again.stderr)
	if again.code != 0 || !strings.Contains(again.stderr, "meta: 20 of 20 conversions ingested") {
		t.Errorf("second upload exit %d\n%s", again.code, again.stderr)
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 20)

	// status: the verdicts are hostile too — a forged status word, counts
	// below zero and above the request, 3 million indices (a body past
	// 1 MiB), an error answer whose every field is hostile, then hostile
	// reasons with counts that fit. Warnings are logged: the log is
	// checked too.
	dm.Fault = h.GoogleStatus
	for range 5 {
		clk.Advance(40 * time.Minute)
		st := runAt(t, clk, env, "status", "--config", cfg)
		clean("status stdout", st.stdout)
		clean("status stderr", st.stderr)
		if st.code != 0 {
			t.Errorf("status exit %d\n%s%s", st.code, st.stdout, st.stderr)
		}
	}
	js := runAt(t, clk, env, "status", "--config", cfg, "--json")
	clean("status --json", js.stdout)
	if !strings.Contains(js.stdout, `"reason": "unknown"`) {
		t.Errorf("the hostile reason was not counted as unknown:\n%s", js.stdout)
	}
	ls := runAt(t, clk, env, "ledger", "list", "--config", cfg)
	clean("ledger list", ls.stdout+ls.stderr)

	// The ledger's own bytes: no credential, no escape, no made-up
	// enumeration, whatever the answers held.
	state := env["XDG_STATE_HOME"]
	n := 0
	_ = filepath.WalkDir(state, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		clean("state file "+filepath.Base(p), string(b))
		return nil
	})
	if n == 0 {
		t.Fatal("no ledger file to check")
	}
}

// TestStatusHasATimeBudget: an endpoint that never answers a status read
// cannot hold `status`: by default it stops after DefaultStatusBudget
// (shown in --help), and --budget bounds it — the reconcile pass and
// request ids asked about alike — saying what was not read.
func TestStatusHasATimeBudget(t *testing.T) {
	help := runCLI(t, uploadEnv(t), "", "status", "--help")
	if !strings.Contains(help.stdout, "--budget duration") || !strings.Contains(help.stdout, "(default 2m0s)") {
		t.Errorf("status --help does not show the default budget:\n%s", help.stdout)
	}
	clk := &simClock{t: fixedNow}
	env := uploadEnv(t)
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now}
	gURL := dm.Start(t).URL + "/"
	_, mURL := metaFake(t, nil)
	cfg := bothConfig(t, gURL, mURL, "")
	if up := runAt(t, clk, env, "upload", "--config", cfg, exportFile(t, 5, "")); up.code != 0 {
		t.Fatalf("upload exit %d\n%s", up.code, up.stderr)
	}
	dm.Fault = func(_ int, _ http.ResponseWriter, r *http.Request) bool {
		<-r.Context().Done() // a read that never answers
		return true
	}
	clk.Advance(40 * time.Minute)
	for _, args := range [][]string{{"status", "--config", cfg, "--budget", "1s"}, {"status", "--config", cfg, "--budget", "1s", "some-request-id"}} {
		start := time.Now()
		st := runAt(t, clk, env, args...)
		if took := time.Since(start); took > 15*time.Second {
			t.Errorf("%v took %v with a budget of 1s", args, took)
		}
		if !strings.Contains(st.stdout+st.stderr, "not read") && !strings.Contains(st.stdout+st.stderr, "budget") {
			t.Errorf("%v does not say what was left unread (exit %d):\n%s%s", args, st.code, st.stdout, st.stderr)
		}
	}
}

// TestHostileTokenEndpointReachesNoOutput: the token endpoint of a stored
// `auth google` token echoes the client secret and the refresh token it
// was sent — values no credential shape matches — with escapes, a forged
// log line and a made-up error code. The upload stops for the
// credentials, and neither secret, nor the escapes, nor the code reach
// stderr or the report.
func TestHostileTokenEndpointReachesNoOutput(t *testing.T) {
	const clientSecret = "zq client secret Kq81 words"
	const refresh = "1//zq refresh Kq81 words"
	h := &destinationtest.Hostile{}
	tokenSrv := httptest.NewServer(http.HandlerFunc(h.TokenFault))
	t.Cleanup(tokenSrv.Close)
	env := googleEnv(t)
	dir := filepath.Join(env["XDG_CONFIG_HOME"], "hashgate")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	tok, _ := json.Marshal(storedGoogleToken{ClientID: "cid.apps.googleusercontent.com", ClientSecret: clientSecret, TokenURL: tokenSrv.URL, RefreshToken: refresh})
	if err := os.WriteFile(filepath.Join(dir, "google-token.json"), tok, 0o600); err != nil {
		t.Fatal(err)
	}
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	rep := filepath.Join(t.TempDir(), "run.json")
	r := runGoogle(t, env, "", false, "upload", "--config", bothConfig(t, gURL, mURL, ""), "--report", rep, exportFile(t, 3, ""))
	if r.code == 0 || len(dm.Accepted()) != 0 {
		t.Errorf("exit %d, %d ingested with a refused token\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	raw, _ := os.ReadFile(rep)
	for _, out := range []string{r.stderr, r.stdout, string(raw)} {
		for _, c := range append([]string{clientSecret, refresh, url.QueryEscape(refresh), url.QueryEscape(clientSecret)}, destinationtest.Canaries...) {
			if strings.Contains(out, c) {
				i := strings.Index(out, c)
				t.Errorf("output carries %q: …%q…", c, out[max(0, i-80):min(len(out), i+80)])
			}
		}
	}
	if !strings.Contains(r.stderr, "unknown") {
		t.Errorf("the made-up OAuth code was not read as unknown:\n%s", r.stderr)
	}
}
