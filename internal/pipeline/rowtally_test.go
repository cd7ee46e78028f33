package pipeline

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// countDirect is how the settler counted each row before rowTally: every
// row straight into the summary's maps (and ownOut), as it came.
func countDirect(s *settler, reason string, skips, drops []string) {
	for _, d := range drops {
		key, column, _ := strings.Cut(d, columnSep)
		s.sum.Dropped[key]++
		if column != "" {
			s.sum.DropColumn(key, column)
		}
	}
	if reason == "" {
		for j, p := range s.platforms {
			if skips[j] != "" {
				s.sum.Skip(p.String(), skips[j])
			}
		}
		return
	}
	s.sum.Excluded[reason]++
	if !ownReasons(reason, skips) {
		return
	}
	if s.ownOut == nil {
		s.ownOut = map[string]int{}
	}
	s.ownOut[reason]++
	for j, p := range s.platforms {
		s.sum.LeaveOut(p.String(), skips[j])
	}
}

// TestRowTallyCountsAsEachRowWould: the summary a run's rows make through
// the tally (exclude, skipped, dropped, then leaveOutTheRest at close) is
// the one counting each row into it as it came made — own reasons, rows
// whose reason is the row's, used rows with skips, drops with and without
// a column — also past tallyKinds kinds, where rows are counted as they
// come.
func TestRowTallyCountsAsEachRowWould(t *testing.T) {
	plats := []platform.Platform{platform.Google, platform.Meta}
	reasons := []string{"consent_denied", "status_not_converted", "no_click_id", "weak_identifiers", "duplicate"}
	skipsOf := []string{"", "no_click_id", "weak_identifiers", "consent_denied"}
	for _, kinds := range []int{3, 12, 3 * tallyKinds} { // distinct extra reasons: few, many, past the cap
		rng := rand.New(rand.NewPCG(uint64(kinds), 29))
		tallied := &settler{sum: report.New("x.csv"), platforms: plats}
		direct := &settler{sum: report.New("x.csv"), platforms: plats}
		for range 20000 {
			skips := []string{skipsOf[rng.IntN(len(skipsOf))], skipsOf[rng.IntN(len(skipsOf))]}
			reason := ""
			switch rng.IntN(4) {
			case 0: // used
			case 1: // the first destination's own reason
				if skips[0] != "" {
					reason = skips[0]
				}
			case 2:
				reason = reasons[rng.IntN(len(reasons))]
			default:
				reason = fmt.Sprintf("reason_%d", rng.IntN(kinds))
			}
			var drops []string
			for range rng.IntN(3) {
				d := fmt.Sprintf("google gclid click_id_invalid_%d", rng.IntN(kinds))
				if rng.IntN(2) == 0 {
					d += columnSep + "gclid"
				}
				drops = append(drops, d)
			}
			countDirect(direct, reason, skips, drops)
			for _, d := range drops {
				tallied.dropped(d)
			}
			if reason != "" {
				tallied.exclude(reason, skips)
			} else {
				tallied.skipped(skips)
			}
		}
		tallied.leaveOutTheRest()
		direct.leaveOutTheRest()
		if !reflect.DeepEqual(tallied.sum, direct.sum) {
			t.Errorf("%d kinds: the tallied summary differs:\nexcluded %v\n    want %v\nskipped %v\n   want %v\nleft out %v\n    want %v\ndropped %v\n   want %v",
				kinds, tallied.sum.Excluded, direct.sum.Excluded, tallied.sum.Skipped, direct.sum.Skipped,
				tallied.sum.LeftOut, direct.sum.LeftOut, tallied.sum.Dropped, direct.sum.Dropped)
		}
		if len(tallied.tally.kinds) > 0 || len(tallied.tally.drops) > 0 {
			t.Errorf("%d kinds: the tally was not emptied at the end", kinds)
		}
	}
}

// TestRowTallyIsBounded: however many kinds of row an export holds, the
// tally keeps at most tallyKinds of them (memory stays flat).
func TestRowTallyIsBounded(t *testing.T) {
	var tl rowTally
	for i := range 10 * tallyKinds {
		r := fmt.Sprint("reason_", i)
		tl.add(r, []string{r, "x"})
		tl.drop(r)
	}
	if len(tl.kinds) > tallyKinds || len(tl.drops) > tallyKinds || len(tl.skips) > 2*tallyKinds {
		t.Errorf("tally holds %d kinds, %d drops, %d skips; at most %d each", len(tl.kinds), len(tl.drops), len(tl.skips), tallyKinds)
	}
	if !slices.Equal(tl.skips[:2], []string{"reason_0", "x"}) {
		t.Errorf("an own reason's skips: %q", tl.skips[:2])
	}
}
