package channels

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
)

// fixtureExport is the English fixture, read as rows: its header and its
// data lines (none of its cells holds a line break).
func fixtureExport(t *testing.T) (string, []string) {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/channels/export-en.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\r\n"), "\r\n")
	return lines[0], lines[1:]
}

func fixtureConfig() *config.Config {
	c := config.Defaults()
	c.Timezone = "Asia/Taipei"
	c.Input.Columns = config.Columns{
		OrderID: []string{"Appointment ID"}, AppointmentAt: "Appointment Time", Status: "Status", Source: "Source",
		GCLID: "gclid", FBCLID: "fbclid", Value: "Fee", PatientKey: "Chart No",
	}
	c.Conversion.Statuses = []string{"completed"}
	c.Conversion.NoShowStatuses = []string{"no-show"}
	c.Conversion.CancelledStatuses = []string{"cancelled"}
	c.Conversion.Currency = "TWD"
	c.Conversion.Value = config.ValueActual
	c.Channels.LTVDays = 14
	c.Channels.List = []config.Channel{
		{Name: "Google Ads", Platform: "google", Sources: []string{"google", "google ads"}},
		{Name: "Meta Ads", Platform: "meta", Sources: []string{"facebook", "instagram", "fb"}},
		{Name: "LINE", Sources: []string{"line", "line@"}},
		{Name: "Referral", Sources: []string{"referral", "friend"}},
	}
	return &c
}

// reportOf builds the fixture's weekly report (suppression on, with
// periods: the grids, the bridges and the paid line all in play) from
// the given rows, and returns it as the comparable model.
// testKey is the release key of tests that run under min_cell above 1.
var testKey = make([]byte, keySize)

func reportOf(t *testing.T, cfg *config.Config, header string, rows []string, orderBuffer, visitBuffer int) *Report {
	t.Helper()
	in := header + "\r\n" + strings.Join(rows, "\r\n") + "\r\n"
	rep, _, err := Build(context.Background(), Options{
		Config: cfg, Input: strings.NewReader(in), InputName: "export.csv",
		From: day("2026-11-01"), To: day("2026-11-30"), AsOf: day("2026-11-26"), Period: "week",
		orderBuffer: orderBuffer, visitBuffer: visitBuffer, Key: testKey,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestAnyRowOrderSameReport: the export's rows in any order — reversed,
// shuffled, sorted by another column, as a clinic's software or a person
// re-sorting in Excel leaves them — give the same report, to the byte.
// The fixture reschedules orders (an earlier row listed after the later
// one) and writes one slot twice (a no-show above the visit), which a
// first-row-wins count gets wrong in one order or the other. The order
// and visit logs are forced to spill in some permutations: the disk path
// must agree with memory too.
func TestAnyRowOrderSameReport(t *testing.T) {
	cfg := fixtureConfig()
	cfg.Channels.MinCell = 5
	header, rows := fixtureExport(t)
	want := reportOf(t, cfg, header, rows, 0, 0)
	wantJSON, _ := json.Marshal(want)
	rng := rand.New(rand.NewPCG(25, 25))
	perms := []struct {
		name  string
		rows  []string
		spill bool
	}{{"reversed", reversed(rows), false}, {"sorted by text", sortedCopy(rows), true}}
	for i := range 6 {
		p := append([]string(nil), rows...)
		rng.Shuffle(len(p), func(a, b int) { p[a], p[b] = p[b], p[a] })
		perms = append(perms, struct {
			name  string
			rows  []string
			spill bool
		}{"shuffle " + string(rune('a'+i)), p, i%2 == 0})
	}
	for _, p := range perms {
		ob, vb := 0, 0
		if p.spill {
			ob, vb = 7, 3
		}
		got := reportOf(t, cfg, header, p.rows, ob, vb)
		gotJSON, _ := json.Marshal(got)
		if !bytes.Equal(gotJSON, wantJSON) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: the report differs from the file's own order", p.name)
		}
	}
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ { // insertion sort: a stable text sort, as a spreadsheet does
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// TestLatestRowDecides: a booking rescheduled from October into November
// is a November booking of the channel and outcome of its latest row, in
// either row order; two rows of one slot are a visit, not a no-show.
func TestLatestRowDecides(t *testing.T) {
	header := "id,at,status,source,gclid,fbclid,fee,chart,consent"
	rows := []string{
		"R1,2026-10-20 10:00,cancelled,facebook,,,,P1,yes",
		"R1,2026-11-10 10:00,completed,google,,,1500,P1,yes",
		"S1,2026-11-12 09:00,no-show,line,,,,P2,yes",
		"S1,2026-11-12 09:00,completed,line,,,800,P2,yes",
	}
	cfg := testConfig()
	for _, rs := range [][]string{rows, reversed(rows)} {
		rep := reportOf(t, cfg, header, rs, 0, 0)
		g, m, line := rep.Channels[0], rep.Channels[1], rep.Channels[2]
		if value(t, g, Bookings) != 1 || value(t, g, Visits) != 1 || value(t, g, Revenue) != 1500 || value(t, m, Bookings) != 0 {
			t.Fatalf("rescheduled order: google %v bookings %v visits, meta %v", g.Values[Bookings], g.Values[Visits], m.Values[Bookings])
		}
		if value(t, line, Visits) != 1 || value(t, line, NoShows) != 0 || value(t, line, ShowRate) != 1 {
			t.Fatalf("one slot twice: %v visits, %v no-shows", line.Values[Visits], line.Values[NoShows])
		}
	}
}
