package channels

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/channels/attacktest"
	"github.com/hashgate/hashgate/internal/config"
)

// withinOf is a report as the within-report reader holds it
// (attacktest.PinnedWithin): every additive figure of every line, printed,
// withheld or not there.
func withinOf(rep *Report) (attacktest.Table, []attacktest.Table) {
	keys := map[string]Metric{}
	for m := Metric(0); m < NumMetrics; m++ {
		keys[m.Key()] = m
	}
	table := func(tb Table) attacktest.Table {
		out := attacktest.Table{Name: tb.From.Format(time.DateOnly) + " to " + tb.To.Format(time.DateOnly)}
		add := func(l Line, role attacktest.Role) {
			line := attacktest.Line{Name: l.Name, Role: role, Figs: map[string]attacktest.Fig{}}
			for _, k := range attacktest.Additive {
				v := l.Values[keys[k]]
				line.Figs[k] = attacktest.Fig{V: v.V, Printed: v.State == Shown, Suppressed: v.Suppressed()}
			}
			out.Lines = append(out.Lines, line)
		}
		for _, l := range tb.Channels {
			role := attacktest.PaidChannel
			if l.Platform == config.PlatformNone {
				role = attacktest.Channel
			}
			add(l, role)
		}
		add(tb.Paid, attacktest.PaidLine)
		add(tb.Total, attacktest.TotalLine)
		return out
	}
	var periods []attacktest.Table
	for _, p := range rep.Periods {
		periods = append(periods, table(p))
	}
	return table(rep.Table), periods
}

// withheldIn counts the withheld figures the within-report reader sees.
func withheldIn(window attacktest.Table, periods []attacktest.Table) int {
	n := 0
	for _, tb := range append([]attacktest.Table{window}, periods...) {
		for _, l := range tb.Lines {
			for _, f := range l.Figs {
				if f.Suppressed {
					n++
				}
			}
		}
	}
	return n
}

// TestNoWithheldFigureFollowsWithinReports plays the within-report reader
// (attacktest.PinnedWithin: every relation among one report's printed
// figures at once — visits = new + returning visits, revenue = new +
// returning revenue, bookings = their outcomes, new patients = new-patient
// visits, Total = the channels, Paid = the paid channels, the window =
// its periods) on the random exports of the attack suites and on the
// fixture, under the real noise (its small counts are what is withheld),
// over the readers' collections of windows, periods, groupings,
// consented_only and min_cell. No withheld figure may follow.
func TestNoWithheldFigureFollowsWithinReports(t *testing.T) {
	t.Parallel()
	keys := attackKeys(2)
	withheld, reports := 0, 0
	play := func(name, export string, qs []attackRequest) {
		for _, q := range qs {
			for k, key := range keys {
				window, periods := withinOf(runAttack(t, export, q, key))
				withheld += withheldIn(window, periods)
				reports++
				if pinned := attacktest.PinnedWithin(window, periods); len(pinned) > 0 {
					t.Errorf("%s, key %d, %s to %s by %q (merged %v, consented only %v, min_cell %d): withheld figures its printed ones give away: %v",
						name, k, q.from.Format(time.DateOnly), q.to.Format(time.DateOnly), q.period, q.merged, q.consentedOnly, q.minCell, pinned)
				}
			}
		}
	}
	for trial := range sweep(4) {
		rng := rand.New(rand.NewPCG(uint64(trial), 41))
		start := time.Date(2026, 10, 26+rng.IntN(7), 0, 0, 0, 0, time.UTC)
		days := 14 + rng.IntN(21)
		export := randomExport(rng, start, days, 40+rng.IntN(160))
		qs := randomRequests(rng, start, days)
		qs = append(qs, attackRequest{from: start, to: start.AddDate(0, 0, days-1), period: "day"},
			attackRequest{from: start, to: start.AddDate(0, 0, days-1), period: "week"})
		play(fmt.Sprintf("table %d", trial), export, qs)
	}
	raw := string(readFixtureEN(t))
	q := fixtureQuery(day("2026-11-26"))
	play("fixture", raw, []attackRequest{
		q("2026-11-01", "2026-11-30", "", nil), q("2026-11-01", "2026-11-30", "week", nil), q("2026-11-01", "2026-11-30", "day", nil),
		q("2026-08-01", "2026-11-30", "month", nil), q("2026-08-01", "2026-11-30", "month", func(q *attackRequest) { q.merged = true }),
		q("2026-08-01", "2026-11-30", "month", func(q *attackRequest) { q.consentedOnly = true }),
		q("2026-10-01", "2026-11-30", "week", func(q *attackRequest) { q.minCell = 10 }),
	})
	if withheld < 50*reports/10 {
		t.Fatalf("%d withheld figures in %d reports: the test proves nothing", withheld, reports)
	}
	t.Logf("%d reports, %d withheld figures, none given away within its report", reports, withheld)
}
