package cli

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/report"
)

// TestRequeueByReasonUnknown: Google fails an event with a processing
// reason hashgate does not know (one Google added later): status counts
// it under unknown, final, and the next upload leaves it alone. `ledger
// requeue --run R --reason unknown` selects it as it selects any reason —
// the never-twice guarantees are the same: requeued once, sent once more
// by the next upload (under its transactionId: an adjustment if Google
// holds it after all), a second requeue changes nothing.
func TestRequeueByReasonUnknown(t *testing.T) {
	clk := &simClock{t: fixedNow}
	var fixed atomic.Bool
	var failedID atomic.Value
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now, Processing: destinationtest.Processing{
		Event: func(i int, ev map[string]any) (string, string) {
			if i == 2 && !fixed.Load() {
				failedID.Store(ev["transactionId"])
				return "PROCESSING_ERROR_REASON_ADDED_LATER_BY_GOOGLE", ""
			}
			return "", ""
		}}}
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	cfg := googleOnly(t, gURL, g.Start(t).URL, "")
	env := uploadEnv(t)
	export := exportFile(t, 5, "")

	if up := runAt(t, clk, env, "upload", "--config", cfg, export); up.code != 0 {
		t.Fatalf("upload exit %d\n%s", up.code, up.stderr)
	}
	clk.Advance(40 * time.Minute)
	js := runAt(t, clk, env, "status", "--config", cfg, "--json")
	var doc struct {
		Runs []report.ProcessingRun `json:"runs"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("status --json: %v\n%s%s", err, js.stdout, js.stderr)
	}
	run := doc.Runs[0].RunID
	id, _ := failedID.Load().(string)
	if id == "" {
		t.Fatal("the fake failed no event")
	}
	if !strings.Contains(js.stdout, `"unknown"`) || strings.Contains(js.stdout, "ADDED_LATER") {
		t.Fatalf("status does not count the reason under unknown:\n%s", js.stdout)
	}

	clk.Advance(24 * time.Hour)
	runAt(t, clk, env, "upload", "--config", cfg, export)
	if dm.Accepted()[id] != 1 {
		t.Fatalf("a failure under an unknown reason was resent without a requeue (%d ingests)", dm.Accepted()[id])
	}

	fixed.Store(true)
	rq := runAt(t, clk, env, "ledger", "requeue", "--config", cfg, "--run", run, "--reason", "unknown")
	if rq.code != 0 || !strings.Contains(rq.stderr, "requeued 1 events that google:1234567890/555000111 failed with unknown") {
		t.Fatalf("requeue --reason unknown: exit %d\n%s", rq.code, rq.stderr)
	}
	again := runAt(t, clk, env, "ledger", "requeue", "--config", cfg, "--run", run, "--reason", "unknown")
	if again.code != 0 || !strings.Contains(again.stderr, "were requeued before") {
		t.Errorf("second requeue: exit %d\n%s", again.code, again.stderr)
	}
	clk.Advance(time.Hour)
	next := runAt(t, clk, env, "upload", "--config", cfg, export)
	if next.code != 0 || !strings.Contains(next.stderr, "google: 1 of 1 conversions ingested") || dm.Accepted()[id] != 2 {
		t.Fatalf("after the requeue: exit %d, %d ingests\n%s", next.code, dm.Accepted()[id], next.stderr)
	}
	clk.Advance(time.Hour)
	runAt(t, clk, env, "upload", "--config", cfg, export)
	if dm.Accepted()[id] != 2 {
		t.Errorf("the requeued event went out a third time (%d ingests)", dm.Accepted()[id])
	}
	// UNKNOWN in capitals is no reason Google reports: a typo, exit 2.
	if r := runAt(t, clk, env, "ledger", "requeue", "--config", cfg, "--run", run, "--reason", "UNKNOWN"); r.code != ExitUsage {
		t.Errorf("--reason UNKNOWN: exit %d\n%s", r.code, r.stderr)
	}
}
