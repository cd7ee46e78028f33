package pipeline

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// ticksNight is one night of a clinic whose order ids are .NET ticks read
// from a 15.6 ms timer (multiples of 156250 ticks, 18 digits): n visits,
// the first ending000 of whose ids end in 000 (one in four of the timer's
// values do), *k the timer's count, advanced.
func ticksNight(n, ending000 int, k *uint64) string {
	const base = 639000000000000000 // 2026, in ticks: a multiple of 156250 and of 1000
	var b strings.Builder
	for i := range n {
		*k += 5529601 // a day and a bit of the timer
		for (*k%4 == 0) != (i < ending000) {
			*k++
		}
		fmt.Fprintf(&b, "%d,2026-11-02 09:%02d,completed,p%d@example.com,,,,,,,yes,\n", base+*k*156250, i*5, i)
	}
	return b.String()
}

// TestTicksClinicsNightsGoThrough: a clinic's three long ids a night from
// a 15.6 ms timer end in 000 one time in four. Before, the kept counts
// were the last night's and a genuine id was taken to end in 000 once in
// a thousand: a night of three none ending so, then three all ending so,
// stopped (about one night in 64); a first night of three ending so, then
// three not, stopped the other way. Now a month and more of its nights —
// those two among them — never stops.
func TestTicksClinicsNightsGoThrough(t *testing.T) {
	for _, start := range [][]int{
		{3},                      // a first night of three ending in 000
		{0, 0, 0, 0, 0, 0, 0, 3}, // a week of none, then all three
	} {
		var k uint64
		r := rand.New(rand.NewPCG(24, 12))
		var kept *IDShape
		for n := range 90 {
			ending := 0
			if n < len(start) {
				ending = start[n]
			} else {
				for range 3 {
					if r.IntN(4) == 0 {
						ending++
					}
				}
			}
			next, err, _ := night(t, kept, ticksNight(3, ending, &k), false)
			if err != nil {
				t.Errorf("start %v, night %d (%d of 3 ending in 000): %v", start, n+1, ending, err)
				continue // a stopped night keeps nothing
			}
			kept = &next
		}
		if got := kept.Long[0]; got.Long != 270 || 4*got.Rounded < 270/2 || 4*got.Rounded > 2*270 {
			t.Errorf("start %v: kept %+v, want the 270 ids' counts, about a quarter of them ending in 000", start, got)
		}
	}
}

// TestReSaveAfterSmallNightsStops: a clinic of three long ids a night,
// as written for eight nights (24 kept, none ending in zeros), uploads a
// copy a spreadsheet re-saved: six ids, all rounded, stop; and a clinic
// whose eight nights' files had all been re-saved, its file as written.
func TestReSaveAfterSmallNightsStops(t *testing.T) {
	for _, tc := range []struct {
		name        string
		kept, today bool // rounded, the nights before and tonight
		want        string
	}{
		{"rounded tonight", false, true, "look rounded by a spreadsheet"},
		{"no longer rounded", true, false, "no longer rounded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var kept *IDShape
			for n := range 8 {
				next, err, _ := night(t, kept, apartBody(3, tc.kept, 0), false)
				if err != nil {
					t.Fatalf("night %d: %v", n+1, err)
				}
				kept = &next
			}
			if _, err, _ := night(t, kept, apartBody(6, tc.today, 0), false); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("tonight: %v, want a stop saying %q", err, tc.want)
			}
		})
	}
}

// TestLongShapeKeptAddsNightsUp: the kept counts are the nights' added up,
// scaled down past longMemory; a night --accept-new-ids passed whose ids
// departed from them replaces them, weighing at least longEvidence; one
// that did not is added up as any night.
func TestLongShapeKeptAddsNightsUp(t *testing.T) {
	var kept LongShape
	for range 8 {
		kept = LongShape{Long: 3}.Kept(kept, false)
	}
	if want := (LongShape{Long: 24}); kept != want {
		t.Errorf("eight nights of three: kept %+v, want %+v", kept, want)
	}
	if got, want := (LongShape{Long: 10, Rounded: 10, Zeros: 30}).Kept(LongShape{Long: 2048, Rounded: 512, Zeros: 1536}, false), (LongShape{Long: 1024, Rounded: 259, Zeros: 779}); got != want {
		t.Errorf("past longMemory: kept %+v, want %+v", got, want)
	}
	rounded := LongShape{Long: 10, Rounded: 10, Zeros: 30}
	if got, want := rounded.Kept(kept, true), (LongShape{Long: 20, Rounded: 20, Zeros: 60}); got != want {
		t.Errorf("accepted, departing: kept %+v, want %+v", got, want)
	}
	if got, want := (LongShape{Long: 3}).Kept(kept, true), (LongShape{Long: 27}); got != want {
		t.Errorf("accepted, as before: kept %+v, want %+v", got, want)
	}
}

// TestTicksClinicsYearsGoThrough (the review after the late fixes): past
// longMemory the kept counts were scaled down every night, rounding down,
// which took at least one off Rounded a night while a small night added
// less on average: a clinic of two or three .NET-ticks ids a night (one in
// four ending in 000) drifted to a kept share of none ending so, and from
// about its 1,100th night its nights stopped again, one in 16 to 64. The
// counts now grow to twice longMemory before they are scaled down. Ten
// years of nights, judged as the upload judges them (a stopped night keeps
// nothing), never stop.
func TestTicksClinicsYearsGoThrough(t *testing.T) {
	for _, n := range []int{2, 3} {
		r := rand.New(rand.NewPCG(uint64(n), 24))
		var kept LongShape
		stops, first := 0, 0
		for night := range 3650 {
			e := 0
			for range n {
				if r.IntN(4) == 0 {
					e++
				}
			}
			s := LongShape{Long: n, Rounded: e, Zeros: 3 * e}
			if s.roundedOver(kept) || s.fullOver(kept) {
				if stops++; first == 0 {
					first = night + 1
				}
				continue
			}
			kept = s.Kept(kept, false)
		}
		if stops > 0 {
			t.Errorf("%d ids a night: %d of 3650 nights stopped, the first on night %d (kept %+v)", n, stops, first, kept)
		}
	}
}
