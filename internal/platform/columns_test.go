package platform

import (
	"slices"
	"testing"
)

// TestColumnRegistryComesFromTheSpecs: the registry lists what the Specs
// hold, each key once, in platform order — so a platform added with its
// own click id or consent column appears in it without another edit.
func TestColumnRegistryComesFromTheSpecs(t *testing.T) {
	if got, want := ClickIDKeys(), []string{KeyGCLID, KeyGBRAID, KeyWBRAID, KeyFBCLID}; !slices.Equal(got, want) {
		t.Errorf("ClickIDKeys() = %q, want %q", got, want)
	}
	if got, want := ConsentKeys(), []string{KeyConsentGoogle, KeyConsentMeta}; !slices.Equal(got, want) {
		t.Errorf("ConsentKeys() = %q, want %q", got, want)
	}
	for _, k := range ClickIDKeys() {
		p, ok := ClickIDPlatform(k)
		if !ok {
			t.Errorf("ClickIDPlatform(%q): no platform", k)
			continue
		}
		s := p.Spec()
		if !slices.Contains(s.ClickIDs, k) && !slices.Contains(s.AttributionClickIDs, k) {
			t.Errorf("ClickIDPlatform(%q) = %v, whose Spec does not name it", k, p)
		}
	}
	if p, ok := ClickIDPlatform("utm_source"); ok {
		t.Errorf("ClickIDPlatform(utm_source) = %v, want none", p)
	}
}
