package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestAStoppedNightSendsNoBookings: the night after ten visits were
// sent, the clinic's timezone is changed (their times move) and the
// export holds more than a request of new bookings before the visits.
// The moved-times stop says nothing was sent, and nothing was: bookings
// went on to the senders before the verdict, and a full batch of them
// reached the platforms (a review, 2026-12-07).
func TestAStoppedNightSendsNoBookings(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 11, 12, 15, 0, 0, 0, time.UTC))
	var visits []string
	for i := range 10 {
		visits = append(visits, fmt.Sprintf("V%d,2026-11-%02d %02d:00,completed,v%d@example.com,yes,%s,", i, 2+i%8, 9+i%7, i, bookingGCLIDcli))
	}
	n.night(visits...)
	meta, google := n.sent()
	if google["555000111"] != 10 {
		t.Fatalf("night 1: meta %v, google %v", meta, google)
	}
	n.now = n.now.Add(24 * time.Hour)
	body, err := os.ReadFile(n.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(n.cfg, []byte(strings.Replace(string(body), "timezone: Asia/Taipei", "timezone: Asia/Tokyo", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	var rows []string
	for i := range 2100 { // more than Google's 2,000-event request
		rows = append(rows, fmt.Sprintf("B%04d,2026-11-20 %02d:%02d,scheduled,b%d@example.com,yes,%s,2026-11-12 %02d:%02d", i, 9+i%8, i%60, i, bookingGCLIDcli, 9+i%8, i%60))
	}
	gReq, gStatus := n.dm.Requests(), n.dm.StatusReads()
	r := n.run(append(rows, visits...)...)
	if r.code != 2 || !strings.Contains(r.stderr, "nothing was sent") {
		t.Fatalf("night 2: exit %d, want the moved-times stop\n%s", r.code, r.stderr)
	}
	// A status read of night 1's request is no send.
	if sends := n.dm.Requests() - gReq - (n.dm.StatusReads() - gStatus); sends != 0 {
		t.Fatalf("night 2 stopped, yet made %d google requests besides status reads", sends)
	}
	if m, g := n.sent(); fmt.Sprint(m, g) != fmt.Sprint(meta, google) {
		t.Fatalf("night 2 stopped, yet sent: meta %v, google %v; before it meta %v, google %v", m, g, meta, google)
	}
}
