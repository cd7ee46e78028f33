package ledger

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
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

func TestRecordNeverDowngradesAccepted(t *testing.T) {
	ctx := context.Background()
	l := open(t, filepath.Join(t.TempDir(), "l.db"), Options{})
	run, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"e1", "e2"}
	if err := l.Record(ctx, run, "meta", ids, StateSent, "", ""); err != nil {
		t.Fatal(err)
	}
	if ok, _ := l.IsAccepted(ctx, "meta", "e1"); ok {
		t.Fatal("sent is not accepted")
	}
	if err := l.Record(ctx, run, "meta", ids[:1], StateAccepted, "", "req-1"); err != nil {
		t.Fatal(err)
	}
	// A late failure for an event another request got accepted changes nothing.
	if err := l.Record(ctx, run, "meta", ids, StateRejected, "retries_exhausted", ""); err != nil {
		t.Fatal(err)
	}
	if ok, _ := l.IsAccepted(ctx, "meta", "e1"); !ok {
		t.Fatal("accepted event downgraded")
	}
	if ok, _ := l.IsAccepted(ctx, "google", "e1"); ok {
		t.Fatal("acceptance leaked across destinations")
	}
	st, err := l.Stats(ctx)
	if err != nil || st.Events["meta"][StateAccepted] != 1 || st.Events["meta"][StateRejected] != 1 || st.SchemaVers != len(migrations) {
		t.Fatalf("stats %+v %v", st, err)
	}
	if err := l.Record(ctx, run, "meta", ids, "acepted", "", ""); err == nil {
		t.Error("a misspelt state was recorded")
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
	l := open(t, path, Options{Now: func() time.Time { return now }})
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	l.Record(ctx, run, "google", []string{"old"}, StateAccepted, "", "r")
	now = now.AddDate(0, 6, 0)
	l.Record(ctx, run, "google", []string{"new"}, StateAccepted, "", "r")
	n, err := l.Forget(ctx, now.AddDate(0, -1, 0))
	if err != nil || n != 1 {
		t.Fatalf("forgot %d, %v", n, err)
	}
	l.Close()
	l = open(t, path, Options{}) // reopening runs no migration twice
	if ok, _ := l.IsAccepted(ctx, "google", "new"); !ok {
		t.Fatal("recent event lost")
	}
	if ok, _ := l.IsAccepted(ctx, "google", "old"); ok {
		t.Fatal("old event kept")
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
