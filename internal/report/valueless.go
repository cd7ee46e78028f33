package report

import (
	"fmt"
	"strings"

	"github.com/hashgate/hashgate/internal/platform"
)

// Valueless counts, per platform, the visits' conversions that carry no
// value — conversion.value: none, a blank fee, a fee that is
// value_not_a_number — as Conversions counts them all. Google does not
// record such a conversion as worth nothing: it records the conversion
// action's default value ("The value to use when conversion events for
// this conversion action are sent with an invalid, disallowed or missing
// value": platform.Spec.WithoutValue cites the source), so the summary
// says how many went so. Meta holds a Purchase without a value back
// (would_hold_back: purchase_without_value).
type Valueless struct {
	WithoutValue map[string]int `json:"conversions_without_value,omitempty"`
}

// AddWithoutValue counts n of platform p's conversions as carrying no value.
func (v *Valueless) AddWithoutValue(p string, n int) {
	if n == 0 {
		return
	}
	if v.WithoutValue == nil {
		v.WithoutValue = map[string]int{}
	}
	v.WithoutValue[p] += n
}

// writeValueless says, below the conversions, how many of each
// platform's carry no value and what the platform records for them
// (platform.Spec.WithoutValue; nothing for one that documents nothing).
func (s *Summary) writeValueless(b *strings.Builder) {
	for _, p := range platform.All {
		if n, says := s.WithoutValue[p.String()], p.Spec().WithoutValue; n > 0 && says != "" {
			fmt.Fprintf(b, "  %s: %d of the %d conversions carry no value (conversion.value none, a blank fee, value_not_a_number): %s\n",
				p, n, s.Conversions[p.String()], says)
		}
	}
}
