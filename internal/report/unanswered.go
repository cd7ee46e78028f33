package report

import (
	"maps"
	"strings"
)

// rejectedSections writes a destination's rejected events by reason and,
// under a heading of their own, those whose request went unanswered: they
// may have arrived, and the next run resends them under the same event
// ids. Listed under "meta rejected:" they read as refused by the platform
// (a month of nights).
func rejectedSections(b *strings.Builder, u Upload) {
	rejected := maps.Clone(u.Rejected)
	n := rejected[UnansweredReason]
	delete(rejected, UnansweredReason)
	section(b, u.Destination+" rejected", rejected)
	if n > 0 {
		section(b, u.Destination+" unanswered (may have arrived; resent by the next run under the same event ids)", map[string]int{UnansweredReason: n})
	}
}
