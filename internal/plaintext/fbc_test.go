package plaintext

import (
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestFBC: what platform.MetaFBC builds from a real fbclid passes; the
// shapes Meta's fbp-and-fbc page rules out, a creation time in seconds,
// and an fbclid that is no click id do not — and Conversion drops them.
func TestFBC(t *testing.T) {
	const fbclid = "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"
	built := platform.MetaFBC(fbclid, time.Date(2026, 10, 20, 6, 30, 0, 0, time.UTC))
	if want := "fb.1.1792477800000." + fbclid; built != want {
		t.Fatalf("MetaFBC = %q, want %q", built, want)
	}
	for s, want := range map[string]bool{
		built:                               true,
		"fb.1.1792477800." + fbclid:         false, // seconds
		"fb.2.1792477800000." + fbclid:      false, // not what a server writes
		"fb.1.1792477800000.":               false,
		"fb.1.1792477800000.Patient Mary":   false,
		"fb.1.1792477800000.=cmd|' /C calc": false,
		fbclid:                              false,
		"fb.1.179247780000a." + fbclid:      false,
	} {
		if FBC(s) != want {
			t.Errorf("FBC(%q) = %v, want %v", s, !want, want)
		}
	}
	c := conversion.Conversion{Formatted: "fb.1.1792477800." + fbclid}
	var dropped []Drop
	Conversion(&c, func(d Drop) { dropped = append(dropped, d) })
	if c.Formatted != "" || len(dropped) != 1 || dropped[0] != (Drop{"fbc", ReasonClickID}) {
		t.Errorf("Conversion left %q, dropped %v", c.Formatted, dropped)
	}
	if f, ok := Check(&conversion.Conversion{Formatted: "fb.1.x"}); ok || f != "fbc" {
		t.Errorf("Check = %q, %v", f, ok)
	}
}
