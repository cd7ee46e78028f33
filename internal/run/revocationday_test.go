package run

import (
	"context"
	"strings"
	"testing"
)

// TestRevocationDayExcludesDateOnlyVisits pins the edge of a dated
// revocation through the whole dry-run: an export whose appointment column
// holds dates only reads each visit as 00:00 local, the very instant the
// revocation day begins. A visit on that day is after the revocation and
// must not be sent; the day before still is. The same rows with a time of
// day behave alike, so the rule does not depend on the export's precision.
func TestRevocationDayExcludesDateOnlyVisits(t *testing.T) {
	for _, tc := range []struct{ name, onDay, dayBefore string }{
		{"date only", "2026-11-20", "2026-11-19"},
		{"date and time", "2026-11-20 00:00", "2026-11-19 23:59"},
		{"ROC date only", "115/11/20", "115/11/19"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			export := "id,at,email,phone,consent\n" +
				"R1," + tc.onDay + ",on-the-day@example.com,,revoked 2026-11-20\n" +
				"R2," + tc.dayBefore + ",day-before@example.com,,revoked 2026-11-20\n"
			cfg := testConfig(t)
			cfg.Consent.RevokedAllowsEarlier = true
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			env, out, errOut := testEnv(t, export)
			if err := Upload(context.Background(), env, UploadRequest{Config: cfg, Input: "-", DryRun: true}); err != nil {
				t.Fatalf("%v\n%s", err, errOut)
			}
			// One conversion per platform (the day before), nothing of the
			// visit on the revocation day.
			if lines := strings.Count(out.String(), "\n"); lines != 3 {
				t.Fatalf("review CSV has %d lines, want header + 2:\n%s\n%s", lines, out, errOut)
			}
			if !strings.Contains(errOut.String(), "consent_revoked") {
				t.Errorf("summary does not count the revoked visit:\n%s", errOut)
			}
		})
	}
}
