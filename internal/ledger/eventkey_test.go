package ledger

import (
	"context"
	"maps"
	"path/filepath"
	"testing"
)

// TestEventKeysAreKeptPerDestination: a config's upload records its
// fingerprint for its own destinations and leaves another's (a config
// sharing the ledger) and the whole ledger's (an older hashgate's) as they
// were; a dry-run reads the same without changing the file, and what was
// delivered where (a validated request is no delivery).
func TestEventKeysAreKeptPerDestination(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	l := open(t, path, clock(&now))
	run, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	send(t, l, run, meta, evIDs("A", 2), StateAccepted, "")
	send(t, l, run, google, evIDs("B", 2), StateValidated, "")
	if err := l.setMeta(ctx, eventKeyMeta, "old"); err != nil {
		t.Fatal(err)
	}
	if err := l.SetEventKeyChecks(ctx, []string{meta.Key}, "A"); err != nil {
		t.Fatal(err)
	}
	if err := l.SetEventKeyChecks(ctx, []string{google.Key}, "B"); err != nil {
		t.Fatal(err)
	}
	want := EventKeys{Whole: "old", Dest: map[string]string{meta.Key: "A", google.Key: "B"}, Delivered: map[string]bool{meta.Key: true}}
	got, err := l.EventKeys(ctx)
	if err != nil || got.Whole != want.Whole || !maps.Equal(got.Dest, want.Dest) || !maps.Equal(got.Delivered, want.Delivered) {
		t.Fatalf("kept %+v, %v; want %+v", got, err, want)
	}
	l.Close()
	peek, err := PeekEventKeys(ctx, path)
	if err != nil || peek.Whole != want.Whole || !maps.Equal(peek.Dest, want.Dest) || !maps.Equal(peek.Delivered, want.Delivered) {
		t.Fatalf("peeked %+v, %v; want %+v", peek, err, want)
	}
}
