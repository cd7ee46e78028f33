package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/report"
)

// bookingNow is the night of the run in these tests: 2026-11-10 23:00 in
// Taipei.
var bookingNow = time.Date(2026, 11, 10, 15, 0, 0, 0, time.UTC)

func bookingConfig() *config.Config {
	c := baseConfig()
	c.Input.Columns = config.Columns{
		OrderID: []string{"id"}, AppointmentAt: "at", Status: "status", Email: []string{"email"},
		Consent: "consent", ConsentAt: "consent_at", GCLID: "gclid", BookedAt: "booked",
	}
	c.Conversion.Statuses = []string{"completed"}
	c.Destinations.Google.Identifiers = nil // Google's default: click ids only
	c.Destinations.Meta.Identifiers = []string{"email"}
	c.Conversion.Bookings = config.Bookings{Enabled: true, EventName: config.DefaultBookingEventName}
	return c
}

const bookingHeader = "id,at,status,email,consent,consent_at,gclid,booked\n"

// A gclid that passes the click-id grammar (plaintext's real ids).
const bookingGCLID = "Cj0KCQiA_NC9BhCkARIsABSnSTYk6_HxWq3PqR0m2Vd9LsEJtB4nFgZcK8uYo1aIh7TbX5rW2eQjMzNvUyDcOpLfAaQ"

func runBookings(t *testing.T, cfg *config.Config, header, body string, workers int) (*capture, *report.Summary) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &capture{}
	sum := report.New("t.csv")
	err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv",
		Sink: sink, Now: bookingNow, Workers: workers}, sum)
	if err != nil {
		t.Fatal(err)
	}
	if sum.RowsRead != sum.RowsUsed+sum.ExcludedTotal() {
		t.Fatalf("accounting: read %d != used %d + excluded %d", sum.RowsRead, sum.RowsUsed, sum.ExcludedTotal())
	}
	return sink, sum
}

// sent lists what a run sent as "platform kind event_id time", sorted.
func sent(c *capture) []string {
	var out []string
	for _, cv := range c.got {
		kind := "visit"
		if cv.Booking {
			kind = "booking:" + cv.Name
		}
		out = append(out, fmt.Sprintf("%s %s %s %s", cv.Platform, kind, cv.EventID, cv.Time.UTC().Format(time.RFC3339)))
	}
	slices.Sort(out)
	return out
}

// TestBookingIDsSurviveResaveAndReorder (metamorphic): the export re-saved
// with booked_at and the appointment times written another way (ROC
// dates, 上午/下午), its rows reordered and its columns moved, sends the
// same bookings — ids and times — and the same visits; so does the run on
// one core and on four.
func TestBookingIDsSurviveResaveAndReorder(t *testing.T) {
	rows := [][]string{
		{"B1", "2026-11-02 09:00", "completed", "a@example.com", "yes", "", bookingGCLID, "2026-10-20 14:30"},
		{"B2", "2026-11-20 10:00", "", "b@example.com", "yes", "", "", "2026-11-09 09:05"},
		{"B3", "2026-11-03 11:00", "cancelled", "c@example.com", "yes", "", "", "2026-10-21 20:00"},
		{"B4", "2026-11-04 15:30", "completed", "d@example.com", "yes", "", "", ""},
	}
	resaved := [][]string{
		{"B4", "115/11/04 下午 03:30", "completed", "d@example.com", "yes", "", "", ""},
		{"B3", "115/11/03 上午 11:00", "cancelled", "c@example.com", "yes", "", "", "115/10/21 下午 08:00"},
		{"B1", "115/11/02 上午 09:00", "completed", "a@example.com", "yes", "", bookingGCLID, "115/10/20 下午 02:30"},
		{"B2", "115/11/20 上午 10:00", "", "b@example.com", "yes", "", "", "115/11/09 上午 09:05"},
	}
	base, sum := runBookings(t, bookingConfig(), bookingHeader, csvRows(rows, []int{0, 1, 2, 3, 4, 5, 6, 7}), 1)
	want := sent(base)
	bookings := 0
	for _, s := range want {
		if strings.Contains(s, "booking:Schedule") {
			bookings++
		}
	}
	// B1–B4 booked in the past: 4 Meta bookings, and B1's to Google (the
	// only gclid); visits: B1 to both, B4 to Meta (B2 is to come, B3
	// cancelled).
	if bookings != 5 || len(want) != 8 || sum.Bookings == nil || sum.Bookings.Conversions["meta"] != 4 || sum.Bookings.Conversions["google"] != 1 {
		t.Fatalf("sent %d (bookings %d):\n%s\nbookings %+v", len(want), bookings, strings.Join(want, "\n"), sum.Bookings)
	}
	cfg := bookingConfig()
	cfg.Input.Calendar = "roc"
	for _, workers := range []int{1, 4} {
		got, _ := runBookings(t, cfg, "booked,gclid,consent_at,consent,email,status,at,id\n", csvRows(resaved, []int{7, 6, 5, 4, 3, 2, 1, 0}), workers)
		if g := sent(got); !slices.Equal(g, want) {
			t.Errorf("workers %d: re-saved export sends\n%s\nwant\n%s", workers, strings.Join(g, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestABookingIsNeverItsVisit: the same row's booking and visit carry
// different ids, names and times, and the booking no value.
func TestABookingIsNeverItsVisit(t *testing.T) {
	cfg := bookingConfig()
	cfg.Conversion.Value, cfg.Conversion.FixedValue, cfg.Conversion.Currency = config.ValueFixed, 1000, "TWD"
	c, _ := runBookings(t, cfg, bookingHeader, "B1,2026-11-02 09:00,completed,a@example.com,yes,,"+bookingGCLID+",2026-10-20 14:30\n", 1)
	var visit, booking = map[identifier.Platform]bool{}, map[identifier.Platform]bool{}
	ids := map[string]bool{}
	for _, cv := range c.got {
		ids[string(cv.EventID)] = true
		if cv.Booking {
			booking[cv.Platform] = true
			if cv.HasValue || cv.Name != "Schedule" || !cv.Time.Equal(time.Date(2026, 10, 20, 6, 30, 0, 0, time.UTC)) {
				t.Errorf("booking %+v", cv)
			}
			continue
		}
		visit[cv.Platform] = true
		if !cv.HasValue || cv.Name != "Purchase" {
			t.Errorf("visit %+v", cv)
		}
	}
	if len(ids) != 2 || len(visit) != 2 || len(booking) != 2 {
		t.Fatalf("ids %v, visits %v, bookings %v", ids, visit, booking)
	}
}

// TestACancelledVisitStillSendsItsBooking: the status decides the visit,
// never the booking; the row is counted as the visit's exclusion.
func TestACancelledVisitStillSendsItsBooking(t *testing.T) {
	c, sum := runBookings(t, bookingConfig(), bookingHeader, "B1,2026-11-03 11:00,cancelled,a@example.com,yes,,,2026-10-21 20:00\n", 1)
	if s := sent(c); len(s) != 1 || !strings.Contains(s[0], "meta booking:Schedule") {
		t.Fatalf("sent %v", s)
	}
	if sum.Excluded[ReasonNotConverted] != 1 || sum.Bookings.Conversions["meta"] != 1 || sum.Conversions["meta"] != 1 {
		t.Errorf("excluded %v, bookings %+v, conversions %v", sum.Excluded, sum.Bookings, sum.Conversions)
	}
	// The row is among the excluded and its booking among the sent: the
	// summary says both of one row (it said "excluded" only).
	var text strings.Builder
	sum.WriteText(&text)
	if sum.Bookings.VisitExcluded != 1 || !strings.Contains(text.String(), "1 of the rows excluded above have their booking among the conversions") {
		t.Errorf("visit excluded, booking sent: %d\n%s", sum.Bookings.VisitExcluded, text.String())
	}
	if sum.Bookings.Skipped["google"][ReasonNoClickID] != 1 {
		t.Errorf("google: click ids only, the booking has none: %+v", sum.Bookings.Skipped)
	}
}

// TestABookingWithoutBookedAtWaitsForItsAppointment: dated by the
// appointment, a booking is not sent, and not counted as sent or
// excluded, before that time; once it has passed it goes, whatever the
// status.
func TestABookingWithoutBookedAtWaitsForItsAppointment(t *testing.T) {
	body := "B1,2026-11-20 10:00,,a@example.com,yes,,,\n" + // to come
		"B2,2026-11-09 10:00,no-show,b@example.com,yes,,,\n" + // passed, missed
		"B3,2026-11-12 10:00,,c@example.com,yes,,,2026-12-01 10:00\n" // booked "after" the visit: read as the appointment
	c, sum := runBookings(t, bookingConfig(), bookingHeader, body, 1)
	s := sent(c)
	if len(s) != 1 || !strings.Contains(s[0], "booking:Schedule") || !strings.HasSuffix(s[0], "2026-11-09T02:00:00Z") {
		t.Fatalf("sent %v", s)
	}
	if sum.Bookings.Waiting != 2 || len(sum.Bookings.Excluded) != 0 {
		t.Errorf("bookings %+v", sum.Bookings)
	}
}

// TestBookingConsentIsJudgedAtTheBookingTime: a consent recorded after
// the booking but before the visit covers the visit, not the booking; a
// refusing consent value excludes both.
func TestBookingConsentIsJudgedAtTheBookingTime(t *testing.T) {
	body := "B1,2026-11-02 09:00,completed,a@example.com,yes,2026-10-25T10:00:00+08:00,,2026-10-20 14:30\n" +
		"B2,2026-11-02 09:00,completed,b@example.com,no,,,2026-10-20 14:30\n"
	c, sum := runBookings(t, bookingConfig(), bookingHeader, body, 1)
	s := sent(c)
	if len(s) != 1 || !strings.Contains(s[0], "meta visit") {
		t.Fatalf("sent %v", s)
	}
	if sum.Bookings.Excluded["consent_after_event"] != 1 || sum.Excluded["consent_denied"] != 1 || len(sum.Bookings.Conversions) != 0 {
		t.Errorf("bookings %+v, excluded %v", sum.Bookings, sum.Excluded)
	}
}

// TestABookingIsSentOncePerOrder: a rescheduled appointment exported as
// two rows of one order is one booking.
func TestABookingIsSentOncePerOrder(t *testing.T) {
	body := "B1,2026-11-02 09:00,rescheduled,a@example.com,yes,,,2026-10-20 14:30\n" +
		"B1,2026-11-05 09:00,completed,a@example.com,yes,,,2026-10-20 14:30\n"
	c, sum := runBookings(t, bookingConfig(), bookingHeader, body, 1)
	n := 0
	for _, cv := range c.got {
		if cv.Booking {
			n++
		}
	}
	if n != 1 || sum.Bookings.Excluded[ReasonDuplicate] != 1 {
		t.Errorf("%d bookings sent, %+v", n, sum.Bookings)
	}
}

// TestBookingsOffChangeNothing: without conversion.bookings nothing of
// them is made or said.
func TestBookingsOffChangeNothing(t *testing.T) {
	cfg := bookingConfig()
	cfg.Conversion.Bookings.Enabled = false
	c, sum := runBookings(t, cfg, bookingHeader, "B1,2026-11-03 11:00,cancelled,a@example.com,yes,,,2026-10-21 20:00\n", 1)
	if len(c.got) != 0 || sum.Bookings != nil {
		t.Errorf("sent %v, bookings %+v", sent(c), sum.Bookings)
	}
}

// TestABookingIsWithdrawnWithItsOrder: a later row of the same order that
// revokes consent withdraws the earlier row — its visit and its booking
// (the strictest consent of an order wins); an order another row does not
// refuse keeps its booking.
func TestABookingIsWithdrawnWithItsOrder(t *testing.T) {
	body := "B1,2026-11-02 09:00,completed,a@example.com,yes,,,2026-10-20 14:30\n" +
		"B2,2026-11-03 09:00,completed,b@example.com,yes,,,2026-10-21 14:30\n" +
		"B1,2026-11-02 09:00,completed,a@example.com,revoked,,,2026-10-20 14:30\n"
	c, sum := runBookings(t, bookingConfig(), bookingHeader, body, 1)
	for _, cv := range c.got {
		if cv.Line == 2 || cv.Line == 4 {
			t.Errorf("line %d sent (booking %v) though its order was refused", cv.Line, cv.Booking)
		}
	}
	if sum.Bookings.Conversions["meta"] != 1 || len(sent(c)) != 2 {
		t.Errorf("sent %v, bookings %+v", sent(c), sum.Bookings)
	}
}

// TestCompositeBookingIDsSurviveADateResave (metamorphic): with no
// appointment number (order id = chart number + visit date + time), an
// export re-saved with ROC dates and 上午/下午 times keeps every booking's
// id, as it keeps the visits' (the key takes the time read, not the cells).
func TestCompositeBookingIDsSurviveADateResave(t *testing.T) {
	cfg := bookingConfig()
	cfg.Input.Calendar = "roc"
	cols := &cfg.Input.Columns
	cols.OrderID, cols.AppointmentAt, cols.AppointmentDate, cols.AppointmentTime = []string{"chart", "date", "time"}, "", "date", "time"
	header := "chart,date,time,status,email,consent,consent_at,gclid,booked\n"
	iso := "C7,2026-11-02,09:00,completed,a@example.com,yes,,,2026-10-20 14:30\n" +
		"C8,2026-11-03,15:30,cancelled,b@example.com,yes,,,2026-10-21 10:00\n"
	roc := "C8,115/11/03,下午 03:30,cancelled,b@example.com,yes,,,115/10/21 上午 10:00\n" +
		"C7,115/11/02,上午 09:00,completed,a@example.com,yes,,,115/10/20 下午 02:30\n"
	a, _ := runBookings(t, cfg, header, iso, 1)
	b, _ := runBookings(t, cfg, header, roc, 1)
	if x, y := sent(a), sent(b); len(x) != 3 || !slices.Equal(x, y) {
		t.Errorf("ISO export sends\n%s\nthe ROC re-save\n%s", strings.Join(x, "\n"), strings.Join(y, "\n"))
	}
}

// csvRows writes rows as CSV lines with their columns in order (a column
// index per output column): the metamorphic tests' re-saved and reordered
// exports. The cells hold no comma or quote.
func csvRows(rs [][]string, order []int) string {
	var b strings.Builder
	for _, r := range rs {
		for i, j := range order {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(r[j])
		}
		b.WriteByte('\n')
	}
	return b.String()
}
