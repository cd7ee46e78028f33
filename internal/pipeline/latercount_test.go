package pipeline

import (
	"fmt"
	"strings"
	"testing"
)

// TestManyRepeatedOrdersSettle: an export of more than a thousand orders
// of two rows, whose used rows each leave a destination unreached (no
// click id for Google), settles and sends every order once. The counts
// kept for once every row is settled (ordercount.go's countLater) were
// read back under the settling's context after it was cancelled, and a
// spool checks its context every 1024 records: such an export ended
// "interrupted" (exit 130), nothing sent — found on the bench's
// withdrawals export, 300k rows (session 29).
func TestManyRepeatedOrdersSettle(t *testing.T) {
	var b strings.Builder
	const orders = 1500
	for i := range orders {
		row := fmt.Sprintf("M%04d,2026-11-02 09:00,completed,m%d@example.com,,yes,,,,1980-01-01\n", i, i)
		b.WriteString(row)
		b.WriteString(row)
	}
	for _, workers := range []int{1, 3} {
		sink, sum := runBookings(t, rowCountConfig(), rowCountHeader, b.String(), workers)
		sent := map[string]int{}
		for _, cv := range sink.got {
			sent[fmt.Sprintf("%s booking %v", cv.Platform, cv.Booking)]++
		}
		if sent["meta booking false"] != orders || sent["meta booking true"] != orders || len(sent) != 2 || sum.Excluded[ReasonDuplicate] != orders {
			t.Errorf("%d workers: sent %v, excluded %v; want %d Meta visits and bookings, each order's second row duplicate_order", workers, sent, sum.Excluded, orders)
		}
		if n := sum.Skipped["google"][ReasonNoClickID]; n != orders {
			t.Errorf("%d workers: not sent to google, no_click_id %d, want %d (each order's used row)", workers, n, orders)
		}
	}
}
