package google

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"google.golang.org/api/datamanager/v1"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestBookingsGoToTheirOwnConversionAction (issue 27 point 3): a batch of
// visits and bookings names both conversion actions, each event its own
// (event.proto destination_references), and the fake — which routes by
// reference — files each under its action only; a batch of visits alone
// is the request it always was (one destination, no reference); one of
// bookings alone names the booking action only.
func TestBookingsGoToTheirOwnConversionAction(t *testing.T) {
	dm, c := fake(t, Config{BookingActionID: "555000111"}, nil)
	cs := convs(t, 4)
	cs[1].Booking, cs[1].Name, cs[1].HasValue = true, "Schedule", false
	cs[3].Booking, cs[3].Name, cs[3].HasValue = true, "Schedule", false
	if r := send(t, c, cs); r.Accepted != 4 {
		t.Fatalf("result %+v", r)
	}
	visits, bookings := dm.AcceptedAt("1234567890/987654321"), dm.AcceptedAt("1234567890/555000111")
	for i, cv := range cs {
		tx := string(cv.EventID)
		want, other := visits, bookings
		if cv.Booking {
			want, other = bookings, visits
		}
		if want[tx] != 1 || other[tx] != 0 {
			t.Errorf("event %d (booking %v): visits %v, bookings %v", i, cv.Booking, visits, bookings)
		}
	}
	for _, tc := range []struct {
		name  string
		batch []int
		dests []string // action ids, in order
		refs  bool
	}{
		{"visits only", []int{0, 2}, []string{"987654321"}, false},
		{"bookings only", []int{1, 3}, []string{"555000111"}, false},
		{"both", []int{0, 1}, []string{"987654321", "555000111"}, true},
	} {
		var batch = cs[:0:0]
		for _, i := range tc.batch {
			batch = append(batch, cs[i])
		}
		var req datamanager.IngestEventsRequest
		if err := json.Unmarshal(c.encode(nil, batch), &req); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range req.Destinations {
			got = append(got, d.ProductDestinationId)
			if (d.Reference != "") != tc.refs {
				t.Errorf("%s: destination reference %q", tc.name, d.Reference)
			}
		}
		if !reflect.DeepEqual(got, tc.dests) {
			t.Errorf("%s: destinations %v, want %v", tc.name, got, tc.dests)
		}
		for i, ev := range req.Events {
			if (len(ev.DestinationReferences) == 1) != tc.refs {
				t.Errorf("%s: event %d references %v", tc.name, i, ev.DestinationReferences)
			}
		}
		ref, _ := json.Marshal(c.Request(batch))
		var fromTypes datamanager.IngestEventsRequest
		_ = json.Unmarshal(ref, &fromTypes)
		if a, b := mustJSON(t, &req), mustJSON(t, &fromTypes); a != b {
			t.Errorf("%s: encode and Request differ:\n%s\n%s", tc.name, a, b)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAStatusOfTwoActionsIsAddedUp: requestStatus:retrieve of a request
// naming the visits' and the bookings' actions answers per destination;
// the client takes both, adds their records up, lists their errors
// together, and calls the request final only when both are —
// PARTIAL_SUCCESS when they disagree. How Google splits a
// two-destination request is not documented (contract G19).
func TestAStatusOfTwoActionsIsAddedUp(t *testing.T) {
	sentTo := []string{"111", "222"}
	bad := &datamanager.ErrorCount{Reason: "PROCESSING_ERROR_REASON_INVALID_GCLID", RecordCount: 1, RecordIndices: []int64{3}}
	got, err := verdict(answer(entry(t, "111", StatusSuccess, "3"), entry(t, "222", StatusFailed, "1", bad)), sentTo)
	if err != nil || !got.Final || got.Status != StatusPartialSuccess || got.Records != 4 || len(got.Errors) != 1 || got.Errors[0].Indices[0] != 3 {
		t.Errorf("merged %+v %v", got, err)
	}
	got, err = verdict(answer(entry(t, "111", StatusSuccess, "3"), entry(t, "222", "PROCESSING", "1")), sentTo)
	if err != nil || got.Final || got.Status != "PROCESSING" || got.Records != 4 {
		t.Errorf("one action still processing: %+v %v", got, err)
	}
	one, err := verdict(answer(entry(t, "111", StatusSuccess, "5")), sentTo[:1])
	if err != nil || !one.Final || one.Status != StatusSuccess || one.Records != 5 {
		t.Errorf("one action: %+v %v", one, err)
	}
}

// entry is one destination's status: action, status, recordCount and
// errors.
func entry(t *testing.T, action, status, records string, errs ...*datamanager.ErrorCount) *datamanager.RequestStatusPerDestination {
	t.Helper()
	e := &datamanager.RequestStatusPerDestination{
		Destination:           &datamanager.Destination{OperatingAccount: &datamanager.ProductAccount{AccountId: "1234567890"}, ProductDestinationId: action},
		RequestStatus:         status,
		EventsIngestionStatus: &datamanager.IngestEventsStatus{RecordCount: mustInt(t, records)},
	}
	if len(errs) > 0 {
		e.ErrorInfo = &datamanager.ErrorInfo{ErrorCounts: errs}
	}
	return e
}

// answer is a status response of entries, in order.
func answer(entries ...*datamanager.RequestStatusPerDestination) *datamanager.RetrieveRequestStatusResponse {
	return &datamanager.RetrieveRequestStatusResponse{RequestStatusPerDestination: entries}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, r := range s {
		n = n*10 + int64(r-'0')
	}
	return n
}

// TestAStatusOfTwoActionsPassesTheGateEitherWay: Data Manager answers a
// status per destination (ingestion_service.proto), and whether each
// one's recordCount counts that destination's events or, as the proto
// comment reads literally, "all events in the request" is not
// documented. A visits-and-bookings request read under either count must
// pass the answer gate with its errors where they are — not be refused
// as a count larger than the request, which would leave the request
// without a verdict until the reader gives up.
func TestAStatusOfTwoActionsPassesTheGateEitherWay(t *testing.T) {
	for _, whole := range []bool{false, true} {
		fail := func(i int, _ map[string]any) (string, string) {
			if i == 1 {
				return "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", ""
			}
			return "", ""
		}
		g, n := twoActionVerdict(t, destinationtest.Processing{Event: fail, RecordCountIsTheRequest: whole})
		if !g.Final || g.Status != StatusPartialSuccess || len(g.Errors) != 1 || !slices.Equal(g.Errors[0].Indices, []int{1}) || g.Errors[0].Records != 1 {
			t.Errorf("whole=%v: verdict %+v", whole, g)
		}
		if g.Records > int64(n) {
			t.Errorf("whole=%v: %d records for a request of %d", whole, g.Records, n)
		}
	}
}

// TestTwoActionsFailedWithoutCountsPassTheGate: both destinations of a
// visits-and-bookings request FAILED without error counts ("May not be
// populated in all cases", processing_errors.proto) — every event failed,
// under either reading of recordCount; the merged verdict says so once,
// without a count, instead of a count twice the request's that the answer
// gate would refuse.
func TestTwoActionsFailedWithoutCountsPassTheGate(t *testing.T) {
	for _, whole := range []bool{false, true} {
		all := func(int, map[string]any) (string, string) { return "PROCESSING_ERROR_REASON_INVALID_EVENT", "" }
		g, _ := twoActionVerdict(t, destinationtest.Processing{Event: all, FailedWithoutCounts: true, RecordCountIsTheRequest: whole})
		if g.Status != StatusFailed || !g.Final || len(g.Errors) != 1 || g.Errors[0].Reason != ReasonFailedNoDetail || g.Errors[0].Records != -1 {
			t.Errorf("whole=%v: verdict %+v", whole, g)
		}
	}
}

// twoActionVerdict sends a visits-and-bookings request of four events
// (the second and fourth bookings) to a Data Manager fake that processes
// it as proc says, reads its status an hour later, and returns what the
// answer gate makes of it, with the request's size. A verdict the gate
// refuses fails the test.
func twoActionVerdict(t *testing.T, proc destinationtest.Processing) (destination.Processing, int) {
	t.Helper()
	clk, _, c := statusFake(t, proc, Config{BookingActionID: "555000111"})
	cs := convs(t, 4)
	cs[1].Booking, cs[1].Name, cs[1].HasValue = true, "Schedule", false
	cs[3].Booking, cs[3].Name, cs[3].HasValue = true, "Schedule", false
	rec, err := c.Send(context.Background(), cs)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	p, err := c.Processing(context.Background(), rec.RequestID, c.SentTo(cs))
	if err != nil {
		t.Fatal(err)
	}
	g, err := destination.GateProcessing(c.Platform().Spec(), p, len(cs))
	if err != nil {
		t.Fatalf("the gate refused %+v: %v", p, err)
	}
	return g, len(cs)
}
