package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestConfigValidateUploadRunsWhatUploadChecks: `config validate --upload`
// refuses exactly what a plain upload refuses before its first request —
// no Meta token, a token file others can read, a test_event_code left in —
// with the same message naming the key, and says "valid for uploads" only
// when the upload starts. The upload refused sends nothing and leaves no
// ledger behind.
func TestConfigValidateUploadRunsWhatUploadChecks(t *testing.T) {
	g, url := metaFake(t, nil)
	loose := filepath.Join(t.TempDir(), "token")
	os.WriteFile(loose, []byte(metaToken+"\n"), 0o644)
	noToken := uploadEnv(t)
	delete(noToken, metaTokenEnv)
	for _, c := range []struct {
		name, extra string
		env         map[string]string
		want        string
	}{
		{"no token", "", noToken, "destinations.meta.access_token_file: no Meta access token: set HASHGATE_META_ACCESS_TOKEN"},
		{"token file readable by others", "    access_token_file: " + loose + "\n", uploadEnv(t), "destinations.meta.access_token_file: " + loose + " is readable by others"},
		{"test_event_code left in", "    test_event_code: TEST4242\n", uploadEnv(t), "destinations.meta.test_event_code: applies only to `hashgate upload --validate`"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := metaConfig(t, url, c.extra)
			v := runWithHTTP(t, http.DefaultClient, c.env, "config", "validate", "--upload", "--config", cfg)
			if v.code != ExitUsage || !strings.Contains(v.stderr, c.want) || strings.Contains(v.stderr, "valid for uploads") {
				t.Fatalf("config validate --upload: exit %d\n%s", v.code, v.stderr)
			}
			u := runWithHTTP(t, http.DefaultClient, c.env, "upload", "--config", cfg, exportFile(t, 3, ""))
			if u.code != ExitUsage || !strings.Contains(u.stderr, c.want) {
				t.Fatalf("upload: exit %d\n%s", u.code, u.stderr)
			}
			if g.Requests() != 0 {
				t.Fatalf("%d requests reached Meta", g.Requests())
			}
			if _, err := os.Stat(filepath.Join(c.env["XDG_STATE_HOME"], "hashgate", "ledger.db")); !os.IsNotExist(err) {
				t.Errorf("a refused upload left a ledger behind (%v)", err)
			}
		})
	}
	ok := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "config", "validate", "--upload", "--config", metaConfig(t, url, ""))
	if ok.code != 0 || !strings.Contains(ok.stderr, "valid for uploads to meta") {
		t.Fatalf("a config an upload takes: exit %d\n%s", ok.code, ok.stderr)
	}
	// The code given to the validation run alone, from the environment.
	env := uploadEnv(t)
	env["HASHGATE_DESTINATIONS_META_TEST_EVENT_CODE"] = "TEST4242"
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--validate", "--config", metaConfig(t, url, ""), exportFile(t, 3, "")); r.code != 0 || len(g.TestEvents()) != 3 {
		t.Fatalf("--validate with the code from the environment: exit %d, %d test events\n%s", r.code, len(g.TestEvents()), r.stderr)
	}
}

// TestARunRefusedAfterReadingLeavesNoRunInTheLedger: a refusal found while
// reading the export (no status value is a conversion status: exit 2)
// comes after the ledger was opened; the run it began is dropped, so
// `ledger list` shows only real nights.
func TestARunRefusedAfterReadingLeavesNoRunInTheLedger(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 2, "")); r.code != 0 {
		t.Fatalf("first night: exit %d\n%s", r.code, r.stderr)
	}
	in := filepath.Join(t.TempDir(), "export.csv")
	os.WriteFile(in, []byte("id,at,status,email,phone,first,last,consent\nR1,2026-11-22 10:00,done,zqr@example.com,0912-000-111,Zqa,Zqb,yes\n"), 0o600)
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, in)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "conversion.statuses") {
		t.Fatalf("refused run: exit %d\n%s", r.code, r.stderr)
	}
	l := runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--json", "--config", cfg)
	if l.code != 0 || strings.Count(l.stdout, `"started_at"`) != 1 || g.Requests() != 1 {
		t.Fatalf("ledger list after a refused run (want the first night only, %d requests):\n%s%s", g.Requests(), l.stdout, l.stderr)
	}
}

// TestTheSameSettingThreeRunsInARowStopsGoogle: Google fails every event
// of three consecutive runs with DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_
// TERMS_NOT_SIGNED — an account setting no resend can fix. The fourth
// night stops Google with exit 1 and names the setting, sending it nothing
// (Meta still gets its events); after the fix, --setting-fixed sends again.
func TestTheSameSettingThreeRunsInARowStopsGoogle(t *testing.T) {
	clk := &simClock{t: fixedNow}
	terms := "PROCESSING_ERROR_REASON_DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED"
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now, Processing: destinationtest.Processing{
		Event: func(int, map[string]any) (string, string) { return terms, "" }}}
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	mURL := g.Start(t).URL
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	export := exportFile(t, 4, "")
	for night := range 3 {
		// The first night exits 0; each later one finds the night
		// before's failures and exits 3 (failuresOutcome).
		want := ExitOK
		if night > 0 {
			want = ExitPartial
		}
		if r := runAt(t, clk, env, "upload", "--config", cfg, export); r.code != want || night > 0 && !strings.Contains(r.stderr, terms+" 4") {
			t.Fatalf("night %d: exit %d\n%s", night, r.code, r.stderr)
		}
		clk.Advance(24 * time.Hour)
	}
	sent := len(dm.Accepted())
	batches := len(dm.AcceptedBatches())
	r := runAt(t, clk, env, "upload", "--config", cfg, export)
	if r.code != ExitFailure || !strings.Contains(r.stderr, terms) || !strings.Contains(r.stderr, "Enhanced conversions") || !strings.Contains(r.stderr, "--setting-fixed") {
		t.Fatalf("fourth night: exit %d\n%s", r.code, r.stderr)
	}
	if len(dm.AcceptedBatches()) != batches || len(dm.Accepted()) != sent {
		t.Fatalf("Google got %d more requests after the stop", len(dm.AcceptedBatches())-batches)
	}
	if !strings.Contains(r.stderr, "meta:") {
		t.Errorf("Meta is not stopped by Google's setting:\n%s", r.stderr)
	}
	// status and ledger stats say the stop, its setting, and what waits:
	// status printed bare run headers, and ledger stats nothing of it.
	for _, cmd := range [][]string{{"status"}, {"ledger", "stats"}} {
		s := runAt(t, clk, env, append(cmd, "--config", cfg)...)
		if !strings.Contains(s.stdout, ": exit 1\n") || !strings.Contains(s.stdout, "google: stopped: refused before sending: "+terms) ||
			!strings.Contains(s.stdout, "--setting-fixed") || !strings.Contains(s.stdout, "google: 4 events wait until the stop above is fixed") {
			t.Errorf("%v after the stop:\n%s%s", cmd, s.stdout, s.stderr)
		}
	}
	if r := runAt(t, clk, env, "upload", "--setting-fixed", "--config", cfg, export); r.code != 0 || len(dm.AcceptedBatches()) != batches+1 {
		t.Fatalf("--setting-fixed: exit %d, %d new requests\n%s", r.code, len(dm.AcceptedBatches())-batches, r.stderr)
	}
}
