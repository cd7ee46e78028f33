package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/report"
)

// mainland is a mainland-style export: a date column without years on a
// few rows (cancellations and non-consented rows, as clinics' HIS print
// them), full dates elsewhere.
func mainland(rows int, yearless func(i int) bool) string {
	var b strings.Builder
	b.WriteString("预约号,预约时间,状态,手机,同意\n")
	for i := range rows {
		at, status, ok := "2026-11-02 09:00", "已完成", "同意"
		if yearless(i) {
			at = "5月27日 10:00"
			if i%2 == 0 {
				status = "已取消"
			} else {
				ok = "不同意"
			}
		}
		fmt.Fprintf(&b, "M%05d,%s,%s,1380013%04d,%s\n", i, at, status, i, ok)
	}
	return b.String()
}

func mainlandConfig() *config.Config {
	c := config.Defaults()
	c.Timezone = "Asia/Shanghai"
	c.Region = "CN"
	c.Input.Columns = config.Columns{OrderID: []string{"预约号"}, AppointmentAt: "预约时间", Status: "状态", Phone: []string{"手机"}, Consent: "同意"}
	c.Consent.Granted = []string{"同意"}
	c.Consent.Denied = []string{"不同意"}
	c.Conversion.Statuses = []string{"已完成"}
	c.Destinations.Meta.Enabled = true
	c.Destinations.Meta.Identifiers = []string{"phone"}
	return &c
}

// runDates runs body on both the sequential and the parallel path, on
// 2026-12-01 (5月27日 is then 188 days back: outside every upload window).
func runDates(t *testing.T, cfg *config.Config, body string) (map[int]error, map[int]*report.Summary, map[int]int) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	errs, sums, sent := map[int]error{}, map[int]*report.Summary{}, map[int]int{}
	for _, workers := range []int{1, 3} {
		sink := &capture{}
		sum := report.New("m.csv")
		errs[workers] = Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(body), InputName: "m.csv",
			Sink: sink, Workers: workers, Now: time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)}, sum)
		sums[workers], sent[workers] = sum, len(sink.got)
	}
	return errs, sums, sent
}

// TestYearlessDatesOutsideTheWindowAreTooOld: 5月27日 on 2026-12-01 is
// 188 days back, outside every upload window in any year it could have:
// no setting would send it, so its row is event_too_old — never "needs
// input.default_year" — however many there are (issue 21 point 7: the
// mainland sample stopped on 3 such cancelled rows of 11).
func TestYearlessDatesOutsideTheWindowAreTooOld(t *testing.T) {
	for _, c := range []struct {
		rows    int
		flagged func(int) bool
		old     int
	}{
		{2000, func(i int) bool { return i%500 == 7 || i%500 == 8 }, 4},
		{40, func(i int) bool { return i%3 != 0 }, 13},
		{11, func(i int) bool { return i < 6 }, 3},
	} {
		body := mainland(c.rows, c.flagged)
		errs, sums, _ := runDates(t, mainlandConfig(), body)
		for w, err := range errs {
			if err != nil {
				t.Fatalf("rows=%d workers=%d: %v", c.rows, w, err)
			}
			sum := sums[w]
			// Non-consented rows are excluded before their date is read;
			// consented cancellations reach the date.
			if sum.Excluded[ReasonYearlessTooOld] != c.old || sum.Excluded[ReasonYearNeeded] != 0 {
				t.Errorf("rows=%d workers=%d: excluded %v; want %d %s", c.rows, w, sum.Excluded, c.old, ReasonYearlessTooOld)
			}
			var text strings.Builder
			if err := sum.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(text.String(), "input.default_year") {
				t.Errorf("the summary asks for a setting that would send nothing:\n%s", text.String())
			}
		}
	}
	// This year's 12月25日 is still to come, last year's too old.
	body := strings.ReplaceAll(mainland(10, func(i int) bool { return i < 4 }), "5月27日", "12月25日")
	_, sums, _ := runDates(t, mainlandConfig(), body)
	if got := sums[1].Excluded[ReasonYearlessFuture]; got != 2 {
		t.Errorf("excluded %v, want 2 %s", sums[1].Excluded, ReasonYearlessFuture)
	}
}

// ambiguous is mainland with the flagged rows dated 5/8/2026 (month/day or
// day/month: only input.date_order can say) — visits, consented — or,
// when cancelled, no-shows with that date.
func ambiguous(rows int, flagged func(int) bool, cancelled bool) string {
	var b strings.Builder
	b.WriteString("预约号,预约时间,状态,手机,同意\n")
	for i := range rows {
		at, status := "2026-11-02 09:00", "已完成"
		if flagged(i) {
			at = "5/8/2026 10:00"
			if cancelled {
				status = "已取消"
			}
		}
		fmt.Fprintf(&b, "M%05d,%s,%s,1380013%04d,同意\n", i, at, status, i)
	}
	return b.String()
}

// TestSystemicDateSettingStopsBeforeSending: when most rows to be sent
// need a date setting, the config does not fit the export: the run stops
// naming the key and where, and nothing reached the sink — also past the
// first batch's worth of rows. Rows that would not be sent anyway (a
// cancelled visit) count neither way.
func TestSystemicDateSettingStopsBeforeSending(t *testing.T) {
	for _, rows := range []int{40, 5000} {
		body := ambiguous(rows, func(i int) bool { return i%3 != 0 }, false)
		errs, _, sent := runDates(t, mainlandConfig(), body)
		for w, err := range errs {
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Key != "input.date_order" || !strings.Contains(err.Error(), "m.csv:3:8:") {
				t.Errorf("rows=%d workers=%d: got %v, want a config.Error for input.date_order at m.csv:3:8", rows, w, err)
			}
			if sent[w] != 0 {
				t.Errorf("rows=%d workers=%d: %d conversions reached the sink before the stop", rows, w, sent[w])
			}
		}
	}
	body := ambiguous(40, func(i int) bool { return i%3 != 0 }, true)
	errs, sums, sent := runDates(t, mainlandConfig(), body)
	for w, err := range errs {
		if err != nil || sent[w] != 14 || sums[w].Excluded[ReasonDateOrderNeeded] != 26 {
			t.Errorf("cancelled rows: workers=%d: %v, %d sent, excluded %v", w, err, sent[w], sums[w].Excluded)
		}
	}
}

// TestYearlessDateWithinTheWindowIsRead: inside the upload window the year
// is fixed by the run's date; the share setting can be raised to 1 so a
// run never stops for dates.
func TestYearlessDateWithinTheWindowIsRead(t *testing.T) {
	body := strings.ReplaceAll(mainland(10, func(i int) bool { return i < 8 }), "5月27日", "11月27日")
	cfg := mainlandConfig()
	errs, sums, _ := runDates(t, cfg, body)
	for w, err := range errs {
		if err != nil || sums[w].Excluded[ReasonYearNeeded] != 0 || sums[w].Excluded[ReasonYearlessTooOld] != 0 {
			t.Errorf("workers=%d: %v, excluded %v", w, err, sums[w].Excluded)
		}
	}
	cfg.Input.MaxUnreadableDateShare = 1
	errs, sums, _ = runDates(t, cfg, ambiguous(10, func(i int) bool { return i < 8 }, false))
	for w, err := range errs {
		if err != nil || sums[w].Excluded[ReasonDateOrderNeeded] != 8 {
			t.Errorf("share 1, workers=%d: %v, excluded %v", w, err, sums[w].Excluded)
		}
	}
}

// reorder rewrites the mainland export's 2026-11-dd dates as a US or a
// European clinic system writes them.
func reorder(body, order string) string {
	var b strings.Builder
	for n, line := range strings.SplitAfter(body, "\n") {
		if n == 0 || line == "" {
			b.WriteString(line)
			continue
		}
		f := strings.SplitN(line, ",", 3)
		at, _ := time.Parse("2006-01-02 15:04", f[1])
		if order == "dmy" {
			f[1] = at.Format("02/01/2006 15:04")
		} else {
			f[1] = at.Format("01/02/2006 15:04")
		}
		b.WriteString(strings.Join(f, ","))
	}
	return b.String()
}

// TestDateColumnThatNoLongerFitsStops: the export re-saved day/month while
// the config says mdy — days above 12 land in the month position — stops
// before anything is sent, naming the column, input.date_order and
// input.encoding and where; so does an export whose dates no configured
// format reads any more. A few unreadable dates are row problems.
func TestDateColumnThatNoLongerFitsStops(t *testing.T) {
	base := func(rows int) string {
		var b strings.Builder
		b.WriteString("预约号,预约时间,状态,手机,同意\n")
		for i := range rows {
			fmt.Fprintf(&b, "M%05d,2026-11-%02d 09:00,已完成,1380013%04d,同意\n", i, 1+i%28, i)
		}
		return b.String()
	}
	cfg := mainlandConfig()
	cfg.Input.DateOrder = "mdy"
	cfg.Input.Encoding = "utf-8"
	if errs, _, sent := runDates(t, cfg, reorder(base(28), "mdy")); errs[1] != nil || sent[1] != 28 {
		t.Fatalf("the export as configured: %v, %d sent", errs[1], sent[1])
	}
	errs, _, sent := runDates(t, cfg, reorder(base(28), "dmy"))
	for w, err := range errs {
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Key != "input.date_order" || sent[w] != 0 {
			t.Fatalf("workers=%d: %v, %d sent", w, err, sent[w])
		}
		// 13/11/2026 is the first: M00012 on line 14.
		for _, want := range []string{"m.csv:14:8:", `"预约时间"`, "input.columns.appointment_at", "input.date_order (mdy)", "input.encoding utf-8", "nothing was sent"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("workers=%d: %q lacks %q", w, err, want)
			}
		}
	}
	// Dates no format reads: the column changed.
	broken := strings.ReplaceAll(base(28), "2026-11-", "2026.11.")
	broken = strings.ReplaceAll(broken, " 09:00", "T9h")
	errs, _, sent = runDates(t, mainlandConfig(), broken)
	for w, err := range errs {
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Key != "input.columns.appointment_at" || sent[w] != 0 || !strings.Contains(err.Error(), "m.csv:2:8:") ||
			!strings.Contains(err.Error(), "input.encoding (auto)") {
			t.Errorf("workers=%d: %v, %d sent", w, err, sent[w])
		}
	}
	// Two unreadable dates among 28: counted, not a stop.
	few := strings.Replace(strings.Replace(base(28), "2026-11-05 09:00", "2026-13-45 09:00", 1), "2026-11-06 09:00", "tomorrow", 1)
	errs, sums, sent := runDates(t, mainlandConfig(), few)
	if errs[1] != nil || sent[1] != 26 || sums[1].Excluded[ReasonInvalidTime] != 2 {
		t.Errorf("two typos: %v, %d sent, excluded %v", errs[1], sent[1], sums[1].Excluded)
	}
}

// TestRefusedRecordIsCountedAndPlaced: a record over input.max_record_bytes
// is excluded as record_too_large, and the summary says where it began.
func TestRefusedRecordIsCountedAndPlaced(t *testing.T) {
	body := mainland(5, func(int) bool { return false })
	body = strings.Replace(body, "M00002,", "M00002,\""+strings.Repeat("长", 3000)+"\n\",", 1)
	cfg := mainlandConfig()
	cfg.Input.MaxRecordBytes = 4096
	errs, sums, sent := runDates(t, cfg, body)
	for w, err := range errs {
		sum := sums[w]
		if err != nil || sum.Excluded["record_too_large"] != 1 || sent[w] != 4 {
			t.Fatalf("workers=%d: %v, excluded %v, %d sent", w, err, sum.Excluded, sent[w])
		}
		if len(sum.Refused) != 1 || !strings.HasPrefix(sum.Refused[0], "m.csv:4: record larger than input.max_record_bytes") {
			t.Errorf("workers=%d: refused %q", w, sum.Refused)
		}
	}
}

// TestOtherDateColumnsThatNoLongerFitStop: consent_at and booked_at are
// judged like the appointment's column. A consent time re-saved as an
// Excel serial (46296) excluded every row as consent_time_invalid with
// exit 0; a booked_at re-saved day/month under mdy moved the fbc's
// creation time. Each now stops before anything is sent, naming its
// column and where; the export as configured sends all, and a few
// unreadable cells stay row problems.
func TestOtherDateColumnsThatNoLongerFitStop(t *testing.T) {
	body := func(consentAt, booked func(i int) string) string {
		var b strings.Builder
		b.WriteString("预约号,预约时间,状态,手机,同意,同意时间,下单时间\n")
		for i := range 28 {
			fmt.Fprintf(&b, "M%05d,11/%02d/2026 09:00,已完成,1380013%04d,同意,%s,%s\n", i, 1+i%28, i, consentAt(i), booked(i))
		}
		return b.String()
	}
	iso := func(i int) string { return fmt.Sprintf("2026-10-%02d 08:00", 1+i%28) }
	dmy := func(i int) string { return fmt.Sprintf("%02d/10/2026 08:00", 1+i%28) }
	serial := func(i int) string { return fmt.Sprint(46296 + i) }
	cfg := func() *config.Config {
		c := mainlandConfig()
		c.Input.DateOrder = "mdy"
		c.Input.Columns.ConsentAt = "同意时间"
		c.Input.Columns.BookedAt = "下单时间"
		return c
	}
	if errs, _, sent := runDates(t, cfg(), body(iso, iso)); errs[1] != nil || errs[3] != nil || sent[1] != 28 || sent[3] != 28 {
		t.Fatalf("the export as configured: %v, %v sent", errs, sent)
	}
	few := func(i int) string {
		if i == 3 || i == 9 {
			return "46300"
		}
		return iso(i)
	}
	if errs, _, sent := runDates(t, cfg(), body(few, few)); errs[1] != nil || errs[3] != nil || sent[1] != 26 {
		t.Fatalf("two unreadable consent times and booked_at: %v, %v sent", errs, sent)
	}
	// Placeholders (no digit) say nothing of the column's format.
	na := func(i int) string {
		if i%2 == 0 {
			return "N/A"
		}
		return iso(i)
	}
	if errs, _, sent := runDates(t, cfg(), body(na, na)); errs[1] != nil || errs[3] != nil || sent[1] != 14 {
		t.Fatalf("half the consent times N/A: %v, %v sent", errs, sent)
	}
	// Judged over the whole export, two day-first consent dates typed by
	// hand among 400 rows are typos, not a re-saved column: under 1%.
	var big strings.Builder
	big.WriteString("预约号,预约时间,状态,手机,同意,同意时间,下单时间\n")
	for i := range 400 {
		at := iso(i)
		if i == 100 || i == 300 {
			at = "13/10/2026 08:00"
		}
		fmt.Fprintf(&big, "M%05d,11/%02d/2026 09:00,已完成,1380013%04d,同意,%s,%s\n", i, 1+i%28, i, at, iso(i))
	}
	if errs, _, _ := runDates(t, cfg(), big.String()); errs[1] != nil || errs[3] != nil {
		t.Fatalf("two hand-typed day-first consent dates among 400: %v", errs)
	}
	for _, c := range []struct {
		name              string
		consentAt, booked func(int) string
		key, column, at   string
	}{
		{"consent time as Excel serials", serial, iso, "input.columns.consent_at", `"同意时间"`, "m.csv:2:54:"},
		{"booked_at day/month under mdy", iso, dmy, "input.date_order", `"下单时间"`, "m.csv:14:71:"},
		{"booked_at as Excel serials", iso, serial, "input.columns.booked_at", `"下单时间"`, "m.csv:2:71:"},
	} {
		errs, _, sent := runDates(t, cfg(), body(c.consentAt, c.booked))
		for w, err := range errs {
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Key != c.key || sent[w] != 0 {
				t.Errorf("%s, workers=%d: %v, %d sent; want a stop naming %s", c.name, w, err, sent[w], c.key)
				continue
			}
			for _, want := range []string{c.at, c.column, "nothing was sent"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s, workers=%d: %q lacks %q", c.name, w, err, want)
				}
			}
		}
	}
}

// TestOrderIDInScientificNotationStops: an order-id column Excel re-saved
// as 2.02611E+14 (long numbers cut to 15 digits) stops the run before
// anything is sent, naming input.columns.order_id and where, never the
// id: a reviewer's export sent one visit twice under a new id and dropped
// two as duplicates, with exit 0. An id with an E between digits is no
// such number.
func TestOrderIDInScientificNotationStops(t *testing.T) {
	body := func(id func(i int) string) string {
		var b strings.Builder
		b.WriteString("预约号,预约时间,状态,手机,同意\n")
		for i := range 6 {
			fmt.Fprintf(&b, "%s,2026-11-%02d 09:00,已完成,1380013%04d,同意\n", id(i), 1+i, i)
		}
		return b.String()
	}
	errs, _, sent := runDates(t, mainlandConfig(), body(func(int) string { return "2.02611E+14" }))
	for w, err := range errs {
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Key != "input.columns.order_id" || sent[w] != 0 || !strings.Contains(err.Error(), "m.csv:2:1:") ||
			strings.Contains(err.Error(), "2.02611") {
			t.Errorf("workers=%d: %v, %d sent", w, err, sent[w])
		}
	}
	errs, _, sent = runDates(t, mainlandConfig(), body(func(i int) string { return fmt.Sprintf("2024E%03d", i) }))
	if errs[1] != nil || errs[3] != nil || sent[1] != 6 {
		t.Errorf("ids with an E between digits: %v, %v sent", errs, sent)
	}
}

// TestAnUnreadableTimeColumnIsNamed: a form export whose "time spent"
// (所用时间, "125秒") was mapped as the appointment's time stopped naming
// only the date column, which read fine, and called a first run's export
// "re-saved" (a vendors' review). The stop names the time column beside
// the date's, and says what to do on a first run as on a changed export.
func TestAnUnreadableTimeColumnIsNamed(t *testing.T) {
	var b strings.Builder
	b.WriteString("预约号,预约日期,所用时间,状态,手机,同意\n")
	for i := range 28 {
		fmt.Fprintf(&b, "M%05d,2026-11-%02d,%d秒,已完成,1380013%04d,同意\n", i, 1+i%28, 60+i, i)
	}
	cfg := mainlandConfig()
	cfg.Input.Columns.AppointmentAt = ""
	cfg.Input.Columns.AppointmentDate, cfg.Input.Columns.AppointmentTime = "预约日期", "所用时间"
	errs, _, sent := runDates(t, cfg, b.String())
	for w, err := range errs {
		if err == nil || sent[w] != 0 {
			t.Fatalf("workers=%d: %v, %d sent", w, err, sent[w])
		}
		for _, want := range []string{`"预约日期" with its time from "所用时间"`, "new to this config, add it to input.time_formats",
			`and that "所用时间" is the appointment's time`, "nothing was sent"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("workers=%d: %q lacks %q", w, err, want)
			}
		}
		if strings.Contains(err.Error(), "秒") {
			t.Errorf("workers=%d: the stop quotes a cell: %q", w, err)
		}
	}
}

// TestTheDateOrderStopSaysNoLie (a review of time handling): for
// 11/20/2026 the stop said "this date could be month/day or day/month",
// and 20 is no month. hashgate reads numeric dates only by
// input.date_order, whatever their numbers (one above 12 shows the order
// of that date, not of the export's others), and the stop says so.
func TestTheDateOrderStopSaysNoLie(t *testing.T) {
	for _, at := range []string{"11/20/2026 2:30:00 PM", "5/8/2026 2:30:00 PM"} {
		var b strings.Builder
		for i := range 5 {
			fmt.Fprintf(&b, "A%d,%s,completed,a@example.com,,,,,,,yes,\n", i, at)
		}
		err := Run(context.Background(), Options{Config: baseConfig(), Key: "k", Input: strings.NewReader(header + b.String()), InputName: "t.csv", Sink: &capture{}}, report.New("t.csv"))
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Key != "input.date_order" || strings.Contains(err.Error(), "could be month/day or day/month") || !strings.Contains(err.Error(), "only by input.date_order") {
			t.Errorf("%s: %v; want a stop naming input.date_order that says it reads such dates only by it", at, err)
		}
	}
}
