package channels

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestVisitLogSpills compares the external sort, forced onto the disk
// with a tiny buffer, with a map holding every patient: first visits,
// revenue, and the noise each visit carries through the spill.
func TestVisitLogSpills(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	type agg struct {
		first   int64
		tie     uint64
		channel int
		revenue amount
		noise   amount // the first visit's
	}
	for _, buffer := range []int{1, 3, 7, 1000} {
		l := newVisitLog(t.TempDir(), buffer)
		want := map[uint64]*agg{}
		for range 500 {
			key := uint64(rng.IntN(60))
			at := int64(rng.IntN(1000))
			ch := rng.IntN(5)
			tie := uint64(rng.IntN(4))
			v := amount(rng.IntN(50))
			noise := amount(rng.IntN(2001) - 1000)
			if err := l.add(key, at, tie, ch, v, noise); err != nil {
				t.Fatal(err)
			}
			a := want[key]
			if a == nil {
				a = &agg{first: at, tie: tie, channel: ch, noise: noise}
				want[key] = a
			} else if at < a.first || at == a.first && tie < a.tie { // ties: the smaller row hash, whatever the order
				a.first, a.tie, a.channel, a.noise = at, tie, ch, noise
			}
			a.revenue += v
		}
		got := map[agg]int{}
		n := 0
		all := func(first, v visit) bool { return true }
		if err := l.each(all, nil, func(first visit, revenue amount) {
			got[agg{first.at, first.tie, int(first.channel), revenue, first.noise}]++
			n++
		}); err != nil {
			t.Fatal(err)
		}
		wantSet := map[agg]int{}
		for _, a := range want {
			wantSet[*a]++
		}
		if n != len(want) || !reflect.DeepEqual(got, wantSet) {
			t.Fatalf("buffer %d: %d patients, want %d; differ: %v", buffer, n, len(want), !reflect.DeepEqual(got, wantSet))
		}
		if buffer < 500 && len(l.s.runs) == 0 {
			t.Fatalf("buffer %d never spilled", buffer)
		}
		if cap(l.s.buf) > buffer {
			t.Errorf("buffer %d: the in-memory run grew to %d records", buffer, cap(l.s.buf))
		}
		if err := l.close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNewPatientsSameOnDisk(t *testing.T) {
	build := func(buffer int) *Report {
		rep, _, err := Build(context.Background(), Options{
			Config: testConfig(), Input: strings.NewReader(smallExport), InputName: "export.csv",
			From: day("2026-11-01"), To: day("2026-11-30"), Period: "week", visitBuffer: buffer,
		})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if a, b := build(0), build(1); !reflect.DeepEqual(a, b) {
		t.Fatal("the report differs when the visit log spills to disk")
	}
}
