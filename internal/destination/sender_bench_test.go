package destination

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
)

// acceptAll takes every batch at once: the Sender's own cost, no wire.
type acceptAll struct{}

func (acceptAll) Platform() identifier.Platform                      { return identifier.Meta }
func (acceptAll) MaxBatch() int                                      { return 1000 }
func (acceptAll) Preflight(*conversion.Conversion, time.Time) string { return "" }
func (acceptAll) Send(_ context.Context, b []*conversion.Conversion) (Receipt, error) {
	return Receipt{RequestID: "r", Accepted: len(b)}, nil
}

// BenchmarkSenderWrite: what Write and a batch's round cost per
// conversion (four identifiers, as the bench config sends Meta), with
// the collector's share in the time: make bench-upload's senders without
// the wire.
func BenchmarkSenderWrite(b *testing.B) {
	var ids []identifier.Sent
	for _, v := range []struct {
		f identifier.Field
		s string
	}{{identifier.Email, "a@example.com"}, {identifier.Phone, "+886912345678"}, {identifier.FirstName, "amir"}, {identifier.LastName, "bob"}} {
		s, _ := identifier.Prepare(identifier.Meta, v.f, v.s, identifier.Options{})
		ids = append(ids, s)
	}
	events := make([]eventid.ID, 1<<12)
	for i := range events {
		events[i] = eventid.ID(fmt.Sprintf("%064x", i))
	}
	now := time.Now()
	cv := &conversion.Conversion{Platform: identifier.Meta, Time: now.Add(-time.Hour), Identifiers: ids, Name: "Purchase", Value: 1200, HasValue: true, Currency: "TWD"}
	s := NewSender(context.Background(), acceptAll{}, Options{Now: func() time.Time { return now }})
	b.ReportAllocs()
	for i := range b.N {
		cv.EventID, cv.Line = events[i%len(events)], i+2
		if err := s.Write(cv); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
}
