package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
)

// TestABookingsOldIDInTheRevocationsFileWithdrawsItsRow: a review CSV
// written before ledger schema 16 lists the booking of Ｋ１ (typed
// full-width) under the id made of it as written. Since order ids are
// folded the row's booking goes under K1's id, and the old one withdrew
// nothing: the visit and the booking went to both platforms. It withdraws
// its row as tonight's booking id does.
func TestABookingsOldIDInTheRevocationsFileWithdrawsItsRow(t *testing.T) {
	n := newBookingNights(t, time.Date(2026, 11, 13, 15, 0, 0, 0, time.UTC))
	booking, _ := eventid.NewDeriver(n.env["HASHGATE_SECRET"]).DeriveBooking("Ｋ１")
	rev := filepath.Join(t.TempDir(), "revoked.txt")
	if err := os.WriteFile(rev, []byte(string(booking)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(n.cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(body), "consent:\n", "consent:\n  revocations_file: "+rev+"\n", 1)
	if err := os.WriteFile(n.cfg, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	r := n.night(
		"Ｋ１,2026-11-12 10:00,completed,k1@example.com,yes,"+bookingGCLIDcli+",2026-11-10 09:00",
		"K2,2026-11-12 11:00,completed,k2@example.com,yes,"+bookingGCLIDcli+"2,2026-11-10 09:30",
	)
	meta, google := n.sent()
	if meta["Schedule"] != 1 || meta["Purchase"] != 1 || google["555000222"] != 1 || google["555000111"] != 1 {
		t.Errorf("sent meta %v google %v: want only K2's visit and booking\n%s", meta, google, r.stderr)
	}
	if !strings.Contains(r.stderr, "consent_revoked_list") {
		t.Errorf("the summary does not count the withdrawn row:\n%s", r.stderr)
	}
}
