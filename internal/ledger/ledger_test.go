package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

var (
	meta   = Destination{Key: DestinationKey("meta", "998877"), MaxAge: 62 * 24 * time.Hour}
	google = Destination{Key: DestinationKey("google", "1234567890/555000111"), MaxAge: 90 * 24 * time.Hour}
	t0     = time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
)

func open(t *testing.T, path string, o Options) *Ledger {
	t.Helper()
	l, err := Open(context.Background(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// evIDs derives n real event ids (HMACs), from order ids prefix0…
func evIDs(prefix string, n int) []eventid.ID {
	d := eventid.NewDeriver("ledger-test")
	out := make([]eventid.ID, n)
	for i := range out {
		out[i], _ = d.Derive(fmt.Sprintf("%s%d", prefix, i))
	}
	return out
}

// collect is a sink that keeps what it is given.
type collect struct{ got []*conversion.Conversion }

func (c *collect) Write(cv *conversion.Conversion) error { c.got = append(c.got, cv); return nil }
func (c *collect) Close() error                          { return nil }

// filterPasses runs ids (events at time at) for platform p through a new
// Filter and returns how many it passed on.
func filterPasses(t *testing.T, l *Ledger, dests map[platform.Platform]Destination, p platform.Platform, at time.Time, ids []eventid.ID) int {
	t.Helper()
	var c collect
	f, err := NewFilter(context.Background(), l, dests, &c)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if err := f.Write(&conversion.Conversion{Platform: p, EventID: id, Time: at}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Finish(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if f.Skipped(p)+len(c.got) != len(ids) {
		t.Fatalf("skipped %d + passed %d != %d", f.Skipped(p), len(c.got), len(ids))
	}
	return len(c.got)
}

func send(t *testing.T, l *Ledger, run string, d Destination, ids []eventid.ID, state, reason string) Request {
	t.Helper()
	ctx := context.Background()
	r, err := l.Sending(ctx, run, d, ids)
	if err != nil {
		t.Fatal(err)
	}
	if state != StateSent {
		if err := l.Answered(ctx, r, state, reason, "req"); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func clock(t *time.Time) Options { return Options{Now: func() time.Time { return *t }} }

func TestAcceptedIsNeverDowngraded(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ids := evIDs("A", 2)
	send(t, l, run, meta, ids, StateSent, "")
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	if n := filterPasses(t, l, dests, platform.Meta, t0, ids); n != 2 {
		t.Fatalf("sent without an answer is not accepted: passed %d of 2", n)
	}
	send(t, l, run, meta, ids[:1], StateAccepted, "")
	// A late failure for an event another request got accepted changes nothing.
	send(t, l, run, meta, ids, StateRejected, "retries_exhausted")
	if n := filterPasses(t, l, dests, platform.Meta, t0, ids); n != 1 {
		t.Fatalf("passed %d, want only the unaccepted one", n)
	}
	if n := filterPasses(t, l, map[platform.Platform]Destination{platform.Google: google}, platform.Google, t0, ids); n != 2 {
		t.Fatal("acceptance leaked across destinations")
	}
	st, err := l.Stats(ctx)
	if err != nil || st.Events[meta.Key][StateAccepted] != 1 || st.Events[meta.Key][StateRejected] != 1 || st.Events[meta.Key][StateSent] != 0 || st.SchemaVers != len(migrations) {
		t.Fatalf("stats %+v %v", st, err)
	}
	if err := l.Answered(ctx, Request{id: 1}, "acepted", "", ""); err == nil {
		t.Error("a misspelt state was recorded")
	}
}

func TestAnotherAccountOrDatasetIsSentTo(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("B", 50)
	send(t, l, "run", meta, ids, StateAccepted, "")
	send(t, l, "run", google, ids, StateAccepted, "")
	for _, tc := range []struct {
		p    platform.Platform
		d    Destination
		pass int
	}{
		{platform.Meta, meta, 0},
		{platform.Meta, Destination{Key: DestinationKey("meta", "111222")}, 50},
		{platform.Google, google, 0},
		{platform.Google, Destination{Key: DestinationKey("google", "1234567890/999")}, 50},
		{platform.Google, Destination{Key: DestinationKey("google", "9994567890/555000111")}, 50},
	} {
		if n := filterPasses(t, l, map[platform.Platform]Destination{tc.p: tc.d}, tc.p, t0, ids); n != tc.pass {
			t.Errorf("%s: passed %d, want %d", tc.d.Key, n, tc.pass)
		}
	}
}

func TestATestRunNeverCountsAsAccepted(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("V", 30)
	dests := map[platform.Platform]Destination{platform.Google: google}
	test := google
	test.Test = true
	send(t, l, "validate", test, ids, StateAccepted, "")
	if n := filterPasses(t, l, dests, platform.Google, t0, ids); n != 30 {
		t.Fatalf("after a validate-only run, %d of 30 would be sent", n)
	}
	st, _ := l.Stats(ctx)
	if st.Events[google.Key][StateValidated] != 30 || st.Events[google.Key][StateAccepted] != 0 {
		t.Fatalf("stats after validation: %+v", st.Events)
	}
	send(t, l, "real", google, ids, StateAccepted, "")
	if n := filterPasses(t, l, dests, platform.Google, t0, ids); n != 0 {
		t.Fatalf("after the real run, %d would be sent again", n)
	}
	st, _ = l.Stats(ctx)
	if st.Events[google.Key][StateValidated] != 0 || st.Events[google.Key][StateAccepted] != 30 {
		t.Fatalf("stats after the real run: %+v", st.Events)
	}
}

func TestWindowAndOlderAcceptances(t *testing.T) {
	now := t0.AddDate(0, 0, -200)
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	old, recent, fresh := evIDs("O", 40), evIDs("R", 40), evIDs("F", 40)
	send(t, l, "old", google, old, StateAccepted, "") // 200 days ago
	now = t0.AddDate(0, 0, -30)
	send(t, l, "recent", google, recent, StateAccepted, "")
	now = t0
	dests := map[platform.Platform]Destination{platform.Google: google}
	// Old conversions are judged by the lazily loaded older acceptances;
	// recent ones by the window set; neither leaks into the other.
	if n := filterPasses(t, l, dests, platform.Google, t0.AddDate(0, 0, -201), append(append([]eventid.ID{}, old...), fresh...)); n != 40 {
		t.Errorf("old conversions: passed %d, want the 40 never accepted", n)
	}
	if n := filterPasses(t, l, dests, platform.Google, t0.AddDate(0, 0, -31), append(append([]eventid.ID{}, recent...), fresh...)); n != 40 {
		t.Errorf("recent conversions: passed %d, want 40", n)
	}
	// An event whose time lies past the window but that was accepted
	// within it (sent late in its window) is still found.
	if n := filterPasses(t, l, dests, platform.Google, t0.AddDate(0, 0, -120), recent); n != 0 {
		t.Errorf("old-dated, recently accepted: passed %d", n)
	}
	// A clock or time zone that put an event days after its sending.
	if n := filterPasses(t, l, dests, platform.Google, t0.AddDate(0, 0, -27), recent); n != 0 {
		t.Errorf("skewed: passed %d", n)
	}
}

func TestSplitBatchAndOrder(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	ids := evIDs("S", 1000)
	send(t, l, run, meta, ids, StateSent, "") // rejected as a whole, then split
	send(t, l, run, meta, ids[:500], StateAccepted, "")
	send(t, l, run, meta, ids[500:999], StateAccepted, "")
	send(t, l, run, meta, ids[999:], StateQuarantined, "rejected_by_platform")
	if err := l.NotSent(ctx, run, meta, evIDs("Q", 3), StateQuarantined, "event_too_old"); err != nil {
		t.Fatal(err)
	}
	runs, err := l.Runs(ctx, 10)
	if err != nil || len(runs) != 1 {
		t.Fatal(runs, err)
	}
	if e := runs[0].Events; e[StateAccepted] != 999 || e[StateQuarantined] != 4 || e[StateSent] != 0 || runs[0].Requests != 4 {
		t.Fatalf("run counts %+v, %d requests", e, runs[0].Requests)
	}
	evs, err := l.Events(ctx, run)
	if err != nil || len(evs) != 1003 {
		t.Fatalf("%d events, %v", len(evs), err)
	}
	reqs, err := l.Requests(ctx, run)
	if err != nil || len(reqs) != 5 {
		t.Fatalf("%d requests, %v", len(reqs), err)
	}
	for i, id := range ids[500:999] {
		if reqs[2].EventIDs[i] != string(id) {
			t.Fatalf("request 3 event %d is %s, want %s: batch order lost", i, reqs[2].EventIDs[i], id)
		}
	}
	if reqs[0].State != StateSent || reqs[4].Sent || reqs[4].Reason != "event_too_old" {
		t.Errorf("requests %+v %+v", reqs[0], reqs[4])
	}
}

// TestMigrationFromV1 builds a ledger with the schema-1 SQL and statements
// hashgate used before, opens it with this code, and checks that nothing
// accepted would be sent again, to the identity the config has.
func TestMigrationFromV1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "l.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(schemaV1 + "; PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	accM, accG, sent, rej := evIDs("M", 1200), evIDs("G", 1200), evIDs("S", 10), evIDs("X", 5)
	ins := func(dest, run, state, reason, req string, ids []eventid.ID, at time.Time) {
		ts := at.Format(time.RFC3339Nano)
		tx, err := db.Begin() // as Record did: one transaction per batch
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Commit()
		for _, id := range ids {
			if _, err := tx.Exec(`INSERT INTO events (destination, event_id, run_id, state, reason, request_id, first_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (destination, event_id) DO UPDATE SET
					run_id = excluded.run_id, state = excluded.state, reason = excluded.reason,
					request_id = excluded.request_id, updated_at = excluded.updated_at
				WHERE events.state != 'accepted'`, dest, string(id), run, state, reason, req, ts, ts); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := db.Exec(`INSERT INTO runs (id, started_at, tool_version) VALUES ('20261110T030000Z-aaaaaa', '2026-11-10T03:00:00Z', 'v0')`); err != nil {
		t.Fatal(err)
	}
	ins("meta", "20261110T030000Z-aaaaaa", StateAccepted, "", "fbtrace1", accM, t0.AddDate(0, 0, -10))
	ins("google", "20261110T030000Z-aaaaaa", StateAccepted, "", "g1", accG, t0.AddDate(0, 0, -10))
	ins("google", "20261110T030000Z-aaaaaa", StateSent, "", "", sent, t0.AddDate(0, 0, -10))
	ins("google", "20261110T030000Z-aaaaaa", StateRejected, "retries_exhausted", "", rej, t0.AddDate(0, 0, -10))
	ins("google", "20261110T030000Z-aaaaaa", StateAccepted, "", "g2", rej[:2], t0.AddDate(0, 0, -9)) // accepted later
	db.Close()

	now := t0
	l := open(t, path, clock(&now))
	st, err := l.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.SchemaVers != len(migrations) || st.Events["meta"][StateAccepted] != 1200 || st.Events["google"][StateAccepted] != 1202 ||
		st.Events["google"][StateSent] != 10 || st.Events["google"][StateRejected] != 3 || st.Runs != 1 {
		t.Fatalf("migrated stats %+v", st)
	}
	both := map[platform.Platform]Destination{platform.Meta: meta, platform.Google: google}
	if n := filterPasses(t, l, both, platform.Meta, t0.AddDate(0, 0, -11), accM); n != 0 {
		t.Fatalf("%d Meta events accepted before the upgrade would be sent again", n)
	}
	if n := filterPasses(t, l, both, platform.Google, t0.AddDate(0, 0, -11), accG); n != 0 {
		t.Fatalf("%d Google events accepted before the upgrade would be sent again", n)
	}
	if n := filterPasses(t, l, both, platform.Google, t0.AddDate(0, 0, -11), append(append([]eventid.ID{}, sent...), rej...)); n != 13 {
		t.Fatalf("unanswered and rejected events: %d passed, want 13", n)
	}
	st, _ = l.Stats(ctx)
	if st.Events[meta.Key][StateAccepted] != 1200 || st.Events[google.Key][StateAccepted] != 1202 || st.Adopted["meta"] == "" || st.Adopted["google"] == "" {
		t.Fatalf("after adoption %+v", st)
	}
	// Adoption happens once: a second dataset starts empty.
	other := map[platform.Platform]Destination{platform.Meta: {Key: DestinationKey("meta", "5555")}}
	if n := filterPasses(t, l, other, platform.Meta, t0, accM); n != 1200 {
		t.Fatalf("another dataset: %d passed, want 1200", n)
	}
	l.Close()
	l = open(t, path, clock(&now)) // reopening migrates nothing twice
	if n := filterPasses(t, l, both, platform.Meta, t0, accM); n != 0 {
		t.Fatalf("after reopening, %d passed", n)
	}
}

// metaRecorder opens a fresh ledger at t0, starts a run and returns a
// Recorder of its Meta requests.
func metaRecorder(t *testing.T) (*Ledger, string, *Recorder) {
	t.Helper()
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	return l, run, NewRecorder(ctx, l, run, map[platform.Platform]Destination{platform.Meta: meta})
}

func TestRecorderPairsAnswersWithRequests(t *testing.T) {
	ctx := context.Background()
	l, run, rec := metaRecorder(t)
	var batch []*conversion.Conversion
	for _, id := range evIDs("R", 8) {
		batch = append(batch, &conversion.Conversion{Platform: platform.Meta, EventID: id, Time: t0})
	}
	// The whole batch is rejected and split; its halves are answered in
	// the reverse order.
	for _, b := range [][]*conversion.Conversion{batch, batch[:4], batch[4:]} {
		if err := rec.Sending(platform.Meta, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Sent(platform.Meta, batch[4:], "fb-2", destination.Quarantined, "rejected_by_platform"); err != nil {
		t.Fatal(err)
	}
	if err := rec.Sent(platform.Meta, batch[:4], "fb-1", destination.Accepted, ""); err != nil {
		t.Fatal(err)
	}
	for _, c := range evIDs("P", 1500) {
		if err := rec.Quarantined(platform.Meta, &conversion.Conversion{EventID: c}, "event_too_old"); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}
	reqs, err := l.Requests(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, r := range reqs {
		got += fmt.Sprintf("%d:%s:%s:%v ", len(r.EventIDs), r.State, r.RequestID, r.Sent)
	}
	if want := "8:sent::true 4:accepted:fb-1:true 4:quarantined:fb-2:true 1024:quarantined::false 476:quarantined::false "; got != want {
		t.Fatalf("requests\n got %s\nwant %s", got, want)
	}
	if err := rec.Sent(platform.Meta, batch[:2], "", destination.Accepted, ""); err == nil {
		t.Error("an answer to a batch never recorded was accepted")
	}
}

// TestRecorderAnswersNoBatchByItsMemoryAlone: the Sender reuses a done
// batch's memory (destination/slabs.go). A batch whose Sent never came —
// isolated after its request failed — must not take the answer of a
// later batch that lives at the same address with the same length: that
// answer's sending was never recorded, and the run must hear so, not the
// earlier request be answered with it.
func TestRecorderAnswersNoBatchByItsMemoryAlone(t *testing.T) {
	ctx := context.Background()
	l, run, rec := metaRecorder(t)
	slab := make([]conversion.Conversion, 4)
	batch := make([]*conversion.Conversion, 4)
	for i, id := range evIDs("A", 4) {
		slab[i] = conversion.Conversion{Platform: platform.Meta, EventID: id, Time: t0}
		batch[i] = &slab[i]
	}
	if err := rec.Sending(platform.Meta, batch); err != nil { // then isolated: no Sent
		t.Fatal(err)
	}
	for i, id := range evIDs("C", 4) { // the memory holds a later batch
		slab[i] = conversion.Conversion{Platform: platform.Meta, EventID: id, Time: t0}
	}
	if err := rec.Sent(platform.Meta, batch, "", destination.Rejected, "destination_stopped"); err == nil {
		t.Fatal("an answer for a batch never recorded was taken as the answer of the batch that lived in its memory before")
	}
	reqs, err := l.Requests(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || reqs[0].State != "sent" || reqs[0].EventIDs[0] != string(evIDs("A", 1)[0]) {
		t.Fatalf("requests %+v: the earlier batch's request must stay unanswered", reqs)
	}
}

func TestOneRunAtATime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.db")
	first := open(t, path, Options{})
	if _, err := Open(context.Background(), path, Options{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want ErrLocked", err)
	}
	reader := open(t, path, Options{ReadOnly: true}) // stats while a run is going
	if _, err := reader.Stats(context.Background()); err != nil {
		t.Fatal(err)
	}
	first.Close()
	again, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("after the first run closed: %v", err)
	}
	again.Close()
}

func TestForgetAndReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "l.db")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := open(t, path, clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	oldIDs, newIDs := evIDs("old", 3), evIDs("new", 2)
	send(t, l, run, google, oldIDs, StateAccepted, "")
	now = now.AddDate(0, 6, 0)
	send(t, l, run, google, newIDs, StateAccepted, "")
	n, err := l.Forget(ctx, now.AddDate(0, -1, 0))
	if err != nil || n != 3 {
		t.Fatalf("forgot %d, %v", n, err)
	}
	l.Close()
	l = open(t, path, clock(&now)) // reopening runs no migration twice
	dests := map[platform.Platform]Destination{platform.Google: google}
	if n := filterPasses(t, l, dests, platform.Google, now, newIDs); n != 0 {
		t.Fatal("recent events lost")
	}
	if n := filterPasses(t, l, dests, platform.Google, now.AddDate(0, -7, 0), oldIDs); n != 3 {
		t.Fatal("forgotten events kept")
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.db")
	l := open(t, path, Options{})
	if _, err := l.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := Open(context.Background(), path, Options{}); err == nil {
		t.Fatal("a ledger from a newer hashgate was opened")
	}
}

// TestLedgerPathIsAPathNeverURIOptions: a "?" (or "#", "%") in ledger.path
// names a file; read raw it began SQLite URI options, and
// "ledger.db?mode=memory" was an in-memory ledger that forgot every
// acceptance, so the next run resent everything.
func TestLedgerPathIsAPathNeverURIOptions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"ledger.db?mode=memory", "l.db?_pragma=journal_mode(DELETE)#x", "l%20b.db", ":memory:"} {
		path := filepath.Join(dir, name)
		l := open(t, path, Options{})
		run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
		ids := evIDs(name, 2)
		send(t, l, run, google, ids, StateAccepted, "")
		l.Close()
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Fatalf("%q: no file of that name: %v", name, err)
		}
		l = open(t, path, Options{})
		dests := map[platform.Platform]Destination{platform.Google: google}
		if n := filterPasses(t, l, dests, platform.Google, t0, ids); n != 0 {
			t.Errorf("%q: %d accepted events forgotten after reopening", name, n)
		}
		l.Close()
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name() == "ledger.db" || e.Name() == "l.db" {
			t.Errorf("the part before ? was taken for the file: %s", e.Name())
		}
	}
}

// TestLedgerLinkRefusedAndModeTightened: a ledger that is a symlink is
// refused (naming it); one readable by others is made 0600 with a warning.
func TestLedgerLinkRefusedAndModeTightened(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	real := filepath.Join(dir, "real.db")
	open(t, real, Options{}).Close()
	link := filepath.Join(dir, "link.db")
	os.Symlink(real, link)
	if _, err := Open(ctx, link, Options{}); err == nil || !strings.Contains(err.Error(), link) || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a symlinked ledger: %v", err)
	}
	if _, err := Open(ctx, link, Options{ReadOnly: true}); err == nil {
		t.Error("a symlinked ledger opened for reading")
	}

	os.Chmod(real, 0o644)
	var warned []string
	l := open(t, real, Options{Warn: func(m string) { warned = append(warned, m) }})
	l.Close()
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o, want 0600", st.Mode().Perm())
	}
	if len(warned) != 1 || !strings.Contains(warned[0], real) || !strings.Contains(warned[0], "0644") {
		t.Errorf("warnings %q", warned)
	}
}

// TestPageCacheIsSmall: the ledger's connection runs with cacheKiB of
// SQLite page cache, not SQLite's 2 MB default (peak RSS of uploads).
func TestPageCacheIsSmall(t *testing.T) {
	l := open(t, filepath.Join(t.TempDir(), "ledger.db"), Options{})
	var n int
	if err := l.db.QueryRowContext(context.Background(), "PRAGMA cache_size").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != -cacheKiB {
		t.Errorf("cache_size %d, want %d", n, -cacheKiB)
	}
}
