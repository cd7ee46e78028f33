package run

import (
	"testing"

	"github.com/hashgate/hashgate/internal/pipeline"
)

// TestTheKeysAreAddedUnlessEveryShapeKnowsTheExport: the kept shape is
// the merge of this config's destinations' (loadKeys); tonight's keys are
// left out of it only when this export added to every shape merged. A
// shape kept without it (a destination an older hashgate wrote, a shape of
// before) may lack them, and is added to as before; none read, tonight's
// is the first.
func TestTheKeysAreAddedUnlessEveryShapeKnowsTheExport(t *testing.T) {
	const a, b = "aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000", "bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000"
	byA, byB := pipeline.NewKeptBy(a, false), pipeline.NewKeptBy(b, false)
	for _, c := range []struct {
		name string
		by   []pipeline.KeptBy
		adds bool
	}{
		{"no shape read", nil, true},
		{"one shape, this export's", []pipeline.KeptBy{byA}, false},
		{"two shapes, both this export's", []pipeline.KeptBy{byA, byA}, false},
		{"one of another export", []pipeline.KeptBy{byA, byB}, true},
		{"one of no export known", []pipeline.KeptBy{byA, {}}, true},
		{"the first of no export known", []pipeline.KeptBy{{}, byA}, true},
	} {
		if got := addsTo(c.by, a, false); got != c.adds {
			t.Errorf("%s: adds %v, want %v", c.name, got, c.adds)
		}
	}
	if keptBy("not a digest") != (pipeline.KeptBy{}) || keptBy("aaaa0000aaaa0000") != byA {
		t.Errorf("keptBy reads %+v, %+v", keptBy("not a digest"), keptBy("aaaa0000aaaa0000"))
	}
}
