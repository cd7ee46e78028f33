package channels

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
)

// TestResavedExportSameReport: what a clinic's software, Excel or an
// analyst does to an export before the next report — columns moved and a
// column added, dates written the clinic system's other way (ROC years,
// 上午/下午), every cell quoted, a byte-order mark — gives the same
// released report, to the byte, under the release key. The running totals'
// draws come from order ids, not from the bytes or the row's layout, so a
// re-save must not redraw them (a reader holding the report before and
// after the re-save would get two draws of every running total).
func TestResavedExportSameReport(t *testing.T) {
	cfg := fixtureConfig()
	cfg.Channels.MinCell = 5
	header, rows := fixtureExport(t)
	want, _ := json.Marshal(reportOf(t, cfg, header, rows, 0, 0))

	parse := func(line string) []string {
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	format := func(rec []string, quoteAll bool) string {
		if !quoteAll {
			var b strings.Builder
			w := csv.NewWriter(&b)
			_ = w.Write(rec)
			w.Flush()
			return strings.TrimRight(b.String(), "\n")
		}
		q := make([]string, len(rec))
		for i, c := range rec {
			q[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
		}
		return strings.Join(q, ",")
	}
	cols := parse(header)
	roc := func(s string) string { // 2026-08-01 09:00 → 115/08/01 上午 09:00
		tm, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			return s
		}
		half, h := "上午", tm.Hour()
		if h >= 12 {
			half = "下午"
		}
		if h%12 == 0 {
			h += 12
		}
		return fmt.Sprintf("%03d/%02d/%02d %s %02d:%02d", tm.Year()-1911, tm.Month(), tm.Day(), half, (h-1)%12+1, tm.Minute())
	}
	variant := func(order []int, extra bool, dates func(string) string, quoteAll bool, bom string) (string, []string) {
		line := func(rec []string, head bool) string {
			out := make([]string, 0, len(order)+1)
			for _, j := range order {
				c := rec[j]
				if !head && dates != nil && (cols[j] == "Appointment Time" || cols[j] == "Booked At") {
					c = dates(c)
				}
				out = append(out, c)
			}
			if extra {
				if head {
					out = append(out, "Branch")
				} else {
					out = append(out, "Main St.")
				}
			}
			return format(out, quoteAll)
		}
		var rs []string
		for _, r := range rows {
			rs = append(rs, line(parse(r), false))
		}
		return bom + line(cols, true), rs
	}
	identity := make([]int, len(cols))
	for i := range identity {
		identity[i] = i
	}
	reversedCols := slices.Clone(identity)
	slices.Reverse(reversedCols)
	for name, v := range map[string]struct {
		order    []int
		extra    bool
		dates    func(string) string
		quoteAll bool
		bom      string
	}{
		"columns reversed, one added": {order: reversedCols, extra: true},
		"dates as ROC 上午/下午":          {order: identity, dates: roc},
		"every cell quoted":           {order: identity, quoteAll: true},
		"byte-order mark":             {order: identity, bom: "\ufeff"},
	} {
		h, rs := variant(v.order, v.extra, v.dates, v.quoteAll, v.bom)
		got, _ := json.Marshal(reportOf(t, cfg, h, rs, 0, 0))
		if string(got) != string(want) {
			t.Errorf("%s: the released report differs from the export as first saved", name)
		}
	}
}

// TestResavedDatesMustStillFit: an export re-saved with its dates in
// another form is read the same when the config says which — day-first
// under date_order dmy, month-first under mdy: the same report to the byte
// — and stops the report, naming the key and where, when it does not: day
// and month swapped under the config's date_order (Excel re-saving in the
// PC's locale), or a column no configured format reads. Before, the
// channel report counted such an export with exit 0 — days 1 to 12 read as
// months, the November window holding 14 bookings instead of 117 — while
// the upload of the same file stopped (pipeline.DateFit, which both use
// now). The booked_at column, which bookings made and lead days read, is
// judged the same way. A few unreadable dates stay row problems.
func TestResavedDatesMustStillFit(t *testing.T) {
	header, rows := fixtureExport(t)
	cols := strings.Split(header, ",")
	at, booked := slices.Index(cols, "Appointment Time"), slices.Index(cols, "Booked At")
	parse := func(line string) []string {
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	rewrite := func(which []int, f func(i int, s string) string) []string {
		var out []string
		for i, r := range rows {
			rec := parse(r)
			for _, j := range which {
				if tm, err := time.Parse("2006-01-02 15:04", rec[j]); err == nil {
					rec[j] = f(i, tm.Format("2006-01-02 15:04"))
				}
			}
			out = append(out, csvLine(rec))
		}
		return out
	}
	layout := func(l string) func(int, string) string {
		return func(_ int, s string) string {
			tm, _ := time.Parse("2006-01-02 15:04", s)
			return tm.Format(l)
		}
	}
	dayFirst, monthFirst := layout("02/01/2006 15:04"), layout("01/02/2006 15:04")
	base := func(order string) *config.Config {
		cfg := fixtureConfig()
		cfg.Channels.MinCell = 5
		cfg.Input.Columns.BookedAt = "Booked At"
		cfg.Input.DateOrder = order
		return cfg
	}
	want, _ := json.Marshal(reportOf(t, base(""), header, rows, 0, 0))
	// Placeholders in booked_at (no digit) say nothing of its format, as
	// the upload judges them: the report prints.
	reportOf(t, base(""), header, rewrite([]int{booked}, func(i int, s string) string {
		if i%3 == 0 {
			return "-"
		}
		return s
	}), 0, 0)
	for _, c := range []struct {
		name, order string
		rows        []string
	}{
		{"day-first under dmy", "dmy", rewrite([]int{at, booked}, dayFirst)},
		{"month-first under mdy", "mdy", rewrite([]int{at, booked}, monthFirst)},
		{"two typos", "", rewrite([]int{at}, func(i int, s string) string {
			if i == 3 || i == 40 {
				return "2026-19-45 09:00"
			}
			return s
		})},
	} {
		got, _ := json.Marshal(reportOf(t, base(c.order), header, c.rows, 0, 0))
		if c.name == "two typos" {
			if string(got) == string(want) {
				t.Errorf("%s: two unreadable dates changed nothing: the rows were not read", c.name)
			}
			continue
		}
		if string(got) != string(want) {
			t.Errorf("%s: the report differs from the export as first saved", c.name)
		}
	}

	for _, c := range []struct {
		name, order string
		rows        []string
		key, column string
	}{
		{"day-first under mdy", "mdy", rewrite([]int{at, booked}, dayFirst), "input.date_order", "Appointment Time"},
		{"month-first under dmy", "dmy", rewrite([]int{at, booked}, monthFirst), "input.date_order", "Appointment Time"},
		{"a third unreadable", "", rewrite([]int{at}, func(i int, s string) string {
			if i%3 == 0 {
				return strings.ReplaceAll(strings.ReplaceAll(s, "-", ""), ":", "") // 20260801 0900: no format reads it
			}
			return s
		}), "input.columns.appointment_at", "Appointment Time"},
		{"only booked_at day-first under mdy", "mdy", rewrite([]int{booked}, dayFirst), "input.date_order", "Booked At"},
	} {
		in := header + "\r\n" + strings.Join(c.rows, "\r\n") + "\r\n"
		_, _, err := Build(context.Background(), Options{
			Config: base(c.order), Input: strings.NewReader(in), InputName: "export.csv",
			From: day("2026-11-01"), To: day("2026-11-30"), AsOf: day("2026-11-26"), Key: testKey,
		})
		var ce *config.Error
		if !errors.As(err, &ce) {
			t.Errorf("%s: got %v, want a config error naming %s", c.name, err, c.key)
			continue
		}
		msg := ce.Error()
		if ce.Key != c.key || !strings.Contains(msg, `column "`+c.column+`"`) || !strings.Contains(msg, "no report was printed") {
			t.Errorf("%s: %s; want key %s, column %q, and that nothing was printed", c.name, msg, c.key, c.column)
		}
		if !regexp.MustCompile(`export\.csv:\d+:\d+: `).MatchString(msg) {
			t.Errorf("%s: %s does not say where (file:line:column)", c.name, msg)
		}
		// It names where, never what: no date of the export in it.
		if d := regexp.MustCompile(`\d{2}[/.-]\d{2}[/.-]\d{4}|\d{4}[/.-]\d{2}[/.-]\d{2}`).FindString(msg); d != "" {
			t.Errorf("%s: the error quotes a date of the export (%s): %s", c.name, d, msg)
		}
		// Under the release rule, never how many of the export's rows
		// (a review: "163 of the 491 dated rows" went out with the
		// report's stderr); --exact says how many.
		counts := regexp.MustCompile(`\d+ of the (first )?\d+ dated rows`)
		if counts.MatchString(msg) || !strings.Contains(msg, "more than the allowed share of the dated rows") {
			t.Errorf("%s: a released run's stop counts the export's rows: %s", c.name, msg)
		}
		_, _, err = Build(context.Background(), Options{
			Config: base(c.order), Input: strings.NewReader(in), InputName: "export.csv",
			From: day("2026-11-01"), To: day("2026-11-30"), AsOf: day("2026-11-26"), Key: testKey, Exact: true,
		})
		if err == nil || !counts.MatchString(err.Error()) {
			t.Errorf("%s: the exact run's stop does not say how many: %v", c.name, err)
		}
	}
}

// TestSourceWordThatNamesAPatientIsNotListed: an unmatched source word is
// listed (unmatched_sources) only when no cell that may name a person
// holds it — a patient Bing Lin beside source "bing", a patient Dcard
// Chen beside "Dcard" — as inspect withholds it (package printable's
// rule); with other names both are listed.
func TestSourceWordThatNamesAPatientIsNotListed(t *testing.T) {
	header, rows := fixtureExport(t)
	cols := strings.Split(header, ",")
	name, source := slices.Index(cols, "Patient Name"), slices.Index(cols, "Source")
	build := func(named bool) []string {
		var out []string
		for i, r := range rows {
			rec, err := csv.NewReader(strings.NewReader(r)).Read()
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case i%20 == 3:
				rec[source], rec[name] = "bing", "Zq Lin"
				if named {
					rec[name] = "Bing Lin"
				}
			case i%20 == 7:
				rec[source], rec[name] = "Dcard", "Zq Chen"
				if named && i%40 == 7 {
					rec[name] = "Dcard Chen"
				}
			}
			out = append(out, csvLine(rec))
		}
		return out
	}
	words := func(rep *Report) []string {
		var ws []string
		for _, u := range rep.Unmatched {
			ws = append(ws, strings.ToLower(u.Word))
		}
		return ws
	}
	cfg := fixtureConfig()
	cfg.Channels.MinCell = 1
	open, hidden := words(reportOf(t, cfg, header, build(false), 0, 0)), words(reportOf(t, cfg, header, build(true), 0, 0))
	if !slices.Contains(open, "bing") || !slices.Contains(open, "dcard") {
		t.Fatalf("other names: listed %q, want bing and dcard", open)
	}
	if slices.Contains(hidden, "bing") || slices.Contains(hidden, "dcard") {
		t.Errorf("patients named Bing Lin and Dcard Chen: listed %q", hidden)
	}
	// A patient Bing Lin on a row that is not counted — short, as a
	// writer that drops trailing empty cells leaves it — is no less a
	// patient: "bing" is still not listed.
	rec, err := csv.NewReader(strings.NewReader(rows[0])).Read()
	if err != nil {
		t.Fatal(err)
	}
	rec[name] = "Bing Lin"
	short := append(build(false), csvLine(rec[:name+1])) // it ends after the name: short
	if got := words(reportOf(t, cfg, header, short, 0, 0)); slices.Contains(got, "bing") {
		t.Errorf("a patient Bing Lin on a short row: listed %q", got)
	}
}

// csvLine is rec as one CSV line, without its line break.
func csvLine(rec []string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(rec)
	w.Flush()
	return strings.TrimRight(b.String(), "\n")
}
