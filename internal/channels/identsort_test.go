package channels

import (
	"cmp"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/identifier"
)

// oldIdentCmp is identCodec's comparison before identsort.go, kept as
// the oracle of the order: every field compared every time.
func oldIdentCmp(a, b identRow) int {
	return cmp.Or(cmp.Compare(a.ident, b.ident), cmp.Compare(a.at, b.at), cmp.Compare(a.tie, b.tie), cmp.Compare(a.patient, b.patient))
}

// TestSortIdentRowsIsSortFunc: the radix sort orders any buffer as
// slices.SortFunc under the old comparison — random identifiers, a few
// shared by many rows (one bucket past insertion), all in one bucket,
// equal times and ties.
func TestSortIdentRowsIsSortFunc(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 29))
	shapes := map[string]func() uint64{
		"random":     rng.Uint64,
		"few":        func() uint64 { return rng.Uint64N(5) << 60 },
		"one-bucket": func() uint64 { return 7<<(64-identBucketBits) | rng.Uint64N(1000) },
		"small":      func() uint64 { return rng.Uint64N(50) },
	}
	for name, ident := range shapes {
		for _, n := range []int{0, 1, 2, identInsertion, identInsertion + 1, 300, 5000, rekeyBuffer} {
			a := make([]identRow, n)
			for i := range a {
				a[i] = identRow{ident: ident(), at: rng.Int64N(4) - 2, tie: rng.Uint64N(3), patient: rng.Uint64N(4)}
				if rng.IntN(2) == 0 {
					a[i].tie = rng.Uint64() // the top bit set: compared unsigned
				}
			}
			want := slices.Clone(a)
			slices.SortFunc(want, oldIdentCmp)
			sortIdentRows(a)
			if !slices.Equal(a, want) {
				t.Fatalf("%s, %d records: sortIdentRows differs from slices.SortFunc", name, n)
			}
			for i := 1; i < len(a); i++ {
				if identCmp(a[i-1], a[i]) != oldIdentCmp(a[i-1], a[i]) || identCmp(a[i], a[i-1]) != oldIdentCmp(a[i], a[i-1]) {
					t.Fatalf("%s: identCmp(%+v, %+v) differs from the old comparison", name, a[i-1], a[i])
				}
			}
		}
	}
}

// rekeyOracle is what the warning counts, read straight from every
// identifier record in memory: per identifier its first carrier (the
// least at, tie, patient); per patient the earliest first carrier of
// another key among its identifiers, against its first visit.
func rekeyOracle(recs []identRow, firsts map[uint64]int64) map[int32][2]int {
	carrier := map[uint64]identRow{}
	for _, v := range recs {
		if c, ok := carrier[v.ident]; !ok || oldIdentCmp(v, c) < 0 {
			carrier[v.ident] = v
		}
	}
	shared := map[uint64]int64{}
	for _, v := range recs {
		c := carrier[v.ident]
		if c.patient == v.patient {
			continue
		}
		if s, ok := shared[v.patient]; !ok || c.at < s {
			shared[v.patient] = c.at
		}
	}
	days := map[int32][2]int{}
	for p, at := range firsts {
		d := days[int32(at)]
		d[0]++
		if s, ok := shared[p]; ok && s < at {
			d[1]++
		}
		days[int32(at)] = d
	}
	return days
}

// stayedOracle is what stayed counts, from every record in memory: the
// first carriers of identifiers that patients new within [max(day,
// from), to] carried before their first visit, and of them those whose
// last visit is on or after day.
func stayedOracle(recs []identRow, firsts, lasts map[uint64]int64, day, from, to int32) (linked, stayed int) {
	carrier := map[uint64]identRow{}
	for _, v := range recs {
		if c, ok := carrier[v.ident]; !ok || oldIdentCmp(v, c) < 0 {
			carrier[v.ident] = v
		}
	}
	keys := map[uint64]bool{}
	for _, v := range recs {
		c := carrier[v.ident]
		f, ok := firsts[v.patient]
		if c.patient == v.patient || !ok || c.at >= f {
			continue
		}
		if d := int32(f); d >= max(day, from) && d <= to {
			keys[c.patient] = true
		}
	}
	for k := range keys {
		linked++
		if l, ok := lasts[k]; ok && int32(l) >= day {
			stayed++
		}
	}
	return linked, stayed
}

// TestRekeyedAddKeepsTheFirstCarrier: random patients' rows, carrying
// identifiers from a small pool (shared across keys), with repeated and
// equal times, in random order and repeated, filed through add (the
// cache that leaves out a pair's later records) and the spilling sort,
// count as the oracle counts from every record. A cache that dropped a
// record earlier than the one it holds would move an identifier's first
// carrier: the fixed case first, then the random ones.
func TestRekeyedAddKeepsTheFirstCarrier(t *testing.T) {
	check := func(t *testing.T, recs []identRow, firsts, lasts map[uint64]int64, buffer int) {
		t.Helper()
		r := newRekeyed(buffer, identifier.Options{}, config.NotPatient{})
		defer r.close()
		for _, v := range recs {
			if err := r.add(v); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range slices.Sorted(maps.Keys(firsts)) {
			if err := r.first(p, firsts[p], lasts[p]); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.link(); err != nil {
			t.Fatal(err)
		}
		if err := r.count(func(at int64) int32 { return int32(at) }); err != nil {
			t.Fatal(err)
		}
		if want := rekeyOracle(recs, firsts); !maps.Equal(r.days, want) {
			t.Fatalf("buffer %d: days %v, the oracle %v; records %+v", buffer, r.days, want, recs)
		}
		for day := int32(0); day < 14; day += 3 {
			linked, stayed, err := r.stayed(func(at int64) int32 { return int32(at) }, day, 2, 11)
			if err != nil {
				t.Fatal(err)
			}
			if wl, ws := stayedOracle(recs, firsts, lasts, day, 2, 11); linked != wl || stayed != ws {
				t.Fatalf("buffer %d, day %d: %d linked keys, %d stayed; the oracle %d, %d; records %+v", buffer, day, linked, stayed, wl, ws, recs)
			}
		}
	}
	// Patient 1 carries the phone at 10, patient 2 at 5, patient 1 again
	// at 3 (rows out of order): patient 1 is its first carrier, and
	// patient 2, new at 8, carries an earlier key's phone.
	fixed := []identRow{{ident: 9, at: 10, tie: 1, patient: 1}, {ident: 9, at: 5, tie: 2, patient: 2}, {ident: 9, at: 3, tie: 3, patient: 1}}
	check(t, fixed, map[uint64]int64{1: 3, 2: 8}, map[uint64]int64{1: 10, 2: 8}, 0)
	rng := rand.New(rand.NewPCG(7, 25))
	for trial := range 300 {
		patients := 1 + rng.IntN(12)
		pool := 1 + rng.IntN(10)
		var recs []identRow
		firsts, lasts := map[uint64]int64{}, map[uint64]int64{}
		for p := range patients {
			key := uint64(p) * 0x100000001 // distinct, some slots shared
			own := rng.Uint64N(uint64(pool))
			for range 1 + rng.IntN(5) {
				at, tie := rng.Int64N(12), rng.Uint64N(3)
				if f, ok := firsts[key]; !ok || at < f {
					firsts[key] = at + rng.Int64N(2) // a counted row is not always a visit
				}
				lasts[key] = max(lasts[key], firsts[key], at+rng.Int64N(3))
				for range 1 + rng.IntN(2) {
					id := own
					if rng.IntN(3) == 0 {
						id = rng.Uint64N(uint64(pool))
					}
					recs = append(recs, identRow{ident: id * 0x9e3779b97f4a7c15, at: at, tie: tie, patient: key})
				}
			}
		}
		for range rng.IntN(len(recs) + 1) { // rows repeated
			recs = append(recs, recs[rng.IntN(len(recs))])
		}
		rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
		for _, buffer := range []int{0, 1 + trial%5} {
			check(t, recs, firsts, lasts, buffer)
		}
	}
}
