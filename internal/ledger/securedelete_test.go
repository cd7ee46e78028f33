package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
)

// TestForgetAndUnrevokeLeaveNoBytes: `ledger forget` and `ledger
// unrevoke` (both ways) deleted without secure_delete, so the forgotten
// event ids and withdrawal digests stayed readable in ledger.db's freed
// cells and in -wal. After them, neither file holds those bytes; what was
// kept is still there.
func TestForgetAndUnrevokeLeaveNoBytes(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "ledger.db")
	l := open(t, path, clock(&now))
	run, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	old, kept := evIDs("OLD", 2), evIDs("KEPT", 1)
	send(t, l, run, meta, old, StateAccepted, "")
	const byRun, byList, stays = 0x1f2e3d4c5b6a7988, 0x2a3b4c5d6e7f8091, 0x3c4d5e6f70819203
	if _, err := l.AddRevokedPatients(ctx, run, func(add func(uint64, int64) error) error {
		if err := add(byList, 0); err != nil {
			return err
		}
		return add(stays, 0)
	}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(48 * time.Hour)
	run2, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	send(t, l, run2, meta, kept, StateAccepted, "")
	if _, err := l.AddRevokedPatients(ctx, run2, func(add func(uint64, int64) error) error { return add(byRun, 0) }); err != nil {
		t.Fatal(err)
	}
	if n, err := l.Forget(ctx, now.Add(-time.Hour)); err != nil || n != 2 {
		t.Fatalf("forget: %d events (%v), want 2", n, err)
	}
	if n, err := l.ForgetRevokedPatients(ctx, run2); err != nil || n != 1 {
		t.Fatalf("unrevoke --run: %d (%v), want 1", n, err)
	}
	n, _, err := l.ForgetRevokedKeepingErasures(ctx, false, func(forget func(ErasePatient) error) error { return forget(ErasePatient{Digest: byList}) })
	if err != nil || n != 1 {
		t.Fatalf("unrevoke --patients: %d (%v), want 1", n, err)
	}
	file := ledgerBytes(t, path)
	for i, id := range old {
		if p := packed(t, id); bytes.Contains(file, p[:]) {
			t.Errorf("forgotten event %d is still readable in the ledger's files", i)
		}
	}
	for name, d := range map[string]uint64{"unrevoke --run": byRun, "unrevoke --patients": byList} {
		if bytes.Contains(file, binary.BigEndian.AppendUint64(nil, d)) {
			t.Errorf("the digest %s forgot is still readable in the ledger's files", name)
		}
	}
	if p := packed(t, kept[0]); !bytes.Contains(file, p[:]) || !bytes.Contains(file, binary.BigEndian.AppendUint64(nil, stays)) {
		t.Error("what was kept is gone from the file (the search would find nothing)")
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestRetentionDoesNotWaitForAReader (a review of the day's late fixes):
// the uploads' retention ran under secureWrite's TRUNCATE checkpoint,
// which waits up to the busy timeout (10 s) for readers, so every nightly
// upload paid 10 s while a status, a backup or a find held the ledger
// open — whether or not anything was deleted. Retention now checkpoints
// only when a row went, without a busy wait. The bound is a hang check,
// not a speed target: the old code waited the whole 10 s.
func TestRetentionDoesNotWaitForAReader(t *testing.T) {
	ctx := context.Background()
	l, path, _ := twoNightsApart(t)
	reader, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)") // a backup, a status: no lock
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	tx, err := reader.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM requests`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		days int
	}{{"nothing to delete", 400}, {"a request deleted", 1}} {
		start := time.Now()
		r, err := l.Retain(ctx, c.days)
		if err != nil || r.NoAnchor {
			t.Fatalf("%s: %+v, %v", c.name, r, err)
		}
		t.Logf("%s: %v", c.name, time.Since(start))
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: retention waited %v for the reader", c.name, d)
		}
	}
}

// TestRetentionLeavesNoBytes (the review after the late fixes): the
// uploads' retention, checkpointing passively so as not to wait for
// readers, left the log unemptied, and the deleted requests' event ids
// readable in -wal (280 KB of it) for as long as the process, or a later
// one, did not truncate it. With no reader, retention empties the log as
// ledger forget does.
func TestRetentionLeavesNoBytes(t *testing.T) {
	ctx := context.Background()
	l, path, old := twoNightsApart(t)
	if r, err := l.Retain(ctx, 1); err != nil || r.NoAnchor || r.Forgotten != 2 {
		t.Fatalf("retention: %+v, %v; want 2 events forgotten", r, err)
	}
	file := ledgerBytes(t, path)
	for i, id := range old {
		if p := packed(t, id); bytes.Contains(file, p[:]) {
			t.Errorf("event %d, past retention, is still readable in the ledger's files", i)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

// ledgerBytes is ledger.db and its -wal, as one reading them would: what
// a forget, retention or erasure must leave no copy of.
func ledgerBytes(t *testing.T, path string) []byte {
	t.Helper()
	var file []byte
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		file = append(file, b...)
	}
	return file
}

// twoNightsApart is a ledger of two runs 48 hours apart: two events
// accepted the first night (old), one the second, dated as every upload
// since schema 4 dates them, so retention is anchored on the newest.
func twoNightsApart(t *testing.T) (l *Ledger, path string, old []eventid.ID) {
	t.Helper()
	ctx := context.Background()
	now := t0
	path = filepath.Join(t.TempDir(), "ledger.db")
	l = open(t, path, clock(&now))
	run, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	old = evIDs("OLD", 2)
	send(t, l, run, meta, old, StateAccepted, "")
	now = now.Add(48 * time.Hour)
	run2, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	send(t, l, run2, meta, evIDs("NEW", 1), StateAccepted, "")
	if _, err := l.db.ExecContext(ctx, `UPDATE requests SET newest_event = at`); err != nil {
		t.Fatal(err)
	}
	return l, path, old
}
