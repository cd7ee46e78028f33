package pipeline

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"sync/atomic"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/spool"
)

// The rows of one order that disagree. An order id means one appointment,
// and its first usable row was its conversion: a second row of the order
// was duplicate_order, whatever it said. When the rows disagree on what
// would be sent — another fee (a line of a multi-line order, or a fee
// corrected on a second row), another appointment time, another
// e-mail — which of them went was the rows' order, so a reordered export
// sent other values under the same event id (and Google, restating, took
// the other fee each night the rows swapped). hashgate cannot tell a
// line to be summed from a corrected row or two visits a spreadsheet made
// one id, so such an order is held, every usable row of it counted as
// order_rows_disagree, in any row order; rows that agree on everything
// sent stay one conversion (duplicate_order), as before.
//
// It is judged per destination: the order's conversion for a destination
// is made from its usable rows that reach it, whatever the others — a
// row without Meta's identifiers does not make the order Google's alone
// when it comes first (before, the first row's destinations went, so a
// reordered export dropped or moved a destination: session 27 review).
// The order reaches every destination one of its rows reaches, and is
// held only for the destinations whose rows disagree (judge.go).
//
// Orders whose rows disagree in the fee alone — same time, identifiers,
// click ids — are counted apart (orders_differing_in_fee_only): an export
// listing one row per treatment line, common in dental practice systems,
// has every multi-line visit held, where before it sent the first line's
// fee, and the summary says so in one line rather than leave it a count
// among the excluded rows. Held per destination, an order counts once,
// when its rows differ in the fee alone at every destination it is held
// for.

// noteSends fills o.sends: per platform, a digest of the row's visit
// conversion for it — everything sent but the source line and the
// legacy id (two spellings of one id send one event id) — or 0 when the
// row sends none there. On the goroutine that decided the row, before the
// sink prepares it (its fields are gone after). The identifiers are
// summed digests: their order within the row is not what is sent.
// bodies is the same without the value and its currency (feeless); a
// row's sends digest is made from its bodies one, so each conversion is
// read once (issue 29: the two digests were a full pass each).
func (r *runner) noteSends(o *outcome) {
	o.sends, o.bodies = [platform.Count]uint64{}, [platform.Count]uint64{}
	o.spelled, o.prior = false, false
	if r.bookingName != "" {
		r.noteBookingSends(o) // whatever the visit's reason (ordercount.go)
	}
	if o.reason != "" {
		return
	}
	for _, cv := range o.convs {
		if cv.Booking || int(cv.Platform) >= len(o.sends) {
			continue
		}
		if cv.LegacyID != "" && !o.spelled {
			o.spelled = noteLegacy(&o.legacy, cv.LegacyID) // a row's visits share one
			o.prior = o.spelled && r.legacyPrior
		}
		body := r.bodyDigest(cv)
		o.bodies[cv.Platform] = body | 1
		o.sends[cv.Platform] = r.feeDigest(body, cv) | 1
	}
}

// bodyDigest is cv's digest without its value and currency: what its
// order's other rows are compared by to tell a fee that differs from a
// visit that does.
func (r *runner) bodyDigest(cv *conversion.Conversion) uint64 {
	b := r.sbuf[:0]
	b = append(b, byte(cv.Platform))
	b = binary.AppendUvarint(b, uint64(len(cv.EventID)))
	b = append(b, cv.EventID...)
	_, off := cv.Time.Zone()
	b = binary.BigEndian.AppendUint64(b, uint64(cv.Time.UnixNano()))
	b = binary.BigEndian.AppendUint32(b, uint32(off))
	b = binary.AppendUvarint(b, uint64(len(cv.Name)))
	b = append(b, cv.Name...)
	b = binary.AppendUvarint(b, uint64(len(cv.Formatted)))
	b = append(b, cv.Formatted...)
	for _, c := range cv.ClickIDs() {
		b = binary.AppendUvarint(b, uint64(len(*c.Value)))
		b = append(b, *c.Value...)
	}
	h := maphash.Bytes(orderSeed, b)
	for k := range cv.Identifiers {
		// A sum: the identifiers' order is not sent.
		id := &cv.Identifiers[k]
		if id.IsHashed() {
			// A SHA-256 digest is its own digest: its first eight bytes,
			// keyed and mixed with the field, not hashed again (issue
			// 29: an identifier's maphash was half of this function).
			sum := id.Hash()
			h += keyset.Mix(binary.LittleEndian.Uint64(sum[:8]) ^ hashedKey ^ uint64(id.Field()+1)*0x9e3779b97f4a7c15)
			continue
		}
		ib, err := id.AppendBinary(b[:0])
		if err != nil {
			continue
		}
		b = ib
		h += maphash.Bytes(orderSeed, b)
	}
	r.sbuf = b
	return h
}

// hashedKey keys the hashed identifiers' part of bodyDigest, once per
// process as orderSeed keys the rest.
var hashedKey = maphash.String(orderSeed, "hashed identifiers")

// feeDigest is cv's whole digest: body (bodyDigest) with its value and
// currency.
func (r *runner) feeDigest(body uint64, cv *conversion.Conversion) uint64 {
	b := binary.BigEndian.AppendUint64(r.sbuf[:0], body)
	b = binary.AppendUvarint(b, uint64(len(cv.Currency)))
	b = append(b, cv.Currency...)
	if cv.HasValue {
		b = append(b, 1)
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(cv.Value))
	} else {
		b = append(b, 0)
	}
	r.sbuf = b
	return maphash.Bytes(orderSeed, b)
}

// orderRows finds the orders whose usable rows disagree, per platform,
// paying for an order's rows only when it has more than one (issue 29:
// three exact-set inserts a platform a row, for every row, were a fifth
// of a 1M-row dry-run whose orders are all single).
//
// As a row is read (note), its order's key is added to a keyset.Repeats,
// which finds, once the export is read, the orders of more than one row
// (a set, which the settler asks: an order of one row needs no key in its
// sets, judge.go). Every usable row's order and digests are written to a
// spool as they come, and its legacy id when it has one (spellings.go). Once the export is read (compare), the rows of the
// repeated orders alone are read back and compared as every row once
// was: for each platform, an exact set of the order's key there, of
// (order, digest) and of (order, digest without the fee); a row whose
// order was seen there under another digest makes it disagree there —
// beyond the fee when under another digest without it too. What is found
// goes to a set of its own. Every structure is an exact set bounded as the duplicate set is
// (keyset) or a spool: memory stays flat however many orders repeat or
// disagree (a per-treatment-line export has most).
type orderRows struct {
	orders   *keyset.Repeats // every row's order, until compare
	repeated *keyset.Set     // the orders of more than one row, from compare
	rows     *spool.Spool
	rec      []byte
	// found holds, once compared, heldKey(dup, p) for each platform p an
	// order disagrees on, beyondKey(dup) when it disagrees in more than
	// the fee somewhere, and countedKey(dup) once held counted it.
	found *keyset.Set
	// feeOnly counts the orders held whose rows differ in the fee alone
	// (held, as judgeRow holds their rows for a destination).
	feeOnly int
	// compared counts the rows compare read back (tests).
	compared int
	// spelled: a usable row carries a legacy id, of its visits or its
	// booking; mixed counts the orders whose rows differ in one, and
	// legacies holds each one's, per kind (spellings.go). name is the
	// export's, for a stop.
	spelled  bool
	mixed    int
	legacies map[uint64]legacyPick
	name     string
}

// orderRowsMemory is what the spool of usable rows' digests keeps in
// memory before it spills (0: spool.DefaultMemory); tests lower it to
// read the rows back from disk.
var orderRowsMemory = 0

// Salts keep the kinds of keys apart in one set.
const (
	bodySalt    = 0x5bd1e9955bd1e995
	heldSalt    = 0x2545f4914f6cdd1d
	beyondSalt  = 0x9fb21c651e98df25
	countedSalt = 0xd6e8feb86659fd93
)

func heldKey(dup uint64, p platform.Platform) uint64 {
	return keyset.Mix(orderOn(dup, p) ^ heldSalt)
}
func beyondKey(dup uint64) uint64  { return keyset.Mix(dup ^ beyondSalt) }
func countedKey(dup uint64) uint64 { return keyset.Mix(dup ^ countedSalt) }

func newOrderRows() *orderRows {
	return &orderRows{
		orders: keyset.NewRepeats(""), rows: spool.New("", orderRowsMemory), found: keyset.New("", keyset.Sizes{}),
	}
}

// orderOn is the key of the order of digest dup on platform p: in the
// settler's set of the orders sent (judge.go), and compare's.
func orderOn(dup uint64, p platform.Platform) uint64 {
	return keyset.Mix(dup ^ uint64(p+1)*0x9e3779b97f4a7c15)
}

// note takes a row as it is read. Every row of an order counts towards
// its being repeated (a refusing row asks whether the order was sent:
// ordercount.go); only rows usable when decided are compared
// (noteSends left the others' sends 0): a row withdrawn later keeps its
// own reason, and one excluded for a reason of its own (a no-show, no
// identifier) sends nothing to disagree.
func (or *orderRows) note(o *outcome) error {
	if o.dup == 0 {
		return nil
	}
	if err := or.orders.Add(o.dup); err != nil {
		return err
	}
	rec := binary.BigEndian.AppendUint64(or.rec[:0], o.dup)
	for p, d := range o.sends {
		if d != 0 {
			rec = append(rec, byte(p))
			rec = binary.BigEndian.AppendUint64(rec, d)
			rec = binary.BigEndian.AppendUint64(rec, o.bodies[p])
		}
	}
	rec = appendBookingSends(rec, o)
	if len(rec) == 8 {
		or.rec = rec
		return nil // it sends no visit and no booking
	}
	// Its legacy id, after the platforms' digests, in as many bytes: a
	// keyed event id, never the order id (spellings.go); its mark says
	// whether a text formula's spelling made it. Its booking's under
	// marks of their own: a booking's legacy id is another keyed id.
	rec = or.appendLegacy(rec, o.spelled, o.prior, legacyMark, priorLegacyMark, o.legacy[:])
	rec = or.appendLegacy(rec, o.bspelled, o.bprior, bookingLegacyMark, bookingPriorLegacyMark, o.blegacy[:])
	or.rec = rec
	return or.rows.Append(rec)
}

// appendLegacy appends, when spelled, a legacy id to a row's record under
// mark, or priorMark when a text formula's spelling made it.
func (or *orderRows) appendLegacy(rec []byte, spelled, prior bool, mark, priorMark byte, id []byte) []byte {
	if !spelled {
		return rec
	}
	if prior {
		mark = priorMark
	}
	or.spelled = true
	return append(append(rec, mark), id...)
}

// compare reads back, once every row is read, the rows of the repeated
// orders, and keeps in found what their rows disagree on.
func (or *orderRows) compare(ctx context.Context) error {
	// Every row is read: the orders of more than one row are known, and
	// the memory that found them is given back before compare's own set
	// takes some (peak RSS, issue 29).
	defer or.rows.Close()
	rep, err := or.orders.Finish()
	if err != nil {
		return fmt.Errorf("find the repeated orders: %w", err)
	}
	or.repeated = rep
	if or.repeated.Len() == 0 {
		return nil
	}
	// A smaller set than the default (512 KiB of table, at most 1 MiB of
	// filter): it comes on top of the sets the settling keeps, and at the
	// default sizes the 1M-row withdrawals bench export (a third of its
	// orders repeated) peaked at 65-67 MB against a 64 MB target; now
	// 61.6-63.2 MB, its CPU within the runs' noise (6.7-8.3 CPU-s against
	// 6.3-7.4, four alternating runs each).
	seen := keyset.New("", keyset.Sizes{TableSlots: 1 << 16, BloomBits: 1 << 23})
	defer seen.Close()
	err = or.rows.Replay(ctx, func(rec []byte) error {
		dup := binary.BigEndian.Uint64(rec)
		if rep, err := or.repeated.Has(dup); err != nil || !rep {
			return err
		}
		or.compared++
		var legacy, blegacy []byte
		var visits, bookings bool
		for rec = rec[8:]; len(rec) >= 17; rec = rec[17:] {
			switch rec[0] {
			case legacyMark:
				legacy = rec[1:17]
				continue
			case bookingLegacyMark:
				blegacy = rec[1:17]
				continue
			case priorLegacyMark:
				legacy = rec[1:17]
				continue
			case bookingPriorLegacyMark:
				blegacy = rec[1:17]
				continue
			}
			p := platform.Platform(rec[0])
			if p&bookingSlot != 0 {
				bookings = true
			} else {
				visits = true
			}
			d, body := binary.BigEndian.Uint64(rec[1:]), binary.BigEndian.Uint64(rec[9:])
			order := orderOn(dup, p)
			had, err := seen.Seen(order, true)
			if err != nil {
				return err
			}
			same, err := seen.Seen(keyset.Mix(order^d), true)
			if err != nil {
				return err
			}
			sameBody, err := seen.Seen(keyset.Mix(order^body^bodySalt), true)
			if err != nil {
				return err
			}
			if had && !same {
				if _, err := or.found.Seen(heldKey(dup, p), true); err != nil {
					return err
				}
			}
			if had && !sameBody && p&bookingSlot == 0 { // in more than the fee (a body differs only if its digest does); a booking has none
				if _, err := or.found.Seen(beyondKey(dup), true); err != nil {
					return err
				}
			}
		}
		if !or.spelled {
			return nil
		}
		// Each kind among the rows that send one: a row sending a
		// booking alone (a cancelled visit) does not make its order's
		// visits mixed, nor one sending a visit alone its bookings.
		if visits {
			if err := or.spellings(seen, dup, visitSpelling, legacy); err != nil {
				return err
			}
		}
		if bookings {
			return or.spellings(seen, dup, bookingSpelling, blegacy)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("compare the rows of repeated orders: %w", err)
	}
	if or.mixed > 0 {
		return or.collectLegacies(ctx)
	}
	return nil
}

// single reports whether the order of digest dup (0: none) had one row
// only in the export: the settler then keeps no key for it (judge.go).
// Before compare, no order is known single.
func (or *orderRows) single(dup uint64) (bool, error) {
	if dup == 0 || or.repeated == nil {
		return false, nil
	}
	rep, err := or.repeated.Has(dup)
	return !rep, err
}

// held counts the order of digest dup, which judgeRow holds for a
// destination as order_rows_disagree, once: in feeOnly when its rows
// differ in the fee alone wherever it is held. Called once every row is
// read, so all of them were compared.
func (or *orderRows) held(dup uint64) error {
	was, err := or.found.Seen(countedKey(dup), true)
	if err != nil || was {
		return err
	}
	beyond, err := or.found.Has(beyondKey(dup))
	if err == nil && !beyond {
		or.feeOnly++
	}
	return err
}

// firstRowWins turns the rule off: KeepFirstRowOfAnOrder.
var firstRowWins atomic.Bool

// KeepFirstRowOfAnOrder makes runs send an order's first usable row, as
// before the rule, until restore is called: for a test that compares
// with answers recorded before it (package run's
// TestOnePassAnswersAsTheTwoPassRunDid, whose random orders disagree).
func KeepFirstRowOfAnOrder() (restore func()) {
	firstRowWins.Store(true)
	return func() { firstRowWins.Store(false) }
}

// disagree reports whether the rows of the order of digest dup disagree
// on what they send to platform p.
func (or *orderRows) disagree(dup uint64, p platform.Platform) (bool, error) {
	if firstRowWins.Load() || dup == 0 {
		return false, nil
	}
	return or.found.Has(heldKey(dup, p))
}

func (or *orderRows) close() {
	or.orders.Close()
	if or.repeated != nil {
		or.repeated.Close()
	}
	or.rows.Close()
	or.found.Close()
}
