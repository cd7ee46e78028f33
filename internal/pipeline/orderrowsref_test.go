package pipeline

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestOrderRowsAnswerAsComparingEveryRow: orderRows compares rows only
// of the orders of more than one row; what it answers must
// be what comparing every row of every order says — per platform, held
// when the rows there send two different conversions, beyond the fee
// when they differ without it — in any row order, with its sets
// spilled to disk. Only the rows of orders of more than one row are
// read back.
func TestOrderRowsAnswerAsComparingEveryRow(t *testing.T) {
	restore := keyset.ShrinkDefaults(keyset.Sizes{BloomBits: 1 << 12, TableSlots: 1 << 6})
	defer restore()
	orderRowsMemory = 512 // the rows' spool read back from disk
	defer func() { orderRowsMemory = 0 }()
	plats := []platform.Platform{platform.Google, platform.Meta}
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 29))
		type row struct {
			dup           uint64
			sends, bodies [platform.Count]uint64
		}
		var rows []row
		// variant 0: the order's usual conversion; 1: another fee; 2:
		// another time (beyond the fee); -1: the row does not reach it.
		exactOnly := seed == 5 // every repeated order's rows the same
		for order := range 400 {
			dup := keyset.Mix(uint64(order)+1) | 1
			n := 1 + rng.IntN(4)
			for range n {
				r := row{dup: dup}
				for _, p := range plats {
					v := rng.IntN(4) - 1
					if exactOnly {
						v = 0
					}
					if v < 0 {
						continue
					}
					body := 0
					if v == 2 {
						body = 1
					}
					r.sends[p] = keyset.Mix(dup^uint64(p)<<40^uint64(v)<<50) | 1
					r.bodies[p] = keyset.Mix(dup^uint64(p)<<40^uint64(body)<<56^7) | 1
				}
				rows = append(rows, r)
			}
		}
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })

		// The reference: every row of every order compared.
		type ref struct {
			rows, usable  int
			sends, bodies [platform.Count]map[uint64]bool
			held, beyond  uint32
		}
		refs := map[uint64]*ref{}
		for _, r := range rows {
			f := refs[r.dup]
			if f == nil {
				f = &ref{}
				refs[r.dup] = f
			}
			f.rows++
			any := false
			for _, p := range plats {
				if r.sends[p] == 0 {
					continue
				}
				any = true
				if f.sends[p] == nil {
					f.sends[p], f.bodies[p] = map[uint64]bool{}, map[uint64]bool{}
				}
				f.sends[p][r.sends[p]], f.bodies[p][r.bodies[p]] = true, true
			}
			if any {
				f.usable++
			}
		}
		wantFeeOnly := 0
		for _, f := range refs {
			for _, p := range plats {
				if len(f.sends[p]) > 1 {
					f.held |= 1 << p
				}
				if len(f.bodies[p]) > 1 {
					f.beyond |= 1 << p
				}
			}
			if f.held != 0 && f.beyond == 0 {
				wantFeeOnly++
			}
		}

		or := newOrderRows()
		for _, r := range rows {
			o := &outcome{dup: r.dup, sends: r.sends, bodies: r.bodies}
			if err := or.note(o); err != nil {
				t.Fatal(err)
			}
		}
		if !or.rows.Spilled() {
			t.Fatalf("seed %d: the rows' spool never reached the disk", seed)
		}
		if err := or.compare(context.Background()); err != nil {
			t.Fatal(err)
		}
		for dup, f := range refs {
			for _, p := range plats {
				got, err := or.disagree(dup, p)
				if err != nil {
					t.Fatal(err)
				}
				if want := f.held&(1<<p) != 0; got != want {
					t.Fatalf("seed %d: order %x on %v: disagree %v, want %v", seed, dup, p, got, want)
				}
			}
			if f.held != 0 {
				for range 2 { // counted once an order
					if err := or.held(dup); err != nil {
						t.Fatal(err)
					}
				}
			}
			single, err := or.single(dup)
			if err != nil {
				t.Fatal(err)
			}
			if want := f.rows == 1; single != want {
				t.Fatalf("seed %d: order %x of %d rows: single %v", seed, dup, f.rows, single)
			}
		}
		if or.feeOnly != wantFeeOnly {
			t.Errorf("seed %d: %d orders differing in the fee alone, want %d", seed, or.feeOnly, wantFeeOnly)
		}
		wantCompared := 0
		for _, f := range refs {
			if f.rows > 1 {
				wantCompared += f.usable
			}
		}
		if or.compared != wantCompared {
			t.Errorf("seed %d: %d of %d rows read back, want the %d usable rows of the repeated orders", seed, or.compared, len(rows), wantCompared)
		}
		or.close()
	}
}

// TestAnOrderOfOneRowKeepsNoKeyPerDestination: the settler keeps no key
// for an order of one row, which all its conversions leave; an order of
// two rows keeps its own and one a destination, and its second row is the
// first's duplicate. (Issue 29: a key an order and one a destination for
// every order were a third of the settling on the 1M-row bench export,
// all of whose orders are single.)
func TestAnOrderOfOneRowKeepsNoKeyPerDestination(t *testing.T) {
	plats := []platform.Platform{platform.Google, platform.Meta}
	s := &settler{seen: keyset.New("", keyset.Sizes{}), orders: newOrderRows(), platforms: plats, w: &withdrawals{}}
	defer s.seen.Close()
	defer s.orders.close()
	row := func(dup uint64) *outcome {
		o := &outcome{dup: dup}
		for _, p := range plats {
			o.convs = append(o.convs, &conversion.Conversion{Platform: p})
			o.sends[p], o.bodies[p] = keyset.Mix(dup^uint64(p))|1, keyset.Mix(dup^uint64(p)^9)|1
		}
		return o
	}
	const single = 100
	var rows []*outcome
	for i := range uint64(single) {
		rows = append(rows, row(i+1))
	}
	rows = append(rows, row(single+1), row(single+1)) // one order of two rows
	for _, o := range rows {
		if err := s.orders.note(o); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.orders.compare(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, o := range rows {
		v, err := s.judgeRow(i+2, o, make([]string, len(plats)))
		if err != nil {
			t.Fatal(err)
		}
		reason := v.reason
		wantReason, wantConvs := "", len(plats)
		if i == len(rows)-1 {
			wantReason, wantConvs = ReasonDuplicate, 0
		}
		if reason != wantReason || (reason == "" && len(o.convs) != wantConvs) {
			t.Fatalf("row %d: reason %q, %d conversions; want %q, %d", i, reason, len(o.convs), wantReason, wantConvs)
		}
	}
	if n, want := s.seen.Len(), 1+len(plats); n != want {
		t.Errorf("the settler keeps %d keys for %d single orders and one of two rows, want %d", n, single, want)
	}
}
