package cli

import (
	"strings"
	"testing"
	"time"
)

// TestAReSavedBookedAtStops (a review of bookings over a month of nights):
// the booked_at column re-saved by a spreadsheet as 11/10/2026 9:30, with
// input.date_order unset, read as no date at all: every booking went back
// to waiting for its appointment (one sent the night before was counted
// waiting), exit 0, where the same change to the appointment column stops
// the run. It stops now too, before anything is sent, naming
// input.date_order.
func TestAReSavedBookedAtStops(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)) // 23:00 in Taipei
	n.night("E1,2026-11-20 10:00,booked,e1@example.com,yes," + bookingGCLIDcli + ",2026-11-10 09:30")
	n.now = n.now.AddDate(0, 0, 1)
	before, _ := n.sent()
	r := n.run(
		"E1,2026-11-20 10:00,booked,e1@example.com,yes,"+bookingGCLIDcli+",11/10/2026 9:30",
		"E2,2026-11-21 10:00,booked,e2@example.com,yes,"+bookingGCLIDcli+",11/11/2026 16:30",
		"E3,2026-11-22 10:00,booked,e3@example.com,yes,"+bookingGCLIDcli+",11/11/2026 11:00",
		"E4,2026-11-23 10:00,booked,e4@example.com,yes,"+bookingGCLIDcli+",11/11/2026 12:00")
	after, _ := n.sent()
	if r.code != ExitUsage || !strings.Contains(r.stderr, "input.date_order: ") || !strings.Contains(r.stderr, "read only by input.date_order") || after["Schedule"] != before["Schedule"] {
		t.Errorf("a re-saved booked_at: exit %d, Schedule %d → %d; want exit 2 naming input.date_order, nothing sent\n%s", r.code, before["Schedule"], after["Schedule"], r.stderr)
	}
}

// TestBookingsWithoutConsentAtSaySo: without input.columns.consent_at the
// export cannot say when consent was given, and a consent first recorded
// at the visit covers the booking the nights before refused (a bookings
// review). Until the ledger remembers such refusals, every run says so.
func TestBookingsWithoutConsentAtSaySo(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC))
	r := n.night("K1,2026-11-20 10:00,booked,k1@example.com,yes," + bookingGCLIDcli + ",2026-11-10 09:30")
	if !strings.Contains(r.stderr, "conversion.bookings without input.columns.consent_at") {
		t.Errorf("no notice:\n%s", r.stderr)
	}
}
