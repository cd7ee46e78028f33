package channelreport

import (
	"bytes"
	"testing"

	"github.com/hashgate/hashgate/internal/channels"
)

// withHidden returns the sample report (with periods when periods is set)
// whose suppressed values carry v as their hidden figure. The channel
// layer zeroes a suppressed value; this test does not rely on that: the
// charts must not draw anything that depends on it even when it is there.
//
// The total's visits are shown, as complementary suppression leaves them
// when two channels are hidden: a share of a shown total is exactly where a
// hidden channel's bar could be drawn to scale.
func withHidden(periods bool, v float64) *channels.Report {
	r := sample(periods)
	set := func(tb *channels.Table) {
		tb.Total.Values[channels.Visits] = shownV(40)
		lines := append([]*channels.Line{&tb.Total}, nil)[:1]
		for i := range tb.Channels {
			lines = append(lines, &tb.Channels[i])
		}
		for _, l := range lines {
			for m := range l.Values {
				if l.Values[m].Suppressed() {
					l.Values[m].V = v * float64(m+1)
				}
			}
		}
	}
	set(&r.Table)
	for i := range r.Periods {
		set(&r.Periods[i])
	}
	return r
}

// TestChartsDoNotDependOnHiddenFigures: the same report with different
// numbers behind its suppressed cells draws byte-identical charts. A bar or
// a point whose height followed a hidden count would differ between the two,
// and so would leak it to anyone who measures the picture (issue 28: the
// earlier test built hidden values of zero, so it could not see a bar).
func TestChartsDoNotDependOnHiddenFigures(t *testing.T) {
	for _, periods := range []bool{false, true} {
		a, _, err := buildCharts(withHidden(periods, 3))
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := buildCharts(withHidden(periods, 4017))
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != len(b) {
			t.Fatalf("periods %v: %d charts against %d", periods, len(a), len(b))
		}
		for i := range a {
			if !bytes.Equal([]byte(a[i].SVG), []byte(b[i].SVG)) {
				t.Errorf("periods %v: chart %d (%s) changes with a hidden figure", periods, i, a[i].Title)
			}
		}
	}
}
