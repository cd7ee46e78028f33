package platform

import "testing"

// TestRequeueReasonTakesUnknown: ledger requeue --reason names Google's
// reasons as ProcessingErrorReason resolves them, and also unknown — the
// answer gate's word for an error reason outside the set, which status
// prints — while a typo, UNKNOWN in capitals and the empty word stay
// refused.
func TestRequeueReasonTakesUnknown(t *testing.T) {
	if r, ok := RequeueReason(Unknown); !ok || r != Unknown {
		t.Errorf("RequeueReason(%q) = %q, %v; want %q", Unknown, r, ok, Unknown)
	}
	if r, ok := RequeueReason("CONVERSION_PRECEDES_CLICK"); !ok || r != "PROCESSING_ERROR_REASON_CONVERSION_PRECEDES_CLICK" {
		t.Errorf("a reason of Google's: %q, %v", r, ok)
	}
	for _, w := range []string{"UNKNOWN", "unknow", "", "CONVERSION_PRECEDES_CLIK"} {
		if r, ok := RequeueReason(w); ok {
			t.Errorf("RequeueReason(%q) = %q, want refused", w, r)
		}
	}
	if Meta.Spec().Answers[AnswerProcessingError] != nil {
		t.Error("Meta reports processing errors now: RequeueReason's unknown covers it too — check that its resends cannot count twice")
	}
}
