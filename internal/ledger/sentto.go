package ledger

import (
	"fmt"
	"strings"

	"github.com/hashgate/hashgate/internal/conversion"
)

// schemaV11 records where within its destination each request went: the
// platform's destinations the request named, in order (Destination.
// SentTo) — for Google its conversion actions, the visits' and, in a
// request that also holds bookings, the bookings' (conversion.bookings).
// A request's processing status is judged against them: read against the
// config of the night it is read, a changed booking_conversion_action_id
// (or visits' action, or bookings turned off) made the status of the
// action the request had named look like another's, and its failures
// were taken as processed ok and never resent (review of bookings over
// many nights). NULL: not recorded (requests of earlier schemas; Meta).
const schemaV11 = `ALTER TABLE requests ADD COLUMN sent_to TEXT;`

// sentToSep joins a request's destinations in sent_to. Google's are
// numeric conversion action ids (config refuses any other).
const sentToSep = ","

// sentToOf is what sent_to records for batch's request to d: nil (SQL
// NULL) when d does not say.
func sentToOf(d Destination, batch []*conversion.Conversion) (any, error) {
	if d.SentTo == nil {
		return nil, nil
	}
	to := d.SentTo(batch)
	if len(to) == 0 {
		return nil, nil
	}
	for _, s := range to {
		if s == "" || strings.Contains(s, sentToSep) {
			return nil, fmt.Errorf("ledger: %q cannot be recorded as a destination of a request to %s", s, d.Key)
		}
	}
	return strings.Join(to, sentToSep), nil
}

// sentToColumn is sent_to as a query reads it: the empty string on a ledger the
// migration tests cut to an earlier schema.
func sentToColumn() string {
	if len(migrations) < 11 {
		return "''"
	}
	return "coalesce(r.sent_to, '')"
}

// splitSentTo reads sent_to back; "" (NULL) is nil.
func splitSentTo(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, sentToSep)
}
