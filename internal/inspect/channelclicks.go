package inspect

import (
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/channels"
	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/platform"
)

// Channels asks Run for the click-id share per channel (issue 23): given
// a config's channels.list, each row goes to the channel its source word
// names, as `hashgate channels` matches it (channels.Attributor, without
// the click ids that would decide it there), and the rows with a Google
// or a Meta click id are counted per channel. The share says how much of
// each channel Google can still measure under its health-data policy
// (click ids only) — and how many bookings of a LINE or referral channel
// came from an ad click.
type Channels struct {
	List []config.Channel
	// SourceColumn is input.columns.source: the header of the column
	// whose words name the channel.
	SourceColumn string
	// MinCell is channels.min_cell: counts from 1 to MinCell−1 are
	// withheld, with what would let them be worked out.
	MinCell int
}

// ChannelClickIDs is one channel's rows and the rows among them with a
// click id of each ad platform (keyed by the platform's name, in
// platform.All). A withheld count is null and its key ("rows" or the
// platform's name) listed in Suppressed, as in the channel report's JSON.
type ChannelClickIDs struct {
	Name       string          `json:"name"`
	Rows       *int            `json:"rows"`
	ClickIDs   map[string]*int `json:"click_ids"`
	Suppressed []string        `json:"suppressed"`
	// Small lists the keys withheld as counts below min_cell ("<5");
	// the others in Suppressed are hidden so that subtraction cannot
	// give one back ("*").
	Small []string `json:"small"`
}

// channelCounter counts rows per channel during Run's one pass.
type channelCounter struct {
	opt          *Channels
	attr         *channels.Attributor
	src          int     // the source column's index, -1 when the export has none
	cols         [][]int // per platform.All: its click-id columns
	rows         []int
	clicks       [][]int // per platform.All, per channel
	names        []string
	sourceAbsent bool
}

func newChannelCounter(opt *Channels, header []string) *channelCounter {
	if opt == nil || len(opt.List) == 0 {
		return nil
	}
	c := &channelCounter{opt: opt, attr: channels.NewAttributor(opt.List), src: -1, cols: platformClickColumns(header)}
	want := consent.Fold(opt.SourceColumn)
	if want != "" {
		c.src = slices.IndexFunc(header, func(h string) bool { return consent.Fold(h) == want })
	}
	c.sourceAbsent = c.src < 0
	for _, ch := range opt.List {
		c.names = append(c.names, strings.TrimSpace(ch.Name))
	}
	c.names = append(c.names, config.Unattributed)
	c.rows = make([]int, len(c.names))
	for range platform.All {
		c.clicks = append(c.clicks, make([]int, len(c.names)))
	}
	return c
}

// platformClickColumns finds, per ad platform, the columns named by one
// of its click-id keys (platform.Spec.AttributionClickIDs: gclid, gbraid,
// wbraid; fbclid), by the header synonyms mapping uses or by name.
func platformClickColumns(header []string) [][]int {
	out := make([][]int, len(platform.All))
	for pi, p := range platform.All {
		for i, h := range header {
			fold := strings.ToLower(strings.TrimSpace(h))
			if slices.ContainsFunc(p.Spec().AttributionClickIDs, func(key string) bool {
				return fold == key || headerScore(key, h) >= minScore
			}) {
				out[pi] = append(out[pi], i)
			}
		}
	}
	return out
}

func (c *channelCounter) add(cells []string) {
	if c == nil || c.src < 0 {
		return
	}
	src := ""
	if c.src < len(cells) {
		src = cells[c.src]
	}
	i := c.attr.Channel(src, func(platform.Platform) bool { return false })
	c.rows[i]++
	for pi, cols := range c.cols {
		if anyClickID(cells, cols) {
			c.clicks[pi][i]++
		}
	}
}

// result applies the printing rule of the channel report to the counts:
// a count from 1 to min_cell−1 is withheld; a click-id count of a
// withheld channel is withheld with it; and in each column — whose total
// inspect prints (the rows, the click-id rows of the export) — the
// withheld counts are none, or at least two that together reach min_cell,
// else the smallest printed non-zero count is hidden too (a zero, when no
// other is left), so that the total minus the printed ones gives back no
// channel's small count.
func (c *channelCounter) result() []ChannelClickIDs {
	if c == nil || c.src < 0 {
		return nil
	}
	k := max(c.opt.MinCell, 1)
	n := len(c.names)
	type state uint8
	const (
		shown state = iota
		small
		hidden
	)
	rows := make([]state, n)
	primary := func(v []int, st []state) {
		for i, x := range v {
			if x >= 1 && x < k {
				st[i] = small
			}
		}
	}
	complement := func(v []int, st []state) {
		for {
			count, sum := 0, 0
			for i, s := range st {
				if s != shown {
					count++
					sum += v[i]
				}
			}
			if count == 0 || (count >= 2 && sum >= k) {
				return
			}
			best := -1
			for i, s := range st {
				if s == shown && v[i] > 0 && (best < 0 || v[i] < v[best]) {
					best = i
				}
			}
			if best < 0 && count == 1 {
				// Only zeros are left: hide one, so that the total names no
				// channel. (What the withheld ones add up to is then the
				// export's total, printed above whatever this says.)
				best = slices.Index(st, shown)
			}
			if best < 0 {
				return
			}
			st[best] = hidden
		}
	}
	primary(c.rows, rows)
	complement(c.rows, rows)
	states := make([][]state, len(c.clicks))
	for pi, v := range c.clicks {
		st := make([]state, n)
		primary(v, st)
		for i := range st {
			if rows[i] != shown && st[i] == shown {
				st[i] = hidden // a click-id count of a withheld channel
			}
		}
		complement(v, st)
		states[pi] = st
	}
	out := make([]ChannelClickIDs, n)
	for i := range out {
		o := ChannelClickIDs{Name: c.names[i], ClickIDs: map[string]*int{}, Suppressed: []string{}, Small: []string{}}
		put := func(key string, v int, st state) *int {
			switch st {
			case shown:
				return &v
			case small:
				o.Small = append(o.Small, key)
			}
			o.Suppressed = append(o.Suppressed, key)
			return nil
		}
		o.Rows = put("rows", c.rows[i], rows[i])
		for pi, p := range platform.All {
			o.ClickIDs[p.String()] = put(p.String(), c.clicks[pi][i], states[pi][i])
		}
		out[i] = o
	}
	return out
}
