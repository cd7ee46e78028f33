package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/report"
)

// Advance moves the clock the fakes and hashgate share (simClock,
// upload_contract_test.go).
func (c *simClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// runAt runs hashgate like runGoogle, on clk.
func runAt(t *testing.T, clk *simClock, env map[string]string, args ...string) result {
	t.Helper()
	return runVia(t, clk, env, http.DefaultClient, args...)
}

// runVia runs hashgate as runAt does, through client.
func runVia(t *testing.T, clk *simClock, env map[string]string, client *http.Client, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	f := NewFactory(strings.NewReader(""), &out, &errOut)
	f.Now = clk.Now
	f.Getenv = func(k string) string { return env[k] }
	f.HTTPClient = func() (*http.Client, error) { return client, nil }
	f.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	f.GoogleTokenSource = func(context.Context, *config.Config) (oauth2.TokenSource, error) {
		return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: googleBearer}), nil
	}
	code := execute(context.Background(), f, args)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

// Processing after ingest: position 1 of every request fails for good
// (CLICK_NOT_FOUND), position 2 for now (TOO_RECENT_CLICK), position 3
// counts with a warning.
func processing(i int, _ map[string]any) (string, string) {
	switch i {
	case 1:
		return "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", ""
	case 2:
		return "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK", ""
	case 3:
		return "", "PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED"
	}
	return "", ""
}

func TestStatusAndTheMorningReport(t *testing.T) {
	clk := &simClock{t: fixedNow}
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now, Processing: destinationtest.Processing{Event: processing}}
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	mURL := g.Start(t).URL
	env := uploadEnv(t)
	// Exact coverage to compare with: under min_cell 5 its counts are
	// perturbed by the release rule (diagnostics' TestCoverageFollowsTheReleaseRule).
	env["HASHGATE_CHANNELS_MIN_CELL"] = "1"
	cfg := bothConfig(t, gURL, mURL, "")
	export := exportFile(t, 10, "")

	up := runAt(t, clk, env, "upload", "--config", cfg, export)
	if up.code != 0 || !strings.Contains(up.stderr, "google: 10 of 10 conversions ingested in 1 requests") {
		t.Fatalf("upload exit %d\n%s", up.code, up.stderr)
	}
	if !strings.Contains(up.stderr, "identifier coverage of the ingested: email 10 (100%), phone 10 (100%), click_id 0 (0%), address 10 (100%)") {
		t.Errorf("no coverage in the summary:\n%s", up.stderr)
	}

	// Ten minutes on: not due, nothing read.
	clk.Advance(10 * time.Minute)
	st := runAt(t, clk, env, "status", "--config", cfg)
	if st.code != 0 || dm.StatusReads() != 0 || !strings.Contains(st.stdout, "10 ingested; 0 processed ok, 0 failed, 10 still processing") {
		t.Fatalf("early status exit %d, %d reads\n%s%s", st.code, dm.StatusReads(), st.stdout, st.stderr)
	}

	// Forty minutes on: the verdict, per reason, and nothing called accepted.
	clk.Advance(30 * time.Minute)
	st = runAt(t, clk, env, "status", "--config", cfg)
	for _, want := range []string{
		"google:1234567890/555000111: 10 ingested; 8 processed ok, 2 failed, 0 still processing",
		"PROCESSING_ERROR_REASON_CLICK_NOT_FOUND  1",
		"PROCESSING_ERROR_REASON_TOO_RECENT_CLICK 1 (resent by the next upload)",
		"PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED 1",
		"identifier coverage: email 10 (100%)",
		"meta:998877: 10 ingested (Meta reports no processing verdict per event: events_received is all it says; offline match quality not available: dataset not in the offline beta or not reachable (Meta error 100/2044055)",
	} {
		if !strings.Contains(st.stdout, want) {
			t.Errorf("status lacks %q:\n%s%s", want, st.stdout, st.stderr)
		}
	}
	// Once the dataset is in Meta's offline Dataset Quality beta: the
	// composite score and Meta's recommendation per event name, through
	// the answer gate.
	g.OfflineBeta = true
	g.OfflineQuality = []map[string]any{{"event_name": "Purchase",
		"composite": map[string]any{"score": 6.8, "recommendation": "Send more phone numbers \x1b[2J" + metaToken}}}
	beta := runAt(t, clk, env, "status", "--config", cfg)
	if !strings.Contains(beta.stdout, "offline quality Purchase: 6.8/10 — Meta recommends: Send more phone numbers") ||
		strings.Contains(beta.stdout+beta.stderr, metaToken) || strings.Contains(beta.stdout+beta.stderr, "\x1b") {
		t.Errorf("status with the offline beta:\n%s%s", beta.stdout, beta.stderr)
	}
	bj := runAt(t, clk, env, "status", "--config", cfg, "--json")
	var bdoc struct {
		Runs []report.ProcessingRun `json:"runs"`
	}
	if err := json.Unmarshal([]byte(bj.stdout), &bdoc); err != nil || len(bdoc.Runs) != 1 {
		t.Fatalf("--json with the offline beta: %v\n%s", err, bj.stdout)
	}
	for _, d := range bdoc.Runs[0].Destinations {
		q := d.OfflineQuality
		switch {
		case strings.HasPrefix(d.Destination, "meta:") && (len(q) != 1 || q[0].EventName != "Purchase" || q[0].CompositeScore == nil || *q[0].CompositeScore != 6.8 ||
			!strings.HasPrefix(q[0].Recommendation, "Send more phone numbers") || strings.Contains(q[0].Recommendation, metaToken)):
			t.Errorf("meta offline_quality %+v", q)
		case strings.HasPrefix(d.Destination, "google:") && q != nil:
			t.Errorf("google has offline_quality %+v", q)
		}
	}
	g.OfflineBeta = false

	js := runAt(t, clk, env, "status", "--config", cfg, "--json")
	var doc struct {
		Runs []report.ProcessingRun `json:"runs"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("--json: %v\n%s", err, js.stdout)
	}
	runID := doc.Runs[0].RunID
	for _, d := range doc.Runs[0].Destinations {
		if strings.HasPrefix(d.Destination, "google") && (d.ProcessedOK != 8 || len(d.Failed) != 2 || len(d.Warnings) != 1 || d.StillProcessing != 0) {
			t.Errorf("JSON %+v", d)
		}
	}
	if !strings.Contains(js.stdout, `"processed_ok": 8`) || !strings.Contains(js.stdout, `"still_processing": 0`) {
		t.Errorf("--json keys:\n%s", js.stdout)
	}
	ls := runAt(t, clk, env, "ledger", "list", "--run", runID, "--config", cfg)
	if strings.Count(ls.stdout, "\tfailed\t") != 2 || strings.Contains(ls.stdout, "google:1234567890/555000111\t"+"accepted") || !strings.Contains(ls.stdout, "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND") {
		t.Errorf("ledger list --run:\n%s%s", ls.stdout, ls.stderr)
	}

	stats := runAt(t, clk, env, "ledger", "stats", "--config", cfg)
	if !strings.Contains(stats.stdout, "google:1234567890/555000111: ingested 10") ||
		!strings.Contains(stats.stdout, "processed ok 8, failed 1, failed and sent again 1, still processing 0") {
		t.Errorf("ledger stats:\n%s%s", stats.stdout, stats.stderr)
	}

	sj := runAt(t, clk, env, "ledger", "stats", "--json", "--config", cfg)
	if !strings.Contains(sj.stdout, `"failed_and_sent_again": 1`) || !strings.Contains(sj.stdout, `"ingested": 10`) || strings.Contains(sj.stdout, `"accepted"`) {
		t.Errorf("ledger stats --json:\n%s%s", sj.stdout, sj.stderr)
	}

	// The next night: the earlier run's processing leads the report, the
	// retryable failure is sent again, the final one is not.
	clk.Advance(24 * time.Hour)
	rep := filepath.Join(t.TempDir(), "run.json")
	night := runAt(t, clk, env, "upload", "--config", cfg, "--report", rep, export)
	// It finds the earlier run's failures (read first by the status
	// above): exit 3, once, for TOO_RECENT_CLICK; CLICK_NOT_FOUND, which
	// Google calls expected, is reported without setting the code.
	if night.code != ExitPartial || !strings.Contains(night.stderr, "1 event of earlier runs failed the platform's processing, found since the last upload: google PROCESSING_ERROR_REASON_TOO_RECENT_CLICK 1 (this upload sends them again)") {
		t.Fatalf("next night exit %d\n%s", night.code, night.stderr)
	}
	if !strings.Contains(night.stderr, "google: 1 of 1 conversions ingested") || !strings.Contains(night.stderr, "9 already ingested in earlier runs") {
		t.Errorf("the next night did not resend exactly the retryable failure:\n%s", night.stderr)
	}
	twice := 0
	for _, n := range dm.Accepted() {
		if n > 1 {
			twice++
		}
	}
	if len(dm.Accepted()) != 10 || twice != 1 {
		t.Errorf("Google ingested %d events, %d twice; want 10, 1 twice", len(dm.Accepted()), twice)
	}
	for _, want := range []string{"processing of earlier runs", "PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED 1", "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND"} {
		if !strings.Contains(night.stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, night.stderr)
		}
	}
	raw, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	var sum report.Summary
	if err := json.Unmarshal(raw, &sum); err != nil || len(sum.Processing) == 0 {
		t.Fatalf("report: %v\n%s", err, raw)
	}
	found := false
	for _, r := range sum.Processing {
		for _, d := range r.Destinations {
			for _, w := range d.Warnings {
				found = found || (w.Reason == "PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED" && w.Events == 1)
			}
		}
	}
	if !found || !bytes.Contains(raw, []byte(`"processing_of_earlier_runs"`)) {
		t.Errorf("the warning is not in the run report:\n%s", raw)
	}
}

// TestStatusAsksQualityOnlyOfTheConfigsDataset: Meta's offline quality is
// asked of the config's dataset; under a ledger destination the config
// does not name (another dataset_id since) it is not printed as that
// one's — it was, an error about dataset 111222 under meta:998877 (a
// review of the morning).
func TestStatusAsksQualityOnlyOfTheConfigsDataset(t *testing.T) {
	clk := &simClock{t: fixedNow}
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now, OfflineBeta: true,
		OfflineQuality: []map[string]any{{"event_name": "Purchase", "composite": map[string]any{"score": 6.8, "recommendation": "Send more phone numbers"}}}}
	cfg := metaConfig(t, g.Start(t).URL, "")
	env := uploadEnv(t)
	if up := runAt(t, clk, env, "upload", "--config", cfg, exportFile(t, 10, "")); up.code != 0 {
		t.Fatalf("upload exit %d\n%s", up.code, up.stderr)
	}
	same := runAt(t, clk, env, "status", "--config", cfg)
	if !strings.Contains(same.stdout, "offline quality Purchase: 6.8/10") {
		t.Fatalf("status under the same dataset:\n%s%s", same.stdout, same.stderr)
	}
	env["HASHGATE_DESTINATIONS_META_DATASET_ID"] = "111222"
	other := runAt(t, clk, env, "status", "--config", cfg)
	if other.code != 0 || !strings.Contains(other.stdout, "meta:998877") || strings.Contains(other.stdout, "6.8/10") ||
		strings.Contains(other.stdout, "Meta error 100") || !strings.Contains(other.stdout, "the config names meta:111222") {
		t.Errorf("status under another dataset:\n%s%s", other.stdout, other.stderr)
	}
}
