package ledger

// Acceptances older than the window, for events dated inside it.
//
// The Filter loads the acceptances recorded since its window opened (the
// platforms' windows, a day and a week of skew: Filter.from) and, until
// this file, looked an event dated inside its window up there only. That
// held while an event was never dated later than when it was sent; it is
// not so. A booking is dated by booked_at, or by its appointment when
// booked_at is blank, unreadable or after it; a rescheduling rewrites
// booked_at on the same row; a clinic corrects a visit's date months after
// it was sent. Each such event, sent long ago, was sent again — exit 0,
// "ingested" — and Meta, past its 7-day deduplication window, counted it
// twice (a review, sent twice).
//
// So an event dated inside its window and missing from the recent set is
// looked up among the older acceptances too. Loading them whole, as the
// recent set is loaded, costs 8 bytes an acceptance (6 since sets of
// that size are packed: idset.go) and a sort: on a
// year-full ledger of 5,000 conversions a night to two destinations (3.3
// million older keys) 0.38 CPU-s and 27 MB, every night that brings a new
// conversion (make bench-upload YEARFULL=1000000: peak RSS 74 → 102 MB).
// Instead:
//
//   - the older acceptances are read once, at the first such event, into
//     a Bloom filter (oldBloom: 16 bits a key, 6.7 MB for those 3.3
//     million, 0.28 CPU-s to build; one cache line a lookup) that rules
//     out nearly every new event at once;
//   - an event the filter cannot rule out — one sent long ago, or about
//     one in a thousand new ones — is held, like the safety net's, and
//     decided at Finish by one more read of the older acceptances for the
//     held keys only (0.11 CPU-s); held events then go on as any other;
//   - more than pendingMax held events, or a dual lookup (UseLegacyIDs),
//     load the older acceptances whole, and decide at once: into a
//     keyset.Set, bounded, when they are more than oldSortedMax.
//
// Retention (Forget) bounds what is read: requests older than
// ledger.retention_days are gone, and an event they carried is new again.

import (
	"fmt"
	"math/bits"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/keyset"
)

// verdict is what the ledger says of an event: not accepted, accepted, or
// only the older acceptances can tell (held until Finish).
type verdict int8

const (
	notAccepted verdict = iota
	wasAccepted
	mayBeAccepted
)

func verdictOf(found bool) verdict {
	if found {
		return wasAccepted
	}
	return notAccepted
}

// pendingMax is the most events held for the older acceptances to decide;
// past it they are loaded whole. With the filter's false-positive rate
// (about 1 in 1,000) a 1M-conversion upload holds about a thousand.
var pendingMax = 1 << 12 // a variable for tests

// oldSortedMax is the most older acceptances loaded whole as a sorted
// array for more than pendingMax held events (256Ki keys, 2 MiB); more go
// to a keyset.Set, bounded in memory (6 MiB) and spilling to disk. The
// sorted array of a year-full ledger's 3.3M older keys took 20 MB more
// than the held events it spared (session 21's review: 83.7 MB at 1M
// rows, 110.6 at 10M; make bench-ledger: 3M older keys, 1M held, 55 ->
// 35 MB). The keyset costs CPU: 1.55 -> 4.47 CPU-s there, about 1 CPU-s a
// million keys. So an event older than its window, which any upload with
// an old row has, still loads them as the recent set is loaded
// (maxSortedKeys).
var oldSortedMax int64 = 1 << 18 // a variable for tests

// oldBloomBits is the filter's bits per key. Fewer would not lower an
// upload's peak: 3M older keys and 2M keys never added (the filter as
// built here, 2026-12-06) passed at 1.2·10⁻³ at 16 bits, 2.2·10⁻³ at 14,
// 4.4·10⁻³ at 12, 1.1·10⁻² at 10. At 1M conversions each 2 bits saved
// (0.76 MB for a year-full ledger's 3M older keys) hold about 1,000 more
// events until Finish (about 150 bytes each, encoded, and the collector's
// headroom on them), and at 12 bits the 4,300 held pass pendingMax, which
// loads the older acceptances whole (18 MB).
const oldBloomBits = 16

// oldBloom is a split-block Bloom filter: each key sets one bit in each of
// the 8 words of one 64-byte block, so a lookup reads one cache line. At
// 16 bits a key a block holds 32 keys on average, and a key never added
// passes with probability (1 − (63/64)^32)^8 ≈ 6·10⁻⁴ at that load, about
// 10⁻³ over the blocks' uneven loads (TestOldBloomRulesOutNewKeys). Its
// words live outside the Go heap (keyset.Keys).
type oldBloom struct {
	words  []uint64
	own    *keyset.Keys
	blocks uint64
}

// newOldBloom returns a filter sized for n keys (none when n is 0).
func newOldBloom(n int64) *oldBloom {
	if n <= 0 {
		return &oldBloom{}
	}
	blocks := uint64(n)*oldBloomBits/512 + 1
	own := keyset.NewKeys(int(blocks * 8))
	for range blocks * 8 {
		own.Append(0)
	}
	return &oldBloom{words: own.Slice(), own: own, blocks: blocks}
}

// block returns the first word of key's block and the digest that places
// its bits. The key is a keyed digest already; mixing it (keyset's
// finaliser, a bijection) keeps the block's choice and the bits'
// independent of how the salt was applied.
func (b *oldBloom) block(key uint64) (int, uint64) {
	h := keyset.Mix(key ^ 0x9e3779b97f4a7c15)
	hi, _ := bits.Mul64(h, b.blocks)
	return int(hi) * 8, h
}

func (b *oldBloom) add(key uint64) {
	if b.blocks == 0 {
		return
	}
	i, h := b.block(key)
	w := b.words[i : i+8 : i+8]
	for j := range w {
		w[j] |= 1 << (h >> (6 * j) & 63)
	}
}

func (b *oldBloom) may(key uint64) bool {
	if b.blocks == 0 {
		return false
	}
	i, h := b.block(key)
	w := b.words[i : i+8 : i+8]
	for j := range w {
		if w[j]&(1<<(h>>(6*j)&63)) == 0 {
			return false
		}
	}
	return true
}

func (b *oldBloom) close() {
	b.own.Close()
	b.words = nil
}

// acceptedBefore says whether key was accepted in a request recorded
// before the recent set's (f.recentFrom, by destination): for an event
// dated inside its window and missing from the recent set. exact asks for
// a yes or no now, never mayBeAccepted.
func (f *Filter) acceptedBefore(key uint64, exact bool) (verdict, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.old == nil && exact {
		if err := f.loadOld(maxSortedKeys); err != nil {
			return notAccepted, err
		}
	}
	if f.old != nil {
		found, err := f.old.Has(key)
		return verdictOf(found), err
	}
	if f.oldMay == nil {
		n, err := f.ledger.acceptedCount(f.ctx, 0, f.oldTo)
		if err != nil {
			return notAccepted, err
		}
		bl := newOldBloom(n)
		if n > 0 {
			if err := f.ledger.eachAccepted(f.ctx, f.dests, 0, f.oldTo, f.older(), func(k uint64) error { bl.add(k); return nil }); err != nil {
				bl.close()
				return notAccepted, err
			}
		}
		f.oldMay = bl
	}
	if f.oldMay.may(key) {
		return mayBeAccepted, nil
	}
	return notAccepted, nil
}

// older keeps the requests recorded before their destination's recent
// acceptances (recentFrom).
func (f *Filter) older() *split { return &split{f.recentFrom, true} }

// loadOld loads the acceptances recorded before the recent set's, whole
// (a sorted array of up to maxSorted keys, else a keyset.Set), and drops
// the filter. Call it with f.mu held.
func (f *Filter) loadOld(maxSorted int64) error {
	set, err := f.ledger.acceptedSet(f.ctx, f.dests, 0, f.oldTo, f.older(), maxSorted)
	if err != nil {
		return err
	}
	f.old = set
	if f.oldMay != nil {
		f.oldMay.close()
		f.oldMay = nil
	}
	return nil
}

// hold keeps a copy of c, which only the older acceptances can judge,
// until settlePending; past pendingMax it settles them all now. The copy
// is c as the pipeline holds its rows (conversion.Codec): about 150
// bytes (an event with an email and a phone), where a Conversion and its
// cloned identifiers took 370 and the growing slice up to as much again
// — and the held events live for the whole upload (about 1,200 at 1M
// rows on a year-full ledger: make bench-upload YEARFULL).
func (f *Filter) hold(c *conversion.Conversion) error {
	f.mu.Lock()
	f.pending = f.pendingCodec.Append(f.pending, c)
	f.nPending++
	over := f.nPending >= pendingMax
	f.mu.Unlock()
	if over {
		return f.settlePending(true)
	}
	return nil
}

// settlePending decides the held events — by one read of the older
// acceptances for their keys, or, with whole (or once they are loaded), by
// the older acceptances in memory — and passes each on as Write would
// have.
func (f *Filter) settlePending(whole bool) error {
	f.mu.Lock()
	raw, n := f.pending, f.nPending
	f.pending, f.nPending = nil, 0
	if n == 0 {
		f.mu.Unlock()
		return nil
	}
	held := make([]conversion.Conversion, n)
	for i, rest := 0, raw; i < n; i++ {
		var err error
		if rest, err = f.pendingCodec.Read(rest, &held[i]); err != nil {
			f.mu.Unlock()
			return fmt.Errorf("ledger: read back a held conversion: %w", err)
		}
	}
	if whole && f.old == nil {
		if err := f.loadOld(oldSortedMax); err != nil {
			f.mu.Unlock()
			return err
		}
	}
	keys := make([]uint64, len(held))
	for i := range held {
		keys[i], _ = idKey(held[i].EventID, f.keysOf(held[i].Platform).salt)
	}
	found := make([]bool, len(held))
	if f.old != nil {
		for i, k := range keys {
			h, err := f.old.Has(k)
			if err != nil {
				f.mu.Unlock()
				return err
			}
			found[i] = h
		}
	} else {
		want := make(map[uint64]bool, len(keys))
		for _, k := range keys {
			want[k] = false
		}
		err := f.ledger.eachAccepted(f.ctx, f.dests, 0, f.oldTo, f.older(), func(k uint64) error {
			if _, ok := want[k]; ok {
				want[k] = true
			}
			return nil
		})
		if err != nil {
			f.mu.Unlock()
			return err
		}
		for i, k := range keys {
			found[i] = want[k]
		}
	}
	f.settled += len(held)
	f.mu.Unlock()
	for i := range held {
		if err := f.pass(&held[i], found[i]); err != nil {
			return err
		}
	}
	return nil
}
