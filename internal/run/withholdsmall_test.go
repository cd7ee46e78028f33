package run

import (
	"maps"
	"testing"
)

// TestWithholdSmall: counts from 1 to min_cell-1 are withheld with their
// states; 0 and min_cell stay exact; min_cell 1 withholds nothing.
func TestWithholdSmall(t *testing.T) {
	c := []CarriedByOthers{{Sent: 0}, {Sent: 1, States: map[string]int{"ingested": 1}}, {Sent: 4}, {Sent: 5, States: map[string]int{"ingested": 5}}}
	withholdSmall(c, 5)
	for i, want := range []struct{ sent, fewer int }{{0, 0}, {0, 5}, {0, 5}, {5, 0}} {
		if c[i].Sent != want.sent || c[i].FewerThan != want.fewer {
			t.Errorf("count %d: sent %d, fewer than %d; want %d, %d", i, c[i].Sent, c[i].FewerThan, want.sent, want.fewer)
		}
	}
	if c[1].States != nil || c[3].States["ingested"] != 5 {
		t.Errorf("states: withheld %v, kept %v", c[1].States, c[3].States)
	}
	one := []CarriedByOthers{{Sent: 1}}
	if withholdSmall(one, 1); one[0].Sent != 1 || one[0].FewerThan != 0 {
		t.Errorf("min_cell 1: %+v, want the exact count", one[0])
	}
}

// TestWithholdSmallMergesSmallStates (a review, 2026-12-07): a count kept
// (5 or more) was told by state, "rejected: 1" among them — another
// chart's small count. States below min_cell are merged with the next
// smallest until the merge is min_cell or more; alone as "fewer than 5"
// the total less the others would give it back.
func TestWithholdSmallMergesSmallStates(t *testing.T) {
	for _, tc := range []struct {
		states, want map[string]int
	}{
		{map[string]int{"ingested": 7}, map[string]int{"ingested": 7}},
		{map[string]int{"ingested": 5, "processed": 6}, map[string]int{"ingested": 5, "processed": 6}},
		// 1 alone: merged with the smallest other, never shown.
		{map[string]int{"processed": 6, "rejected": 1}, map[string]int{OtherStates: 7}},
		{map[string]int{"processed": 9, "ingested": 5, "rejected": 1}, map[string]int{"processed": 9, OtherStates: 6}},
		// Small states reaching 5 together: the rest stay exact.
		{map[string]int{"processed": 9, "rejected": 2, "failed": 3}, map[string]int{"processed": 9, OtherStates: 5}},
	} {
		sent := 0
		for _, n := range tc.states {
			sent += n
		}
		c := []CarriedByOthers{{Sent: sent, States: maps.Clone(tc.states)}}
		withholdSmall(c, 5)
		if c[0].Sent != sent || !maps.Equal(c[0].States, tc.want) {
			t.Errorf("%v: sent %d, states %v; want %d, %v", tc.states, c[0].Sent, c[0].States, sent, tc.want)
		}
	}
	exact := []CarriedByOthers{{Sent: 7, States: map[string]int{"processed": 6, "rejected": 1}}}
	if withholdSmall(exact, 1); exact[0].States["rejected"] != 1 {
		t.Errorf("min_cell 1: %v, want every state exact", exact[0].States)
	}
}
