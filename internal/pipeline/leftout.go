package pipeline

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/spool"
)

// LeftOut is what an upload learns from the rows it does not send, for
// what the platforms already hold of them (package run): the span of the
// export's dated rows, and the rows a consent decision withdrew.
//
// A visit sent on an earlier night whose row now withdraws it — consent
// revoked, denied or scoped in the export (a 0/1 column's 0 included),
// listed in consent.revocations_file, or withdrawn by another row: its
// patient's revocation or listing, its order refused on a later row —
// stays with the platforms: no Data Manager field retracts a conversion
// and Meta documents no adjustment at all (README, "When a visit changes
// after upload"). The privacy officer is told how many, per platform and
// reason; the ledger says which of the rows' event ids a platform
// accepted. Rows are noted as they are settled (settleBatch), once the
// other rows' withdrawals are known.
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

	// list holds, for each row and platform a consent decision kept
	// it from, a Withdrawal (withdrawalLen bytes, in export order): in
	// memory up to spool.DefaultMemory, then in an unlinked file. ids holds
	// the records' event ids and legacy ids, for the ledger's read (Has).
	// Both stay flat whatever the export holds: a slice of Withdrawals
	// grew by about 40 bytes a row and platform, 90 MB on an export of 1M
	// rows that all said no, past the upload's 80 MB budget. Both are nil
	// until a row is withdrawn.
	list *spool.Spool
	ids  *keyset.Set
	rec  [withdrawalLen]byte
}

// Withdrawal is one row kept from one platform by a consent decision:
// the row's event id and its legacy id (0 when none) as eventid.ID.Prefix
// gives them, with the reason.
type Withdrawal struct {
	ID, Legacy uint64
	Platform   platform.Platform
	Reason     string
}

// withdrawalLen is a Withdrawal's record: ID, Legacy, Platform, and the
// index of its Reason in withdrawnReasons.
const withdrawalLen = 8 + 8 + 1 + 1

// withdrawnReasons are the reasons that say consent was withdrawn or refused:
// a revocation or an explicit no in the row's consent cell, consent to a
// channel that is not ad measurement, the revocations file, and a refusal
// or revocation on another row of the order or the patient. A blank cell
// (consent_missing), a value the config does not know (consent_not_granted;
// a 0 beside a granted 1 is a denial, consent.plainRefusals) and the
// consent time's reasons are not among them: they withdraw nothing a
// platform was sent, for a row sent before said yes, and counting them
// derived the event ids of every unconsented row — most of an export
// that has no consent column filled in.
var withdrawnReasons = []string{
	consent.ReasonRevoked, consent.ReasonListed, consent.ReasonDenied, consent.ReasonScoped,
	ReasonOrderRefused, ReasonPatientRevoked, ReasonIdentifierWithdrawn,
}

// withdrawing says whether a platform's skip reason, or a row's, is a
// consent withdrawn or refused (withdrawnReasons).
func withdrawing(reason string) bool {
	return withdrawalIndex(reason) >= 0
}

func withdrawalIndex(reason string) int {
	if !strings.HasPrefix(reason, "consent_") {
		return -1 // most reasons: no scan
	}
	return slices.Index(withdrawnReasons, reason)
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
		r.noteGone(k, o)
	}
}

// noteGone keeps in o the prefixes of the row's event ids when the run
// asked for them (Options.LeftOut), whatever the row's consent says: a row
// past the consent screen may yet be withdrawn by another row — its
// patient's revocation or listing, its order refused on a later row —
// which only the export's end tells (withdrawals.apply). Noted with the
// row's own decision, such rows were never counted as withdrawn after
// sent (TestRowsWithdrawnByAnotherRowAreCountedAfterSent). A row that
// becomes a conversion derives its ids anyway (eventIDs keeps them).
func (r *runner) noteGone(k rowKey, o *outcome) {
	if !r.leftOut || o.gone != 0 {
		return
	}
	id, legacy := r.eventIDs(k)
	o.gone, _ = id.Prefix()
	o.goneLegacy, _ = legacy.Prefix()
}

// withdrawn notes the platforms a consent decision kept o's row from, once
// the row is settled: its own decision and the withdrawals of the other
// rows (withdrawals.apply) are both known then. A nil l notes nothing.
func (l *LeftOut) withdrawn(o *outcome, platforms []platform.Platform, skips []string) error {
	if l == nil || o.gone == 0 {
		return nil
	}
	for j, p := range platforms {
		why := withdrawalIndex(skips[j])
		if why < 0 {
			// A row the revocations file lists, or one another row
			// withdrew: its reason, no platform's.
			why = withdrawalIndex(o.reason)
		}
		if why >= 0 {
			if err := l.add(Withdrawal{ID: o.gone, Legacy: o.goneLegacy, Platform: p}, why); err != nil {
				return err
			}
		}
	}
	return nil
}

// add keeps one Withdrawal, its reason given as an index in withdrawnReasons.
func (l *LeftOut) add(w Withdrawal, why int) error {
	if l.list == nil {
		l.list, l.ids = spool.New("", 0), keyset.New("", keyset.Sizes{})
	}
	binary.BigEndian.PutUint64(l.rec[0:], w.ID)
	binary.BigEndian.PutUint64(l.rec[8:], w.Legacy)
	l.rec[16], l.rec[17] = byte(w.Platform), byte(why)
	if err := l.list.Append(l.rec[:]); err != nil {
		return fmt.Errorf("noting the rows a consent decision withdrew: %w", err)
	}
	for _, k := range []uint64{w.ID, w.Legacy} {
		if k == 0 {
			continue
		}
		if _, err := l.ids.Seen(k, true); err != nil {
			return fmt.Errorf("noting the rows a consent decision withdrew: %w", err)
		}
	}
	return nil
}

// Withdrawals is how many Withdrawals l holds: one per row and platform.
func (l *LeftOut) Withdrawals() int {
	if l == nil || l.list == nil {
		return 0
	}
	return l.list.Len()
}

// Has reports whether key is the event id or the legacy id of a
// Withdrawal l holds: what the ledger's read of accepted events asks.
func (l *LeftOut) Has(key uint64) (bool, error) {
	if l == nil || l.ids == nil || key == 0 {
		return false, nil
	}
	return l.ids.Has(key)
}

// freeze ends noting, once the export has been read to its end (Run): its
// ids are then only asked (Has), once an event the ledger holds as
// accepted — millions on a full window — and keyset.Set.Freeze makes such
// a lookup read one block on disk at most. Left unfrozen, a lookup the
// filter let through read one of each of the spills' runs, and past 4 Mi
// ids the filter let through nearly every id: 173.8 CPU-s at 10M rows
// against 5.8 at 1M. A nil l, or one that noted nothing, has nothing to
// freeze.
func (l *LeftOut) freeze() error {
	if l == nil || l.ids == nil {
		return nil
	}
	if err := l.ids.Freeze(); err != nil {
		return fmt.Errorf("noting the rows a consent decision withdrew: %w", err)
	}
	return nil
}

// Each calls fn with every Withdrawal, in export order. l's Withdrawals
// are read once: call Close after.
func (l *LeftOut) Each(ctx context.Context, fn func(Withdrawal) error) error {
	if l == nil || l.list == nil {
		return nil
	}
	return l.list.Replay(ctx, func(rec []byte) error {
		if len(rec) != withdrawalLen || int(rec[17]) >= len(withdrawnReasons) {
			return spool.ErrMalformed
		}
		return fn(Withdrawal{
			ID: binary.BigEndian.Uint64(rec), Legacy: binary.BigEndian.Uint64(rec[8:]),
			Platform: platform.Platform(rec[16]), Reason: withdrawnReasons[rec[17]],
		})
	})
}

// Close releases what l holds of the withdrawn rows (memory, a file).
func (l *LeftOut) Close() {
	if l == nil || l.list == nil {
		return
	}
	l.list.Close()
	_ = l.ids.Close()
	l.list, l.ids = nil, nil
}

// dated widens the span with a row's appointment time (0: not read), in
// export order as the rows are read. A nil l notes nothing.
func (l *LeftOut) dated(at int64) {
	if l == nil || at == 0 {
		return
	}
	if l.First == 0 || at < l.First {
		l.First = at
	}
	if at > l.Last {
		l.Last = at
	}
}
