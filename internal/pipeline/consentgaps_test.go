package pipeline

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/report"
)

// TestPatientKeysFoldWithinTheExport: the patient key of a revoking cell
// and of a listed row is compared with the patient's other rows as the
// revocations file compares ids (consent.Key): a re-saved export that
// wrote 123 for 00123, a key in another case or in full-width forms, or
// with an invisible character at its edge, is the same patient. Before,
// the rows' keys were compared as written: the listed row's own key
// matched the file folded, and the patient's other visit, its key written
// otherwise, was sent the same night. A key that is not all digits keeps
// its zeros (0012-3 is not 12-3): folding only ever withdraws more, and
// never joins two keys that differ in more than zeros before all-digit
// keys. On one worker and on three.
func TestPatientKeysFoldWithinTheExport(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns.PatientKey = "last"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,,123,,,yes,\n" + // line 2: 00123 revokes below
		"A2,2026-11-02 09:00,completed,b@example.com,,,,p7,,,yes,\n" + // line 3: P7 revokes below
		"A3,2026-11-02 09:00,completed,c@example.com,,,,Ｑ８,,,yes,\n" + // line 4: q8 revokes below
		"A4,2026-11-02 09:00,completed,d@example.com,,,,456,,,yes,\n" + // line 5: 000456 listed below
		"A5,2026-11-02 09:00,completed,e@example.com,,,,12-3,,,yes,\n" + // line 6: sent (0012-3 is another key)
		"Z1,2026-11-03 09:00,cancelled,,,,,00123,,,revoked,\n" +
		"Z2,2026-11-03 09:00,cancelled,,,,,P7,,,revoked,\n" +
		"Z3,2026-11-03 09:00,cancelled,,,,,\u200bq8,,,revoked,\n" +
		"Z4,2026-11-03 09:00,completed,f@example.com,,,,000456,,,yes,\n" + // listed by order id
		"Z5,2026-11-03 09:00,cancelled,,,,,0012-3,,,revoked,\n"
	for _, workers := range []int{1, 3} {
		sink, sum := &capture{}, report.New("t")
		if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t", Sink: sink,
			Revocations: consent.NewRevocations("Z4"), Workers: workers}, sum); err != nil {
			t.Fatal(err)
		}
		var lines []int
		for _, cv := range sink.got {
			if !slices.Contains(lines, cv.Line) {
				lines = append(lines, cv.Line)
			}
		}
		if !slices.Equal(lines, []int{6}) || sum.Excluded[ReasonPatientRevoked] != 3 || sum.Excluded[consent.ReasonListed] != 2 {
			t.Errorf("workers %d: lines sent %v, excluded %v; want line 6 alone, three visits consent_revoked_patient, two consent_revoked_list",
				workers, lines, sum.Excluded)
		}
	}
}
