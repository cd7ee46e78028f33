package run

import "testing"

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
