package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Bookings counts conversion.bookings apart from the rows' visits: the
// bookings sent per platform (also in Summary.Conversions, since they
// travel in the same requests), those waiting for their appointment
// (no booked_at: dated by an appointment still to come), and those not
// sent, by reason. A row excluded before its booking was judged (a
// refusing consent value, the revocations list, an unreadable
// appointment time) is counted once, under the row's excluded reasons.
type Bookings struct {
	Conversions map[string]int `json:"conversions"`
	Waiting     int            `json:"waiting_for_appointment"`
	Excluded    map[string]int `json:"excluded"`
	// VisitExcluded counts rows excluded as visits (a no-show, a
	// cancellation, a status not converted) whose booking was sent: the
	// row is among the excluded, its booking among the conversions.
	VisitExcluded int `json:"visit_excluded_booking_sent"`
	// Skipped counts bookings sent to some platform but not this one.
	Skipped map[string]map[string]int `json:"not_sent_to"`
}

// BookingCounts returns the run's booking counts, made on first use.
func (s *Summary) BookingCounts() *Bookings {
	if s.Bookings == nil {
		s.Bookings = &Bookings{Conversions: map[string]int{}, Excluded: map[string]int{}, Skipped: map[string]map[string]int{}}
	}
	return s.Bookings
}

// Skip counts a booking sent elsewhere but not to platform.
func (b *Bookings) Skip(platform, reason string) { countSkip(b.Skipped, platform, reason) }

// writeText appends the bookings' lines of the summary.
func (b *Bookings) writeText(sb *strings.Builder) {
	if b == nil {
		return
	}
	var conv []string
	for _, p := range slices.Sorted(maps.Keys(b.Conversions)) {
		conv = append(conv, fmt.Sprintf("%s %d", p, b.Conversions[p]))
	}
	if len(conv) == 0 {
		conv = append(conv, "none")
	}
	fmt.Fprintf(sb, "  bookings (conversion.bookings, within the conversions above): %s\n", strings.Join(conv, ", "))
	if b.VisitExcluded > 0 {
		fmt.Fprintf(sb, "    %d of the rows excluded above have their booking among the conversions (a booking stands whatever became of the visit)\n", b.VisitExcluded)
	}
	if b.Waiting > 0 {
		fmt.Fprintf(sb, "    %d waiting for their appointment to pass (no booked_at before it): sent once it has, unless an earlier night sent it\n", b.Waiting)
	}
	section(sb, "bookings not sent", b.Excluded)
	for _, p := range slices.Sorted(maps.Keys(b.Skipped)) {
		section(sb, "bookings not sent to "+p, b.Skipped[p])
	}
}
