package platform

import (
	"strings"
	"testing"
)

// TestEveryGoogleFixCanNameTheBookingsAction: every row of Google's error
// table whose fix names the visits' conversion action names the bookings'
// instead when the answer is about it, and both when the answer does not
// say which (GoogleActionFix; contract G5: a stop names the key to fix).
// A fix naming no action, or the visits' action asked for, is unchanged.
func TestEveryGoogleFixCanNameTheBookingsAction(t *testing.T) {
	rows := 0
	for _, r := range Google.Spec().Errors {
		if !strings.Contains(r.Fix, GoogleVisitAction) {
			if got := GoogleActionFix(r.Fix, GoogleBookingAction); got != r.Fix {
				t.Errorf("a fix naming no action changed: %q → %q", r.Fix, got)
			}
			continue
		}
		rows++
		if got := GoogleActionFix(r.Fix, GoogleVisitAction); got != r.Fix {
			t.Errorf("the visits' action: %q → %q", r.Fix, got)
		}
		b := GoogleActionFix(r.Fix, GoogleBookingAction)
		if !strings.Contains(b, GoogleBookingAction) || strings.Contains(strings.ReplaceAll(b, GoogleBookingAction, ""), GoogleVisitAction) {
			t.Errorf("the bookings' action: %q", b)
		}
		if GoogleActionFix(b, GoogleBookingAction) != b {
			t.Errorf("named twice: %q", GoogleActionFix(b, GoogleBookingAction))
		}
		both := GoogleActionFix(r.Fix, GoogleVisitAction, GoogleBookingAction)
		if !strings.Contains(both, GoogleVisitAction+" or "+GoogleBookingAction) {
			t.Errorf("either action: %q", both)
		}
	}
	if rows < 3 {
		t.Errorf("%d rows name the conversion action: the table changed", rows)
	}
}
