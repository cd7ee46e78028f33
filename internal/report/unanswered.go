package report

import (
	"maps"
	"strings"
)

// rejectedSections writes a destination's rejected events by reason and,
// under a heading of their own, those whose request went unanswered: they
// may have arrived, and the next run resends them under the same event
// ids. Listed under "meta rejected:" they read as refused by the platform
// (a month of nights). A validation's are said otherwise: nothing of it
// is resent as a validation.
func rejectedSections(b *strings.Builder, u Upload) {
	rejected := maps.Clone(u.Rejected)
	n := rejected[UnansweredReason]
	delete(rejected, UnansweredReason)
	section(b, u.Destination+" rejected", rejected)
	switch {
	case n > 0 && u.TestMode != "":
		section(b, u.Destination+" unanswered ("+TestUnansweredWords+")", map[string]int{UnansweredReason: n})
	case n > 0:
		section(b, u.Destination+" unanswered (may have arrived; resent by the next run under the same event ids)", map[string]int{UnansweredReason: n})
	}
}

// UnansweredReason is destination.ReasonUnanswered (a test in package run
// holds them equal): events whose request may have arrived though no
// answer came. The summary counts them apart from the rejected ones.
const UnansweredReason = "unanswered_may_have_arrived"

// TestUnansweredWords say what became of a validation's events whose
// answer never came back: a validateOnly request ingests nothing and test
// events are never taken as delivered (docs/contract.md G12, M9), whether
// they arrived or not, so nothing of them waits for a resend as a
// validation; the real upload sends them as new.
const TestUnansweredWords = "a validation: never counted as delivered, whether or not it arrived, and never resent as a validation; the real upload sends them"
