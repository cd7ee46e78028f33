package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/report"
)

// TestRequeueAfterTheSourceIsFixed, end to end with the Data Manager
// fake: Google fails one event in processing for good
// (CONVERSION_PRECEDES_CLICK); the next upload leaves it alone; the clinic
// fixes the row and requeues it; the upload after that sends it, and the
// ledger shows the failure, the requeue and the second request.
func TestRequeueAfterTheSourceIsFixed(t *testing.T) {
	const reason = "PROCESSING_ERROR_REASON_CONVERSION_PRECEDES_CLICK"
	f := failOneEvent(t, reason, 1, 6)
	clk, dm, env, cfg, export, run, id, fixed := f.clk, f.dm, f.env, f.cfg, f.export, f.run, f.id, &f.fixed

	// The next night, the row still wrong at the source: not sent.
	clk.Advance(24 * time.Hour)
	night := runAt(t, clk, env, "upload", "--config", cfg, export)
	if dm.Accepted()[id] != 1 || strings.Contains(night.stderr, "1 of 1 conversions ingested") {
		t.Fatalf("a final failure was resent without a requeue (%d ingests)\n%s", dm.Accepted()[id], night.stderr)
	}

	// Wrong calls name the argument, never echo it, and change nothing.
	const canary = "zqcanary@example.com"
	for _, args := range [][]string{
		{canary},
		{"--run", canary, "--reason", "CONVERSION_PRECEDES_CLICK"},
		{"--run", run, "--reason", canary},
		{"--run", run, "--reason", "CONVERSION_PRECEDES_CLICK", "--destination", canary},
		{"--run", run},
		{"--reason", "CONVERSION_PRECEDES_CLICK"},
		{"--run", run, "--reason", "CONVERSION_PRECEDES_CLICK", id},
		{},
	} {
		r := runAt(t, clk, env, append([]string{"ledger", "requeue", "--config", cfg}, args...)...)
		if r.code != ExitUsage || strings.Contains(r.stderr+r.stdout, canary) {
			t.Errorf("requeue %q: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	other := runAt(t, clk, env, "ledger", "requeue", "--config", cfg, "--run", run, "--reason", "INVALID_FORMAT")
	if other.code != ExitFailure || !strings.Contains(other.stderr, "nothing requeued") {
		t.Errorf("requeue of a reason the run does not hold: exit %d\n%s", other.code, other.stderr)
	}

	// Fixed at the source, requeued: the next upload sends it, once.
	fixed.Store(true)
	rq := runAt(t, clk, env, "ledger", "requeue", "--config", cfg, "--run", run, "--destination", "google", "--reason", "CONVERSION_PRECEDES_CLICK")
	if rq.code != 0 || !strings.Contains(rq.stderr, "requeued 1 events that google:1234567890/555000111 failed with CONVERSION_PRECEDES_CLICK") {
		t.Fatalf("requeue exit %d\n%s", rq.code, rq.stderr)
	}
	again := runAt(t, clk, env, "ledger", "requeue", "--config", cfg, id)
	if again.code != 0 || !strings.Contains(again.stderr, "were requeued before") {
		t.Errorf("second requeue: exit %d\n%s", again.code, again.stderr)
	}
	clk.Advance(time.Hour)
	next := runAt(t, clk, env, "upload", "--config", cfg, export)
	if next.code != 0 || !strings.Contains(next.stderr, "google: 1 of 1 conversions ingested") || dm.Accepted()[id] != 2 {
		t.Fatalf("after the requeue: exit %d, %d ingests\n%s", next.code, dm.Accepted()[id], next.stderr)
	}
	after := runAt(t, clk, env, "upload", "--config", cfg, export)
	if dm.Accepted()[id] != 2 {
		t.Errorf("the requeued event went out again a second time\n%s", after.stderr)
	}

	// The history: the failure with the requeue beside it in the first
	// run; the event ingested and processed in the run that resent it.
	ls := runAt(t, clk, env, "ledger", "list", "--run", run, "--config", cfg)
	if !strings.Contains(ls.stdout, id+"\tfailed\t"+reason+"; requeued ") {
		t.Errorf("ledger list --run %s:\n%s%s", run, ls.stdout, ls.stderr)
	}
	clk.Advance(40 * time.Minute)
	runAt(t, clk, env, "status", "--config", cfg)
	js := runAt(t, clk, env, "status", "--config", cfg, "--json")
	var doc struct {
		Runs []report.ProcessingRun `json:"runs"`
	}
	json.Unmarshal([]byte(js.stdout), &doc)
	var resent string
	for _, r := range doc.Runs {
		if r.RunID != run {
			resent = r.RunID
		}
	}
	if resent == "" {
		t.Fatalf("no run resent the event:\n%s", js.stdout)
	}
	ls2 := runAt(t, clk, env, "ledger", "list", "--run", resent, "--config", cfg)
	if !strings.Contains(ls2.stdout, id+"\tprocessed\t") {
		t.Errorf("ledger list --run %s:\n%s%s", resent, ls2.stdout, ls2.stderr)
	}
	st := runAt(t, clk, env, "ledger", "stats", "--config", cfg)
	if !strings.Contains(st.stdout, "failed 1, failed and sent again 0, still processing 0, no verdict 0; requeued by hand 1") {
		t.Errorf("ledger stats:\n%s", st.stdout)
	}
}

// TestLedgerRunArgumentsNameNoValue: every argument of ledger requeue and
// ledger list --run carries a canary; each refusal exits 2, names the
// flag or argument and prints none of them. A run id of the right form
// that the ledger does not hold is said as such (exit 1), by requeue and
// by list alike, not answered with an empty list or "nothing requeued".
func TestLedgerRunArgumentsNameNoValue(t *testing.T) {
	const canary = "ZQcanary0912"
	dir := t.TempDir()
	cfg := filepath.Join(dir, "ledger-only.yaml")
	emptyLedger(t, filepath.Join(dir, "ledger.db"))
	if err := os.WriteFile(cfg, []byte("ledger:\n  path: "+filepath.Join(dir, "ledger.db")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const run = "20261123T020000Z-a1b2c3"
	for _, args := range [][]string{
		{"requeue", "--run", canary, "--reason", "INVALID_FORMAT"},
		{"requeue", "--run", run, "--reason", canary},
		// A typo of a reason is refused, not "nothing requeued".
		{"requeue", "--run", run, "--reason", "CONVERSION_PRECEDES_CLIK"},
		{"requeue", "--run", run, "--reason", "INVALID_FORMAT", "--destination", canary + "!"},
		{"requeue", canary},
		{"requeue", "--run", run, "--reason", "INVALID_FORMAT", "--destination", "gogle"},
		{"requeue", "--run", run, "--reason", "INVALID_FORMAT", "--destination", "gogle:1234567890/555000111"},
		{"requeue", "3f1c2a9e0b7d4c6e8a5f1b2c3d4e5f60", canary},
		{"list", "--run", canary},
		{"list", "--run", run + canary},
	} {
		r := runCLI(t, nil, "", append([]string{"ledger", "--config", cfg}, args...)...)
		if r.code != ExitUsage {
			t.Errorf("%v: exit %d, want %d\n%s", args, r.code, ExitUsage, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, canary) {
			t.Errorf("%v echoes its value:\n%s%s", args, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, "--run") && !strings.Contains(r.stderr, "--reason") &&
			!strings.Contains(r.stderr, "--destination") && !strings.Contains(r.stderr, "argument ") {
			t.Errorf("%v: the refusal names no flag or argument:\n%s", args, r.stderr)
		}
	}
	for _, args := range [][]string{
		{"requeue", "--run", run, "--reason", "INVALID_FORMAT"},
		{"list", "--run", run},
		{"list", "--run", run, "--json"},
	} {
		r := runCLI(t, nil, "", append([]string{"ledger", "--config", cfg}, args...)...)
		if r.code != ExitFailure || !strings.Contains(r.stderr, "no run "+run+" in the ledger") {
			t.Errorf("%v on a ledger without that run: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
}

// failedEvent is an upload to the Data Manager fake in which Google failed
// one event in processing, with the run's status read 40 minutes later.
type failedEvent struct {
	clk                  *simClock
	dm                   *destinationtest.DataManager
	env                  map[string]string
	cfg, export, run, id string
	status               string // status --json
	fixed                atomic.Bool
}

// failOneEvent uploads an export of rows rows to Google alone; the fake
// fails event index i with reason until fixed is set.
func failOneEvent(t *testing.T, reason string, i, rows int) *failedEvent {
	t.Helper()
	f := &failedEvent{clk: &simClock{t: fixedNow}}
	var failedID atomic.Value
	f.dm = &destinationtest.DataManager{Token: googleBearer, Now: f.clk.Now, Processing: destinationtest.Processing{
		Event: func(j int, ev map[string]any) (string, string) {
			if j == i && !f.fixed.Load() {
				failedID.Store(ev["transactionId"])
				return reason, ""
			}
			return "", ""
		}}}
	gURL := f.dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: f.clk.Now}
	f.cfg = googleOnly(t, gURL, g.Start(t).URL, "")
	f.env = uploadEnv(t)
	f.export = exportFile(t, rows, "")
	if up := runAt(t, f.clk, f.env, "upload", "--config", f.cfg, f.export); up.code != 0 {
		t.Fatalf("upload exit %d\n%s", up.code, up.stderr)
	}
	f.clk.Advance(40 * time.Minute)
	js := runAt(t, f.clk, f.env, "status", "--config", f.cfg, "--json")
	var doc struct {
		Runs []report.ProcessingRun `json:"runs"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("status --json: %v\n%s%s", err, js.stdout, js.stderr)
	}
	f.run, f.status = doc.Runs[0].RunID, js.stdout
	f.id, _ = failedID.Load().(string)
	if f.id == "" {
		t.Fatal("the fake failed no event")
	}
	return f
}
