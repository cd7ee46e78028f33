package channels

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/platform"
)

const notKnownSpend = "Campaign report\r\n\"November 1, 2026 - November 30, 2026\"\r\nDay,Campaign,Currency code,Cost,Clicks\r\n" +
	"2026-11-02,Brand,TWD,1000.00,30\r\n2026-11-20,Brand,TWD,500.00,20\r\n"

func notKnownReport(t *testing.T, export string, asOf time.Time) *Report {
	t.Helper()
	cfg := testConfig()
	cfg.Channels.LTVDays = 7
	cfg.Channels.List = append(cfg.Channels.List[:1], cfg.Channels.List[2]) // Google and LINE: Paid is Google's
	rep, _, err := Build(context.Background(), Options{
		Config: cfg, Input: strings.NewReader(export), InputName: "export.csv",
		Spend: []SpendInput{{Platform: platform.Google, Name: "g.csv", R: strings.NewReader(notKnownSpend)}},
		From:  day("2026-11-01"), To: day("2026-11-30"), AsOf: asOf,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestFiguresNotKnownAreNotZero: revenue nobody recorded, and outcomes
// that have not happened by --as-of, are not computed with their reason —
// never revenue 0 and ROAS 0.00x, never 0 new patients against a month's
// spend (a clinic manager's reading of the report).
func TestFiguresNotKnownAreNotZero(t *testing.T) {
	export := `id,at,status,source,gclid,fbclid,fee,chart,consent
N1,2026-11-03 10:00,completed,google,,,,P1,yes
N2,2026-11-05 10:00,completed,google,,,,P2,yes
N3,2026-11-06 10:00,booked,google,,,,P3,yes
N4,2026-11-21 10:00,cancelled,google,,,,P4,yes
`
	want := func(rep *Report, what string, why Reason, ms ...Metric) {
		t.Helper()
		for _, l := range []Line{rep.Channels[0], rep.Paid, rep.Total} {
			for _, m := range ms {
				if v := l.Values[m]; v.State != NotApplicable || v.Why != why {
					t.Errorf("%s: %s %s = %+v, want %s", what, l.Name, m.Key(), v, why.Key())
				}
			}
		}
	}
	// (a) Visits, none with a readable fee: revenue is not known.
	rep := notKnownReport(t, export, day("2026-12-31"))
	want(rep, "fees blank", NoValues, Revenue, NewRevenue, ReturningRevenue, ROAS, LTV)
	if v := rep.Channels[0].Values[CAC]; v.State != Shown {
		t.Errorf("fees blank: cac %+v, want printed", v)
	}
	// (a') The same under the default release rule, where a line's
	// visits may be withheld while its new patients' revenue and the
	// N-day value print: on the bundled fixture with its fees blanked
	// these printed 0 beside 27 new visits and 11 ltv_patients
	// (Google Ads, under some keys), and not_computed said nothing.
	blank := blankFees(t, readFixtureEN(t))
	withheld := 0
	for k := range 6 {
		key := make([]byte, keySize)
		key[0] = byte(k + 1)
		cfg := attackConfig(attackRequest{fixture: true})
		cfg.Channels.LTVDays = 14 // testdata/channels/en.yaml's
		rep, _, err := Build(context.Background(), Options{
			Config: cfg, Input: bytes.NewReader(blank), InputName: "export.csv", Key: key,
			From: day("2026-11-01"), To: day("2026-11-30"), AsOf: day("2026-11-26"),
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range append(rep.Channels, rep.Paid, rep.Total) {
			printed := false
			for _, m := range []Metric{Visits, NewVisits, ReturningVisits, LTVPatients} {
				printed = printed || l.Values[m].State == Shown && l.Values[m].V > 0
			}
			if !printed {
				continue
			}
			if l.Values[Visits].State != Shown {
				withheld++
			}
			for _, m := range []Metric{Revenue, NewRevenue, ReturningRevenue, ROAS, LTV} {
				if v := l.Values[m]; v.State == Shown {
					t.Errorf("released, key %d: %s %s = %v (visits %+v), want not computed: no_values", k, l.Name, m.Key(), v.V, l.Values[Visits])
				}
			}
		}
	}
	t.Logf("released: %d lines with their visits withheld", withheld)
	if withheld == 0 {
		t.Error("released: no line had its visits withheld beside a printed count; the case is not exercised")
	}

	// One readable fee, even 0, is a revenue.
	rep = notKnownReport(t, strings.Replace(export, "google,,,,P1", "google,,,0,P1", 1), day("2026-12-31"))
	if v := rep.Channels[0].Values[Revenue]; v.State != Shown || v.V != 0 {
		t.Errorf("one fee of 0: revenue %+v, want 0", v)
	}

	// (b, c) --as-of on or before the window's first day: nothing has
	// happened yet — bookings are known, what came of them is not.
	for _, asOf := range []string{"2026-11-01", "2026-10-15"} {
		rep = notKnownReport(t, strings.ReplaceAll(export, ",,,,P", ",,,800,P"), day(asOf))
		what := "as of " + asOf
		want(rep, what, NotYet, Visits, NewPatients, Revenue, ROAS, CAC, CACLow, CACHigh, CostPerVisit, LTV)
		g := rep.Channels[0]
		if value(t, g, Bookings) != 4 || value(t, g, Pending) != 3 || value(t, g, Cancellations) != 1 || value(t, g, Spend) != 1500 {
			t.Errorf("%s: bookings %v, pending %v, cancelled %v, spend %v", what, g.Values[Bookings], g.Values[Pending], g.Values[Cancellations], g.Values[Spend])
		}
	}
	// --as-of inside the window: the figures are computed (the period is
	// marked incomplete_period, as before).
	rep = notKnownReport(t, strings.ReplaceAll(export, ",,,,P", ",,,800,P"), day("2026-11-10"))
	if v := rep.Channels[0].Values[ROAS]; v.State != Shown {
		t.Errorf("as of 11-10: roas %+v, want printed", v)
	}
}

// TestNoSpendAtAllIsNoSpendData: without any --spend, every paid platform
// is listed without spend (no_download) and its spend and costs are not
// computed (no_spend_data) — the report said platforms_without_spend []
// and not_computed {} while spend_days_missing counted every day.
func TestNoSpendAtAllIsNoSpendData(t *testing.T) {
	rep := build(t, testConfig(), smallExport)
	want := []SpendGap{{"google", "no_download"}, {"meta", "no_download"}}
	if len(rep.SpendGaps) != len(want) || rep.SpendGaps[0] != want[0] || rep.SpendGaps[1] != want[1] {
		t.Errorf("spend gaps %v, want %v", rep.SpendGaps, want)
	}
	for _, l := range []Line{rep.Channels[0], rep.Channels[1], rep.Paid, rep.Total} {
		for _, m := range []Metric{Spend, CAC, CostPerVisit} {
			if v := l.Values[m]; v.Why != NoSpendData {
				t.Errorf("%s %s = %+v, want no_spend_data", l.Name, m.Key(), v)
			}
		}
		if l.SpendDaysMissing == nil || *l.SpendDaysMissing != 30 {
			t.Errorf("%s spend days missing %v", l.Name, l.SpendDaysMissing)
		}
	}
	if v := rep.Channels[2].Values[Spend]; v.Why != NoReason {
		t.Errorf("LINE, no platform: spend %+v, want none", v)
	}
}

// blankFees is export with its Fee column emptied.
func blankFees(t *testing.T, export []byte) []byte {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(export)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fee := slices.Index(rows[0], "Fee")
	for _, r := range rows[1:] {
		r[fee] = ""
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
