package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// stderrDates and stderrSpendLine are what a released run's stderr may
// carry in digits: the window's dates, and the spend downloads' row counts
// (the platforms' figures, no patient's).
var (
	stderrDates     = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	stderrSpendLine = regexp.MustCompile(`(?m)^hashgate channels: \w+ spend: \d+ rows, \d+ dates outside the window, \d+ total or summary rows skipped$`)
	stderrDigits    = regexp.MustCompile(`\d+`)
)

// releasedStderrDigits are the digit runs of a released run's stderr
// other than dates and the spend downloads' row counts.
func releasedStderrDigits(stderr string) []string {
	return stderrDigits.FindAllString(stderrDates.ReplaceAllString(stderrSpendLine.ReplaceAllString(stderr, ""), ""), -1)
}

// TestChannelsStderrReleasesNoRowCount: a privacy officer's review found
// the released report's Total bookings "<5" beside "70 rows read, 4
// counted" on stderr, "2 without consent" under channels.consented_only,
// and exact counts of visits without a value and rows without booked_at —
// and cron mails stderr with the report. Over every daily window of the
// fixture, a released run's stderr carries no digit but the dates and the
// spend downloads' row counts; the same run with --exact still prints the
// counts, for the clinic's own eyes. The JSON carries none of them.
func TestChannelsStderrReleasesNoRowCount(t *testing.T) {
	env := map[string]string{"HASHGATE_CHANNELS_HISTORY_DAYS": "0"} // its warning counts days, not rows
	sawProblem := false
	for day := 1; day <= 30; day++ {
		d := fmt.Sprintf("2026-11-%02d", day)
		args := []string{"channels", "--config", chPath("en.yaml"), "--from", d, "--to", d, "--as-of", fixtureAsOf,
			"--spend", "google=" + chPath("google-ads.csv"), chPath("export-en.csv")}
		rel := runCLI(t, env, "", args...)
		if rel.code != 0 {
			t.Fatalf("%s: exit %d: %s", d, rel.code, rel.stderr)
		}
		if got := releasedStderrDigits(rel.stderr); len(got) > 0 {
			t.Fatalf("%s: released stderr carries the numbers %v:\n%s", d, got, rel.stderr)
		}
		if !strings.Contains(rel.stderr, "rows outside the window") || !strings.Contains(rel.stderr, "--exact") {
			t.Fatalf("%s: released stderr names no kind of row not counted, or not where the counts are:\n%s", d, rel.stderr)
		}
		exact := runCLI(t, env, "", append([]string{args[0], "--exact"}, args[1:]...)...)
		if exact.code != 0 || !regexp.MustCompile(`\d+ rows read, \d+ counted from `+d).MatchString(exact.stderr) {
			t.Fatalf("%s: --exact no longer prints the row counts (exit %d):\n%s", d, exact.code, exact.stderr)
		}
		if strings.Contains(exact.stderr, "had no readable booked_at") {
			sawProblem = true
			if !regexp.MustCompile(`\d+ rows had no readable booked_at`).MatchString(exact.stderr) ||
				!strings.Contains(rel.stderr, "some rows had no readable booked_at") {
				t.Fatalf("%s: the problem is said with its count under --exact and without it released:\n%s\n%s", d, exact.stderr, rel.stderr)
			}
		}
	}
	if !sawProblem {
		t.Fatal("no daily window had a row without a readable booked_at: the test checks less than it says")
	}
	res := runCLI(t, env, "", "channels", "--json", "--config", chPath("en.yaml"), "--from", "2026-11-03", "--to", "2026-11-03", chPath("export-en.csv"))
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.stdout), &top); err != nil {
		t.Fatal(err)
	}
	// export_days_missing counts days of the window, not rows: the days
	// before the export's first dated row and after its last, which the
	// released stderr names anyway ("the export covers …").
	for k := range top {
		if !slices.Contains([]string{"from", "to", "as_of", "currency", "min_cell", "period", "consented_only", "not_for_sharing",
			"ltv_days", "export_days_missing", "platforms_without_spend", "channels", "paid", "total", "unmatched_sources", "periods", "weaker_than_default",
			"new_patient_warnings"}, k) {
			t.Errorf("the JSON carries %q: a count of the export's rows would leave with the report", k)
		}
	}
}

// TestChannelsStderrNoConsentCount: under channels.consented_only the
// released stderr names the rows without consent, never how many (the
// review: "2 without consent" was the number of patients who said no);
// nor how many visits had no value, nor the line of a repeated header.
func TestChannelsStderrNoConsentCount(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	export := filepath.Join(dir, "e.csv")
	write := func(path, s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(cfg, `timezone: Asia/Taipei
input:
  columns: {order_id: Appointment ID, appointment_at: Appointment Time, status: Status, source: Source, consent: Consent, value: Fee}
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  currency: TWD
  value: actual
channels:
  consented_only: true
  history_days: 0
`)
	write(export, "Appointment ID,Appointment Time,Status,Source,Consent,Fee\n"+
		"A1,2026-11-03 10:00,completed,google,yes,1000\n"+
		"A2,2026-11-03 11:00,completed,google,no,1000\n"+
		"A3,2026-11-03 12:00,completed,google,no,1000\n"+
		"A4,2026-11-03 13:00,completed,google,yes,n/a\n"+
		"Appointment ID,Appointment Time,Status,Source,Consent,Fee\n"+ // exports joined: its line would count the rows above
		"A5,2026-11-02 12:00,completed,google,yes,1000\n")
	args := []string{"channels", "--config", cfg, "--from", "2026-11-03", "--to", "2026-11-03", export}
	rel := runCLI(t, nil, "", args...)
	if rel.code != 0 {
		t.Fatalf("exit %d: %s", rel.code, rel.stderr)
	}
	if got := releasedStderrDigits(rel.stderr); len(got) > 0 || !strings.Contains(rel.stderr, "rows without consent") ||
		!strings.Contains(rel.stderr, "some visits had no readable value") || !strings.Contains(rel.stderr, "the header line repeated below it") {
		t.Fatalf("released stderr: numbers %v, or a kind of row unnamed:\n%s", got, rel.stderr)
	}
	exact := runCLI(t, nil, "", append([]string{args[0], "--exact"}, args[1:]...)...)
	for _, want := range []string{"5 rows read, 2 counted", "2 without consent", "1 visits had no readable value", "repeated 1 time(s) below it, first on line 6"} {
		if !strings.Contains(exact.stderr, want) {
			t.Errorf("--exact stderr lacks %q:\n%s", want, exact.stderr)
		}
	}
}
