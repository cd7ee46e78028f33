package report

import (
	"fmt"
	"strings"
)

// withdrawnAfterSent is the summary's line for the rows withdrawn tonight
// that a platform already holds (Upload.WithdrawnAfterSent), "" when there
// are none: a visit whose consent was revoked, or that the revocations
// file lists, after it was sent stays counted there — the Data Manager
// API has no retraction and Meta's Conversions API no adjustment — and
// the privacy officer must hear of it rather than read "excluded" alone.
// The line says hashgate cannot retract them, not that no platform can:
// Google Ads itself retracts by order ID (an adjustments upload in its
// UI, or the Google Ads API's RETRACTION; support.google.com/google-ads/
// answer/7686280), which a privacy-officer review found the old wording
// denied; README names that route and what is unverified about it.
func (s *Summary) withdrawnAfterSent() string {
	var parts []string
	for _, u := range s.Uploads {
		if n := total(u.WithdrawnAfterSent); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", u.Destination, n))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "withdrawn after they were sent: " + strings.Join(parts, ", ") + " (hashgate cannot retract them: the APIs it uses offer no retraction — README, \"When a visit changes after upload\", says what the platforms allow; by reason in the JSON report, withdrawn_after_sent)"
}
