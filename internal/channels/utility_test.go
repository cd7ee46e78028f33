package channels

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestReleasedFiguresStayUseful: the release rule must leave a clinic its
// business. On random exports of four months, read under many keys over
// the windows clinics ask for (a month, a quarter, month-to-date, a week,
// by month, week and day, a week from a Tuesday, and windows cut
// anywhere): every printed count is within n of the truth, n the number of
// grid cells its span is cut into (README's "How close": each cell moves
// by at most one, and keeping parts within their wholes never moves a
// count further; returning visits, printed as visits less new visits,
// within 2n), so a count of 10·n or more is within 10% — every count of
// 30 or more over a month, a quarter, an ISO week or a day; at least 99.5%
// of the counts of 30 or more are within 10% whatever their span; every
// revenue over 30 or more visits is within 10% here (not a bound: README);
// no count is negative; no rate leaves 0–100%; visits never exceed
// bookings; fewer than 2% of the counts of 30 or more are hidden beside a
// small one. README quotes the errors this test logs.
func TestReleasedFiguresStayUseful(t *testing.T) {
	t.Parallel()
	keys := attackKeys(3)
	start := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	windows := []attackRequest{
		{from: d(2026, 8, 1), to: d(2026, 8, 31)},
		{from: d(2026, 8, 1), to: d(2026, 10, 31)},
		{from: d(2026, 8, 1), to: d(2026, 11, 30), period: "month"},
		{from: d(2026, 11, 1), to: d(2026, 11, 17)},
		{from: d(2026, 10, 1), to: d(2026, 11, 30), period: "week"},
		{from: d(2026, 11, 1), to: d(2026, 11, 30), period: "day"},
		{from: d(2026, 9, 14), to: d(2026, 11, 3)},  // cut anywhere
		{from: d(2026, 11, 3), to: d(2026, 11, 9)},  // a week from a Tuesday: seven day cells
		{from: d(2026, 8, 5), to: d(2026, 11, 26)},  // cut inside a week at both ends: two dozen cells
		{from: d(2026, 10, 1), to: d(2026, 11, 30)}, // two months by ISO week, periods cut at the months
	}
	windows[len(windows)-1].period = "week"
	var worstCount, worstRevenue, sumCount float64
	n, over, hidden, bounded, maxCells := 0, 0, 0, 0, 0
	for trial := range max(2, sweep(2)/20) {
		rng := rand.New(rand.NewPCG(uint64(trial), 25))
		export := randomExport(rng, start, 122, 800+rng.IntN(1500))
		for _, q := range windows {
			exact := runAttack(t, export, q, nil)
			for _, key := range keys {
				rel := runAttack(t, export, q, key)
				for ti, tb := range append([]Table{rel.Table}, rel.Periods...) {
					et := append([]Table{exact.Table}, exact.Periods...)[ti]
					lines := append(append([]Line(nil), tb.Channels...), tb.Total)
					elines := append(append([]Line(nil), et.Channels...), et.Total)
					cells := len(gridPieces(dayNumber(tb.From), dayNumber(tb.To)))
					maxCells = max(maxCells, cells)
					for li, l := range lines {
						el := elines[li]
						for _, m := range []Metric{Bookings, Visits, NoShows, NewPatients, ReturningVisits} {
							v, e := l.Values[m], el.Values[m]
							if v.State == Shown && v.V < 0 {
								t.Fatalf("%s: a negative count %v", m.Key(), v.V)
							}
							bound := float64(cells)
							if m == ReturningVisits {
								bound *= 2 // visits minus new visits: two perturbed counts
							}
							if v.State == Shown && e.State == Shown && math.Abs(v.V-e.V) > bound {
								t.Errorf("%s %s over %s–%s (%d grid cells): %v printed for %v, beyond the bound", l.Name, m.Key(),
									tb.From.Format(time.DateOnly), tb.To.Format(time.DateOnly), cells, v.V, e.V)
							}
							bounded++
							if e.V < 30 || (m != Bookings && m != Visits && m != NewPatients) {
								continue
							}
							if v.State != Shown {
								hidden++ // hidden to protect a small count beside it
								continue
							}
							rel := math.Abs(v.V-e.V) / e.V
							worstCount, sumCount, n = max(worstCount, rel), sumCount+rel, n+1
							if rel <= 0.1 {
								continue
							}
							over++
							// Within n grid cells the noise is at most n: 10% of 10n.
							if e.V >= float64(10*cells) {
								t.Errorf("%s %s over %s–%s: %v printed for %v (%.1f%%)", l.Name, m.Key(), tb.From.Format(time.DateOnly), tb.To.Format(time.DateOnly), v.V, e.V, 100*rel)
							}
						}
						if e := el.Values[Visits]; e.V >= 30 && el.Values[Revenue].V > 0 {
							v := l.Values[Revenue]
							if v.State == Shown {
								rel := math.Abs(v.V-el.Values[Revenue].V) / el.Values[Revenue].V
								worstRevenue = max(worstRevenue, rel)
								if rel > 0.1 {
									t.Errorf("%s revenue over %v visits, %s–%s: %v printed for %v (%.1f%%)", l.Name, e.V, tb.From.Format(time.DateOnly), tb.To.Format(time.DateOnly), v.V, el.Values[Revenue].V, 100*rel)
								}
							}
						}
						for _, m := range []Metric{ShowRate, BookingRate} {
							if v := l.Values[m]; v.State == Shown && (v.V < 0 || v.V > 1) {
								t.Errorf("%s %s = %v, outside 0–100%%", l.Name, m.Key(), v.V)
							}
						}
						if b, v := l.Values[Bookings], l.Values[Visits]; b.State == Shown && v.State == Shown && v.V > b.V {
							t.Errorf("%s: %v visits of %v bookings", l.Name, v.V, b.V)
						}
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no count of 30 or more: the test proves nothing")
	}
	t.Logf("%d counts within their grid cells' bound (spans of up to %d cells); %d counts of 30 or more: mean error %.2f%%, worst %.2f%% (%d over 10%%), %d hidden beside a small count; revenue over 30+ visits: worst %.2f%%",
		bounded, maxCells, n, 100*sumCount/float64(n), 100*worstCount, over, hidden, 100*worstRevenue)
	if maxCells < 20 {
		t.Errorf("the longest span read had %d grid cells: the bound is not tried where it is loosest", maxCells)
	}
	if over*200 > n {
		t.Errorf("%d of %d counts of 30 or more are more than 10%% off: more than 0.5%%", over, n)
	}
	if hidden*50 > n {
		t.Errorf("%d of %d counts of 30 or more are hidden: more than 2%%", hidden, n+hidden)
	}
}

// TestGridCellsPerSpan pins README's table of grid cells per span ("How
// close"): the bound on a printed count is its span's number of cells.
func TestGridCellsPerSpan(t *testing.T) {
	d := func(y int, m time.Month, day int) int32 { return dayNumber(time.Date(y, m, day, 0, 0, 0, 0, time.UTC)) }
	for _, c := range []struct {
		from, to int32
		want     int
	}{
		{d(2026, 11, 1), d(2026, 11, 30), 1}, // a calendar month
		{d(2026, 11, 2), d(2026, 11, 8), 1},  // an ISO week
		{d(2026, 10, 1), d(2026, 12, 31), 3}, // a quarter
		{d(2026, 11, 3), d(2026, 11, 9), 7},  // seven days from a Tuesday
	} {
		if got := len(gridPieces(c.from, c.to)); got != c.want {
			t.Errorf("%s–%s: %d cells, README says %d", dayTime(c.from).Format(time.DateOnly), dayTime(c.to).Format(time.DateOnly), got, c.want)
		}
	}
	start := d(2026, 1, 1)
	for _, c := range []struct {
		upTo int32
		want int
	}{{31, 14}, {92, 24}, {366, 54}} {
		worst := 0
		for a := start; a < start+400; a++ {
			for l := max(1, c.upTo-40); l <= c.upTo; l++ { // the most cells are in the longest windows
				worst = max(worst, len(gridPieces(a, a+l-1)))
			}
		}
		if worst != c.want {
			t.Errorf("windows of up to %d days: up to %d cells, README says %d", c.upTo, worst, c.want)
		}
	}
}
