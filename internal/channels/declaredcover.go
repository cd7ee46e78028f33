package channels

import (
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hashgate/hashgate/internal/eventtime"
)

// The range an export declares. A clinic report is run for a date range
// (Open Dental's Appointments report takes "From / To" dates,
// opendental.com/manual/reportappts.html) and its layout may carry title
// lines above the header (docs/research/clinic-exports.md, trap 9); a
// report that names its range there ("查詢期間：2026/11/01 ~ 2026/11/30",
// "預約日期:115/11/01至115/11/30 列印日期:…") declares it, as the Google Ads
// download's date-range line does — and a clinic whose system writes none
// can add such a line by hand (the coverage warning says so). An export of
// November whose first day the clinic was closed (Sunday 1 November 2026)
// had no row on the 1st, and read as not covering it: every cost of the
// month was marked † and the page's headline withheld. A declared range is
// what the export covers, a day of it without a row a day of zero
// appointments — as a day without a row inside the first to last dated row
// always was.
//
// A declaration is taken only when no dated row lies outside it: a row
// outside says the range is of something else (Open Dental's report can be
// run for appointments "scheduled for or created in" the range), and the
// days it names without a row are then no knowledge of appointments. The
// title lines are read for their dates alone, never printed.

// declaredSep is the dash between a range's two days: a hyphen, en or em
// dash between spaces, or a tilde (ASCII or full-width), an en or em
// dash, 至 or 到 with or without them. Compiled on first use, not at
// package initialisation (docs/performance.md, Start-up).
var declaredSep = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\s+[-–—]\s+|\s*[~～–—至到]\s*`) })

// declaredLabel is a label before a range's first day ending in a colon:
// "查詢期間：", "Period: ".
var declaredLabel = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[^0-9０-９]*[:：]\s*`) })

// declaredCover reads the first date range of the lines above the header
// with the export's own date parser (so ROC and Chinese dates, and
// input.date_order, read as its rows do), in days of loc.
func declaredCover(above []string, p *eventtime.Parser, loc *time.Location) (span, bool) {
	day := func(cands ...string) (int32, bool) {
		for _, c := range cands {
			if c = strings.TrimSpace(c); c == "" {
				continue
			}
			if at, err := p.Parse(c); err == nil {
				return dayNumber(at.In(loc)), true
			}
		}
		return 0, false
	}
	for _, l := range above {
		l = strings.Trim(strings.TrimSpace(strings.TrimPrefix(l, "\uFEFF")), "\"\t,; ")
		parts := declaredSep().Split(l, -1)
		for i := 0; i+1 < len(parts); i++ {
			left, right := parts[i], parts[i+1]
			lf, rf := strings.Fields(left), strings.Fields(right)
			if len(lf) == 0 || len(rf) == 0 {
				continue
			}
			from, ok := day(left, declaredLabel().ReplaceAllString(left, ""), lf[len(lf)-1])
			if !ok {
				continue
			}
			to, ok := day(right, rf[0], strings.Join(rf[:min(2, len(rf))], " "))
			if ok && from <= to {
				return span{from, to}, true
			}
		}
	}
	return span{}, false
}
