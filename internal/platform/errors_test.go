package platform

import (
	"strings"
	"testing"
)

// TestErrorTables: every row names its source, every table ends with a
// row that matches anything, and the rows issue 13 is about map to the
// outcomes the platforms' documents call for.
func TestErrorTables(t *testing.T) {
	for _, p := range All {
		rows := p.Spec().Errors
		if len(rows) == 0 {
			t.Fatalf("%s has no error table", p)
		}
		for i, r := range rows {
			if r.Source == "" || r.Action == 0 {
				t.Errorf("%s row %d (%+v) has no source or action", p, i, r)
			}
			if r.Action.Stops() && r.Fix == "" {
				t.Errorf("%s row %d stops without saying what to fix", p, i)
			}
		}
		if last := rows[len(rows)-1]; last.Status != 0 || last.Code != "" || last.Reason != "" || last.When != Always || last.Action != StopDestination {
			t.Errorf("%s: the last row must match anything and stop the destination: %+v", p, last)
		}
	}
	g, m := Google.Spec(), Meta.Spec()
	for _, tc := range []struct {
		spec *Spec
		key  ErrorKey
		want Action
	}{
		{g, ErrorKey{Code: "oauth", Reasons: []string{"invalid_grant"}}, StopRun},
		{g, ErrorKey{Status: 403, Code: "PERMISSION_DENIED", Reasons: []string{"PERMISSION_DENIED"}}, StopDestination},
		{g, ErrorKey{Status: 403, Code: "PERMISSION_DENIED", Reasons: []string{"SERVICE_DISABLED"}}, StopRun},
		{g, ErrorKey{Status: 400, Code: "INVALID_ARGUMENT", Reasons: []string{"INVALID_CONVERSION_ACTION_ID", "INVALID_ARGUMENT"}}, StopDestination},
		{g, ErrorKey{Status: 400, Code: "INVALID_ARGUMENT", Reasons: []string{"INVALID_ARGUMENT"}, NamesEvents: true}, Quarantine},
		{g, ErrorKey{Status: 400, Code: "INVALID_ARGUMENT", Reasons: []string{"INVALID_ARGUMENT"}}, StopDestination},
		{g, ErrorKey{Status: 400, Code: "FAILED_PRECONDITION"}, StopDestination},
		{g, ErrorKey{Status: 400, Code: "OUT_OF_RANGE"}, StopDestination},
		{g, ErrorKey{Status: 429, Code: "RESOURCE_EXHAUSTED", Reasons: []string{"IngestionMutateRequestsPerMinutePerProject"}}, Retry},
		{g, ErrorKey{Status: 429, Code: "RESOURCE_EXHAUSTED", Reasons: []string{"IngestionMutateRequestsPerDayPerProject"}}, StopDestination},
		{g, ErrorKey{Status: 503, Code: "UNAVAILABLE"}, Retry},
		{g, ErrorKey{Status: 502}, Retry},
		{g, ErrorKey{Status: 418, Code: "TEAPOT"}, StopDestination},
		{m, ErrorKey{Status: 400, Code: "190", Reasons: []string{"463"}}, StopRun},
		{m, ErrorKey{Status: 400, Code: "100", Reasons: []string{"33"}}, StopDestination},
		{m, ErrorKey{Status: 400, Code: "100", Reasons: []string{"2804010"}}, StopDestination},
		{m, ErrorKey{Status: 400, Code: "100", Reasons: []string{"2804050"}}, Bisect},
		{m, ErrorKey{Status: 400, Code: "100"}, Bisect},
		{m, ErrorKey{Status: 400, Code: "368"}, StopDestination},
		{m, ErrorKey{Status: 400, Code: MetaCode(80004)}, Retry},
		// A permission on one dataset says nothing of Google's
		// credentials: it stops Meta only, as PERMISSION_DENIED stops
		// Google only. An expired token still stops the run.
		{m, ErrorKey{Status: 403, Code: MetaCode(200)}, StopDestination},
		{m, ErrorKey{Status: 403, Code: MetaCode(299)}, StopDestination},
		{m, ErrorKey{Status: 403, Code: "10"}, StopDestination},
		{m, ErrorKey{Status: 400, Code: "102"}, StopRun},
		{m, ErrorKey{Status: 400, Code: "190"}, StopRun},
		{m, ErrorKey{Status: 400, Code: "4"}, Retry},
		{m, ErrorKey{Status: 400, Code: "9999", Transient: true}, Retry},
		{m, ErrorKey{Status: 503}, Retry},
	} {
		if got := tc.spec.Rule(tc.key).Action; got != tc.want {
			t.Errorf("%s %+v: %v, want %v", tc.spec.Name, tc.key, got, tc.want)
		}
	}
}

func TestGoogleTransactionIDNeverAllDigitsAndStable(t *testing.T) {
	for id, want := range map[string]string{
		"d5037398b5f7ac69eac21a6d70190675": "d5037398b5f7ac69eac21a6d70190675", // ids already sent keep their form
		"12345678901234567890123456789012": "hg12345678901234567890123456789012",
		"7":                                "hgevent-7",
	} {
		if got := GoogleTransactionID(id); got != want {
			t.Errorf("%q → %q, want %q", id, got, want)
		}
	}
}

// FuzzAllDigitsMatchesTrim: allDigits says what strings.Trim with the
// ASCII digits said, for any string (non-ASCII digits and invalid UTF-8
// included), so GoogleTransactionID gives every id the form it had.
func FuzzAllDigitsMatchesTrim(f *testing.F) {
	for _, s := range []string{"", "0", "12345678", "1234567a", "a2345678", "١٢٣٤٥٦٧٨", "1234\xff5678", "+12345678", " 12345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := allDigits(s), strings.Trim(s, "0123456789") == ""; got != want {
			t.Fatalf("%q: allDigits %v, Trim says %v", s, got, want)
		}
	})
}
