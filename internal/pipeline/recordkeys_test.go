package pipeline

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/hashgate/hashgate/internal/report"
)

// TestConversionsCarryTheirRecordKeys: with a RecordKeyer every
// conversion reaches the sink with its event id's record key — a visit's
// and its booking's each their own, the same for every platform — made
// once per event id and row on the goroutine that decided it, through
// rows held on disk, on one worker and on four; without one, none.
func TestConversionsCarryTheirRecordKeys(t *testing.T) {
	rows := [][]string{
		{"B1", "2026-11-02 09:00", "completed", "a@example.com", "yes", "", bookingGCLID, "2026-10-20 14:30"},
		{"B3", "2026-11-03 11:00", "cancelled", "c@example.com", "yes", "", "", "2026-10-21 20:00"},
		{"B4", "2026-11-04 15:30", "completed", "d@example.com", "yes", "", "", ""},
		{"B5", "2026-11-05 15:30", "completed", "e@example.com", "yes", "", bookingGCLID, "2026-10-25 10:00"},
	}
	key := func(id string) uint64 {
		return uint64(len(id))<<56 ^ uint64(id[0])<<8 ^ uint64(id[len(id)-1]) ^ 0x5bd1e995
	}
	cfg := bookingConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 4} {
		var mu sync.Mutex
		asked := map[string]int{}
		keyer := func() func(string) uint64 {
			return func(id string) uint64 {
				mu.Lock()
				asked[strings.Clone(id)]++ // id is a view of the runner's buffer, valid during the call
				mu.Unlock()
				return key(id)
			}
		}
		sink := &capture{}
		err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(bookingHeader + csvRows(rows, []int{0, 1, 2, 3, 4, 5, 6, 7})),
			InputName: "t.csv", Sink: sink, Now: bookingNow, Workers: workers, HoldMemory: 1, RecordKeyer: keyer}, report.New("t.csv"))
		if err != nil {
			t.Fatal(err)
		}
		visits, bookings := 0, 0
		for _, cv := range sink.got {
			if cv.RecordKey != key(string(cv.EventID)) {
				t.Errorf("workers %d: %s conversion (booking %v) carries record key %x, want %x", workers, cv.Platform, cv.Booking, cv.RecordKey, key(string(cv.EventID)))
			}
			if cv.Booking {
				bookings++
			} else {
				visits++
			}
		}
		if visits < 3 || bookings < 3 {
			t.Fatalf("workers %d: %d visits and %d bookings sent; the test needs both, for both platforms", workers, visits, bookings)
		}
		for id, n := range asked {
			if n != 1 {
				t.Errorf("workers %d: record key of %s made %d times, want once", workers, id, n)
			}
		}
	}
	sink, _ := runBookings(t, cfg, bookingHeader, csvRows(rows, []int{0, 1, 2, 3, 4, 5, 6, 7}), 2)
	for _, cv := range sink.got {
		if cv.RecordKey != 0 {
			t.Errorf("without a RecordKeyer a conversion carries record key %x", cv.RecordKey)
		}
	}
}
