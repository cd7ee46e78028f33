package channels

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/platform"
)

func testConfig() *config.Config {
	c := config.Defaults()
	c.Timezone = "Asia/Taipei"
	c.Input.Columns = config.Columns{
		OrderID: []string{"id"}, AppointmentAt: "at", Status: "status", Source: "source",
		GCLID: "gclid", FBCLID: "fbclid", Value: "fee", PatientKey: "chart", Consent: "consent",
	}
	c.Conversion.Statuses = []string{"completed"}
	c.Conversion.NoShowStatuses = []string{"no-show"}
	c.Conversion.CancelledStatuses = []string{"cancelled"}
	c.Conversion.Currency = "TWD"
	c.Conversion.Value = config.ValueActual
	c.Consent.Granted = []string{"yes"}
	c.Channels.MinCell = 1
	c.Channels.List = []config.Channel{
		{Name: "Google Ads", Platform: "google", Sources: []string{"google"}},
		{Name: "Meta Ads", Platform: "meta", Sources: []string{"facebook"}},
		{Name: "LINE", Sources: []string{"line"}},
	}
	return &c
}

const gclid = "Cj0KCQiA5rGuBhCnARIsAN11vgR1mJ8Xw2Yk0p7Qyz"

// export: ids, times, statuses, sources, click ids, fees, charts, consent.
const smallExport = `id,at,status,source,gclid,fbclid,fee,chart,consent
A1,2026-10-31 23:30,completed,google,,,1000,P1,yes
A2,2026-11-01 00:10,completed,google,,,2000,P2,yes
A2,2026-11-01 00:10,completed,google,,,2000,P2,yes
A3,2026-11-02 10:00,no-show,facebook,` + gclid + `,,,P3,no
A4,2026-11-03 10:00,completed,facebook,,,500,P1,no
A5,2026-11-30 23:59,completed,line,,,700,P4,yes
A6,2026-12-01 00:00,completed,line,,,900,P5,yes
A7,2026-11-15 10:00,booked,,,,,P6,yes
`

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func build(t *testing.T, cfg *config.Config, export string, spend ...SpendInput) *Report {
	t.Helper()
	rep, _, err := Build(context.Background(), Options{
		Config: cfg, Input: strings.NewReader(export), InputName: "export.csv", Spend: spend,
		From: day("2026-11-01"), To: day("2026-11-30"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func value(t *testing.T, l Line, m Metric) float64 {
	t.Helper()
	if l.Values[m].State != Shown {
		t.Fatalf("%s %s is not shown (state %d)", l.Name, m.Key(), l.Values[m].State)
	}
	return l.Values[m].V
}

func TestFunnelCounts(t *testing.T) {
	rep := build(t, testConfig(), smallExport)
	g, m, line, un := rep.Channels[0], rep.Channels[1], rep.Channels[2], rep.Channels[3]
	// A1 is the evening before the window in Taipei; A2 is repeated and
	// counts once; A3's gclid beats its "facebook".
	if got := value(t, g, Bookings); got != 2 {
		t.Errorf("google bookings %v, want 2 (A2 once, A3 by its gclid)", got)
	}
	if got := value(t, g, Visits); got != 1 {
		t.Errorf("google visits %v, want 1", got)
	}
	if got := value(t, g, Revenue); got != 2000 {
		t.Errorf("google revenue %v, want 2000 (A2's fee once)", got)
	}
	if got := value(t, m, Bookings); got != 1 {
		t.Errorf("meta bookings %v, want 1 (A4)", got)
	}
	// A5 is 23:59 on the last day: in; A6 is the next day: out.
	if got := value(t, line, Visits); got != 1 {
		t.Errorf("LINE visits %v, want 1", got)
	}
	if got := value(t, un, Bookings); got != 1 {
		t.Errorf("unattributed bookings %v, want 1 (A7, no source)", got)
	}
	if got := value(t, rep.Total, Bookings); got != 5 {
		t.Errorf("total bookings %v, want 5", got)
	}
	// New patients: P1's first visit (A1) is before the window, so A4 is
	// a returning visit; P2 and P4 are new.
	if got := value(t, m, NewPatients); got != 0 {
		t.Errorf("meta new patients %v, want 0 (P1 first came on Oct 31)", got)
	}
	if got := value(t, g, NewPatients); got != 1 {
		t.Errorf("google new patients %v, want 1", got)
	}
	if got := value(t, rep.Total, NewPatients); got != 2 {
		t.Errorf("total new patients %v, want 2", got)
	}
	if got := value(t, g, ShowRate); got != 0.5 {
		t.Errorf("google show rate %v, want 0.5", got)
	}
	if rep.Channels[0].Values[Spend].State != NotApplicable {
		t.Error("spend without a download should be not applicable")
	}
}

func TestConsentedOnly(t *testing.T) {
	cfg := testConfig()
	cfg.Channels.ConsentedOnly = true
	rep := build(t, cfg, smallExport)
	if got := value(t, rep.Channels[0], Bookings); got != 1 {
		t.Errorf("google bookings %v, want 1 (A3 has no consent)", got)
	}
	if got := value(t, rep.Channels[1], Bookings); got != 0 {
		t.Errorf("meta bookings %v, want 0", got)
	}
}

func TestValueNoneHasNoRevenue(t *testing.T) {
	cfg := testConfig()
	cfg.Conversion.Value = config.ValueNone
	rep := build(t, cfg, smallExport)
	if rep.Applicable[Revenue] || rep.Total.Values[Revenue].State != NotApplicable || rep.Applicable[LTV] {
		t.Error("revenue and LTV must not exist under conversion.value: none")
	}
}

const googleCSV = "Campaign report\r\n\"October 31, 2026 - December 1, 2026\"\r\n" +
	"Day,Campaign,Currency code,Cost,Clicks,Conversions\r\n" +
	"2026-10-31,Dental Implant Search,TWD,\"1,000.00\",10,1.00\r\n" +
	"2026-11-01,Dental Implant Search,TWD,\"1,234.50\",\"1,020\",2.50\r\n" +
	"2026-11-30,Brand,TWD,100.00,5,0.00\r\n" +
	"2026-12-01,Brand,TWD,999.00,9,1.00\r\n" +
	"Total: Account,--,TWD,\"3,333.50\",\"1,044\",4.50\r\n"

func TestSpendWindowAndTotals(t *testing.T) {
	rep := build(t, testConfig(), smallExport, SpendInput{Platform: platform.Google, Name: "g.csv", R: strings.NewReader(googleCSV)})
	g := rep.Channels[0]
	if got := value(t, g, Spend); got != 1334.5 {
		t.Errorf("spend %v, want 1334.5 (Oct 31, Dec 1 and the Total row left out)", got)
	}
	if got := value(t, g, Clicks); got != 1025 {
		t.Errorf("clicks %v, want 1025", got)
	}
	if got := value(t, g, PlatformConversions); got != 2.5 {
		t.Errorf("platform conversions %v, want 2.5", got)
	}
	if got := value(t, g, CostPerBooking); got != 1334.5/2 {
		t.Errorf("cost per booking %v", got)
	}
	if got := value(t, g, ClaimedVsVisits); got != 2.5 {
		t.Errorf("claimed vs visits %v, want 2.5", got)
	}
}

func TestCurrencyMismatchIsRefused(t *testing.T) {
	cfg := testConfig()
	cfg.Conversion.Currency = "USD"
	_, _, err := Build(context.Background(), Options{
		Config: cfg, Input: strings.NewReader(smallExport), InputName: "export.csv",
		Spend: []SpendInput{{Platform: platform.Google, Name: "g.csv", R: strings.NewReader(googleCSV)}},
	})
	var ce *config.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "TWD") || !strings.Contains(err.Error(), "USD") {
		t.Fatalf("want a config error naming TWD and USD, got %v", err)
	}
	cfg.Spend.Rates = map[string]float64{"TWD": 0.5}
	rep := build(t, cfg, smallExport, SpendInput{Platform: platform.Google, Name: "g.csv", R: strings.NewReader(googleCSV)})
	if got := value(t, rep.Channels[0], Spend); got != 1334.5*0.5 {
		t.Errorf("converted spend %v, want %v", got, 1334.5*0.5)
	}
}

func TestRangeAcrossTheWindowIsRefused(t *testing.T) {
	meta := "\ufeffCampaign name,Amount spent (TWD),Link clicks,Results,Reporting starts,Reporting ends\n" +
		"Leads,1000,10,1,2026-10-15,2026-11-14\n"
	_, _, err := Build(context.Background(), Options{
		Config: testConfig(), Input: strings.NewReader(smallExport), InputName: "export.csv",
		Spend: []SpendInput{{Platform: platform.Meta, Name: "m.csv", R: strings.NewReader(meta)}},
		From:  day("2026-11-01"), To: day("2026-11-30"),
	})
	if err == nil || !strings.Contains(err.Error(), "m.csv:2") || !strings.Contains(err.Error(), "not exactly the window") {
		t.Fatalf("want an error at m.csv:2 about the window edge, got %v", err)
	}
}

func TestPeriodsAddUp(t *testing.T) {
	cfg := testConfig()
	rep, _, err := Build(context.Background(), Options{
		Config: cfg, Input: strings.NewReader(smallExport), InputName: "export.csv",
		From: day("2026-11-01"), To: day("2026-11-30"), Period: "week",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Periods) != 6 || !rep.Periods[0].To.Equal(day("2026-11-01")) || !rep.Periods[1].From.Equal(day("2026-11-02")) {
		t.Fatalf("%d weeks (want 6: Sun 1st alone, then Monday weeks, Mon 30th alone)", len(rep.Periods))
	}
	sum := 0.0
	for _, p := range rep.Periods {
		sum += value(t, p.Total, Bookings)
	}
	if sum != value(t, rep.Total, Bookings) {
		t.Errorf("weekly bookings add up to %v, the window has %v", sum, value(t, rep.Total, Bookings))
	}
}

func TestStatsAccountForEveryRow(t *testing.T) {
	export := smallExport + ",2026-11-05 10:00,completed,line,,,1,P9,yes\n" + // no order id
		"A9,someday,completed,line,,,1,P9,yes\n" + // unreadable date
		"A10,2026-11-05 10:00\n" // too short
	_, st, err := Build(context.Background(), Options{
		Config: testConfig(), Input: strings.NewReader(export), InputName: "export.csv",
		From: day("2026-11-01"), To: day("2026-11-30"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 11 || st.Counted != 5 || st.DuplicateRows != 1 || st.OutsideWindow != 2 ||
		st.MissingOrderID != 1 || st.InvalidTime != 1 || st.Malformed != 1 {
		t.Fatalf("%+v", st)
	}
	if sum := st.Counted + st.DuplicateRows + st.OutsideWindow + st.MissingOrderID + st.InvalidTime + st.Malformed + st.TooLarge + st.NotConsented; sum != st.Rows {
		t.Fatalf("%d rows read, %d accounted for", st.Rows, sum)
	}
}

func TestAutoPeriod(t *testing.T) {
	for _, tc := range []struct {
		days int32
		want string
	}{{1, "day"}, {14, "day"}, {15, "week"}, {92, "week"}, {93, "month"}, {365, "month"}} {
		if got := autoPeriod(100, 100+tc.days-1); got != tc.want {
			t.Errorf("%d days: %s, want %s", tc.days, got, tc.want)
		}
	}
}

// TestConsentedOnlyReadsEachPlatformsOwnColumn: under consented_only, a
// row counts when any consent column mapped grants it — the shared one or
// a platform's own (Spec.ConsentKey, input.columns.consent_meta here),
// found through the platforms' registry rather than by name.
func TestConsentedOnlyReadsEachPlatformsOwnColumn(t *testing.T) {
	cfg := testConfig()
	cfg.Channels.ConsentedOnly = true
	cfg.Input.Columns.Consent = ""
	cfg.Input.Columns.ConsentMeta = "consent"
	rep := build(t, cfg, smallExport)
	if got := value(t, rep.Channels[0], Bookings); got != 1 {
		t.Errorf("google bookings %v, want 1 (A3 has no consent)", got)
	}
	cfg.Input.Columns.ConsentMeta = ""
	cfg.Input.Columns.ConsentGoogle = "consent"
	if got := value(t, build(t, cfg, smallExport).Channels[0], Bookings); got != 1 {
		t.Errorf("with consent_google: google bookings %v, want 1", got)
	}
}
