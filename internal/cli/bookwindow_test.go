package cli

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// An event accepted long ago is never sent again when its event time
// moves later: a booking is dated by booked_at, or by its appointment
// without a readable one, and a visit's appointment date may be corrected
// after it was sent. The ledger used to look an event dated within its
// platform's window up only among acceptances recorded since the window
// opened (a week of skew added), so each of these was sent a second time,
// exit 0, "ingested" — and Meta, past its 7-day dedup window, counted it
// twice (a review, sent twice).

// wantOnce checks how many events each Meta event name and Google action
// holds (counts: the names' and actions' own), that neither fake accepted
// an event twice nor Meta counts one twice past its deduplication, and
// that tonight's summary counts an event as already ingested.
func (n *bookingNights) wantOnce(r result, counts map[string]int) {
	n.t.Helper()
	meta, google := n.sent()
	for k, want := range counts {
		got := meta[k]
		if strings.HasPrefix(k, "5550") {
			got = google[k]
		}
		if got != want {
			n.t.Fatalf("%s sent %d times, want %d: meta %v google %v\n%s", k, got, want, meta, google, r.stderr)
		}
	}
	destinationtest.ExactlyOnce(n.t, n.g.Accepted(), len(n.g.Accepted()))
	destinationtest.ExactlyOnce(n.t, n.dm.Accepted(), len(n.dm.Accepted()))
	// What Meta counts after its 7-day deduplication: each once.
	for id, times := range n.g.Counted() {
		if times != 1 {
			n.t.Errorf("Meta counts %s %d times", id, times)
		}
	}
	if !strings.Contains(r.stderr, "already ingested in earlier runs: not sent again") {
		n.t.Errorf("tonight's summary counts nothing as already ingested:\n%s", r.stderr)
	}
}

// TestABookingSentLongAgoIsNotSentAgainWhenItsTimeMovesLater is the
// review's reproduction: sent on 08-01, dated by booked_at; on 11-20 the
// row's booked_at is blank, so the booking is dated by its appointment
// (11-18), inside both windows, 111 days after it was sent.
func TestABookingSentLongAgoIsNotSentAgainWhenItsTimeMovesLater(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 8, 1, 15, 0, 0, 0, time.UTC))
	n.night("L1,2026-11-18 10:00,booked,l1@example.com,yes," + bookingGCLIDcli + ",2026-08-01 09:30")
	n.now = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	r := n.night("L1,2026-11-18 10:00,completed,l1@example.com,yes," + bookingGCLIDcli + ",") // booked_at now blank
	n.wantOnce(r, map[string]int{"Schedule": 1, "Purchase": 1, "555000222": 1, "555000111": 1})
	// Each destination: the visit ingested, the booking already so.
	if strings.Count(r.stderr, "1 of 1 conversions ingested") != 2 || strings.Count(r.stderr, "1 already ingested in earlier runs") != 2 {
		t.Errorf("want, for each destination, the visit ingested and the booking already ingested:\n%s", r.stderr)
	}
}

// TestMovedBookingTimesAreNotSentAgain: the other ways a booking's time
// moves later than when it was sent, each months after.
func TestMovedBookingTimesAreNotSentAgain(t *testing.T) {
	sent := time.Date(2026, 8, 1, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name       string
		first      string
		later      time.Time
		then       string
		wantCounts map[string]int
	}{{
		// Rescheduled on the same row (its order id holds no time), and
		// the clinic system wrote the rescheduling as a new booked_at.
		name:       "rescheduled with booked_at updated",
		first:      "L1,2026-08-20 10:00,booked,l1@example.com,yes," + bookingGCLIDcli + ",2026-08-01 09:30",
		later:      time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC),
		then:       "L1,2026-11-25 10:00,booked,l1@example.com,yes," + bookingGCLIDcli + ",2026-11-10 09:30",
		wantCounts: map[string]int{"Schedule": 1, "555000222": 1},
	}, {
		// One night's booked_at cannot be read: the booking is dated by
		// its appointment, passed.
		name:       "booked_at unreadable",
		first:      "L1,2026-11-18 10:00,booked,l1@example.com,yes," + bookingGCLIDcli + ",2026-08-01 09:30",
		later:      time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC),
		then:       "L1,2026-11-18 10:00,completed,l1@example.com,yes," + bookingGCLIDcli + ",not yet",
		wantCounts: map[string]int{"Schedule": 1, "Purchase": 1, "555000222": 1, "555000111": 1},
	}, {
		// booked_at re-saved after the appointment: dated by the
		// appointment.
		name:       "booked_at re-saved after the appointment",
		first:      "L1,2026-11-18 10:00,booked,l1@example.com,yes," + bookingGCLIDcli + ",2026-08-01 09:30",
		later:      time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC),
		then:       "L1,2026-11-18 10:00,completed,l1@example.com,yes," + bookingGCLIDcli + ",2026-11-19 09:00",
		wantCounts: map[string]int{"Schedule": 1, "Purchase": 1, "555000222": 1, "555000111": 1},
	}} {
		t.Run(c.name, func(t *testing.T) {
			n := newBookingNights(t, sent)
			n.night(c.first)
			n.now = c.later
			n.wantOnce(n.night(c.then), c.wantCounts)
		})
	}
}

// TestMetaAloneKeepsAMovedBookingAfterItsWindow: with Meta only, the set
// of recent acceptances spans 60 + 1 + 7 days; a booking sent on 08-01
// and rescheduled on 10-10 with a new booked_at (70 days later) was
// counted twice.
func TestMetaAloneKeepsAMovedBookingAfterItsWindow(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 8, 1, 15, 0, 0, 0, time.UTC))
	body, err := os.ReadFile(n.cfg)
	if err != nil {
		t.Fatal(err)
	}
	cut := strings.Index(string(body), "  google:\n")
	if cut < 0 {
		t.Fatal("no google block in the nights' config")
	}
	if err := os.WriteFile(n.cfg, body[:cut], 0o600); err != nil {
		t.Fatal(err)
	}
	n.night("M1,2026-08-20 10:00,booked,m1@example.com,yes,,2026-08-01 09:30")
	n.now = time.Date(2026, 10, 10, 15, 0, 0, 0, time.UTC)
	r := n.night("M1,2026-10-20 10:00,booked,m1@example.com,yes,,2026-10-10 09:30")
	n.wantOnce(r, map[string]int{"Schedule": 1})
	if meta, google := n.sent(); len(google) != 0 || meta["Schedule"] != 1 {
		t.Fatalf("meta %v google %v", meta, google)
	}
}

// TestAVisitWhoseDateIsCorrectedLaterIsNotSentAgain: a visit sent in July
// whose appointment date the clinic corrects in November (a typo in the
// month) is dated inside the windows again; its order id is the
// appointment number, so its event id is the same, and it was accepted.
func TestAVisitWhoseDateIsCorrectedLaterIsNotSentAgain(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 7, 21, 15, 0, 0, 0, time.UTC))
	n.night("V1,2026-07-20 10:00,completed,v1@example.com,yes," + bookingGCLIDcli + ",")
	if meta, google := n.sent(); meta["Purchase"] != 1 || google["555000111"] != 1 {
		t.Fatalf("night 1: meta %v google %v", meta, google)
	}
	n.now = time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	r := n.night("V1,2026-11-15 10:00,completed,v1@example.com,yes," + bookingGCLIDcli + ",")
	n.wantOnce(r, map[string]int{"Purchase": 1, "555000111": 1, "Schedule": 1, "555000222": 1})
}
