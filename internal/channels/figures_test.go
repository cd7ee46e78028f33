package channels

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestAsOf: appointments on or after --as-of are pending — bookings, never
// in the show rate — unless cancelled; periods that reach it are marked;
// the LTV cohort holds only patients whose horizon has passed.
func TestAsOf(t *testing.T) {
	header := "id,at,status,source,gclid,fbclid,fee,chart,consent"
	rows := []string{
		"A1,2026-11-02 10:00,completed,google,,,1000,P1,yes",
		"A2,2026-11-03 10:00,no-show,google,,,,P2,yes",
		"A3,2026-11-20 10:00,completed,google,,,500,P1,yes", // P1's second visit, within 14 days? no: 18 days on
		"A4,2026-11-25 10:00,booked,google,,,,P3,yes",       // as-of day: pending
		"A5,2026-11-27 10:00,no-show,google,,,,P4,yes",      // after: pending, whatever the status says
		"A6,2026-11-28 10:00,cancelled,google,,,,P5,yes",    // a cancellation stays one
		"A7,2026-11-10 10:00,completed,google,,,300,P6,yes", // first visit on the 10th: horizon ends the 24th
		"A8,2026-11-15 10:00,completed,google,,,200,P6,yes",
	}
	cfg := testConfig()
	cfg.Channels.LTVDays = 14
	in := header + "\n" + strings.Join(rows, "\n") + "\n"
	rep, _, err := Build(context.Background(), Options{
		Config: cfg, Input: strings.NewReader(in), InputName: "export.csv",
		From: day("2026-11-01"), To: day("2026-11-30"), AsOf: day("2026-11-25"), Period: "week",
	})
	if err != nil {
		t.Fatal(err)
	}
	g := rep.Channels[0]
	for m, want := range map[Metric]float64{
		Bookings: 8, Visits: 4, NoShows: 1, Cancellations: 1, Pending: 2, Unclassified: 0,
		ShowRate: 0.8, NewPatients: 2, NewVisits: 2, ReturningVisits: 2, LTVPatients: 2,
		// P1: 1,000 (the 20th is past 14 days); P6: 300 + 200.
		LTV: 750,
	} {
		if got := value(t, g, m); got != want {
			t.Errorf("%s = %v, want %v", m.Key(), got, want)
		}
	}
	if !rep.AsOf.Equal(day("2026-11-25")) {
		t.Errorf("as of %v", rep.AsOf)
	}
	for _, p := range rep.Periods {
		if want := !p.To.Before(day("2026-11-25")); p.IncompletePeriod != want {
			t.Errorf("period %v–%v incomplete %v, want %v", p.From, p.To, p.IncompletePeriod, want)
		}
	}
	// Without --as-of nothing is pending and no cohort is known.
	rep = build(t, cfg, in)
	if value(t, rep.Channels[0], Pending) != 0 || rep.Channels[0].Values[LTV].State != NotApplicable {
		t.Errorf("no as-of: pending %v, ltv %v", rep.Channels[0].Values[Pending], rep.Channels[0].Values[LTV])
	}
}

// TestSpendCoverage: days of the window the download does not cover are
// no spend data — counted per line, the figures dividing that spend
// listed as incomplete, a warning naming the platform and the dates —
// while a covered day without a row is zero spend.
func TestSpendCoverage(t *testing.T) {
	google := "Campaign report\r\n\"November 1, 2026 - November 24, 2026\"\r\n" +
		"Day,Campaign,Currency code,Cost,Clicks\r\n" +
		"2026-11-02,Brand,TWD,100.00,5\r\n" + // nothing on the other covered days: a paused campaign
		"2026-11-20,Brand,TWD,50.00,2\r\n"
	rep := build(t, testConfig(), smallExport, SpendInput{Platform: platform.Google, Name: "g.csv", R: strings.NewReader(google)})
	g, m, line := rep.Channels[0], rep.Channels[1], rep.Channels[2]
	if g.SpendDaysMissing == nil || *g.SpendDaysMissing != 6 {
		t.Fatalf("google missing %v, want 6 (Nov 25–30)", g.SpendDaysMissing)
	}
	if m.SpendDaysMissing == nil || *m.SpendDaysMissing != 30 || line.SpendDaysMissing != nil {
		t.Errorf("meta (no download) %v, LINE %v", m.SpendDaysMissing, line.SpendDaysMissing)
	}
	if !slices.Contains(g.Incomplete, "spend") || !slices.Contains(g.Incomplete, "cost_per_booking") || slices.Contains(g.Incomplete, "bookings") {
		t.Errorf("incomplete %v", g.Incomplete)
	}
	if value(t, g, Spend) != 150 {
		t.Errorf("spend %v", g.Values[Spend])
	}
	if len(rep.Warnings) == 0 || !strings.Contains(strings.Join(rep.Warnings, "\n"), "Google spend download does not cover 2026-11-25 to 2026-11-30") {
		t.Errorf("warnings %q", rep.Warnings)
	}
	// A download that covers the window: nothing missing, nothing incomplete.
	google = strings.Replace(google, "November 24", "November 30", 1)
	rep = build(t, testConfig(), smallExport, SpendInput{Platform: platform.Google, Name: "g.csv", R: strings.NewReader(google)})
	if g := rep.Channels[0]; *g.SpendDaysMissing != 0 || len(g.Incomplete) != 0 {
		t.Errorf("complete download: missing %d, incomplete %v", *g.SpendDaysMissing, g.Incomplete)
	}
}

// TestNewCountsAreProtected: under min_cell every new count is a measure
// of the suppression rules — printed only as 0 or at least min_cell — and
// its intervals and amounts go with it; the identities among them hold
// wherever their members print.
func TestNewCountsAreProtected(t *testing.T) {
	for _, minCell := range []int{5, 1} {
		testNewCounts(t, minCell)
	}
}

func testNewCounts(t *testing.T, minCell int) {
	cfg := fixtureConfig()
	cfg.Channels.MinCell = minCell
	header, rows := fixtureExport(t)
	rep := reportOf(t, cfg, header, rows, 0, 0)
	counts := []Metric{Bookings, Visits, NoShows, Cancellations, Pending, Unclassified, NewVisits, ReturningVisits, NewPatients, LTVPatients}
	tables := append([]Table{rep.Table}, rep.Periods...)
	for _, tb := range tables {
		for _, l := range append(append([]Line(nil), tb.Channels...), tb.Paid, tb.Total) {
			v := l.Values
			for _, m := range counts {
				if !rep.NotForSharing && v[m].State == Shown && v[m].V > 0 && v[m].V < 5 {
					t.Errorf("%s %s: %s = %v printed", tb.From.Format("01-02"), l.Name, m.Key(), v[m].V)
				}
			}
			for _, pair := range [][3]Metric{{CAC, CACLow, CACHigh}, {CostPerVisit, CostPerVisitLow, CostPerVisitHigh}, {ShowRate, ShowRateLow, ShowRateHigh}} {
				if v[pair[0]].Suppressed() && (v[pair[1]].State == Shown || v[pair[2]].State == Shown) {
					t.Errorf("%s: %s withheld but its interval printed", l.Name, pair[0].Key())
				}
			}
			for m, of := range map[Metric]Metric{NewRevenue: NewVisits, ReturningRevenue: ReturningVisits, Revenue: Visits} {
				if v[of].Suppressed() && v[m].State == Shown {
					t.Errorf("%s: %s printed beside a withheld %s", l.Name, m.Key(), of.Key())
				}
			}
			shown := func(ms ...Metric) bool {
				for _, m := range ms {
					if v[m].State != Shown {
						return false
					}
				}
				return true
			}
			if !rep.NotForSharing {
				continue // released figures are perturbed cell by cell: the identities hold exactly only in exact ones (below)
			}
			if shown(Bookings, Visits, NoShows, Cancellations, Pending, Unclassified) &&
				v[Bookings].V != v[Visits].V+v[NoShows].V+v[Cancellations].V+v[Pending].V+v[Unclassified].V {
				t.Errorf("%s: bookings do not add up", l.Name)
			}
			if shown(Visits, NewVisits, ReturningVisits) && v[Visits].V != v[NewVisits].V+v[ReturningVisits].V {
				t.Errorf("%s: visits do not add up", l.Name)
			}
		}
		sum, all := 0.0, true
		for _, l := range tb.Channels {
			if l.Platform != "none" {
				all = all && l.Values[Bookings].State == Shown
				sum += l.Values[Bookings].V
			}
		}
		if rep.NotForSharing && all && tb.Paid.Values[Bookings].State == Shown && sum != tb.Paid.Values[Bookings].V {
			t.Errorf("paid bookings %v, its channels %v", tb.Paid.Values[Bookings].V, sum)
		}
	}
	for _, u := range rep.Unmatched {
		if !rep.NotForSharing && u.Bookings.State == Shown && u.Bookings.V < 5 {
			t.Errorf("unmatched word with %v bookings printed", u.Bookings.V)
		}
	}
}

// TestHistoryWarning: an export reaching back less than
// channels.history_days before the window says so.
func TestHistoryWarning(t *testing.T) {
	cfg := testConfig()
	cfg.Channels.HistoryDays = 365
	rep := build(t, cfg, smallExport)
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "history_days") {
		t.Fatalf("warnings %q", rep.Warnings)
	}
	// Too little history over-counts new patients: CAC divides by too
	// many, so it is a lower bound, never an upper one.
	if w := rep.Warnings[0]; !strings.Contains(w, "new_patients as an upper bound and cac as a lower bound") || strings.Contains(w, "cac as an upper bound") {
		t.Errorf("history warning %q: cac is a lower bound", w)
	}
	cfg.Channels.HistoryDays = 0
	if rep = build(t, cfg, smallExport); len(rep.Warnings) != 0 {
		t.Fatalf("warnings %q", rep.Warnings)
	}
}

// TestBookedAt: with input.columns.booked_at, a booking is also dated on
// the day it was made — the booking rate divides those by the same days'
// clicks — and booking_lead_days is the mean days from booking to
// appointment. An appointment in December booked in November is a
// November booking made, not a November booking.
func TestBookedAt(t *testing.T) {
	header := "id,at,status,source,gclid,fbclid,fee,chart,consent,booked"
	rows := []string{
		"B1,2026-11-10 10:00,completed,google,,,1000,P1,yes,2026-11-03 09:00", // 7 days ahead
		"B2,2026-11-12 10:00,completed,google,,,1000,P2,yes,2026-11-11 20:00", // 1 day
		"B3,2026-12-05 10:00,completed,google,,,1000,P3,yes,2026-11-28 12:00", // made in the window, seen after it
		"B4,2026-11-20 10:00,completed,google,,,1000,P4,yes,",                 // no booked_at: by appointment only
		"B5,2026-11-21 10:00,completed,google,,,1000,P5,yes,someday",          // unreadable
	}
	google := "Campaign report\r\nNovember 1, 2026 - November 30, 2026\r\nDay,Campaign,Currency code,Cost,Clicks\r\n2026-11-02,Brand,TWD,100.00,30\r\n"
	cfg := testConfig()
	cfg.Input.Columns.BookedAt = "booked"
	in := header + "\n" + strings.Join(rows, "\n") + "\n"
	rep, st, err := Build(context.Background(), Options{
		Config: cfg, Input: strings.NewReader(in), InputName: "export.csv",
		From: day("2026-11-01"), To: day("2026-11-30"),
		Spend: []SpendInput{{Platform: platform.Google, Name: "g.csv", R: strings.NewReader(google)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	g := rep.Channels[0]
	if got := value(t, g, Bookings); got != 4 {
		t.Errorf("bookings by appointment %v, want 4", got)
	}
	if got := value(t, g, BookingsMade); got != 3 {
		t.Errorf("bookings made in November %v, want 3 (B1, B2, B3)", got)
	}
	if got := value(t, g, BookingLeadDays); got != 5 {
		t.Errorf("lead days %v, want (7+1+7)/3 = 5", got)
	}
	if got := value(t, g, BookingRate); got != 0.1 {
		t.Errorf("booking rate %v, want 3 made / 30 clicks", got)
	}
	if st.BookedAtUnreadable != 1 {
		t.Errorf("unreadable booked_at %d", st.BookedAtUnreadable)
	}
	if !rep.Applicable[BookingsMade] || build(t, testConfig(), smallExport).Applicable[BookingsMade] {
		t.Error("bookings_made exists only with booked_at")
	}
}
