package platform

import (
	"slices"
	"testing"
)

// TestRegisterAddsAfterTheKnownAndRemovesAgain: a registered platform comes
// after Google and Meta in All, parses by its name, reads its own Spec,
// brings its click ids into the registry, and is gone after unregister;
// a second platform of the same name is refused.
func TestRegisterAddsAfterTheKnownAndRemovesAgain(t *testing.T) {
	before := slices.Clone(All)
	p, unregister := Register(Spec{Name: "line", Title: "LINE", ClickIDs: []string{"ldtag_cl"}})
	if All[len(All)-1] != p || len(All) != len(before)+1 {
		t.Fatalf("All = %v after registering %v", All, p)
	}
	if q, err := Parse("line"); err != nil || q != p || p.Spec().Platform != p || p.Spec().Title != "LINE" {
		t.Errorf("Parse(line) = %v, %v; Spec %+v", q, err, p.Spec())
	}
	if k := ClickIDKeys(); k[len(k)-1] != "ldtag_cl" {
		t.Errorf("ClickIDKeys() = %q: the registered platform's click id is missing", k)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("a second platform named line was registered")
			}
		}()
		Register(Spec{Name: "line"})
	}()
	unregister()
	if !slices.Equal(All, before) || p.Spec() != nil {
		t.Errorf("after unregister: All = %v, Spec %v", All, p.Spec())
	}
	if _, err := Parse("line"); err == nil {
		t.Error("line still parses after unregister")
	}
}
