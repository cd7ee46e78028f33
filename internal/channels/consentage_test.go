package channels

import (
	"strings"
	"testing"
)

// TestConsentedOnlyJudgesAgeAndExpiry: channels.consented_only judges by
// the upload's policy: a minor's booking, or one whose consent expired,
// is not counted as consented (the report's policy had no age or expiry
// rule, and counted both).
func TestConsentedOnlyJudgesAgeAndExpiry(t *testing.T) {
	export := func(dob, expires string) string {
		lines := strings.Split(smallExport, "\n")
		lines[0] += ",dob,expires"
		for i := 1; i < len(lines); i++ {
			if lines[i] == "" {
				continue
			}
			if strings.HasPrefix(lines[i], "A2,") {
				lines[i] += "," + dob + "," + expires
			} else {
				lines[i] += ",,"
			}
		}
		return strings.Join(lines, "\n")
	}
	cfg := testConfig()
	cfg.Channels.ConsentedOnly = true
	cfg.Input.Columns.BirthDate, cfg.Input.Columns.ConsentExpiresAt = "dob", "expires"
	if got := value(t, build(t, cfg, export("1990-01-01", "")).Channels[0], Bookings); got != 1 {
		t.Fatalf("an adult: google bookings %v, want 1", got)
	}
	for name, body := range map[string]string{
		"a minor":            export("2015-01-01", ""),
		"an expired consent": export("1990-01-01", "2026-10-01"),
	} {
		if got := value(t, build(t, cfg, body).Channels[0], Bookings); got != 0 {
			t.Errorf("%s: google bookings %v, want 0", name, got)
		}
	}
}
