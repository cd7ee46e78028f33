// Package conversion holds the hashed offline conversion: what one consented,
// converted appointment becomes for one platform. It carries no raw personal
// data: identifiers are identifier.Sent values, the order id is replaced by
// a keyed event id, and the source line is kept only to report problems.
package conversion

import (
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Conversion is one event for one platform.
type Conversion struct {
	Platform identifier.Platform
	EventID  eventid.ID
	// LegacyID is the id the same row had under the derivation of hashgate
	// before event ids were made from the parsed appointment time
	// (export.Row.Key rather than OrderKey), when it differs: a platform
	// that accepted the event then holds that id. The ledger filter looks
	// both up (dual lookup) and sends an event the platform holds under
	// its legacy id with that id. Empty when the two are the same.
	LegacyID eventid.ID
	// Line is the export line the conversion came from, for quarantine and
	// error reports.
	Line int
	Time time.Time
	Name string
	// Booking: the conversion is the order's booking (conversion.bookings),
	// with its own event id (eventid.DeriveBooking), dated when the
	// booking was made, never a value; Google sends it to
	// booking_conversion_action_id.
	Booking bool
	// Value and Currency are set only when HasValue is true.
	Value    float64
	HasValue bool
	Currency string
	// Click ids: those of platform.Spec.ClickIDs (Google's today); code
	// that treats every click id alike ranges over ClickIDs instead.
	GCLID, GBRAID, WBRAID string
	// Formatted is the platform's own formatted click id — Meta's fbc,
	// fb.1.<creation ms>.<fbclid> (platform.MetaFBC) — built from a click
	// id that passed its grammar; sent unhashed, "" when the row has none.
	Formatted   string
	Identifiers []identifier.Sent
	// Restate marks an event the platform accepted before, sent again
	// because its value or currency changed since (destinations.google.
	// restate; Google's adjustment by transactionId, ledger/values.go).
	Restate bool
	// RecordKey is the event's record key under the channel report's
	// release rule (channels.Releaser.RecordKey of EventID as the pipeline
	// made it), for the upload summary's identifier coverage: made once a
	// row on the pipeline's workers, shared by the row's conversions for
	// every platform. 0 when the run does not count coverage, or when the
	// ledger's dual lookup switched EventID to LegacyID afterwards: whatever
	// changes EventID zeroes it, and the coverage then makes the key of the
	// id sent.
	RecordKey uint64
	// Prepared, when not nil, is what the run's sink made of this
	// conversion ahead (sink.Preparer.Prepare, on the pipeline's
	// workers). The pipeline then holds only these bytes with Platform,
	// Booking and Line — every other field is zero — and passes them to
	// the sink's WritePrepared instead of calling Write.
	Prepared []byte
}

// ClickID is one click id of a conversion, named by its column key
// (platform.KeyGCLID …).
type ClickID struct {
	Key   string
	Value *string
}

// ClickIDs returns the conversion's click ids with their keys, in the
// order of platform.Spec.ClickIDs, so that sinks,
// checks and counts neither spell a key nor forget one.
func (c *Conversion) ClickIDs() [3]ClickID {
	return [3]ClickID{{platform.KeyGCLID, &c.GCLID}, {platform.KeyGBRAID, &c.GBRAID}, {platform.KeyWBRAID, &c.WBRAID}}
}

// HasClickID reports whether the conversion carries any click id.
func (c *Conversion) HasClickID() bool {
	return c.GCLID != "" || c.GBRAID != "" || c.WBRAID != ""
}

// Weak reports whether the conversion's identifiers are only those its
// platform refuses alone (platform.Spec.Weak, Meta's "Baseline
// Requirements for Matching"): it has some, and no click id nor formatted
// click id (Meta's fbc) beside them.
func (c *Conversion) Weak() bool {
	if len(c.Identifiers) == 0 || c.Formatted != "" || c.HasClickID() {
		return false
	}
	var have platform.FieldSet
	for _, s := range c.Identifiers {
		have |= platform.FieldSet(1) << s.Field()
	}
	return c.Platform.Spec().Weak(have)
}
