package conversion

import (
	"testing"

	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestWeak: Meta refuses an event whose customer information is only a
// subset of ct+country+st+zp(+ge+client_user_agent), fn(+ge) or ln(+ge)
// (Best Practices - Conversions API, "Baseline Requirements for
// Matching", contract M18). An fbc beside them is customer information
// in no combination: the event is valid.
func TestWeak(t *testing.T) {
	prep := func(p platform.Platform, fs ...platform.Field) []identifier.Sent {
		raw := map[platform.Field]string{
			platform.Email: "zq@example.com", platform.FirstName: "Zqann", platform.LastName: "Zqlee",
			platform.PostalCode: "10617", platform.City: "Taipei", platform.State: "TP", platform.Country: "TW",
		}
		var out []identifier.Sent
		for _, f := range fs {
			s, err := identifier.Prepare(p, f, raw[f], identifier.Options{Region: "TW"})
			if err != nil {
				t.Fatalf("%v: %v", f, err)
			}
			out = append(out, s)
		}
		return out
	}
	m := platform.Meta
	for _, c := range []struct {
		name string
		cv   Conversion
		weak bool
	}{
		{"nothing", Conversion{Platform: m}, false},
		{"a country", Conversion{Platform: m, Identifiers: prep(m, platform.Country)}, true},
		{"the whole address", Conversion{Platform: m, Identifiers: prep(m, platform.City, platform.State, platform.PostalCode, platform.Country)}, true},
		{"a first name", Conversion{Platform: m, Identifiers: prep(m, platform.FirstName)}, true},
		{"a last name", Conversion{Platform: m, Identifiers: prep(m, platform.LastName)}, true},
		{"both names", Conversion{Platform: m, Identifiers: prep(m, platform.FirstName, platform.LastName)}, false},
		{"a name and a postal code", Conversion{Platform: m, Identifiers: prep(m, platform.LastName, platform.PostalCode)}, false},
		{"a country and an email", Conversion{Platform: m, Identifiers: prep(m, platform.Country, platform.Email)}, false},
		{"a country and an fbc", Conversion{Platform: m, Identifiers: prep(m, platform.Country), Formatted: "fb.1.1782900000000.IwAR2F4"}, false},
	} {
		if got := c.cv.Weak(); got != c.weak {
			t.Errorf("%s: Weak %v, want %v", c.name, got, c.weak)
		}
	}
}
