package google

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	datamanager "google.golang.org/api/datamanager/v1"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestAStatusIsReadAgainstTheActionsItsRequestNamed (review of bookings
// over many nights): a request of a visit and a booking names the visits'
// action and the bookings' (987654321, 555000111), and the bookings fail
// processing with TOO_RECENT_CLICK. Read by a client whose config has
// since changed — another booking action, bookings off, another visits'
// action — with the actions the ledger recorded for the request, the
// failure is still there and still resent; read by tonight's config it
// was dropped with the status of the action no longer configured, and the
// request read SUCCESS.
func TestAStatusIsReadAgainstTheActionsItsRequestNamed(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tonight Config
		failRef string
	}{
		{"another booking action", Config{BookingActionID: "555000333"}, refBooking},
		{"bookings off", Config{}, refBooking},
		{"another visits' action", Config{ConversionActionID: "987000000", BookingActionID: "555000111"}, refVisit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fail := func(_ int, ev map[string]any) (string, string) {
				if refs, _ := ev["destinationReferences"].([]any); slices.Contains(refs, any(tc.failRef)) {
					return "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK", ""
				}
				return "", ""
			}
			clk, _, sent := statusFake(t, destinationtest.Processing{Event: fail}, Config{BookingActionID: "555000111"})
			cs := convs(t, 2)
			cs[1].Booking, cs[1].Name, cs[1].HasValue = true, "Schedule", false
			rec, err := sent.Send(context.Background(), cs)
			if err != nil {
				t.Fatal(err)
			}
			sentTo := sent.SentTo(cs)
			if !slices.Equal(sentTo, []string{"987654321", "555000111"}) {
				t.Fatalf("sent to %v", sentTo)
			}
			clk.Advance(2 * time.Hour)
			cfg := tc.tonight
			cfg.OperatingAccount, cfg.Endpoint = "1234567890", sent.svc.BasePath
			if cfg.ConversionActionID == "" {
				cfg.ConversionActionID = "987654321"
			}
			tonight, err := New(context.Background(), cfg, sent.hc)
			if err != nil {
				t.Fatal(err)
			}
			p, err := tonight.Processing(context.Background(), rec.RequestID, sentTo)
			if err == nil {
				p, err = destination.GateProcessing(tonight.Platform().Spec(), p, len(cs))
			}
			if err != nil || !p.Final || p.Status != StatusPartialSuccess || len(p.Errors) != 1 ||
				p.Errors[0].Reason != "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK" || !p.Errors[0].Retry {
				t.Errorf("verdict %+v %v", p, err)
			}
		})
	}
}

// TestAStatusThatDoesNotFitTheRequestIsRefused: Google answers one status
// per destination of the request, in its order (ingestion_service.proto);
// an answer with a status too many or too few, none at a position, or one
// naming another action where the request named its own, is about
// something the request was not sent to: refused (ErrBadAnswer), never
// taken as processed ok. A status naming no action is taken by its
// position; without the request's actions every status is taken.
func TestAStatusThatDoesNotFitTheRequestIsRefused(t *testing.T) {
	ok := func(action string) *datamanager.RequestStatusPerDestination {
		return entry(t, action, StatusSuccess, "1")
	}
	failed := func(action string) *datamanager.RequestStatusPerDestination {
		return entry(t, action, StatusFailed, "1", &datamanager.ErrorCount{Reason: "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK", RecordCount: 1, RecordIndices: []int64{1}})
	}
	bare := failed("")
	bare.Destination = nil
	two := []string{"111", "222"}
	for _, tc := range []struct {
		name   string
		sentTo []string
		answer []*datamanager.RequestStatusPerDestination
		bad    bool
		errs   int // errors of the merged verdict
	}{
		{"both actions", two, []*datamanager.RequestStatusPerDestination{ok("111"), failed("222")}, false, 1},
		{"another action at the bookings' place", two, []*datamanager.RequestStatusPerDestination{ok("111"), failed("333")}, true, 0},
		{"the bookings' status missing", two, []*datamanager.RequestStatusPerDestination{ok("111")}, true, 0},
		{"a status too many", two[:1], []*datamanager.RequestStatusPerDestination{ok("111"), failed("222")}, true, 0},
		{"no status at a position", two, []*datamanager.RequestStatusPerDestination{ok("111"), nil}, true, 0},
		{"in another order", two, []*datamanager.RequestStatusPerDestination{failed("222"), ok("111")}, true, 0},
		{"a status naming no action", two, []*datamanager.RequestStatusPerDestination{ok("111"), bare}, false, 1},
		{"actions not recorded", nil, []*datamanager.RequestStatusPerDestination{ok("111"), failed("333")}, false, 1},
	} {
		v, err := verdict(answer(tc.answer...), tc.sentTo)
		if tc.bad {
			if !errors.Is(err, destination.ErrBadAnswer) {
				t.Errorf("%s: %+v %v, want a refused answer", tc.name, v, err)
			}
			continue
		}
		if err != nil || !v.Final || len(v.Errors) != tc.errs {
			t.Errorf("%s: %+v %v", tc.name, v, err)
		}
	}
	if v, err := verdict(answer(), two); err != nil || v.Final {
		t.Errorf("an empty answer: %+v %v, want not final", v, err)
	}
}
