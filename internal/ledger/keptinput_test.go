package ledger

import (
	"context"
	"path/filepath"
	"testing"
)

// TestAKeptRecordKnowsItsExport: the export that last added to a kept
// record (the long counts, the patient keys' shape) is kept beside it,
// per destination, and read only while the record is the text it was
// written with: an older hashgate rewrites the record alone, and the
// export named beside it no longer added last. A record of before (none
// beside it) has none. The records' own texts are as an older hashgate
// wrote them.
func TestAKeptRecordKnowsItsExport(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	cols := []string{"oid"}
	if err := l.SetRounding(ctx, OrderIDRounding, []string{"b", "a"}, cols, "30,0,0;0,0,0;0,0,0;0,0,0", "aaaa0000aaaa0000"); err != nil {
		t.Fatal(err)
	}
	if v, by, err := l.Rounding(ctx, OrderIDRounding, []string{"a", "b"}, cols); err != nil || v != "30,0,0;0,0,0;0,0,0;0,0,0" || by != "aaaa0000aaaa0000" {
		t.Fatalf("rounding %q by %q (%v)", v, by, err)
	}
	if err := l.SetPatientKeyShapes(ctx, []string{"a", "b"}, "pid", "0:3=30", "", "aaaa0000aaaa0000,accepted"); err != nil {
		t.Fatal(err)
	}
	shapes, by, err := l.PatientKeyShapes(ctx, []string{"a", "b", "c"}, "pid")
	if err != nil || shapes["a"] != "0:3=30" || by["a"] != "aaaa0000aaaa0000,accepted" || by["b"] != by["a"] || len(by) != 2 {
		t.Fatalf("shapes %v by %v (%v)", shapes, by, err)
	}

	// An older hashgate's upload: the records alone.
	if err := l.setMeta(ctx, colsKey(OrderIDRounding+"a:", cols), "40,0,0;0,0,0;0,0,0;0,0,0"); err != nil {
		t.Fatal(err)
	}
	if err := l.setMeta(ctx, keyShapeKey("a", "pid"), "0:3=36"); err != nil {
		t.Fatal(err)
	}
	if v, by, err := l.Rounding(ctx, OrderIDRounding, []string{"a", "b"}, cols); err != nil || v != "40,0,0;0,0,0;0,0,0;0,0,0" || by != "" {
		t.Errorf("after an older hashgate: rounding %q by %q (%v)", v, by, err)
	}
	if _, by, err = l.PatientKeyShapes(ctx, []string{"a", "b"}, "pid"); err != nil || len(by) != 1 || by["b"] == "" {
		t.Errorf("after an older hashgate rewrote a's shape: by %v (%v)", by, err)
	}

	// A record of before: nothing beside it.
	if err := l.setMeta(ctx, keyShapeKey("d", "pid"), "0:3=30"); err != nil {
		t.Fatal(err)
	}
	if shapes, by, err = l.PatientKeyShapes(ctx, []string{"d"}, "pid"); err != nil || shapes["d"] != "0:3=30" || len(by) != 0 {
		t.Errorf("a record of before: shapes %v by %v (%v)", shapes, by, err)
	}
}
