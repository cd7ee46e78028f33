package platform

import "testing"

// TestProcessingErrorReasonResolvesEveryFinalReason: every processing
// error reason Google reports can be named to ledger requeue as status
// prints it or shortened, including the one Google spells without
// _REASON_ and hashgate's own REQUEST_FAILED_WITHOUT_DETAIL, which a
// fixed PROCESSING_ERROR_REASON_ prefix could never select; a typo, a
// warning reason and a doubled prefix are refused.
func TestProcessingErrorReasonResolvesEveryFinalReason(t *testing.T) {
	g := Google.Spec()
	for _, full := range append(append([]string{}, googleProcessingErrors...), ReasonFailedNoDetail) {
		for _, word := range []string{full, ShortProcessingReason(full)} {
			got, ok := g.ProcessingErrorReason(word)
			if !ok || got != full {
				t.Errorf("ProcessingErrorReason(%q) = %q, %v; want %q", word, got, ok, full)
			}
		}
	}
	if got := ShortProcessingReason("PROCESSING_ERROR_OPERATING_ACCOUNT_MISMATCH_FOR_AD_IDENTIFIER"); got != "OPERATING_ACCOUNT_MISMATCH_FOR_AD_IDENTIFIER" {
		t.Errorf("short form of the reason without _REASON_: %q", got)
	}
	for _, word := range []string{"CONVERSION_PRECEDES_CLIK", "PROCESSING_WARNING_REASON_INTERNAL_ERROR",
		"PROCESSING_ERROR_REASON_PROCESSING_ERROR_REASON_INVALID_FORMAT", "", "unknown"} {
		if got, ok := g.ProcessingErrorReason(word); ok {
			t.Errorf("ProcessingErrorReason(%q) = %q, want refused", word, got)
		}
	}
	if r, ok := ProcessingErrorReason("OPERATING_ACCOUNT_MISMATCH_FOR_AD_IDENTIFIER"); !ok || r != "PROCESSING_ERROR_OPERATING_ACCOUNT_MISMATCH_FOR_AD_IDENTIFIER" {
		t.Errorf("over all platforms: %q, %v", r, ok)
	}
	if _, ok := ProcessingErrorReason("CONVERSION_PRECEDES_CLIK"); ok {
		t.Error("over all platforms: a typo resolved")
	}
	if _, ok := Meta.Spec().ProcessingErrorReason("INVALID_FORMAT"); ok {
		t.Error("Meta reports no processing errors, yet a reason resolved")
	}
}
