package conversion

import (
	"slices"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestEverySpecClickIDHasASlot: every click id a platform's Spec says a
// conversion carries (Spec.ClickIDs) has its slot in Conversion.ClickIDs,
// under the same key, so the pipeline can fill it; and every slot is some
// platform's, so none is filled for nobody.
func TestEverySpecClickIDHasASlot(t *testing.T) {
	var keys []string
	for _, id := range (&Conversion{}).ClickIDs() {
		keys = append(keys, id.Key)
	}
	used := map[string]bool{}
	for _, p := range platform.All {
		for _, k := range p.Spec().ClickIDs {
			used[k] = true
			if !slices.Contains(keys, k) {
				t.Errorf("%v's click id %q has no slot in Conversion.ClickIDs", p, k)
			}
		}
	}
	for _, k := range keys {
		if !used[k] {
			t.Errorf("Conversion.ClickIDs slot %q is no platform's click id", k)
		}
	}
	c := &Conversion{}
	for i, id := range c.ClickIDs() {
		*id.Value = string(rune('a' + i))
	}
	if c.GCLID != "a" || c.GBRAID != "b" || c.WBRAID != "c" || !c.HasClickID() {
		t.Errorf("ClickIDs does not reach the fields: %+v", c)
	}
}
