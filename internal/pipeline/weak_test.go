package pipeline

import (
	"testing"

	"github.com/hashgate/hashgate/internal/identifier"
)

// TestMetaWeakIdentifiersAreHeldBack: an event whose only customer
// information is a subset of one of the combinations Meta's "Baseline
// Requirements for Matching" names invalid (M18: a country and a postal
// code, a last name alone) is refused by Meta, and with it its whole
// batch. The pipeline holds such a row back from Meta as
// weak_identifiers; a first and a last name together, or a first name
// with a postal code, are in no one combination and go.
func TestMetaWeakIdentifiersAreHeldBack(t *testing.T) {
	cfg := baseConfig()
	cfg.Destinations.Google.Enabled = false
	cfg.Destinations.Meta.Identifiers = []string{"email", "phone", "first_name", "last_name", "postal_code", "country"}
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,,,10617,TW,yes,\n" + // email: goes
		"A2,2026-11-02 09:00,completed,,,,,,10617,TW,yes,\n" + // postal code and country: weak
		"A3,2026-11-02 09:00,completed,,,,,Lee,,,yes,\n" + // last name alone: weak
		"A4,2026-11-02 09:00,completed,,,,Ann,Lee,,,yes,\n" + // both names: goes
		"A5,2026-11-02 09:00,completed,,,,Ann,,10617,,yes,\n" + // first name and postal code: goes
		"A6,2026-11-02 09:00,completed,,,,,,,,yes,\n" // nothing: no_identifier
	sink, sum := run(t, cfg, body)
	var lines []int
	for _, c := range sink.got {
		lines = append(lines, c.Line)
	}
	if len(lines) != 3 || lines[0] != 2 || lines[1] != 5 || lines[2] != 6 {
		t.Fatalf("sent lines %v, want [2 5 6]", lines)
	}
	if sum.Excluded[ReasonWeakIdentifiers] != 2 || sum.Excluded[ReasonNoIdentifier] != 1 {
		t.Errorf("excluded %v, want weak_identifiers 2 and no_identifier 1", sum.Excluded)
	}
}

// TestWeakForMetaStillGoesToGoogle: the rule is Meta's; the row whose
// identifiers are too weak for Meta still goes to Google by its click id,
// and is counted under "not sent to meta".
func TestWeakForMetaStillGoesToGoogle(t *testing.T) {
	cfg := baseConfig()
	cfg.Destinations.Meta.Identifiers = []string{"email", "country"}
	body := "A1,2026-11-02 09:00,completed,,,,,,,TW,yes,Cj0KCQjw6FP_Rk88ItOhPCXsIrMV3iWFJYtPbg-IXCjM8azsPXEewEaa-wG17gfdOiIUWoHD_UjF-DjAb5d43RtrhBwN\n"
	sink, sum := run(t, cfg, body)
	if len(sink.got) != 1 || sink.got[0].Platform != identifier.Google {
		t.Fatalf("got %+v", sink.got)
	}
	if sum.Skipped["meta"][ReasonWeakIdentifiers] != 1 || sum.RowsUsed != 1 {
		t.Errorf("skipped %v used %d", sum.Skipped, sum.RowsUsed)
	}
}
