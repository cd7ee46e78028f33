package channels

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// Red-team attacks on the release rule (issue 26) that the suites of
// attack_test.go and bounds_attack_test.go do not play: figures other than
// the released counts and revenue, and readers who search rather than
// propagate bounds.

// leadExport is ten Google bookings made from 2 to 19 November 2026, each
// seen a few days later, and one made on 20 November for an appointment
// 45 days ahead: the one booking a reader wants to single out.
func leadExport() string {
	var b strings.Builder
	b.WriteString("id,at,status,source,gclid,fbclid,fee,chart,consent,booked\n")
	for i := range 10 {
		made := time.Date(2026, 11, 2+2*i-i/5, 9, 0, 0, 0, time.UTC)
		seen := made.AddDate(0, 0, 1+i%4)
		fmt.Fprintf(&b, "L%d,%s,completed,google,,,1000,P%d,yes,%s\n", i,
			seen.Format("2006-01-02 15:04"), i, made.Format("2006-01-02 15:04"))
	}
	b.WriteString("X1,2027-01-04 10:00,completed,google,,,1000,PX,yes,2026-11-20 11:00\n")
	return b.String()
}

// leadSum is what a reader works out from a printed line: the lead days'
// sum, mean times bookings made (both printed).
func leadSum(t *testing.T, l Line) float64 {
	t.Helper()
	m, n := l.Values[BookingLeadDays], l.Values[BookingsMade]
	if m.State != Shown || n.State != Shown {
		t.Fatalf("lead days %v over %v bookings made: not printed", m, n)
	}
	return m.V * n.V
}

// TestLeadDaysAreReleased: booking_lead_days is a mean over bookings made,
// and bookings made are released, but the days summed were not: the mean
// times the printed count gave the exact sum of lead days of any window,
// so the reports of 1–19 and 1–20 November, subtracted, gave the one
// booking made on 20 November — its 45 days to the appointment, exactly:
// when one patient booked and when they came. Under the rule the lead days
// are released on the calendar grid like the amounts (5–15% of the grid
// cell's longest lead, release.go), so the difference is that booking's
// lead moved by 5–15% of itself, never the lead.
func TestLeadDaysAreReleased(t *testing.T) {
	export := leadExport()
	run := func(to string, key []byte) Line {
		cfg := testConfig()
		cfg.Input.Columns.BookedAt = "booked"
		cfg.Channels.MinCell = 5
		rep, _, err := Build(context.Background(), Options{
			Config: cfg, Input: strings.NewReader(export), InputName: "export.csv",
			From: day("2026-11-01"), To: day(to), Key: key, Exact: key == nil,
		})
		if err != nil {
			t.Fatal(err)
		}
		return rep.Channels[0]
	}
	diff := func(key []byte) float64 {
		return leadSum(t, run("2026-11-20", key)) - leadSum(t, run("2026-11-19", key))
	}
	if d := diff(nil); math.Abs(d-45) > 1e-9 {
		t.Fatalf("exact figures: the difference is %v, want the booking's 45 days (the attack must work on them)", d)
	}
	for i, key := range attackKeys(20) {
		d := diff(key)
		if math.Abs(d-45) < 0.5 {
			t.Errorf("key %d: two reports give the one booking's lead days, %v, exactly", i, d)
		}
		// The grid's amount noise: 5–15% of the cell's longest lead (45),
		// rounded to a whole day, on each of the two windows' day cells.
		if math.Abs(d-45) > 0.15*45+1 {
			t.Errorf("key %d: the difference %v is further from 45 than the rule's noise", i, d)
		}
	}
}
