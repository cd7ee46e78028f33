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
// by month, week and day, and a window cut anywhere): every count of 30 or
// more over at most three grid cells (a month, a quarter, each period) is
// within 10% of the truth, and at least 99.5% of those over more cells;
// every revenue over 30 or more visits is within 10%; no count is
// negative; no rate leaves 0–100%; visits never exceed bookings; fewer
// than 2% of the counts of 30 or more are hidden beside a small one.
// README quotes the errors this test logs.
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
		{from: d(2026, 9, 14), to: d(2026, 11, 3)}, // cut anywhere
	}
	var worstCount, worstRevenue, sumCount float64
	n, over, hidden := 0, 0, 0
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
					for li, l := range lines {
						el := elines[li]
						for _, m := range []Metric{Bookings, Visits, NewPatients} {
							v, e := l.Values[m], el.Values[m]
							if v.State == Shown && v.V < 0 {
								t.Fatalf("%s: a negative count %v", m.Key(), v.V)
							}
							if e.V < 30 {
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
							// Within three grid cells the noise is at most 3: 10% of 30.
							if len(gridPieces(dayNumber(tb.From), dayNumber(tb.To))) <= 3 {
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
	t.Logf("%d counts of 30 or more: mean error %.2f%%, worst %.2f%% (%d over 10%%), %d hidden beside a small count; revenue over 30+ visits: worst %.2f%%",
		n, 100*sumCount/float64(n), 100*worstCount, over, hidden, 100*worstRevenue)
	if over*200 > n {
		t.Errorf("%d of %d counts of 30 or more are more than 10%% off: more than 0.5%%", over, n)
	}
	if hidden*50 > n {
		t.Errorf("%d of %d counts of 30 or more are hidden: more than 2%%", hidden, n+hidden)
	}
}
