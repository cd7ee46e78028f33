package ledger

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"
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
	n, err := l.ForgetRevokedDigests(ctx, func(forget func(patient, legacy uint64) error) error { return forget(byList, 0) })
	if err != nil || n != 1 {
		t.Fatalf("unrevoke --patients: %d (%v), want 1", n, err)
	}
	var file []byte
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		file = append(file, b...)
	}
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
