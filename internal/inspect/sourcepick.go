package inspect

import (
	"slices"
	"sort"
)

// cand is a (key, column) pair proposeMapping may take, with its score.
type cand struct {
	key   string
	col   int // index into the columns
	score float64
	why   string
}

// preferChannelSources orders the source candidates by the share of their
// filled rows that hold a channel word of hashgate's vocabulary (the words
// `hashgate channels` attributes by, printable.ChannelWords): a mainland
// export's 一级来源 (网络推广, 新媒体: categories) and 二级来源 (百度推广, 抖音,
// 美团: channels) score alike by header, and the first by column order
// was taken, leaving most rows Unattributed. The candidates' scores are
// dealt out again, best to the highest share, so that the source still
// competes with the other keys at the scores it had (less a hair, to keep
// the order when they were equal); equal shares keep the order by score,
// then column.
func preferChannelSources(cands []cand, cols []Column) {
	var at []int // indexes of the source candidates in cands
	for i, c := range cands {
		if c.key == "source" {
			at = append(at, i)
		}
	}
	if len(at) < 2 {
		return
	}
	scores := make([]float64, len(at))
	for j, i := range at {
		scores[j] = cands[i].score
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(scores)))
	order := slices.Clone(at)
	sort.SliceStable(order, func(a, b int) bool {
		ca, cb := cands[order[a]], cands[order[b]]
		if sa, sb := channelShare(cols[ca.col]), channelShare(cols[cb.col]); sa != sb {
			return sa > sb
		}
		if ca.score != cb.score {
			return ca.score > cb.score
		}
		return ca.col < cb.col
	})
	picked := make([]cand, len(order))
	for j, i := range order {
		picked[j] = cands[i]
		// Less by a hair down the order: equal header scores (一级来源 and
		// 二级来源 alike) would otherwise fall back to column order in
		// proposeMapping's sort.
		picked[j].score = scores[j] - float64(j)*1e-9
	}
	for j, i := range at {
		cands[i] = picked[j]
	}
}

// channelShare is the share of a column's filled rows whose value is a
// channel word (Profile.SourceWords counts the same words).
func channelShare(c Column) float64 {
	if c.Filled == 0 {
		return 0
	}
	words := channelVocabulary()
	n := 0
	for _, v := range c.Vocabulary {
		if words.Has(v.Name) {
			n += v.Count
		}
	}
	return float64(n) / float64(c.Filled)
}
