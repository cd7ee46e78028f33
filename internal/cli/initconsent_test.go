package cli

import (
	"fmt"
	"strings"
	"testing"
)

// consentPairRows is an export of a clinic that changed its
// practice-management software (a review of 2026-12-07): "Consent", the
// treatment consent, is Yes in all 40 rows; "Marketing Opt-In" is Yes, No
// or blank. bareFirst puts Consent first.
func consentPairRows(bareFirst bool) [][]string {
	pair := func(x, y string) []string {
		if bareFirst {
			return []string{x, y}
		}
		return []string{y, x}
	}
	rows := [][]string{append([]string{"Appointment ID", "Appointment Time", "Email", "Status"}, pair("Consent", "Marketing Opt-In")...)}
	for i := range 40 {
		rows = append(rows, append([]string{fmt.Sprintf("A%02d", i), fmt.Sprintf("2026-11-%02d 09:30", 1+i%28),
			fmt.Sprintf("canary.pair%d@example.com", i), "Completed"}, pair("Yes", []string{"Yes", "No", ""}[i%3])...))
	}
	return rows
}

// TestConfigInitMapsTheMarketingConsentAndNamesTheOther: config init maps
// Marketing Opt-In, never the treatment Consent beside it, in either
// column order, and names Consent in the file and the summary as another
// consent column. Before, the first of the two was mapped, granted: yes
// ×40, and Marketing Opt-In went unmentioned.
func TestConfigInitMapsTheMarketingConsentAndNamesTheOther(t *testing.T) {
	for _, bareFirst := range []bool{true, false} {
		r := runCLI(t, nil, "", "config", "init", "--from", writeExport(t, consentPairRows(bareFirst)))
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if got := parseGenerated(t, r.stdout).Input.Columns.Consent; got != "Marketing Opt-In" {
			t.Errorf("Consent first: %v: consent %q, want \"Marketing Opt-In\":\n%s", bareFirst, got, r.stdout)
		}
		want := `Other consent columns, not mapped: "Consent".`
		if !strings.Contains(r.stdout, "#   "+want) {
			t.Errorf("Consent first: %v: the config does not name the other consent column (want %q):\n%s", bareFirst, want, r.stdout)
		}
		if !strings.Contains(r.stderr, "check input.columns.consent: "+want) {
			t.Errorf("Consent first: %v: the summary does not name the other consent column:\n%s", bareFirst, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, "grants consent in all") {
			t.Errorf("Consent first: %v: Marketing Opt-In, a third No, flagged as granted in every row:\n%s", bareFirst, r.stderr)
		}
	}
}

// TestConfigInitFlagsAConsentEveryRowGrants: the only consent column, Yes
// in all 40 rows, is mapped, and the file and the summary say a consent
// every patient gave is more likely a treatment consent or a default.
func TestConfigInitFlagsAConsentEveryRowGrants(t *testing.T) {
	rows := consentPairRows(true)
	for i := range rows {
		rows[i] = rows[i][:5] // without Marketing Opt-In
	}
	r := runCLI(t, nil, "", "config", "init", "--from", writeExport(t, rows))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if got := parseGenerated(t, r.stdout).Input.Columns.Consent; got != "Consent" {
		t.Fatalf("consent %q, want \"Consent\"", got)
	}
	want := `"Consent" grants consent in all 40 rows`
	if !strings.Contains(r.stdout, "#   "+want) || !strings.Contains(r.stderr, "check input.columns.consent: "+want) {
		t.Errorf("the config or the summary does not say %q:\n%s\n%s", want, r.stdout, r.stderr)
	}
}
