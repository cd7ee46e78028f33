package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/report"
)

// runRevoked runs body with the revocations list ids, one worker.
func runRevoked(t *testing.T, cfg *config.Config, head, body string, ids ...string) (*capture, *report.Summary) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink, sum := &capture{}, report.New("t.csv")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(head + body), InputName: "t.csv",
		Sink: sink, Now: bookingNow, Workers: 1, Revocations: consent.NewRevocations(ids...)}, sum); err != nil {
		t.Fatal(err)
	}
	return sink, sum
}

// TestARespelledRowIsWithdrawnByEitherSpelling: since single-column order
// ids are folded, a row is named by two spellings. A10\u200b01 in the
// export (a zero-width space pasted inside) is the order A1001 the
// revocations file lists: it was sent, for consent.Key trims invisible
// characters at the edges only. And a booking id from a review CSV made
// before ledger schema 16 (the booking of Ｂ１ as written) withdraws its
// row as the booking's id of tonight does: it withdrew nothing, and the
// booking and the visit were sent.
func TestARespelledRowIsWithdrawnByEitherSpelling(t *testing.T) {
	sink, sum := runRevoked(t, baseConfig(), header, "A10\u200b01,2026-10-01 09:00,completed,a@example.com,,,,,,,yes,\n", "A1001")
	if len(sink.got) != 0 || sum.Excluded[consent.ReasonListed] != 1 {
		t.Errorf("A10\\u200b01 with A1001 listed: %d conversions, excluded %v; want none, listed", len(sink.got), sum.Excluded)
	}
	d := eventid.NewDeriver("k")
	old, _ := d.DeriveBooking("Ｂ１")
	row := "Ｂ１,2026-11-02 09:00,completed,a@example.com,yes,," + bookingGCLID + ",2026-10-20 14:30\n"
	sink, sum = runRevoked(t, bookingConfig(), bookingHeader, row, string(old))
	if len(sink.got) != 0 || sum.Excluded[consent.ReasonListed] != 1 {
		t.Errorf("Ｂ１ with its old booking id listed: %d conversions, excluded %v; want none, listed", len(sink.got), sum.Excluded)
	}
	// The plain spelling's booking id withdraws it still.
	now, _ := d.DeriveBooking("B1")
	if sink, _ = runRevoked(t, bookingConfig(), bookingHeader, row, string(now)); len(sink.got) != 0 {
		t.Errorf("Ｂ１ with its booking id listed: %d conversions", len(sink.got))
	}
}

// TestRowIDsCarryTheBookingsLegacyID: `ledger find` and `ledger erase`
// look a row's booking up under the id an older hashgate made of its
// order id as written too: a booking sent before ledger schema 16 under a
// full-width spelling is in the ledger under it alone.
func TestRowIDsCarryTheBookingsLegacyID(t *testing.T) {
	d := eventid.NewDeriver("k")
	plain, _ := d.DeriveBooking("B1")
	written, _ := d.DeriveBooking("Ｂ１")
	cfg := bookingConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	body := "Ｂ１,2026-11-02 09:00,completed,a@example.com,yes,," + bookingGCLID + ",2026-10-20 14:30\n" +
		"B2,2026-11-02 10:00,completed,b@example.com,yes,," + bookingGCLID + ",2026-10-20 14:30\n"
	type ids struct{ booking, legacy eventid.ID }
	var got []ids
	err := EachRowIDs(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(bookingHeader + body), InputName: "t.csv", Now: bookingNow},
		func(r RowIDs) error { got = append(got, ids{r.BookingID, r.BookingLegacyID}); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (ids{plain, written}) || got[1].legacy != "" {
		t.Fatalf("rows %v; want Ｂ１'s booking %s with legacy %s, none for B2", got, plain, written)
	}
}
