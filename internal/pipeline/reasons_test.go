package pipeline

import (
	"maps"
	"strings"
	"testing"
)

const testGCLID = "Cj0KCQjw6FP_Rk88ItOhPCXsIrMV3iWFJYtPbg-IXCjM8azsPXEewEaa-wG17gfdOiIUWoHD_UjF-DjAb5d43RtrhBwN"

// TestEachDestinationsOwnReasonIsCounted: Google told click ids only
// leaves a row without a gclid out as no_click_id, while Meta leaves the
// same row out for its own reason (weak_identifiers, no_identifier). The
// summary counted the row once under Google's reason and never said
// Meta's: an analyst who fixed Google's mapping still sent Meta nothing
// and did not know why. Each destination's own reasons are counted, the
// rows Google sent and Meta did not among Meta's, and the rows still add
// up once.
func TestEachDestinationsOwnReasonIsCounted(t *testing.T) {
	cfg := baseConfig()
	cfg.Destinations.Google.Identifiers = nil // click ids only, the default
	cfg.Destinations.Meta.Identifiers = []string{"email", "last_name", "country"}
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,,,,,yes," + testGCLID + "\n" + // both
		"A2,2026-11-02 09:00,completed,,,,,Lee,,,yes,\n" + // google no_click_id, meta weak_identifiers
		"A3,2026-11-02 09:00,completed,,,,,,,,yes,\n" + // google no_click_id, meta no_identifier
		"A4,2026-11-02 09:00,completed,,,,,,,,yes," + testGCLID + "\n" + // google; meta no_identifier
		"A5,2026-11-02 09:00,completed,b@example.com,,,,,,,,\n" // both consent_missing
	_, sum := run(t, cfg, body)
	if want := map[string]int{ReasonNoClickID: 2, "consent_missing": 1}; !maps.Equal(sum.Excluded, want) {
		t.Errorf("excluded %v, want %v (each row once)", sum.Excluded, want)
	}
	if want := map[string]int{ReasonNoClickID: 2, "consent_missing": 1}; !maps.Equal(sum.LeftOut["google"], want) {
		t.Errorf("left out of google %v, want %v", sum.LeftOut["google"], want)
	}
	want := map[string]int{ReasonWeakIdentifiers: 1, ReasonNoIdentifier: 2, "consent_missing": 1}
	if !maps.Equal(sum.LeftOut["meta"], want) {
		t.Errorf("left out of meta %v, want %v", sum.LeftOut["meta"], want)
	}
	var b strings.Builder
	if err := sum.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if !strings.Contains(text, "left out of meta") || !strings.Contains(text, "    weak_identifiers 1\n") {
		t.Errorf("the summary does not say Meta's own reasons:\n%s", text)
	}
	if strings.Contains(text, "left out of google") {
		t.Errorf("the summary repeats Google's reasons, which the excluded rows already say:\n%s", text)
	}
}

// TestDroppedIdentifiersNameTheirColumn: the summary said "google email
// invalid_email" and not which of the two email columns held it; the
// analyst fixes a column. The configured header name is counted with the
// drop, never the cell.
func TestDroppedIdentifiersNameTheirColumn(t *testing.T) {
	cfg := baseConfig()
	cfg.Destinations.Meta.Enabled = false
	body := "A1,2026-11-02 09:00,completed,a@example.com,zqnot-an-email,,,,,,yes,\n"
	_, sum := run(t, cfg, body)
	key := "google email invalid_email"
	if sum.Dropped[key] != 1 {
		t.Fatalf("dropped %v, want %s 1", sum.Dropped, key)
	}
	if got := sum.DroppedColumns[key]; len(got) != 1 || got[0] != "email2" {
		t.Errorf("columns of %s: %q, want [email2]", key, got)
	}
	var b strings.Builder
	if err := sum.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), key+" 1 (column \"email2\")\n") {
		t.Errorf("the summary does not name the column:\n%s", b.String())
	}
	if strings.Contains(b.String(), "zqnot") {
		t.Errorf("the summary holds the cell:\n%s", b.String())
	}
}
