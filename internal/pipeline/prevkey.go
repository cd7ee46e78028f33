package pipeline

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/spool"
)

// The previous secret (Options.PreviousKey, HASHGATE_PREVIOUS_SECRET).
// The ledger remembers withdrawals as HMACs under the secret
// (RememberedDigest, RevokedIdentifier); once the clinic rotated it, a
// patient who withdrew a year ago, whose withdrawing row had left the
// export, matched nothing and was sent again, and hashgate could not say
// who to list. While the previous secret is given, a row's patient key
// and identifiers that the memory does not hold under the secret are
// looked up under the previous one too — one HMAC more for the key, one
// per email and phone, and only then — and each old digest a row matched
// is handed to the ledger to re-key (Rekeying: ledger.RekeyRevoked), so
// the memory moves to the new secret as patients reappear.

// Rekeying collects the pairs (the previous secret's digest, this one's)
// of the remembered withdrawals tonight's rows matched under the previous
// secret. The workers add to it as they decide rows; a spool holds them
// (memory flat however many match).
type Rekeying struct {
	mu  sync.Mutex
	s   *spool.Spool
	err error
}

// Rekey record kinds.
const (
	rekeyPatient byte = iota + 1
	rekeyIdentifier
	rekeyLen = 17
)

func (k *Rekeying) add(kind byte, old, new uint64) {
	var rec [rekeyLen]byte
	rec[0] = kind
	binary.LittleEndian.PutUint64(rec[1:], old)
	binary.LittleEndian.PutUint64(rec[9:], new)
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil {
		return
	}
	if k.s == nil {
		k.s = spool.New("", 0)
	}
	// A pair not kept is matched under both secrets the next night again:
	// nothing is lost but the move.
	k.err = k.s.Append(rec[:])
}

// Each gives patient and identifier every pair recorded, in the order
// they came (a pair may come more than once); an error if one could not
// be kept.
func (k *Rekeying) Each(patient, identifier func(old, new uint64) error) error {
	if k == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.err != nil || k.s == nil {
		return k.err
	}
	return k.s.Replay(context.Background(), func(rec []byte) error {
		if len(rec) != rekeyLen {
			return fmt.Errorf("withdrawals to re-key: %w", spool.ErrMalformed)
		}
		old, new := binary.LittleEndian.Uint64(rec[1:]), binary.LittleEndian.Uint64(rec[9:])
		if rec[0] == rekeyPatient {
			return patient(old, new)
		}
		return identifier(old, new)
	})
}

// Any reports whether a pair was recorded (or one could not be kept).
func (k *Rekeying) Any() bool {
	if k == nil {
		return false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.s != nil || k.err != nil
}

// Close releases the spool.
func (k *Rekeying) Close() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.s != nil {
		k.s.Close()
		k.s = nil
	}
}

// priorUnderPrevious looks the row's patient up under the previous secret
// (and the digest an older hashgate kept under it: LegacyDigest), when the
// memory holds none of the secret's for it; found, it records the re-key
// to digest, the secret's.
func (r *runner) priorUnderPrevious(row export.Row, digest uint64) (int64, bool) {
	if r.prevIDs == nil {
		return 0, false
	}
	pk := row.Get(export.PatientKey)
	old := RememberedDigest(r.prevIDs, pk)
	from, ok := failClosed(r.priorRevoked.Get(old))
	if !ok {
		if legacy, differs := LegacyDigest(r.prevIDs, pk); differs {
			old = legacy
			from, ok = failClosed(r.priorRevoked.Get(legacy))
		}
	}
	if ok {
		r.rekey.add(rekeyPatient, old, digest)
	}
	return from, ok
}

// identifierUnderPrevious is withdrawnByIdentifier's look-up under the
// previous secret of the row's identifiers (r.canon; r.idbuf holds the
// secret's digests of them, made already): the first remembered whose
// owner withdraws the row (withdraws), and whether there is one. Each
// found is recorded for the re-key.
func (r *runner) identifierUnderPrevious(withdraws func(owner int64) bool) (old uint64, ok bool) {
	if r.prevIDs == nil {
		return 0, false
	}
	for i, n := range r.canon {
		d := r.prevIDs.RevokedIdentifier(r.canonField[i].String(), n)
		owner, found := failClosed(r.priorIDs.Get(d))
		if !found {
			continue
		}
		if i < len(r.idbuf) {
			r.rekey.add(rekeyIdentifier, d, r.idbuf[i])
		}
		if !ok && withdraws(owner) {
			old, ok = d, true
		}
	}
	return old, ok
}

// rekeyIdentifiers records the re-key of the row's identifiers the
// memory holds under the previous secret, for a row whose patient it
// matched there: her row is withdrawn by her key, and its identifiers,
// never looked up then, would stay under the previous secret alone.
func (r *runner) rekeyIdentifiers(row export.Row) {
	if r.priorIDs == nil {
		return
	}
	r.idbuf = r.identifierDigests(row, r.idbuf[:0])
	r.identifierUnderPrevious(func(int64) bool { return false })
}

// ownsUnderPrevious is owns for an owner remembered under the previous
// secret (its patient not yet re-keyed).
func (r *runner) ownsUnderPrevious(row export.Row, owner uint64) bool {
	if r.prevIDs == nil {
		return false
	}
	pk := row.Get(export.PatientKey)
	if owner == RememberedDigest(r.prevIDs, pk) {
		return true
	}
	legacy, differs := LegacyDigest(r.prevIDs, pk)
	return differs && owner == legacy
}

// prevMatch is the runner's previous secret: ids keyed with it (nil:
// none), and where what it matched goes; and where the withdrawals
// matched under a key's text formula go (literal.go; nil: a run that
// remembers none).
type prevMatch struct {
	prevIDs   *eventid.Deriver
	rekey     *Rekeying
	unwrapped *Rekeying
}

// newPrevMatch is opt's previous secret, for a run that remembers
// withdrawals under it (Options.PreviousKey, Options.Revoked).
func newPrevMatch(opt Options) prevMatch {
	var m prevMatch
	if opt.Revoked != nil {
		m.unwrapped = &opt.Revoked.Unwrapped
	}
	if opt.PreviousKey == "" || opt.Revoked == nil || opt.Revoked.Prior.Len() == 0 && opt.Revoked.PriorIdentifiers.Len() == 0 {
		return m
	}
	m.prevIDs, m.rekey = eventid.NewDeriver(opt.PreviousKey), &opt.Revoked.Rekeyed
	return m
}

// IdentifiersUnder appends to dst the digests of the row's email
// addresses and phone numbers under the previous secret prev, made as the
// upload makes them when it looks a row's identifiers up under it
// (identifierUnderPrevious): `ledger find` matched a patient's key under
// the previous secret but not her identifiers, so an access request after
// a rotation did not hear of the phone the upload held her rows back by.
// Only during the call of EachRowIDs's each that was given ids.
func (ids RowIDs) IdentifiersUnder(prev *eventid.Deriver, dst []RowIdentifier) []RowIdentifier {
	if ids.r == nil || prev == nil {
		return dst
	}
	ids.r.canonical(ids.row)
	for i, n := range ids.r.canon {
		dst = append(dst, RowIdentifier{ids.r.canonField[i], prev.RevokedIdentifier(ids.r.canonField[i].String(), n)})
	}
	return dst
}

// Under is the row's event ids made under the previous secret prev, as an
// upload under it made them (ID, LegacyID, BookingID, BookingLegacyID; the
// rest zero): the events sent before a rotation are in the ledger under
// them until retention, and `ledger find` and `ledger erase` made the
// new secret's alone — find answered "never sent" for a visit sent the
// night before the rotation, and erase left it. Only during the call of
// EachRowIDs's each that was given ids, and before Identifiers' digests
// are needed again: it makes the ids with the runner's own derivation,
// its key swapped for the call.
func (ids RowIDs) Under(prev *eventid.Deriver) RowIDs {
	out := RowIDs{Line: ids.Line}
	r := ids.r
	if r == nil || prev == nil || !ids.Order {
		return out
	}
	k, ok := r.orderKey(ids.row)
	if !ok {
		return out
	}
	own := r.ids
	defer func() {
		// The row's own ids, made again if asked: nothing of prev's stays.
		r.ids = own
		r.idtext, r.idsDone, r.bookingDone = r.idtext[:0], false, false
	}()
	r.ids = prev
	r.idtext, r.idsDone, r.bookingDone = r.idtext[:0], false, false
	id, legacy := r.eventIDs(k)
	out.Order = true
	out.ID, out.LegacyID = eventid.ID(strings.Clone(string(id))), eventid.ID(strings.Clone(string(legacy)))
	out.BookingID = eventid.ID(strings.Clone(string(r.bookingIDOnly(k.key))))
	out.BookingLegacyID = eventid.ID(strings.Clone(string(r.bookingLegacyID(k))))
	return out
}
