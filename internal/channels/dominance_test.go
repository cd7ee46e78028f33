package channels

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// dominanceExport: in November, Google Ads brings ten patients with one
// 1,000 visit each, and patient P1 with three visits of 10,000 — each
// visit a quarter of the channel's 40,500, together three quarters: one
// patient's, over channels.dominance_share (0.6). Five of the ten come
// back for a 100 check-up. Every week with a visit holds at least five,
// and the window 7 returning visits: nothing is few enough to withhold a
// count — no visit beside a small returning count (visits = new +
// returning visits as printed), no no-show of a small week that the
// window's would give away (bookings = visits + the other outcomes) — so
// what is withheld here is withheld for dominance. The weeks: 11-02
// holds P1's three visits and two of the ten; 11-09 five of the ten;
// 11-16 the last three and the five check-ups.
func dominanceExport() string { return dominanceExportOf("P1", "P1", "P1") }

// dominanceExportOf gives the three 10,000 visits to the patients named.
func dominanceExportOf(patients ...string) string {
	var b strings.Builder
	b.WriteString("id,at,status,source,gclid,fbclid,fee,chart,consent\n")
	for i, d := range []int{5, 6, 9, 10, 11, 12, 13, 16, 17, 18} {
		fmt.Fprintf(&b, "S%d,2026-11-%02d 10:00,completed,google,,,1000,Q%d,yes\n", i, d, i)
	}
	for i, d := range []string{"02", "03", "04"} {
		fmt.Fprintf(&b, "D%d,2026-11-%s 10:00,completed,google,,,10000,%s,yes\n", i, d, patients[i])
	}
	for i := range 5 {
		fmt.Fprintf(&b, "R%d,2026-11-%02d 15:00,completed,google,,,100,Q%d,yes\n", i, 17+i, i)
	}
	return b.String()
}

// TestDominancePerPatient: with input.columns.patient_key, the dominance
// rule judges one patient's summed revenue against the amount — P1's three
// visits, each under the share, together over it, withhold Google's
// revenue (and the total's, the same visits) in the window and in the week
// that holds them; without patient_key it judges one visit, and the
// revenue is printed.
func TestDominancePerPatient(t *testing.T) {
	key := attackKeys(1)[0]
	run := func(patientKey, period string) *Report {
		cfg := testConfig()
		cfg.Channels.MinCell = 5
		if patientKey == "" {
			cfg.Input.Columns.PatientKey = ""
		}
		rep, _, err := Build(context.Background(), Options{
			Config: cfg, Input: strings.NewReader(dominanceExport()), InputName: "export.csv",
			From: day("2026-11-01"), To: day("2026-11-30"), Period: period, Key: key,
		})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	for _, period := range []string{"", "week"} {
		rep := run("chart", period)
		for _, l := range []Line{rep.Channels[0], rep.Total} {
			if v := l.Values[Revenue]; v.State != Hidden || v.V != 0 {
				t.Errorf("patient_key, period %q: %s revenue %+v, want it withheld: one patient's visits are 75%% of it", period, l.Name, v)
			}
			if v := l.Values[Visits]; v.State != Shown {
				t.Errorf("patient_key, period %q: %s visits %+v: dominance hides amounts, not counts", period, l.Name, v)
			}
		}
		if period == "week" {
			// Week of 2026-11-02 holds P1's three visits and two of the
			// others' 1,000: P1 is 94% of it, hidden. The week of five
			// others is printed.
			for _, p := range rep.Periods {
				v := p.Channels[0].Values[Revenue]
				switch p.From.Format("2006-01-02") {
				case "2026-11-02":
					if v.State != Hidden {
						t.Errorf("week of %s: revenue %+v, want withheld", p.From.Format("2006-01-02"), v)
					}
				case "2026-11-09": // five patients of 1,000
					if v.State != Shown && v.State != Small {
						t.Errorf("week of %s: revenue %+v: no patient dominates it", p.From.Format("2006-01-02"), v)
					}
				}
			}
		}
		// Per visit: each 10,000 is a quarter of 40,500, under the share.
		rep = run("", period)
		if v := rep.Channels[0].Values[Revenue]; v.State != Shown || v.V < 30000 || v.V > 50000 {
			t.Errorf("no patient_key, period %q: Google revenue %+v, want it printed (no single visit is over 60%%)", period, v)
		}
	}
	// The same export with P1's visits spread over three patients: no
	// patient dominates, and the revenue is printed with patient_key too.
	spread := dominanceExportOf("P1", "P2", "P3")
	cfg := testConfig()
	cfg.Channels.MinCell = 5
	rep, _, err := Build(context.Background(), Options{Config: cfg, Input: strings.NewReader(spread), InputName: "export.csv",
		From: day("2026-11-01"), To: day("2026-11-30"), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if v := rep.Channels[0].Values[Revenue]; v.State != Shown || v.V < 30000 || v.V > 50000 {
		t.Errorf("three patients of 10,000 each: revenue %+v, want it printed", v)
	}
}
