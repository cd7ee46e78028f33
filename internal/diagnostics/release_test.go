package diagnostics_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/hashgate/hashgate/internal/channels"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/diagnostics"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
)

// TestCoverageFollowsTheReleaseRule: under the channel report's release
// rule, coverage counts are perturbed by at most one, drawn from their
// events: the same events give the same figures in any batch order, and
// no kind is counted above the events.
func TestCoverageFollowsTheReleaseRule(t *testing.T) {
	g := identifier.Google
	var events []*conversion.Conversion
	for i := range 60 {
		cv := &conversion.Conversion{Platform: g, EventID: eventid.ID(fmt.Sprintf("event-%d", i)),
			Identifiers: []identifier.Sent{sent(t, g, identifier.Phone, "0912-345-678")}}
		if i%3 == 0 {
			cv.Identifiers = append(cv.Identifiers, sent(t, g, identifier.Email, fmt.Sprintf("p%d@example.com", i)))
		}
		if i < 9 {
			cv.GCLID = "Cj0KCQ-test"
		}
		events = append(events, cv)
	}
	key := make([]byte, 32)
	figures := func(batches ...[]*conversion.Conversion) *diagnostics.Figures {
		c := &diagnostics.Coverage{MinCell: 5, Release: channels.NewReleaser(key)}
		for _, b := range batches {
			c.Count(g, b)
		}
		return c.Figures(g)
	}
	a := figures(events[:25], events[25:])
	rev := slices.Clone(events)
	slices.Reverse(rev)
	if b := figures(rev); !reflect.DeepEqual(a, b) {
		t.Fatalf("the same events in another order print other figures:\n%+v\n%+v", a, b)
	}
	exact := map[string]int{diagnostics.KindEmail: 20, diagnostics.KindPhone: 60, diagnostics.KindClickID: 9, diagnostics.KindAddress: 0}
	// The whole is the events ingested, exact: the summary prints that
	// count beside these figures, so perturbing it hid nothing, and a kind
	// capped at a perturbed whole read "email 31 (100%)" beside "30
	// ingested" (a review of the morning).
	if a.Events == nil || *a.Events != 60 {
		t.Fatalf("events %v, want the 60 ingested", a.Events)
	}
	for _, k := range a.Kinds {
		if k.Events == nil {
			continue
		}
		if d := *k.Events - exact[k.Kind]; d < -1 || d > 1 || *k.Events > *a.Events {
			t.Errorf("%s: %d printed for %d of %d", k.Kind, *k.Events, exact[k.Kind], *a.Events)
		}
		if exact[k.Kind] == 0 && *k.Events != 0 {
			t.Errorf("%s: zero printed as %d", k.Kind, *k.Events)
		}
	}
}

func sent(t *testing.T, p identifier.Platform, f identifier.Field, raw string) identifier.Sent {
	t.Helper()
	s, err := identifier.Prepare(p, f, raw, identifier.Options{Region: "TW"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// BenchmarkCoverageCount: batches of 1000 ingested events counted for
// Google and then, a batch behind, for Meta (one visit, one event id), as
// an upload's two senders count them, under the release rule: "carried",
// with the record keys the pipeline's workers made; "made", without.
func BenchmarkCoverageCount(b *testing.B) {
	for _, carried := range []bool{true, false} {
		b.Run(map[bool]string{true: "carried", false: "made"}[carried], func(b *testing.B) { benchmarkCoverageCount(b, carried) })
	}
}

func benchmarkCoverageCount(b *testing.B, carried bool) {
	rel := channels.NewReleaser(make([]byte, 32))
	mk := func(p identifier.Platform, from int) []*conversion.Conversion {
		out := make([]*conversion.Conversion, 1000)
		for i := range out {
			id := fmt.Sprintf("%032x", from+i)
			out[i] = &conversion.Conversion{Platform: p, EventID: eventid.ID(id)}
			if carried {
				out[i].RecordKey = rel.RecordKey(id)
			}
		}
		return out
	}
	const batches = 64
	var google, meta [batches][]*conversion.Conversion
	for i := range batches {
		google[i], meta[i] = mk(identifier.Google, i*1000), mk(identifier.Meta, i*1000)
	}
	c := &diagnostics.Coverage{MinCell: 5, Release: rel}
	b.ResetTimer()
	for n := range b.N {
		i := n % batches
		c.Count(identifier.Google, google[i])
		c.Count(identifier.Meta, meta[(i+batches-1)%batches])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*2000), "ns/event")
}
