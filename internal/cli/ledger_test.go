package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/report"
)

// checkReport reads a --report file and checks that its numbers add up:
// rows read = used + excluded; per destination, conversions = accepted +
// quarantined + rejected + not sent + skipped as already accepted.
func checkReport(t *testing.T, path string) report.Summary {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s report.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	excluded := 0
	for _, n := range s.Excluded {
		excluded += n
	}
	if s.RowsRead != s.RowsUsed+excluded {
		t.Errorf("report: read %d != used %d + excluded %d", s.RowsRead, s.RowsUsed, excluded)
	}
	for _, u := range s.Uploads {
		got := u.Accepted + u.Unsent + u.SkippedAlreadyAccepted
		for _, n := range u.Quarantined {
			got += n
		}
		for _, n := range u.Rejected {
			got += n
		}
		if u.Conversions != got {
			t.Errorf("report %s: conversions %d != accepted %d + quarantined + rejected + not sent %d + skipped %d",
				u.Destination, u.Conversions, u.Accepted, u.Unsent, u.SkippedAlreadyAccepted)
		}
	}
	if s.InputSHA256 == "" || s.ConfigSHA256 == "" || s.ToolVersion == "" {
		t.Errorf("report lacks digests or version: %+v", s)
	}
	return s
}

func TestRerunAndOverlapSendOnlyWhatIsNew(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	rep := filepath.Join(t.TempDir(), "report.json")
	first := exportFile(t, 1500, "")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--report", rep, "--config", cfg, first); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	checkReport(t, rep)
	requests := g.Requests()
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--report", rep, "--config", cfg, first)
	if r.code != 0 || g.Requests() != requests {
		t.Fatalf("rerun: exit %d, %d new requests\n%s", r.code, g.Requests()-requests, r.stderr)
	}
	if s := checkReport(t, rep); s.Uploads[0].SkippedAlreadyAccepted != 1500 || s.Uploads[0].Accepted != 0 {
		t.Errorf("rerun report %+v", s.Uploads[0])
	}
	// Tomorrow's export overlaps today's: 1500 old rows and 700 new ones.
	var extra strings.Builder
	for i := 1500; i < 2200; i++ {
		fmt.Fprintf(&extra, "A%05d,2026-11-20 10:00,completed,zqpatient%d@example.com,0912-%03d-%03d,Zqfirst%d,Zqlast%d,yes\n", i, i, i%1000, i/1000, i, i)
	}
	r = runWithHTTP(t, http.DefaultClient, env, "upload", "--report", rep, "--config", cfg, exportFile(t, 1500, extra.String()))
	if r.code != 0 {
		t.Fatalf("overlap: exit %d\n%s", r.code, r.stderr)
	}
	s := checkReport(t, rep)
	if s.Uploads[0].Accepted != 700 || s.Uploads[0].SkippedAlreadyAccepted != 1500 {
		t.Errorf("overlap report %+v", s.Uploads[0])
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 2200)
	// ledger stats and list see it all, without personal data.
	st := runWithHTTP(t, http.DefaultClient, env, "ledger", "stats", "--config", cfg)
	if st.code != 0 || !strings.Contains(st.stdout, "meta:998877: ingested 2200") || !strings.Contains(st.stdout, "3 runs") {
		t.Errorf("ledger stats:\n%s%s", st.stdout, st.stderr)
	}
	ls := runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--config", cfg)
	if ls.code != 0 || strings.Count(ls.stdout, "\n") != 4 {
		t.Errorf("ledger list:\n%s%s", ls.stdout, ls.stderr)
	}
	rs := runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--run", s.RunID, "--config", cfg)
	if rs.code != 0 || strings.Count(rs.stdout, "\tmeta\t") != 0 || strings.Count(rs.stdout, "\n") != 701 {
		t.Errorf("ledger list --run: %d lines\n%s", strings.Count(rs.stdout, "\n"), rs.stderr)
	}
}

func TestTwoRunsAtOnce(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	g, url := metaFake(t, func(n int, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			arrived <- struct{}{}
			<-release
		}
		return false
	})
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	export := exportFile(t, 300, "")
	rep := filepath.Join(t.TempDir(), "first.json")
	var first result
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		first = runWithHTTP(t, http.DefaultClient, env, "upload", "--report", rep, "--config", cfg, export)
	}()
	<-arrived // the first run holds the ledger and has a request in flight
	second := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export)
	close(release)
	wg.Wait()
	if second.code != ExitLocked || !strings.Contains(second.stderr, "an upload, status or a ledger command is using it") {
		t.Fatalf("second run: exit %d, want 4\n%s", second.code, second.stderr)
	}
	if first.code != 0 {
		t.Fatalf("first run: exit %d\n%s", first.code, first.stderr)
	}
	if g.Requests() != 1 || len(g.Accepted()) != 300 {
		t.Fatalf("requests %d, accepted %d", g.Requests(), len(g.Accepted()))
	}
	if s := checkReport(t, rep); s.ExitCode != 0 || s.Uploads[0].Accepted != 300 {
		t.Errorf("first run's report: %+v", s)
	}
}

func TestLedgerHoldsNoPersonalData(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	rep := filepath.Join(t.TempDir(), "r.json")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--report", rep, "--config", cfg, exportFile(t, 200, "")); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if len(g.Accepted()) != 200 {
		t.Fatal("upload incomplete")
	}
	checkReport(t, rep)
	dir := filepath.Join(env["XDG_STATE_HOME"], "hashgate")
	var all []byte
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			all = append(all, b...)
		}
		return nil
	})
	if len(all) < 4096 {
		t.Fatalf("state directory nearly empty (%d bytes): the ledger was not written", len(all))
	}
	low := strings.ToLower(string(all))
	for i := 0; i < 200; i++ {
		for _, c := range []string{fmt.Sprintf("zqpatient%d@", i), fmt.Sprintf("zqfirst%d", i), fmt.Sprintf("a%05d,", i),
			fmt.Sprintf("0912-%03d-%03d", i%1000, i/1000), fmt.Sprintf("886912%03d%03d", i%1000, i/1000)} {
			if strings.Contains(low, c) {
				t.Fatalf("state directory (ledger, reports) holds %q", c)
			}
		}
	}
}

// hashgateBinary builds the real binary once, for the tests that kill it;
// TestMain removes it (removeBinary).
var hashgateBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "hashgate-bin-")
	if err != nil {
		return "", err
	}
	binaryDir.Store(&dir)
	bin := filepath.Join(dir, "hashgate")
	out, err := exec.Command("go", "build", "-o", bin, "../../cmd/hashgate").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// binaryDir is where hashgateBinary built, once it has.
var binaryDir atomic.Pointer[string]

func removeBinary() {
	if d := binaryDir.Load(); d != nil {
		os.RemoveAll(*d)
	}
}

// TestKilledRunIsCompletedByTheNext kills a real hashgate process with
// SIGKILL at three points and reruns it: every event must end up at the
// platform, and none twice except the batch whose answer the dead process
// never read — resent under the same event ids, which Meta deduplicates.
func TestKilledRunIsCompletedByTheNext(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real process; run without -short")
	}
	bin, err := hashgateBinary()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		// arm sets the fake up to signal `kill` at the chosen moment.
		arm func(g *destinationtest.Graph, kill chan<- struct{}, armed *atomic.Bool)
		// resent is how many events may legitimately reach Meta twice.
		resent int
	}{
		{"during a request, before Meta processed it", func(g *destinationtest.Graph, kill chan<- struct{}, armed *atomic.Bool) {
			g.Fault = func(n int, w http.ResponseWriter, r *http.Request) bool {
				if n != 2 || !armed.Load() {
					return false
				}
				kill <- struct{}{}
				<-r.Context().Done() // the client dies with the request open
				return true
			}
		}, 0},
		{"after Meta processed a batch, before the answer (no record of it)", func(g *destinationtest.Graph, kill chan<- struct{}, armed *atomic.Bool) {
			g.AfterAccept = func(n int, r *http.Request) {
				if n == 2 && armed.Load() {
					kill <- struct{}{}
					<-r.Context().Done()
				}
			}
		}, 1000},
		{"between batches, right after an answer", func(g *destinationtest.Graph, kill chan<- struct{}, armed *atomic.Bool) {
			g.AfterAnswer = func(n int) {
				if n == 2 && armed.Load() {
					kill <- struct{}{}
				}
			}
		}, 1000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877"}
			kill := make(chan struct{}, 1)
			var armed atomic.Bool
			armed.Store(true)
			tc.arm(g, kill, &armed)
			srv := g.Start(t)
			env := uploadEnv(t)
			cfg := metaConfig(t, srv.URL, "    concurrency: 1\n")
			// Real clock in the child: appointments two days ago.
			day := time.Now().In(mustZone(t, "Asia/Taipei")).AddDate(0, 0, -2).Format("2006-01-02")
			var rows strings.Builder
			rows.WriteString("id,at,status,email,phone,first,last,consent\n")
			for i := 0; i < 3500; i++ {
				fmt.Fprintf(&rows, "K%05d,%s 10:00,completed,zqkill%d@example.com,0912-%03d-%03d,Zq,Zq,yes\n", i, day, i, i%1000, i/1000)
			}
			export := filepath.Join(t.TempDir(), "export.csv")
			os.WriteFile(export, []byte(rows.String()), 0o600)

			cmd := exec.Command(bin, "upload", "--config", cfg, export)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
			for k, v := range env {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-kill:
				cmd.Process.Signal(syscall.SIGKILL)
			case err := <-done:
				t.Fatalf("the run ended before the kill point: %v\n%s", err, stderr.String())
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the kill point was never reached")
			}
			<-done
			armed.Store(false)

			rep := filepath.Join(t.TempDir(), "report.json")
			rerun := exec.Command(bin, "upload", "--report", rep, "--config", cfg, export)
			rerun.Env = cmd.Env
			if out, err := rerun.CombinedOutput(); err != nil {
				t.Fatalf("rerun: %v\n%s", err, out)
			}
			checkReport(t, rep)
			acc := g.Accepted()
			if len(acc) != 3500 {
				t.Fatalf("%d distinct events at Meta, want 3500", len(acc))
			}
			twice := 0
			for _, n := range acc {
				if n > 2 {
					t.Fatalf("an event reached Meta %d times", n)
				}
				if n == 2 {
					twice++
				}
			}
			if twice > tc.resent {
				t.Fatalf("%d events resent, at most %d may be (the batch in flight at the kill)", twice, tc.resent)
			}
		})
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	for _, tty := range []bool{false, true} {
		_, url := metaFake(t, func(n int, w http.ResponseWriter, r *http.Request) bool {
			time.Sleep(400 * time.Millisecond) // long enough for the display to tick
			return false
		})
		var out, errOut strings.Builder
		f := NewFactory(strings.NewReader(""), &out, &errOut)
		env := uploadEnv(t)
		f.Getenv = func(k string) string { return env[k] }
		f.Now = func() time.Time { return fixedNow }
		f.HTTPClient = func() (*http.Client, error) { return http.DefaultClient, nil }
		f.IsTerminal = func() bool { return tty }
		code := execute(context.Background(), f, []string{"upload", "--config", metaConfig(t, url, ""), exportFile(t, 50, "")})
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, errOut.String())
		}
		if shown := strings.Contains(errOut.String(), "\r\033[Kreading "); shown != tty {
			t.Errorf("terminal %v: progress shown %v\n%q", tty, shown, errOut.String())
		}
	}
}

// TestUpgradeFromPerEventLedger builds a ledger as hashgate wrote it before
// destinations were told apart (schema 1: one row per event, keyed by
// platform name) holding yesterday's upload, then uploads the same export
// with this hashgate: nothing may be sent again, and the old rows belong to
// the configured dataset from then on.
func TestUpgradeFromPerEventLedger(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	path := filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db")
	os.MkdirAll(filepath.Dir(path), 0o700)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	// Schema 1 as it shipped, and Record's statement, verbatim.
	if _, err := db.Exec(`CREATE TABLE runs (
		id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, tool_version TEXT NOT NULL,
		input_sha256 TEXT NOT NULL DEFAULT '', config_sha256 TEXT NOT NULL DEFAULT '', exit_code INTEGER, report TEXT);
	CREATE TABLE events (
		destination TEXT NOT NULL, event_id TEXT NOT NULL, run_id TEXT NOT NULL,
		state TEXT NOT NULL CHECK (state IN ('sent', 'accepted', 'rejected', 'quarantined')),
		reason TEXT NOT NULL DEFAULT '', request_id TEXT NOT NULL DEFAULT '',
		first_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (destination, event_id)) WITHOUT ROWID;
	CREATE INDEX events_run ON events (run_id);
	CREATE INDEX events_updated ON events (updated_at);
	PRAGMA user_version = 1;
	INSERT INTO runs (id, started_at, tool_version) VALUES ('20261121T030000Z-abcdef', '2026-11-21T03:00:00Z', 'v0.old');`); err != nil {
		t.Fatal(err)
	}
	tx, _ := db.Begin()
	ids := eventid.NewDeriver(env["HASHGATE_SECRET"])
	yesterday := fixedNow.AddDate(0, 0, -1).UTC().Format(time.RFC3339Nano)
	for i := 0; i < 1200; i++ {
		id, _ := ids.Derive(fmt.Sprintf("A%05d", i))
		state := "accepted"
		if i >= 1000 {
			state = "sent" // the second batch's answer was never recorded
		}
		if _, err := tx.Exec(`INSERT INTO events (destination, event_id, run_id, state, reason, request_id, first_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (destination, event_id) DO UPDATE SET
				run_id = excluded.run_id, state = excluded.state, reason = excluded.reason,
				request_id = excluded.request_id, updated_at = excluded.updated_at
			WHERE events.state != 'accepted'`, "meta", string(id), "20261121T030000Z-abcdef", state, "", "fbtrace-old", yesterday, yesterday); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()

	cfg := metaConfig(t, url, "")
	rep := filepath.Join(t.TempDir(), "report.json")
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--report", rep, "--config", cfg, exportFile(t, 1500, ""))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	s := checkReport(t, rep)
	if u := s.Uploads[0]; u.SkippedAlreadyAccepted != 1000 || u.Accepted != 500 {
		t.Fatalf("after the upgrade: skipped %d, accepted %d; want 1000 and the 500 never accepted", u.SkippedAlreadyAccepted, u.Accepted)
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 500)
	st := runWithHTTP(t, http.DefaultClient, env, "ledger", "stats", "--config", cfg)
	if !strings.Contains(st.stdout, "meta:998877: ingested 1500, sent 0") || !strings.Contains(st.stdout, "meta entries from before destinations were told apart belong to meta:998877") {
		t.Errorf("ledger stats after the upgrade:\n%s%s", st.stdout, st.stderr)
	}
}

// TestAnotherDatasetIsSentTo points the config at another dataset: what
// the first one accepted is sent to the second, not skipped.
func TestAnotherDatasetIsSentTo(t *testing.T) {
	first, url := metaFake(t, nil)
	env := uploadEnv(t)
	export := exportFile(t, 300, "")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", metaConfig(t, url, ""), export); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	second := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "111222", Now: func() time.Time { return fixedNow }}
	cfg := metaConfig(t, second.Start(t).URL, "")
	os.WriteFile(cfg, []byte(strings.Replace(mustRead(t, cfg), `dataset_id: "998877"`, `dataset_id: "111222"`, 1)), 0o600)
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	destinationtest.ExactlyOnce(t, first.Accepted(), 300)
	destinationtest.ExactlyOnce(t, second.Accepted(), 300)
}

// TestValidateOnlyThenRealRun: a validate-only run records nothing as
// accepted, so the real run that follows sends every event to Google.
func TestValidateOnlyThenRealRun(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := googleEnv(t)
	export := exportFile(t, 50, "")
	r := runGoogle(t, env, "", true, "upload", "--validate", "--config", bothConfig(t, gURL, mURL, ""), export)
	if r.code != 0 || dm.ValidateOnlyRequests() != 1 || len(dm.Accepted()) != 0 {
		t.Fatalf("validate: exit %d, validate-only requests %d\n%s", r.code, dm.ValidateOnlyRequests(), r.stderr)
	}
	r = runGoogle(t, env, "", true, "upload", "--config", bothConfig(t, gURL, mURL, ""), export)
	if r.code != 0 {
		t.Fatalf("real run: exit %d\n%s", r.code, r.stderr)
	}
	destinationtest.ExactlyOnce(t, dm.Accepted(), 50)
	st := runGoogle(t, env, "", true, "ledger", "stats", "--config", bothConfig(t, gURL, mURL, ""))
	if !strings.Contains(st.stdout, "google:1234567890/555000111: ingested 50, sent 0, rejected 0, not sent 0, quarantined 0, kept back 0, validated 0") {
		t.Errorf("ledger stats:\n%s%s", st.stdout, st.stderr)
	}
}

// TestLedgerForgetRefusesAFutureDate: --before 2099-01-01 would wipe the
// ledger and make the next run resend everything.
func TestLedgerForgetRefusesAFutureDate(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 20, "")); r.code != 0 {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	for _, date := range []string{"2099-01-01", "2026-11-24"} { // the test clock's today is 2026-11-23
		r := runWithHTTP(t, http.DefaultClient, env, "ledger", "forget", "--before", date, "--config", cfg)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "future") {
			t.Errorf("forget --before %s: exit %d\n%s", date, r.code, r.stderr)
		}
	}
	if r := runWithHTTP(t, http.DefaultClient, env, "ledger", "forget", "--before", "2026-01-01", "--config", cfg); r.code != ExitOK {
		t.Errorf("forget --before a past date: exit %d\n%s", r.code, r.stderr)
	}
	requests := g.Requests()
	if r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 20, "")); r.code != 0 || g.Requests() != requests {
		t.Errorf("rerun after the refused forget sent %d requests (exit %d)", g.Requests()-requests, r.code)
	}
}

// TestLedgerForgetReadsTheClinicsDay: --before names a day, and the day is
// the clinic's (timezone), as everywhere else hashgate reads one; it was
// the machine's, which the config refuses as a timezone (a DST review).
// An event ingested at 04:00 on the 24th in Taipei (20:00 UTC on the
// 23rd) is not "before the 24th".
func TestLedgerForgetReadsTheClinicsDay(t *testing.T) {
	clk := &simClock{t: time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC)}
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	cfg := metaConfig(t, g.Start(t).URL, "")
	env := uploadEnv(t)
	export := exportFile(t, 5, "")
	if r := runAt(t, clk, env, "upload", "--config", cfg, export); r.code != 0 {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	clk.Advance(10 * time.Hour) // 14:00 on the 24th in Taipei
	r := runAt(t, clk, env, "ledger", "forget", "--before", "2026-11-24", "--allow-resend", "--config", cfg)
	if r.code != 0 || !strings.Contains(r.stderr, "forgot 0 events") {
		t.Errorf("forget --before the clinic's today: exit %d; want nothing forgotten\n%s", r.code, r.stderr)
	}
}
