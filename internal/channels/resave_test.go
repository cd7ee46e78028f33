package channels

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
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
