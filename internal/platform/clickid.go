package platform

import (
	"strconv"
	"time"
)

// FieldFBC is Meta's user_data key for its formatted click id, and the
// review CSV's column of it (customer-information-parameters).
const FieldFBC = "fbc"

// FormattedClickID is a click id a platform takes inside a value of its own
// format rather than as it was read: Meta's fbc, built from the fbclid.
type FormattedClickID struct {
	// Column is the input.columns key of the raw click id ("fbclid").
	Column string
	// Field is the name of the platform's field ("fbc"), in review CSVs,
	// drop counts and request bodies.
	Field string
	// Format builds the value from a click id that passed its grammar and
	// the time the click id was first received.
	Format func(clickID string, created time.Time) string
}

// MetaFBC formats Meta's fbc from an fbclid. Meta's "fbp and fbc" page
// (developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc)
// says the value "must be of the form version.subdomainIndex.creationTime.fbclid":
// version is always "fb"; subdomainIndex is 1 when the value is generated
// on a server rather than read from the _fbc cookie; creationTime is "the
// UNIX time since epoch in milliseconds" when the cookie was saved — for a
// server without the cookie, when the fbclid was first observed or
// received; the fbclid is kept exactly ("case sensitive - do not apply any
// modifications"). The customer-information-parameters page lists fbc
// among the fields Meta takes unhashed ("Do not hash"). hashgate has no
// cookie: the fbclid was received when the booking was made (booked_at),
// else at the latest by the appointment, so the earlier known time is the
// creation time.
func MetaFBC(fbclid string, created time.Time) string {
	b := make([]byte, 0, 5+13+1+len(fbclid))
	b = append(b, "fb.1."...)
	b = strconv.AppendInt(b, created.UnixMilli(), 10)
	b = append(b, '.')
	return string(append(b, fbclid...))
}
