package channels

import "testing"

// Printing less across lines (issue 26's last limit). TestCrossLineCandidates
// showed that no other −1/0/+1 draw removes TestSearchAcrossLines' pins; the
// remedy named there is printing less. Two ways of printing less were
// played under the same searching reader.
//
// A threshold: withhold a Total printed beside all of its channels while
// one of them is below some count T. It cannot work. The pins of daily
// year-to-date reports are pins of their differences — days 3–5 of a
// channel whose year-to-date totals are 10, 10, 12 — and a joint extreme
// (every channel's draw −1, the Total's +1, or the reverse) pins those
// differences whatever the totals' size: with a busy 1 January of 30 or
// 100 bookings a channel the reader pins about as many small windows as
// with 5 (TestPrintLessAcrossLines logs them). A threshold below the
// year-to-date totals withholds nothing, and one above them withholds the
// Total from every year-to-date report. Only a Total that carries no draw
// of its own can help.
//
// The Total as its channels' sum: Paid and Total printed as the channels'
// released running totals added up, with no draw of their own. The
// Total's figures then say nothing the channels' do not, and the channels
// hold disjoint bookings, so each is a line alone, which release.go's
// proof covers: the reader pins nothing, in every model it plays —
// year-to-date reports, every running total of a sparse start (min_cell:
// 2), and a channel beside a line of it and others (consented_only beside
// every row) when that line too is a sum. What it costs is the Total's
// closeness: within 2 per channel over a window, not 2 (see
// TestSummedTotalCloseness).
func TestPrintLessAcrossLines(t *testing.T) {
	t.Parallel()
	for _, base := range []int{30, 100} {
		res := searchAcrossLines(400, 5, 5, true, false, 1, &crossRule{base: base})
		t.Logf("rule in force, year-to-date totals from %d: %d of %d small windows pinned", base, res.pinned, res.small)
		if res.pinned == 0 {
			t.Errorf("year-to-date totals from %d: no pin — the pins depend on the totals' size after all, and a threshold might remove them", base)
		}
	}
	for _, c := range []struct {
		busy, hideB bool
		name        string
	}{
		{true, false, "year-to-date totals all printed"},
		{false, false, "every running total known, sparse start"},
		{true, true, "consented_only and all rows, year-to-date totals printed"},
		{false, true, "consented_only and all rows, every running total known"},
	} {
		res := searchAcrossLines(400, 5, 5, c.busy, c.hideB, 1, &crossRule{summed: true})
		t.Logf("the Total as its channels' sum, %s: %d of %d small windows pinned (alone %d)", c.name, res.pinned, res.small, res.pinnedAlone)
		if res.pinned != 0 || res.pinnedAlone != 0 {
			t.Errorf("the Total as its channels' sum, %s: %d of %d small windows pinned (%d alone); e.g. %v", c.name, res.pinned, res.small, res.pinnedAlone, res.examples)
		}
		if res.small < 2000 {
			t.Errorf("%s: only %d small windows played", c.name, res.small)
		}
	}
}
