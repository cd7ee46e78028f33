package identifier

import (
	"errors"
	"testing"
)

// TestAPlatformWithoutRulesIsRefused: a platform this package holds no
// rules for gets an error for every field, never Meta's e-mail and name
// rules or Google's phone form by fall-through (issue 28: a third platform
// would otherwise get a silent mix).
func TestAPlatformWithoutRulesIsRefused(t *testing.T) {
	third := Platform(3)
	for _, f := range Fields {
		_, err := normalize(third, f, "Mei.Lin+x@gmail.com", Options{Region: "TW"})
		var rej *Rejection
		if !errors.As(err, &rej) || rej.Reason != ReasonNoRules {
			t.Errorf("%v: got %v, want %s", f, err, ReasonNoRules)
		}
	}
	if _, err := emailFor(third, "mei@example.com"); err == nil {
		t.Error("emailFor used another platform's rules")
	}
	results := make([]Result, 2)
	PrepareEach(new(Hasher), []Platform{Google, third}, Phone, "0912-345-678", Options{Region: "TW"}, results)
	if results[0].Err != nil || results[1].Err == nil {
		t.Errorf("PrepareEach: Google %v, third %v", results[0].Err, results[1].Err)
	}
}
