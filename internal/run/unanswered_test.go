package run

import (
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/report"
)

// TestUnansweredIsNotCalledRejected: the summary counts events whose
// request may have arrived apart from the rejected ones, under the reason
// the sender gives them.
func TestUnansweredIsNotCalledRejected(t *testing.T) {
	if report.UnansweredReason != destination.ReasonUnanswered {
		t.Fatalf("report's %q is not the sender's %q", report.UnansweredReason, destination.ReasonUnanswered)
	}
	s := report.New("export.csv")
	s.Conversions = map[string]int{"meta": 4}
	s.Uploads = []report.Upload{{Destination: "meta", Conversions: 4, Rejected: map[string]int{destination.ReasonUnanswered: 3, destination.ReasonRetriesExhausted: 1}}}
	var b strings.Builder
	if err := s.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if !strings.Contains(text, "1 rejected, 0 not sent, 3 unanswered (their requests may have arrived") {
		t.Errorf("summary:\n%s", text)
	}
}
