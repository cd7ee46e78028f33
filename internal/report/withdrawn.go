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
	return "withdrawn after they were sent: " + strings.Join(parts, ", ") + " (no platform can retract them; by reason in the JSON report, withdrawn_after_sent)"
}
