package pipeline

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/spool"
)

// Settling ahead (issue 29). Every decided row is held until the export
// has been read to its end, because a later row may withdraw it (its
// order refused, its patient revoked) and a file that changed while it
// was read must stop the run with nothing written. Settling all of them
// after the end — reading each back, decoding it, applying the
// withdrawals, the duplicate sets and the counts — was a quarter of a
// dry-run's CPU, most of it when the workers had stopped and one core
// idled.
//
// A row can only be changed by a withdrawal that comes after it: one
// before it is in the sets when the row reaches the settler, which sees
// rows in export order. So the settler settles each row as it comes, with
// the withdrawals known so far (settleAhead): it applies them, asks the
// sets of orders converted and bookings sent for the verdict, and counts
// the row provisionally (ahead.sum). The row is held as it now stands,
// with its verdict (outcome.prov). A withdrawal of an order or a patient
// that a row before it had marks that order touched (exactly: the set of
// orders converted keeps every order and patient seen, see tagOrder; a
// Bloom filter of fixed size, tried first, cost 9 MB of peak memory at
// 10M rows, and its false yeses half the refusals settled again). At the
// end (finishAhead), a row of
// an untouched order is final as it was settled ahead: its conversions are
// written as they are held, without decoding a plain record. Every row
// of a touched order gives its provisional counts back and settles again
// through the full path (settleRow), in sets of their own: an order's
// verdicts depend only on its own rows.
//
// Settling a row again from where it was settled ahead is settling it
// from scratch: withdrawals only add refused platforms or exclude the
// row, so applying the end's sets to a row the earlier sets were applied
// to gives what applying them to the row as decided gives (withdraw.go;
// TestSettleAheadEqualsSettleAtTheEnd and FuzzSettleAhead hold the whole
// path to the one that settles every row at the end).
//
// The date gate judges settled rows in export order until it decides
// (the first dateSample dated rows): until then, and for every row when
// the Observe hook is set, rows are decoded at the end and handed to it
// as they stand; nothing reaches the sink before the end of the export.

// settleAhead turns settling ahead on; tests turn it off to compare with
// the path it bypasses (every row settled at the end).
var settleAhead = true

// aheadProbe, when set (tests), is shown the ahead state at the end,
// once the touched orders are known.
var aheadProbe func(*ahead)

// outcome.prov: the verdict of settling the row ahead.
const (
	provDup uint8 = 1 << iota
	provRAS
	provBookDup
)

func (v verdict) bits() uint8 {
	var b uint8
	if v.dup {
		b |= provDup
	}
	if v.ras {
		b |= provRAS
	}
	if v.bookDup {
		b |= provBookDup
	}
	return b
}

// verdictOf is the verdict o was settled ahead with.
func verdictOf(o *outcome) verdict {
	v := verdict{reason: o.reason, dup: o.prov&provDup != 0, ras: o.prov&provRAS != 0, bookDup: o.prov&provBookDup != 0}
	if v.dup {
		v.reason = ReasonDuplicate
	}
	return v
}

// ahead is what settling ahead keeps until the end.
type ahead struct {
	sum    *report.Summary // provisional counts
	counts [platform.Count]int
	// touched: orders whose rows settle again at the end; revoked:
	// patients revoked after a row of theirs, whose rows' orders join
	// touched at the end (trace: a row's patient and order, for each row
	// with a patient past the consent value).
	touched, revoked   *keyset.Set
	ntouched, nrevoked int
	trace              *spool.Spool
	buf                [16]byte
}

// Which orders and patients rows past the consent value had so far (a
// row excluded there is final whatever comes after it) is kept in the
// set of orders converted, which holds the orders of the rows used
// already: the orders of the others, and the patients, under keys of
// their own (the keys are HMAC output; a tag xored in keeps them apart).
const (
	tagOrder   uint64 = 0x243F6A8885A308D3 // π's bits
	tagPatient uint64 = 0x13198A2E03707344
)

// taggedOrder and taggedPatient are the keys under which the set of
// orders converted also keeps excluded orders and patients. Both are even,
// and an order digest is odd (orderDigest), so no tagged key can be taken
// for a converted order: a patient's tagged key equal to a later order's
// digest would have made that order a duplicate_order, a conversion lost
// that settling at the end sends (TestTaggedKeysAreNeverOrderDigests).
// Tagged keys equal to each other only touch more orders, which is safe.
func taggedOrder(order uint64) uint64 { return (order ^ tagOrder) &^ 1 }

func taggedPatient(patient uint64) uint64 { return (patient ^ tagPatient) &^ 1 }

// aheadSetSizes are the touched and revoked sets' sizes: 1 MiB of table
// (78k keys before a spill) and at most 2 MiB of filter, half the
// defaults. On an export where they fill (testdata/bench/withdrawals at
// 10M rows: 1.81M orders touched, 356k patients revoked after their rows;
// make bench-ahead) the defaults, up to 12 MiB for the two, took the
// dry-run's peak RSS to 65.1 MB, over issue 29's 64 MB; halved, 61.4 MB
// (README, Performance). Neither set is looked up per row while the
// export is read, so spilling sooner costs merges and, at the end, more
// false yeses of the filter (a 4 KiB read each).
var aheadSetSizes = keyset.Sizes{TableSlots: 1 << 17, BloomBits: 1 << 24}

func newAhead(opt Options, bookings bool) *ahead {
	a := &ahead{
		sum: report.New(""), touched: keyset.New("", aheadSetSizes), revoked: keyset.New("", aheadSetSizes),
		trace: spool.New("", opt.HoldMemory),
	}
	if bookings {
		a.sum.BookingCounts()
	}
	return a
}

func (a *ahead) close() {
	a.touched.Close()
	a.revoked.Close()
	a.trace.Close()
}

// orderWithdrawn: a row withdraws order, before it is settled itself.
func (s *settler) orderWithdrawn(order uint64) error {
	had, err := s.seen.Has(order)
	// The row's own verdict asks again whether its order was converted
	// (judgeRow: a refusal after a conversion); nothing adds it before.
	s.converted = converted{order: order, yes: had, known: err == nil}
	if err == nil && !had {
		had, err = s.seen.Has(taggedOrder(order))
	}
	if err != nil || !had {
		return err
	}
	return s.ah.orderTouched(order)
}

// converted is what the set of orders converted said of a row's order
// while the row was noted (orderWithdrawn), for its verdict.
type converted struct {
	order      uint64
	yes, known bool
}

// patientRevoked: a row revokes patient (new to the withdrawals), before
// it is settled itself.
func (s *settler) patientRevoked(patient uint64) error {
	had, err := s.seen.Has(taggedPatient(patient))
	if err != nil || !had {
		return err
	}
	a := s.ah
	if had, err = a.revoked.Seen(patient, true); err == nil && !had {
		a.nrevoked++
	}
	return err
}

// settleAhead settles a decided row with the withdrawals known so far
// (those of the rows before it and its own), counts it provisionally and
// notes its verdict in o.prov; o and skips are left as settled, to be
// held.
func (s *settler) settleAhead(line int, o *outcome, skips []string) error {
	a := s.ah
	// A row settled before any withdrawal stands once one comes: apply
	// would only exclude a row past the consent value with no platform
	// open, and process never leaves one so
	// (TestScreenLeavesAPlatformOpen).
	if err := s.w.apply(o, skips); err != nil {
		return err
	}
	v, err := s.judgeRow(line, o)
	s.converted.known = false
	if err != nil {
		return err
	}
	counter{a.sum, &a.counts, 1}.count(s, o, skips, v)
	o.prov = v.bits()
	if o.stage == stagePre {
		return nil
	}
	if o.reason != "" { // else judgeRow added the order
		if _, err := s.seen.Seen(taggedOrder(o.dup), true); err != nil {
			return err
		}
	}
	if !o.hasPatient {
		return nil
	}
	if _, err := s.seen.Seen(taggedPatient(o.patient), true); err != nil {
		return err
	}
	binary.LittleEndian.PutUint64(a.buf[:8], o.patient)
	binary.LittleEndian.PutUint64(a.buf[8:], o.dup)
	return a.trace.Append(a.buf[:])
}

// finishAhead ends a run whose rows were settled ahead (see above).
func (s *settler) finishAhead(ctx context.Context) error {
	a := s.ah
	defer a.merge(s)
	if a.nrevoked > 0 {
		err := a.trace.Replay(ctx, func(rec []byte) error {
			if len(rec) != 16 {
				return fmt.Errorf("reading back held rows: %w", errRecord)
			}
			if revoked, err := a.revoked.Has(binary.LittleEndian.Uint64(rec)); err != nil || !revoked {
				return err
			}
			return a.orderTouched(binary.LittleEndian.Uint64(rec[8:]))
		})
		if err != nil {
			return err
		}
	}
	a.trace.Close()
	if aheadProbe != nil {
		aheadProbe(a)
	}
	// The touched orders' rows settle again from their first, in sets of
	// their own; no other row asks the sets again.
	s.freshSets()
	async := newAsyncSink(s.sink.sink)
	s.sink.sink = async
	defer func() { s.sink.sink = async.next }()
	var o outcome
	var cs convStore
	skips := make([]string, len(s.platforms))
	err := s.held.Replay(ctx, func(rec []byte) error {
		if len(rec) >= plainHead && rec[0] == recPlain && s.sink.decided && s.observe == nil {
			touched, err := a.isTouched(binary.LittleEndian.Uint64(rec[10:]))
			if err != nil {
				return err
			}
			if !touched {
				return s.writePlain(rec, async)
			}
		}
		cs.reset()
		line, expect, err := s.rec.decode(rec, &o, skips, &cs)
		if err != nil {
			return err
		}
		cs.link(&o)
		touched, err := a.isTouched(o.dup)
		if err != nil {
			return err
		}
		if !touched {
			return s.emitRow(line, expect, &o, skips, verdictOf(&o))
		}
		counter{a.sum, &a.counts, -1}.count(s, &o, skips, verdictOf(&o))
		if err := s.w.apply(&o, skips); err != nil {
			return err
		}
		return s.settleRow(line, expect, &o, skips)
	})
	return s.end(async, err)
}

func (a *ahead) orderTouched(order uint64) error {
	had, err := a.touched.Seen(order, true)
	if !had && err == nil {
		a.ntouched++
	}
	return err
}

func (a *ahead) isTouched(order uint64) (bool, error) {
	if a.ntouched == 0 {
		return false, nil
	}
	return a.touched.Has(order)
}

// writePlain writes the conversions of a plain record (record.go) settled
// ahead and untouched since, without decoding it: all of them when the
// row is used, none otherwise.
func (s *settler) writePlain(rec []byte, async *asyncSink) error {
	flags := rec[6]
	if rec[5] != 0 || flags>>recProvShift&provDup != 0 {
		return nil // excluded: nothing to write
	}
	b := rec[plainHead:]
	if flags&recHasPatient != 0 {
		if len(b) < 8 {
			return errPlain
		}
		b = b[8:]
	}
	if len(b) < len(s.platforms)+1 {
		return errPlain
	}
	b = b[len(s.platforms):]
	n := int(b[0])
	b = b[1:]
	for range n {
		if len(b) < 3 {
			return errPlain
		}
		size := int(b[1]) | int(b[2])<<8
		if len(b) < 3+size {
			return errPlain
		}
		if err := async.writePrepared(b[3 : 3+size]); err != nil {
			return fmt.Errorf("write conversion from line %d: %w", binary.LittleEndian.Uint32(rec[1:]), err)
		}
		b = b[3+size:]
	}
	if len(b) != 0 {
		return errPlain
	}
	return nil
}

// merge adds the provisional counts, less what rows settled again gave
// back, to the run's.
func (a *ahead) merge(s *settler) {
	add := func(to, from map[string]int) {
		for k, n := range from {
			if n != 0 {
				to[k] += n
			}
		}
	}
	addSkips := func(to, from map[string]map[string]int) {
		for p, m := range from {
			for k, n := range m {
				if n != 0 {
					addSkip(to, p, k, n)
				}
			}
		}
	}
	sum, from := s.sum, a.sum
	sum.RowsUsed += from.RowsUsed
	add(sum.Excluded, from.Excluded)
	add(sum.Dropped, from.Dropped)
	add(sum.Notes, from.Notes)
	addSkips(sum.Skipped, from.Skipped)
	if fb := from.Bookings; fb != nil {
		bs := sum.BookingCounts()
		bs.Waiting += fb.Waiting
		add(bs.Excluded, fb.Excluded)
		add(bs.Conversions, fb.Conversions)
		addSkips(bs.Skipped, fb.Skipped)
	}
	for p, n := range a.counts {
		s.counts[p] += n
	}
	a.sum, a.counts = report.New(""), [platform.Count]int{}
}

// freshSets replaces the sets of orders converted and bookings sent with
// empty ones: the rows settled at the end start from none.
func (s *settler) freshSets() {
	s.seen.Close()
	s.seen = keyset.New("", keyset.Sizes{})
	if s.bseen != nil {
		s.bseen.Close()
		s.bseen = keyset.New("", keyset.Sizes{})
	}
}
