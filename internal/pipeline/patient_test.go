package pipeline

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/report"
)

// patientNow is the run's clock in these tests: 2026-11-10 23:00 in Taipei.
var patientNow = time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)

func patientConfig() *config.Config {
	c := baseConfig()
	c.Input.Columns = config.Columns{
		OrderID: []string{"id"}, AppointmentAt: "at", Status: "status", Email: []string{"email"},
		Consent: "consent", BirthDate: "dob", ConsentExpiresAt: "expires",
	}
	c.Destinations.Google.Enabled = false
	c.Destinations.Meta.Identifiers = []string{"email"}
	return c
}

const patientHeader = "id,at,status,email,consent,dob,expires\n"

func runPatients(t *testing.T, cfg *config.Config, header, body string, workers int) (*capture, *report.Summary, error) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &capture{}
	sum := report.New("t.csv")
	err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv",
		Sink: sink, Now: patientNow, Workers: workers}, sum)
	if err == nil && sum.RowsRead != sum.RowsUsed+sum.ExcludedTotal() {
		t.Fatalf("accounting: read %d != used %d + excluded %d", sum.RowsRead, sum.RowsUsed, sum.ExcludedTotal())
	}
	return sink, sum, err
}

// ids lists the event ids a run sent, sorted.
func ids(c *capture) []string {
	var out []string
	for _, cv := range c.got {
		out = append(out, string(cv.EventID)+" "+cv.Time.UTC().Format(time.RFC3339))
	}
	slices.Sort(out)
	return out
}

// TestAMinorIsExcludedAndCounted: with input.columns.birth_date mapped, a
// patient under 18 (consent.min_age's default) on the appointment's day
// is excluded as minor and counted; an adult is sent; a patient whose
// eighteenth birthday is the visit's day is an adult; the day before, a
// minor. ROC birth dates read as the export's other dates do.
func TestAMinorIsExcludedAndCounted(t *testing.T) {
	body := "" +
		"A1,2026-11-02 09:00,completed,a@example.com,yes,1990-05-08,\n" + // adult
		"A2,2026-11-02 09:00,completed,b@example.com,yes,2015-05-08,\n" + // a child
		"A3,2026-11-02 09:00,completed,c@example.com,yes,2008-11-02,\n" + // 18 on the visit's day
		"A4,2026-11-02 09:00,completed,d@example.com,yes,2008-11-03,\n" + // 18 the day after
		"A5,2026-11-02 09:00,completed,e@example.com,yes,民國97年11月03日,\n" + // ROC: 2008-11-03
		"A6,2026-11-02 09:00,completed,f@example.com,yes,079/05/08,\n" + // ROC: 1990-05-08
		"A7,2026-11-02 09:00,completed,g@example.com,yes,0971102,\n" + // ROC compact: 2008-11-02
		"A8,2026-11-02 09:00,completed,h@example.com,yes,,\n" + // blank: unknown age, not required
		"A9,2026-11-02 09:00,completed,i@example.com,yes,not a date,\n" + // unreadable
		"A10,2026-11-02 09:00,completed,j@example.com,yes,2027-01-01,\n" // born after the visit
	for _, workers := range []int{1, 4} {
		c, sum, err := runPatients(t, patientConfig(), patientHeader, body, workers)
		if err != nil {
			t.Fatal(err)
		}
		var lines []int
		for _, cv := range c.got {
			lines = append(lines, cv.Line)
		}
		slices.Sort(lines)
		if want := []int{2, 4, 7, 8, 9}; !slices.Equal(lines, want) {
			t.Errorf("workers %d: sent lines %v, want %v", workers, lines, want)
		}
		want := map[string]int{consent.ReasonMinor: 3, consent.ReasonBirthDateInvalid: 2}
		for reason, n := range want {
			if sum.Excluded[reason] != n {
				t.Errorf("workers %d: excluded %v, want %s %d", workers, sum.Excluded, reason, n)
			}
		}
	}
}

// TestTwoDigitROCBirthYearsNeedTheROCCalendar: "77/11/28" is 1988 only
// under input.calendar: roc; otherwise a two-digit year is 20yy, a birth
// after the visit: birth_date_invalid, never guessed as 19yy.
func TestTwoDigitROCBirthYearsNeedTheROCCalendar(t *testing.T) {
	body := "A1,2026-11-02 09:00,completed,a@example.com,yes,77/11/28,\n"
	cfg := patientConfig()
	cfg.Input.DateOrder = "ymd"
	_, sum, err := runPatients(t, cfg, patientHeader, body, 1)
	if err != nil || sum.Excluded[consent.ReasonBirthDateInvalid] != 1 {
		t.Fatalf("gregorian: err %v, excluded %v", err, sum.Excluded)
	}
	cfg.Input.Calendar = "roc"
	_, sum, err = runPatients(t, cfg, patientHeader, body, 1)
	if err != nil || sum.RowsUsed != 1 {
		t.Fatalf("roc: err %v, used %d, excluded %v", err, sum.RowsUsed, sum.Excluded)
	}
}

// TestRequireBirthDateExcludesTheBlank: consent.require_birth_date makes
// a blank birth date birth_date_missing.
func TestRequireBirthDateExcludesTheBlank(t *testing.T) {
	cfg := patientConfig()
	cfg.Consent.RequireBirthDate = true
	_, sum, err := runPatients(t, cfg, patientHeader, "A1,2026-11-02 09:00,completed,a@example.com,yes,,\n", 1)
	if err != nil || sum.Excluded[consent.ReasonBirthDateMissing] != 1 {
		t.Fatalf("err %v, excluded %v", err, sum.Excluded)
	}
}

// TestAMinorsBookingIsNotSent: the booking is judged by the same policy
// at its own time.
func TestAMinorsBookingIsNotSent(t *testing.T) {
	cfg := bookingConfig()
	cfg.Input.Columns.BirthDate = "dob"
	body := "B1,2026-11-02 09:00,scheduled,a@example.com,yes,,,2026-10-20 14:30,2015-01-01\n"
	c, sum := runBookings(t, cfg, "id,at,status,email,consent,consent_at,gclid,booked,dob\n", body, 1)
	if len(c.got) != 0 || sum.Bookings.Excluded[consent.ReasonMinor] != 1 {
		t.Fatalf("sent %v, bookings %+v", sent(c), sum.Bookings)
	}
}

// TestAnExpiredConsentIsNotSent: a consent that expired before the visit,
// or after it and before the run's clock (the moment of sending), is
// consent_expired; one that expires after the send is sent.
func TestAnExpiredConsentIsNotSent(t *testing.T) {
	body := "" +
		"E1,2026-11-02 09:00,completed,a@example.com,yes,,2027-01-01\n" + // holds
		"E2,2026-11-02 09:00,completed,b@example.com,yes,,2026-10-01\n" + // expired before the visit
		"E3,2026-11-02 09:00,completed,c@example.com,yes,,2026-11-05\n" + // expired before the send
		"E4,2026-11-02 09:00,completed,d@example.com,yes,,2026-11-11\n" + // the send is 10 November, 23:00
		"E5,2026-11-02 09:00,completed,e@example.com,yes,,someday\n" // unreadable
	c, sum, err := runPatients(t, patientConfig(), patientHeader, body, 1)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, cv := range c.got {
		lines = append(lines, cv.Line)
	}
	if !slices.Equal(lines, []int{2, 5}) || sum.Excluded[consent.ReasonExpired] != 2 || sum.Excluded[consent.ReasonExpiryInvalid] != 1 {
		t.Fatalf("sent lines %v, excluded %v", lines, sum.Excluded)
	}
	// The same export a week later: E4's consent has expired since.
	cfg := patientConfig()
	sink := &capture{}
	sum = report.New("t.csv")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(patientHeader + body), InputName: "t.csv",
		Sink: sink, Now: patientNow.AddDate(0, 0, 7), Workers: 1}, sum); err != nil {
		t.Fatal(err)
	}
	if len(sink.got) != 1 || sink.got[0].Line != 2 || sum.Excluded[consent.ReasonExpired] != 3 {
		t.Fatalf("a week later: sent %d, excluded %v", len(sink.got), sum.Excluded)
	}
}

// TestRewritingTheBirthDatesChangesNothingSent: reordering the rows or
// the columns, or writing the birth dates in ROC rather than ISO, sends
// the same events.
func TestRewritingTheBirthDatesChangesNothingSent(t *testing.T) {
	iso := []string{
		"A1,2026-11-02 09:00,completed,a@example.com,yes,1990-05-08,",
		"A2,2026-11-02 10:00,completed,b@example.com,yes,2015-05-08,",
		"A3,2026-11-02 11:00,completed,c@example.com,yes,2008-11-02,",
		"A4,2026-11-02 12:00,completed,d@example.com,yes,2008-11-03,",
		"A5,2026-11-02 13:00,completed,e@example.com,yes,,",
	}
	roc := []string{
		"A1,2026-11-02 09:00,completed,a@example.com,yes,079/05/08,",
		"A2,2026-11-02 10:00,completed,b@example.com,yes,民國104年5月8日,",
		"A3,2026-11-02 11:00,completed,c@example.com,yes,0971102,",
		"A4,2026-11-02 12:00,completed,d@example.com,yes,097/11/03,",
		"A5,2026-11-02 13:00,completed,e@example.com,yes,,",
	}
	base, _, err := runPatients(t, patientConfig(), patientHeader, strings.Join(iso, "\n")+"\n", 1)
	if err != nil {
		t.Fatal(err)
	}
	want := ids(base)
	if len(want) != 3 {
		t.Fatalf("sent %v", want)
	}
	reversed := slices.Clone(roc)
	slices.Reverse(reversed)
	// The columns reordered: dob first, email last.
	var moved []string
	for _, l := range iso {
		f := strings.Split(l, ",")
		moved = append(moved, strings.Join([]string{f[5], f[6], f[0], f[1], f[2], f[4], f[3]}, ","))
	}
	for name, in := range map[string]struct{ header, body string }{
		"roc":     {patientHeader, strings.Join(roc, "\n") + "\n"},
		"reverse": {patientHeader, strings.Join(reversed, "\n") + "\n"},
		"columns": {"dob,expires,id,at,status,consent,email\n", strings.Join(moved, "\n") + "\n"},
	} {
		c, _, err := runPatients(t, patientConfig(), in.header, in.body, 4)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(c); !slices.Equal(got, want) {
			t.Errorf("%s: sent %v, want %v", name, got, want)
		}
	}
}

// TestAReSavedBirthDateColumnStopsTheRun: birth dates that read only by
// input.date_order (unset) are birth_date_invalid; when they are the
// column's rule rather than a typo, the run stops before anything is
// sent, naming input.date_order, as the other date columns do.
func TestAReSavedBirthDateColumnStopsTheRun(t *testing.T) {
	one := "A1,2026-11-02 09:00,completed,a@example.com,yes,05/08/1990,\n" +
		"A2,2026-11-02 09:00,completed,b@example.com,yes,1990-05-08,\n"
	_, sum, err := runPatients(t, patientConfig(), patientHeader, one, 1)
	if err != nil || sum.Excluded[consent.ReasonBirthDateInvalid] != 1 || sum.RowsUsed != 1 {
		t.Fatalf("one: err %v, excluded %v", err, sum.Excluded)
	}
	var many strings.Builder
	for _, id := range []string{"A1", "A2", "A3", "A4"} {
		many.WriteString(id + ",2026-11-02 09:00,completed,a@example.com,yes,05/08/1990,\n")
	}
	c, _, err := runPatients(t, patientConfig(), patientHeader, many.String(), 1)
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Key != "input.date_order" || !strings.Contains(ce.Problem, "input.columns.birth_date") || len(c.got) != 0 {
		t.Fatalf("many: err %v, sent %d", err, len(c.got))
	}
	if strings.Contains(err.Error(), "1990") {
		t.Errorf("the error holds a birth date: %v", err)
	}
}

// TestABirthDateIsNeverGivenAYear: input.default_year completes the
// export's year-less appointment dates, never a birth date: "5月8日" is
// birth_date_invalid, not a birth in the default year.
func TestABirthDateIsNeverGivenAYear(t *testing.T) {
	cfg := patientConfig()
	cfg.Input.DefaultYear = 2026
	_, sum, err := runPatients(t, cfg, patientHeader, "A1,2026-11-02 09:00,completed,a@example.com,yes,5月8日,\n", 1)
	if err != nil || sum.Excluded[consent.ReasonBirthDateInvalid] != 1 {
		t.Fatalf("err %v, excluded %v", err, sum.Excluded)
	}
}

// TestABirthDateWrittenAsAnInstantIsTheClinicsDate: a birth date a
// system wrote as local midnight in UTC (2008-11-02T16:00:00Z is 3
// November in Taipei) is the clinic's date, not the UTC one: the visit
// of 2 November 2026 is a minor's, the day before the eighteenth birthday.
func TestABirthDateWrittenAsAnInstantIsTheClinicsDate(t *testing.T) {
	body := "A1,2026-11-02 09:00,completed,a@example.com,yes,2008-11-02T16:00:00Z,\n" +
		"A2,2026-11-03 09:00,completed,b@example.com,yes,2008-11-02T16:00:00Z,\n"
	c, sum, err := runPatients(t, patientConfig(), patientHeader, body, 1)
	if err != nil || sum.Excluded[consent.ReasonMinor] != 1 || len(c.got) != 1 || c.got[0].Line != 3 {
		t.Fatalf("err %v, excluded %v, sent %d", err, sum.Excluded, len(c.got))
	}
}

// TestTwoDigitBirthYearsStopTheRun: an export whose birth dates have
// two-digit years (05/01/85, read as 2085) excluded nearly every adult
// one by one as birth_date_invalid, exit 0. Over the column's share they
// stop the run before anything is sent, naming the column's key and no
// date; one such row among many is excluded and counted, as before.
func TestTwoDigitBirthYearsStopTheRun(t *testing.T) {
	cfg := patientConfig()
	cfg.Input.DateOrder = "mdy"
	var many strings.Builder
	for _, id := range []string{"A1", "A2", "A3", "A4"} {
		many.WriteString(id + ",2026-11-02 09:00,completed,a@example.com,yes,05/01/85,\n")
	}
	c, _, err := runPatients(t, cfg, patientHeader, many.String(), 1)
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Key != "input.columns.birth_date" || !strings.Contains(ce.Problem, "two-digit year") || len(c.got) != 0 {
		t.Fatalf("err %v, sent %d", err, len(c.got))
	}
	if strings.Contains(err.Error(), "85") || strings.Contains(err.Error(), "05/01") {
		t.Errorf("the error holds a birth date: %v", err)
	}
	one := "A1,2026-11-02 09:00,completed,a@example.com,yes,05/01/85,\n"
	for _, id := range []string{"A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10", "A11", "A12", "A13", "A14", "A15", "A16", "A17", "A18", "A19", "A20", "A21"} {
		one += id + ",2026-11-02 09:00,completed,a@example.com,yes,05/01/1985,\n"
	}
	_, sum, err := runPatients(t, cfg, patientHeader, one, 1)
	if err != nil || sum.Excluded[consent.ReasonBirthDateInvalid] != 1 {
		t.Fatalf("one: err %v, excluded %v", err, sum.Excluded)
	}
}
