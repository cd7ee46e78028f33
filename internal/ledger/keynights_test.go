package ledger

import (
	"context"
	"path/filepath"
	"testing"
)

// TestPatientKeyNightsFollowTheirShape: the last nights' keys are kept
// beside the shape, per destination, and read only while the shape is
// the one they were written with: an older hashgate rewrites the shape
// alone (it knows no nights), and the nights it read are not in them.
// The shape's own text stays what an older hashgate reads.
func TestPatientKeyNightsFollowTheirShape(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	if err := l.SetPatientKeyShapes(ctx, []string{"a", "b"}, "pid", "0:3=30", "0:3=6|0:3=6", ""); err != nil {
		t.Fatal(err)
	}
	shapes, _, err := l.PatientKeyShapes(ctx, []string{"a", "b", "c"}, "pid")
	if err != nil || shapes["a"] != "0:3=30" || shapes["b"] != "0:3=30" || len(shapes) != 2 {
		t.Fatalf("shapes %v (%v)", shapes, err)
	}
	nights, err := l.PatientKeyNights(ctx, []string{"c", "a", "b"}, "pid")
	if err != nil || nights["a"] != "0:3=6|0:3=6" || nights["b"] != "0:3=6|0:3=6" || len(nights) != 2 {
		t.Fatalf("nights %v (%v)", nights, err)
	}
	// An older hashgate's upload to a: the shape alone.
	if err := l.setMeta(ctx, keyShapeKey("a", "pid"), "0:3=36"); err != nil {
		t.Fatal(err)
	}
	if nights, err = l.PatientKeyNights(ctx, []string{"a", "b"}, "pid"); err != nil || len(nights) != 1 || nights["b"] == "" {
		t.Errorf("nights after an older hashgate rewrote a's shape: %v (%v)", nights, err)
	}
	if nights, err = l.PatientKeyNights(ctx, []string{"a", "b"}, "other"); err != nil || len(nights) != 0 {
		t.Errorf("another column's nights: %v (%v)", nights, err)
	}
}
