package ledger

import (
	"context"
	"path/filepath"
	"testing"
)

// TestOrderIDShapesAreKeptPerDestination: a config's upload keeps the
// order ids' shape and zone for its own destinations and reads them
// there, not another config's; a ledger an older hashgate kept them in
// for the columns alone is read through that until a destination has its
// own, and that record is never written again.
func TestOrderIDShapesAreKeptPerDestination(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	cols := []string{"id"}
	if err := l.setMeta(ctx, idShapeKey(cols), "old"); err != nil {
		t.Fatal(err)
	}
	if err := l.setMeta(ctx, idZoneKey(cols), "UTC"); err != nil {
		t.Fatal(err)
	}
	read := func(dests ...string) [2]string {
		t.Helper()
		s, z, err := l.OrderIDShape(ctx, dests, cols)
		if err != nil {
			t.Fatal(err)
		}
		return [2]string{s, z}
	}
	if got := read("a", "b"); got != [2]string{"old", "UTC"} {
		t.Errorf("an older hashgate's record read as %v", got)
	}
	if err := l.SetOrderIDShape(ctx, []string{"a", "b"}, cols, "A", "Asia/Taipei"); err != nil {
		t.Fatal(err)
	}
	if err := l.SetOrderIDShape(ctx, []string{"c"}, cols, "C", ""); err != nil {
		t.Fatal(err)
	}
	if got := read("b", "a"); got != [2]string{"A", "Asia/Taipei"} {
		t.Errorf("clinic a's read as %v", got)
	}
	if got := read("c"); got != [2]string{"C", ""} {
		t.Errorf("clinic c's read as %v", got)
	}
	if got := read("d"); got != [2]string{"old", "UTC"} {
		t.Errorf("a destination without its own read %v, want the older record", got)
	}
	if got := read("a", "b"); got[0] == "C" {
		t.Error("another config's shape was read")
	}
	if v, _ := l.metaValue(ctx, idShapeKey(cols)); v != "old" {
		t.Errorf("the older record was written again: %q", v)
	}
}
