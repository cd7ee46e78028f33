package pipeline

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"sync/atomic"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
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
// bodies is the same without the value and its currency (feeless).
func (r *runner) noteSends(o *outcome) {
	o.sends, o.bodies = [platform.Count]uint64{}, [platform.Count]uint64{}
	if o.reason != "" {
		return
	}
	for _, cv := range o.convs {
		if cv.Booking || int(cv.Platform) >= len(o.sends) {
			continue
		}
		o.sends[cv.Platform] = r.sendDigest(cv) | 1
		o.bodies[cv.Platform] = r.sendDigest(feeless(cv)) | 1
	}
}

// feeless is a copy of cv without its value: what its order's other rows
// are compared by to tell a fee that differs from a visit that does.
func feeless(cv *conversion.Conversion) *conversion.Conversion {
	c := *cv
	c.Value, c.HasValue, c.Currency = 0, false, ""
	return &c
}

// sendDigest is cv's digest for noteSends.
func (r *runner) sendDigest(cv *conversion.Conversion) uint64 {
	b := r.sbuf[:0]
	b = append(b, byte(cv.Platform))
	b = binary.AppendUvarint(b, uint64(len(cv.EventID)))
	b = append(b, cv.EventID...)
	_, off := cv.Time.Zone()
	b = binary.BigEndian.AppendUint64(b, uint64(cv.Time.UnixNano()))
	b = binary.BigEndian.AppendUint32(b, uint32(off))
	for _, s := range [...]string{cv.Name, cv.Currency, cv.Formatted} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, c := range cv.ClickIDs() {
		b = binary.AppendUvarint(b, uint64(len(*c.Value)))
		b = append(b, *c.Value...)
	}
	if cv.HasValue {
		b = append(b, 1)
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(cv.Value))
	} else {
		b = append(b, 0)
	}
	h := maphash.Bytes(orderSeed, b)
	for k := range cv.Identifiers {
		ib, err := cv.Identifiers[k].AppendBinary(b[:0])
		if err != nil {
			continue
		}
		b = ib
		h += maphash.Bytes(orderSeed, b) // a sum: the identifiers' order is not sent
	}
	r.sbuf = b
	return h
}

// orderRows finds, as the export is read, the orders whose usable rows
// disagree, per platform: for each platform, it keeps every order's key
// and every (order, conversion digest) pair in one exact set; a row whose
// order was seen for the platform under another digest makes the order
// disagree there. The disagreeing orders are few (a map); the set is
// bounded as the duplicate set is (keyset). The set keeps each (order on
// the platform, feeless digest) pair too: a row whose order was seen
// there under another one disagrees beyond the fee.
type orderRows struct {
	seen      *keyset.Set
	disagrees map[uint64]disagreement
	// feeOnly counts the orders held whose rows differ in the fee alone
	// (held, as judgeRow holds their rows for a destination).
	feeOnly int
}

// disagreement is what is known of an order whose rows disagree, per
// platform p (bit 1<<p).
type disagreement struct {
	held      uint32 // its rows differ on what they send to p
	beyondFee uint32 // they differ in more than the fee there
	// counted: held, and counted in feeOnly if it differs in the fee alone.
	counted bool
}

// bodySalt keeps the (order, feeless digest) pairs apart from the (order,
// digest) ones in the one set.
const bodySalt = 0x5bd1e9955bd1e995

func newOrderRows() *orderRows {
	return &orderRows{seen: keyset.New("", keyset.Sizes{}), disagrees: map[uint64]disagreement{}}
}

// orderOn is the key of the order of digest dup on platform p: in
// orderRows' set, and in the settler's set of the orders sent (judge.go).
func orderOn(dup uint64, p platform.Platform) uint64 {
	return keyset.Mix(dup ^ uint64(p+1)*0x9e3779b97f4a7c15)
}

// note takes a row as it is read. Only rows usable when decided count
// (noteSends left the others' sends 0): a row withdrawn later keeps its
// own reason, and one excluded for a reason of its own (a no-show, no
// identifier) sends nothing to disagree.
func (or *orderRows) note(o *outcome) error {
	if o.dup == 0 {
		return nil
	}
	dis := or.disagrees[o.dup]
	for p, d := range o.sends {
		if d == 0 || dis.beyondFee&(1<<p) != 0 {
			continue // nothing more to learn of it there
		}
		order := orderOn(o.dup, platform.Platform(p))
		had, err := or.seen.Seen(order, true)
		if err != nil {
			return err
		}
		same, err := or.seen.Seen(keyset.Mix(order^d), true)
		if err != nil {
			return err
		}
		sameBody, err := or.seen.Seen(keyset.Mix(order^o.bodies[p]^bodySalt), true)
		if err != nil {
			return err
		}
		if had && !sameBody {
			dis.beyondFee |= 1 << p // a real conflict there
		}
		if had && !same {
			dis.held |= 1 << p // in the fee alone there, unless beyondFee says more
		}
	}
	if dis.held != 0 {
		or.disagrees[o.dup] = dis
	}
	return nil
}

// held counts the order of digest dup, which judgeRow holds for a
// destination as order_rows_disagree, once: in feeOnly when its rows
// differ in the fee alone at every destination it is held for. Called
// once every row is read, so all of them were compared.
func (or *orderRows) held(dup uint64) {
	d := or.disagrees[dup]
	if d.counted {
		return
	}
	d.counted = true
	or.disagrees[dup] = d
	if d.beyondFee == 0 { // set only where held: in the fee alone everywhere held
		or.feeOnly++
	}
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
func (or *orderRows) disagree(dup uint64, p platform.Platform) bool {
	if firstRowWins.Load() {
		return false
	}
	return dup != 0 && or.disagrees[dup].held&(1<<p) != 0
}

func (or *orderRows) close() { or.seen.Close() }
