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

// TestFewYearlessDatesExcludeTheirRows: 8 rows of 2,000 carry 5月27日 —
// cancellations and non-consented rows — and the run goes on, counting
// them by reason; today's main stopped the whole run for
// input.default_year.
func TestFewYearlessDatesExcludeTheirRows(t *testing.T) {
	body := mainland(2000, func(i int) bool { return i%500 == 7 || i%500 == 8 })
	errs, sums, sent := runDates(t, mainlandConfig(), body)
	for w, err := range errs {
		if err != nil {
			t.Fatalf("workers=%d: %v", w, err)
		}
		sum := sums[w]
		// Non-consented rows are excluded before their date is read;
		// consented cancellations reach the date and need the year.
		if sum.Excluded[ReasonYearNeeded] != 4 || sum.Excluded["consent_denied"] != 4 || sent[w] != 1992 {
			t.Errorf("workers=%d: excluded %v, %d sent; want 4 %s, 4 consent_denied, 1992 sent", w, sum.Excluded, sent[w], ReasonYearNeeded)
		}
		var text strings.Builder
		if err := sum.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text.String(), "input.default_year") {
			t.Errorf("the summary does not name the key that reads them:\n%s", text.String())
		}
	}
}

// TestSystemicYearlessDatesStopBeforeSending: when most dated rows need the
// setting, the config does not fit the export: the run stops naming the
// key and where, and nothing reached the sink — also past the first
// batch's worth of rows.
func TestSystemicYearlessDatesStopBeforeSending(t *testing.T) {
	for _, rows := range []int{40, 5000} {
		body := mainland(rows, func(i int) bool { return i%3 != 0 })
		errs, _, sent := runDates(t, mainlandConfig(), body)
		for w, err := range errs {
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Key != "input.default_year" || !strings.Contains(err.Error(), "m.csv:4:8:") {
				t.Errorf("rows=%d workers=%d: got %v, want a config.Error for input.default_year at m.csv:4:8", rows, w, err)
			}
			if sent[w] != 0 {
				t.Errorf("rows=%d workers=%d: %d conversions reached the sink before the stop", rows, w, sent[w])
			}
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
		if err != nil || sums[w].Excluded[ReasonYearNeeded] != 0 {
			t.Errorf("workers=%d: %v, excluded %v", w, err, sums[w].Excluded)
		}
	}
	cfg.Input.MaxUnreadableDateShare = 1
	errs, sums, _ = runDates(t, cfg, mainland(10, func(i int) bool { return i < 8 }))
	for w, err := range errs {
		if err != nil || sums[w].Excluded[ReasonYearNeeded] != 4 {
			t.Errorf("share 1, workers=%d: %v, excluded %v", w, err, sums[w].Excluded)
		}
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
