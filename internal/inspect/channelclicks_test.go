package inspect

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
)

const gclidValue = "Cj0KCQiA5rGuBhCnARIsAN11vgR1mJ8Xw2Yk0p7Qyz"

func channelsOpt() *Channels {
	return &Channels{MinCell: 5, SourceColumn: "Source", List: []config.Channel{
		{Name: "Google Ads", Platform: "google", Sources: []string{"google"}},
		{Name: "LINE", Sources: []string{"line"}},
		{Name: "Referral", Sources: []string{"referral"}},
	}}
}

// TestChannelClickIDs: rows go to the channel their source word names
// (spellings folded as the channel report folds them), and per channel
// the rows with a click id are counted; a count under min_cell is
// withheld, the channel's click-id counts with it, and in each column
// (whose total inspect prints) one more count is hidden so that the
// total minus the printed ones gives no small count back.
func TestChannelClickIDs(t *testing.T) {
	var b strings.Builder
	b.WriteString("Appointment ID,Appointment Time,Source,gclid\n")
	row := func(i int, src string, clicked bool) {
		g := ""
		if clicked {
			g = gclidValue
		}
		fmt.Fprintf(&b, "A%d,2026-11-01 10:00,%s,%s\n", i, src, g)
	}
	i := 0
	for j := range 20 { // Google Ads: 20 rows, 10 with a gclid
		row(i, []string{"google", "Google-Ads", "GOOGLE"}[j%3], j%2 == 0)
		i++
	}
	for j := range 3 { // LINE: 3 rows, 1 with a gclid: under min_cell
		row(i, "LINE", j == 0)
		i++
	}
	for range 8 { // Referral: 8 rows
		row(i, "referral", false)
		i++
	}
	for range 6 { // Unattributed: a patient's name as the source, 6 rows
		row(i, "Canary Wang", false)
		i++
	}
	opt := channelsOpt()
	opt.List[0].Sources = []string{"google", "google ads"}
	p, err := Run(strings.NewReader(b.String()), "export.csv", Options{Channels: opt})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range p.ChannelClickIDs {
		f := func(v *int) string {
			if v == nil {
				return "-"
			}
			return fmt.Sprint(*v)
		}
		got[c.Name] = fmt.Sprintf("%s %s %s %v %v", f(c.Rows), f(c.ClickIDs["google"]), f(c.ClickIDs["meta"]), c.Small, c.Suppressed)
	}
	want := map[string]string{
		"Google Ads":   "20 - 0 [] [google]",                     // its 10 hidden: the column's only other printable count
		"LINE":         "- - - [rows google] [rows google meta]", // 3 rows, 1 with a gclid: small; meta hidden with its channel
		"Referral":     "8 0 0 [] []",
		"Unattributed": "- - - [] [rows google meta]", // hidden beside LINE: 3 alone would be the total minus the rest
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %s, want %s", name, got[name], w)
		}
	}
	if p.ChannelMinCell != 5 {
		t.Errorf("min cell %d", p.ChannelMinCell)
	}
	// Without the source column in the export: said, nothing counted.
	opt.SourceColumn = "Channel"
	p, err = Run(strings.NewReader(b.String()), "export.csv", Options{Channels: opt})
	if err != nil {
		t.Fatal(err)
	}
	if p.ChannelClickIDs != nil || !strings.Contains(p.ChannelSourceMissing, "names no column") {
		t.Errorf("source column absent: %+v %q", p.ChannelClickIDs, p.ChannelSourceMissing)
	}
}

// TestChannelClickIDsGiveNoSmallCountBack: on random tables, every column
// of counts (rows, Google click ids, Meta click ids) with its printed
// total holds no withheld count, or at least two that together reach
// min_cell — subtracting the printed counts from the total gives back no
// count under min_cell — and a click-id count of a withheld channel is
// withheld.
func TestChannelClickIDsGiveNoSmallCountBack(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 2))
	for trial := range 300 {
		n := 2 + rng.IntN(6)
		k := 2 + rng.IntN(9)
		c := &channelCounter{opt: &Channels{MinCell: k}, src: 0, clicks: make([][]int, 2)}
		for i := range n {
			c.names = append(c.names, fmt.Sprint("ch", i))
			r := rng.IntN(3 * k)
			c.rows = append(c.rows, r)
			c.clicks[0] = append(c.clicks[0], rng.IntN(r+1))
			c.clicks[1] = append(c.clicks[1], rng.IntN(r+1))
		}
		out := c.result()
		for ci, col := range []struct {
			key string
			v   []int
			got func(ChannelClickIDs) *int
		}{{"rows", c.rows, func(x ChannelClickIDs) *int { return x.Rows }},
			{"google", c.clicks[0], func(x ChannelClickIDs) *int { return x.ClickIDs["google"] }},
			{"meta", c.clicks[1], func(x ChannelClickIDs) *int { return x.ClickIDs["meta"] }}} {
			withheld, sum, printedNonZero := 0, 0, 0
			for i, x := range out {
				v := col.got(x)
				switch {
				case v == nil:
					withheld++
					sum += col.v[i]
				case *v != col.v[i]:
					t.Fatalf("trial %d: %s of %s printed %d, is %d", trial, col.key, x.Name, *v, col.v[i])
				case *v >= 1 && *v < k:
					t.Errorf("trial %d: %s of %s: %d printed under min_cell %d", trial, col.key, x.Name, *v, k)
				case *v > 0:
					printedNonZero++
				}
				if ci > 0 && x.Rows == nil && v != nil {
					t.Errorf("trial %d: %s of %s printed beside its withheld rows", trial, col.key, x.Name)
				}
			}
			if (withheld == 1 && n > 1) || (withheld >= 2 && sum < k && printedNonZero > 0) {
				t.Errorf("trial %d: %s: %d withheld summing %d (min_cell %d): the total gives them back", trial, col.key, withheld, sum, k)
			}
		}
	}
}
