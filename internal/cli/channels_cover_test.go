package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestChannelsOverDaysTheExportLacks plays the review's command: the
// zh-Hant fixture's export starts on 2026-10-20 and the window on
// 2026-08-01. August and September printed 138,279 spent against 0 new
// patients, and the headline CAC was four months' spend over seven weeks'
// patients, unmarked; the only warning said the export started "no
// earlier than the window".
func TestChannelsOverDaysTheExportLacks(t *testing.T) {
	args := []string{"channels", "--config", chPath("zh-tw.yaml"), "--spend", "google=" + chPath("google-ads-excel.csv"),
		"--spend", "meta=" + chPath("meta-daily.csv"), "--from", "2026-08-01", "--to", "2026-11-30", "--as-of", fixtureAsOf, "--period", "month"}
	res := runCLI(t, nil, "", append(args, "--json", chPath("export-zh-tw.csv"))...)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	var rep struct {
		ExportDaysMissing int `json:"export_days_missing"`
		Paid, Total       jsonLine
		Periods           []struct {
			From              string
			ExportDaysMissing int `json:"export_days_missing"`
			Paid, Total       jsonLine
		}
	}
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.ExportDaysMissing != 80 {
		t.Errorf("export_days_missing %d, want 80 (2026-08-01 to 2026-10-19)", rep.ExportDaysMissing)
	}
	for _, k := range []string{"cac", "roas", "cost_per_booking"} {
		if inc, _ := rep.Paid["incomplete"].([]any); rep.Paid[k] != nil && !slices.Contains(inc, any(k)) {
			t.Errorf("the window's paid %s = %v printed, not listed incomplete (%v)", k, rep.Paid[k], inc)
		}
	}
	for _, p := range rep.Periods[:2] {
		nc, _ := p.Total["not_computed"].(map[string]any)
		for _, k := range []string{"bookings", "new_patients", "revenue", "cac", "roas"} {
			if p.Total[k] != nil || nc[k] != "no_export_data" {
				t.Errorf("%s: total %s = %v (%v), want null, no_export_data", p.From, k, p.Total[k], nc[k])
			}
		}
		if p.Total["spend"] == nil {
			t.Errorf("%s: spend withheld; the downloads cover it", p.From)
		}
	}
	if p := rep.Periods[3]; p.ExportDaysMissing != 0 || len(p.Total["incomplete"].([]any)) != 0 {
		t.Errorf("November: %d days missing, incomplete %v", p.ExportDaysMissing, p.Total["incomplete"])
	}
	if !strings.Contains(strings.Join(strings.Fields(res.stderr), " "), "the export covers 2026-10-20 to ") ||
		!strings.Contains(res.stderr, "the window starts 80 day(s) earlier (2026-08-01 to 2026-10-19)") {
		t.Errorf("no warning names the uncovered days:\n%s", res.stderr)
	}

	// The page's headline is no figure over part of the span.
	dir := t.TempDir()
	page := filepath.Join(dir, "x.html")
	res = runCLI(t, nil, "", append(args, "--html", page, chPath("export-zh-tw.csv"))...)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	raw, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	kpis := string(raw)
	kpis = kpis[strings.Index(kpis, `<section class="kpis">`):]
	kpis = kpis[:strings.Index(kpis, "</section>")]
	first := kpis[strings.Index(kpis, `<div class="v">`):]
	first = first[:strings.Index(first, "</div>")]
	// Under the release rule the cost may be withheld ("*") under some
	// keys (each run draws its own): neither is a figure over part of
	// the span. Any digit is.
	if v := strings.TrimPrefix(first, `<div class="v">`); !strings.Contains(v, "不列出") && strings.TrimSpace(v) != "*" {
		t.Errorf("the headline is %q, a figure over part of the span", first)
	}
}

// TestExportStartsOnOneDay: one stderr gave two days for where the export
// starts — "the export starts 2026-08-01" (its first counted appointment,
// for channels.history_days) and "the export covers 2026-07-25 to …" (its
// first dated row, a cancelled booking later rescheduled). Each warning
// now says what it dates.
func TestExportStartsOnOneDay(t *testing.T) {
	res := runCLI(t, nil, "", "channels", "--config", chPath("en.yaml"), "--from", "2026-07-01", "--to", "2026-07-31",
		"--as-of", fixtureAsOf, chPath("export-en.csv"))
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	stderr := strings.Join(strings.Fields(res.stderr), " ")
	for _, want := range []string{"the export covers 2026-07-25 to ", "the first appointment counted in the export is on 2026-08-01, "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("no %q on stderr:\n%s", want, res.stderr)
		}
	}
	if strings.Contains(stderr, "the export starts") {
		t.Errorf("a warning dates the export's start otherwise than by its first dated row:\n%s", res.stderr)
	}
}
