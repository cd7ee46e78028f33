package pipeline

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/report"
)

// rowCountConfig: bookings on (booked_at), two e-mail columns (one may be
// dropped while the row still sends what the other row of its order
// sends), a birth-date column (a blank one is a note on the row), and
// dated revocations that do not withdraw an earlier visit.
func rowCountConfig() *config.Config {
	c := bookingConfig()
	c.Input.Columns.Email = []string{"email", "email2"}
	c.Input.Columns.BirthDate = "birth"
	c.Consent.RevokedAllowsEarlier = true
	return c
}

const rowCountHeader = "id,at,status,email,email2,consent,consent_at,gclid,booked,birth\n"

// rowCountRows: orders of several rows mixing a sent row with a row of no
// identifier (R1), a row sending the same with a dropped e-mail and a
// blank birth date (R2: which of them is "used" decided whose drops and
// notes were counted), a revocation dated the day before the visit, which
// refuses its order (R3: datedorder.go), rows whose bookings differ in their
// booked_at (R4) or in the destinations they reach (R5), a no-show whose
// booking is its order's (R6), an order held for Meta whose rows agree
// for Google, one of them without an e-mail (R7), and a plain visit.
var rowCountRows = []string{
	"R1,2026-11-02 09:00,completed,a@example.com,,yes,," + rowCountGCLID("1") + ",2026-10-20 14:30,1980-01-01",
	"R1,2026-11-02 09:00,completed,,,yes,,,,1980-01-01",
	"R2,2026-11-02 10:00,completed,b@example.com,,yes,,,,1980-01-02",
	"R2,2026-11-02 10:00,completed,b@example.com,not-an-email,yes,,,,",
	"R3,2026-11-02 11:00,completed,c@example.com,,yes,,,,1980-01-03",
	"R3,2026-11-02 11:00,completed,c@example.com,,撤回(2026-11-01),,,,1980-01-03",
	"R4,2026-11-03 09:00,completed,d@example.com,,yes,,,2026-10-21 08:00,1980-01-04",
	"R4,2026-11-03 09:00,completed,d@example.com,,yes,,,2026-10-25 17:00,1980-01-04",
	"R5,2026-11-03 10:00,completed,e@example.com,,yes,,,2026-10-22 08:00,1980-01-05",
	"R5,2026-11-03 10:00,completed,,,yes,," + rowCountGCLID("5") + ",2026-10-22 08:00,1980-01-05",
	"R6,2026-11-04 10:00,completed,g@example.com,,yes,,,2026-10-23 09:00,1980-01-07",
	"R6,2026-11-04 10:00,no-show,g@example.com,,yes,,,2026-10-23 09:00,1980-01-07",
	"R7,2026-11-05 10:00,completed,h@example.com,,yes,," + rowCountGCLID("7") + ",2026-10-24 09:00,1980-01-08",
	"R7,2026-11-05 10:00,completed,h2@example.com,,yes,," + rowCountGCLID("7") + ",2026-10-24 09:00,1980-01-08",
	"R7,2026-11-05 10:00,completed,,,yes,," + rowCountGCLID("7") + ",2026-10-24 09:00,1980-01-08",
	"P1,2026-11-04 09:00,completed,f@example.com,,yes,,,2026-10-23 08:00,1980-01-06",
}

// rowCountGCLID is a click id of its own for an order.
func rowCountGCLID(s string) string { return bookingGCLID[:len(bookingGCLID)-1] + s }

// rowCounts runs rows and returns what was sent (sorted, the source line
// aside) and the summary's counts as JSON: every count by reason, the
// notes, the drops, the bookings'.
func rowCounts(t *testing.T, rows []string, workers int) (string, string) {
	t.Helper()
	sink, sum := runBookings(t, rowCountConfig(), rowCountHeader, strings.Join(rows, "\n")+"\n", workers)
	for i := range sink.got {
		sink.got[i].Line = 0
	}
	b, err := json.Marshal(countsOf(sum))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(sentBodies(sink), "\n"), string(b)
}

// countsOf is what a summary counts, without where (first cells, lines).
func countsOf(sum *report.Summary) any {
	return struct {
		Read, Used                     int
		Excluded, Conversions, Dropped map[string]int
		Notes                          map[string]int
		Skipped, LeftOut               map[string]map[string]int
		Bookings                       *report.Bookings
		Valueless                      report.Valueless
		FeeOnly                        int
	}{sum.RowsRead, sum.RowsUsed, sum.Excluded, sum.Conversions, sum.Dropped, sum.Notes, sum.Skipped, sum.LeftOut, sum.Bookings, sum.Valueless, sum.OrdersDifferingInFeeOnly}
}

// sentBodies lists what a capture holds, each conversion whole but for its
// line (its identifiers as a multiset), sorted.
func sentBodies(c *capture) []string {
	var out []string
	for _, cv := range c.got {
		var ids []string
		for _, s := range cv.Identifiers {
			ids = append(ids, fmt.Sprintf("%v", s))
		}
		slices.Sort(ids)
		for _, k := range cv.ClickIDs() {
			ids = append(ids, *k.Value)
		}
		out = append(out, fmt.Sprintf("%v %v %s %s %v %s %v %v %q %s %v", cv.Platform, cv.Booking, cv.Name, cv.EventID, cv.Time.UTC(),
			cv.LegacyID, cv.Value, cv.HasValue, cv.Currency, cv.Formatted, ids))
	}
	slices.Sort(out)
	return out
}

// rowOrders is rows in export order, reversed, and shuffled by four seeds.
func rowOrders(rows []string) [][]string {
	orders := [][]string{slices.Clone(rows), slices.Clone(rows)}
	slices.Reverse(orders[1])
	for seed := range uint64(4) {
		r := slices.Clone(rows)
		rand.New(rand.NewPCG(seed, 29)).Shuffle(len(r), func(i, j int) { r[i], r[j] = r[j], r[i] })
		orders = append(orders, r)
	}
	return orders
}

// TestReorderedRowsCountTheSame (metamorphic): the rows of an export in
// another order — reversed, shuffled — on one worker or four, send the
// same conversions and bookings and count the same: every excluded row by
// the same reason, the same notes, drops and bookings. Before, a row of no
// identifier was duplicate_order after its order's sent row and
// no_identifier before it, the row counted "used" (whose drops and notes
// were counted) was the first, a refusal after the sent row was noted and
// one before it not, and a booking went with its first row's booked_at.
func TestReorderedRowsCountTheSame(t *testing.T) {
	wantSent, wantCounts := rowCounts(t, rowCountRows, 1)
	for k, rows := range rowOrders(rowCountRows) {
		for _, workers := range []int{1, 4} {
			gotSent, gotCounts := rowCounts(t, rows, workers)
			if gotSent != wantSent {
				t.Errorf("order %d, %d workers: sent\n%s\nwant\n%s", k, workers, gotSent, wantSent)
			}
			if gotCounts != wantCounts {
				t.Errorf("order %d, %d workers: counted\n%s\nwant\n%s", k, workers, gotCounts, wantCounts)
			}
		}
	}
}

// TestAFeeOnlyOrderStaysFeeOnlyWithItsBookings: an order held because its
// rows differ in the fee alone (one row per treatment line) is counted in
// orders_differing_in_fee_only when its rows' bookings differ too (another
// booked_at: the booking is held on its own) — a booking has no fee, and
// comparing bookings says nothing of the visits' difference.
func TestAFeeOnlyOrderStaysFeeOnlyWithItsBookings(t *testing.T) {
	cfg := bookingConfig()
	cfg.Input.Columns.Value = "fee"
	cfg.Conversion.Value, cfg.Conversion.Currency, cfg.Conversion.ValueBuckets = config.ValueBucket, "TWD", []float64{0, 1000}
	_, sum := runBookings(t, cfg, "id,at,status,email,consent,consent_at,gclid,booked,fee\n",
		"F1,2026-11-02 09:00,completed,f@example.com,yes,,,2026-10-20 08:00,100\n"+
			"F1,2026-11-02 09:00,completed,f@example.com,yes,,,2026-10-21 08:00,2000\n", 1)
	if sum.Excluded[ReasonOrderRowsDisagree] != 2 || sum.OrdersDifferingInFeeOnly != 1 {
		t.Errorf("excluded %v, orders differing in the fee alone %d; want F1's two rows held and F1 counted", sum.Excluded, sum.OrdersDifferingInFeeOnly)
	}
	if n := sum.Bookings.Excluded[ReasonOrderRowsDisagree]; n != 2 {
		t.Errorf("bookings not sent %v; want F1's two held", sum.Bookings.Excluded)
	}
}
