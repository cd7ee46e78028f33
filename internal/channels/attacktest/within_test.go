package attacktest

import (
	"slices"
	"testing"
)

func mkLine(name string, role Role, figs map[string]Fig) Line {
	return Line{Name: name, Role: role, Figs: figs}
}

func printed(v float64) Fig { return Fig{V: v, Printed: true} }

var withheld = Fig{Suppressed: true}

// TestPinnedWithinSolvesTheRelations: each relation among one report's
// figures gives a withheld figure away when the rest of it is printed,
// and none does when two of its figures are withheld.
func TestPinnedWithinSolvesTheRelations(t *testing.T) {
	cases := []struct {
		name   string
		window Table
		period []Table
		want   []string
	}{
		{"visits less new-patient visits", Table{Name: "w", Lines: []Line{
			mkLine("Meta Ads", PaidChannel, map[string]Fig{"visits": printed(14), "new_visits": printed(11), "returning_visits": withheld}),
		}}, nil, []string{"w: Meta Ads returning_visits"}},
		{"revenue less new revenue", Table{Name: "w", Lines: []Line{
			mkLine("Meta Ads", PaidChannel, map[string]Fig{"revenue": printed(300), "new_revenue": printed(200), "returning_revenue": withheld}),
		}}, nil, []string{"w: Meta Ads returning_revenue"}},
		{"bookings less the other outcomes", Table{Name: "w", Lines: []Line{
			mkLine("LINE", Channel, map[string]Fig{"bookings": printed(20), "visits": printed(12), "no_shows": withheld, "cancellations": printed(0),
				"pending": printed(5), "unclassified": printed(0)}),
		}}, nil, []string{"w: LINE no_shows"}},
		{"new patients are new-patient visits", Table{Name: "w", Lines: []Line{
			mkLine("LINE", Channel, map[string]Fig{"new_patients": printed(7), "new_visits": withheld}),
		}}, nil, []string{"w: LINE new_visits"}},
		{"Total less Paid less the printed others", Table{Name: "w", Lines: []Line{
			mkLine("Google Ads", PaidChannel, map[string]Fig{"bookings": withheld}),
			mkLine("Meta Ads", PaidChannel, map[string]Fig{"bookings": withheld}),
			mkLine("LINE", Channel, map[string]Fig{"bookings": printed(9)}),
			mkLine("Referral", Channel, map[string]Fig{"bookings": withheld}),
			mkLine("Paid", PaidLine, map[string]Fig{"bookings": printed(40)}),
			mkLine("Total", TotalLine, map[string]Fig{"bookings": printed(52)}),
		}}, nil, []string{"w: Referral bookings"}},
		{"the window less the printed periods", Table{Name: "w", Lines: []Line{mkLine("LINE", Channel, map[string]Fig{"visits": printed(10)})}},
			[]Table{{Name: "p1", Lines: []Line{mkLine("LINE", Channel, map[string]Fig{"visits": printed(7)})}},
				{Name: "p2", Lines: []Line{mkLine("LINE", Channel, map[string]Fig{"visits": withheld})}}},
			[]string{"p2: LINE visits"}},
		{"two withheld in one relation", Table{Name: "w", Lines: []Line{
			mkLine("Meta Ads", PaidChannel, map[string]Fig{"visits": printed(14), "new_visits": withheld, "returning_visits": withheld}),
		}}, nil, nil},
		{"a margin that does not exist ties nothing", Table{Name: "w", Lines: []Line{
			mkLine("Google Ads", PaidChannel, map[string]Fig{"clicks": withheld}),
			mkLine("Meta Ads", PaidChannel, map[string]Fig{"clicks": printed(80)}),
			mkLine("Paid", PaidLine, map[string]Fig{}),
			mkLine("Total", TotalLine, map[string]Fig{}),
		}}, nil, nil},
	}
	for _, c := range cases {
		if got := PinnedWithin(c.window, c.period); !slices.Equal(got, c.want) {
			t.Errorf("%s: pinned %q, want %q", c.name, got, c.want)
		}
	}
}
