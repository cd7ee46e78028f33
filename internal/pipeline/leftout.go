package pipeline

import (
	"strings"

	"github.com/hashgate/hashgate/internal/platform"
)

// LeftOut is what an upload learns from the rows it does not send, for
// what the platforms already hold of them (package run): the span of the
// export's dated rows, and the rows a consent decision withdrew.
//
// A visit sent on an earlier night whose row now withdraws it — consent
// revoked, denied or no longer recorded in the export, or listed in
// consent.revocations_file — stays with the platforms: no Data Manager
// field retracts a conversion and Meta documents no adjustment at all
// (README, "When a visit changes after upload"). The privacy officer is
// told how many, per platform and reason; the ledger says which of the
// rows' event ids a platform accepted.
//
// The span is that of every row whose appointment time was read, excluded
// rows included: "no longer among its conversions" counts the events a
// platform holds dated within the export, and a visit cancelled or marked
// a no-show at either end of the export is still in it. Measured over the
// conversions alone, a night whose first and last visits were cancelled
// after upload reported neither.
type LeftOut struct {
	// First and Last are the earliest and latest appointment times read
	// (unix seconds); both 0 when no row was dated.
	First, Last int64
	// Withdrawn holds, for each row and platform a consent decision
	// kept it from, the row's event id (and its legacy id, 0 when none)
	// as eventid.ID.Prefix gives them, with the reason.
	Withdrawn []Withdrawal
}

// Withdrawal is one row kept from one platform by a consent decision.
type Withdrawal struct {
	ID, Legacy uint64
	Platform   platform.Platform
	Reason     string
}

// withdrawing says whether a platform's skip reason is a consent
// decision: package consent's reasons, the revocations file's, and the
// withdrawals of a patient or an order by another row.
func withdrawing(reason string) bool {
	return strings.HasPrefix(reason, "consent_")
}

// noteWithdrawn keeps in o the prefixes of the row's event ids when a
// consent decision keeps it from any platform and the run asked for them
// (Options.LeftOut): the ids are derived for such a row only then.
func (r *runner) noteWithdrawn(k rowKey, o *outcome) {
	if !r.leftOut || o.gone != 0 {
		return
	}
	found := withdrawing(o.reason) // the revocations file's reason is the row's alone
	for _, s := range r.skip {
		found = found || withdrawing(s)
	}
	if found {
		id, legacy := r.eventIDs(k)
		o.gone, _ = id.Prefix()
		o.goneLegacy, _ = legacy.Prefix()
	}
}

// withdrawn notes the platforms a consent decision kept o's row from.
func (l *LeftOut) withdrawn(o *outcome, platforms []platform.Platform, skips []string) {
	if o.gone == 0 {
		return
	}
	for j, p := range platforms {
		why := skips[j]
		if !withdrawing(why) {
			why = o.reason // a row the revocations file lists: its reason, no platform's
		}
		if withdrawing(why) {
			l.Withdrawn = append(l.Withdrawn, Withdrawal{ID: o.gone, Legacy: o.goneLegacy, Platform: p, Reason: why})
		}
	}
}

// note takes what a row, in export order, tells: its appointment time
// and the platforms a consent decision kept it from. A nil l notes nothing.
func (l *LeftOut) note(o *outcome, platforms []platform.Platform, skips []string) {
	if l == nil {
		return
	}
	l.dated(o.at)
	l.withdrawn(o, platforms, skips)
}

// dated widens the span with a row's appointment time (0: not read).
func (l *LeftOut) dated(at int64) {
	if at == 0 {
		return
	}
	if l.First == 0 || at < l.First {
		l.First = at
	}
	if at > l.Last {
		l.Last = at
	}
}
