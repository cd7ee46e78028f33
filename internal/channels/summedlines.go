package channels

import "slices"

// A candidate release rule for Paid and Total, measured, not in force:
// their channels' released counts added up, with no draw of their own
// (issue 26's last limit across lines). Tests turn it on
// (Options.summedTotals).
//
// A Total with its own draw beside every one of its channels is a third
// noisy look at the same bookings: when each channel drew −1 and the
// Total +1 (or the reverse), only one truth is left — "A 1, B 2, Total 1"
// pins all three under any noise of ±1 — and a reader who searches the
// running totals of daily year-to-date reports pinned 1.8% of the small
// windows that way, 6.0% given a sparse start (TestSearchAcrossLines). No
// other −1/0/+1 draw removes it (TestCrossLineCandidates), nor does
// withholding the Total below some size: the pins are of differences of
// year-to-date totals, whatever their size (TestPrintLessAcrossLines). A
// Total that is its channels' sum says nothing they do not, and channels
// hold disjoint bookings, so each is a line alone, which release.go's
// proof covers: the same reader pins nothing (TestPrintLessAcrossLines).
// The price is the Total's closeness: within the sum of its channels'
// bounds, not its own — 2 per non-empty channel over a window, so issue
// 26's "counts of 30 or more within 10%" fails for Totals of a few
// channels (TestSummedTotalsCost), and that is why it is not the rule.

// printSummed sets column c of printed from the released running totals:
// each channel's window, kept within its wholes (nest), then Paid as the
// paid channels' sum and Total as every channel's (rows nch and nch+1).
func printSummed(printed [][]cell, c int, lines []runningTotals, s span, nch int, paidRows []int) {
	var paid, total released
	for r := range nch {
		printed[r][c].setReleased(lines[r].window(s.from, s.to))
		printed[r][c].nest()
		var w released
		for i, rc := range releasedCounts {
			w[i] = *rc.field(&printed[r][c])
		}
		for i := range total {
			total[i] += w[i]
		}
		if slices.Contains(paidRows, r) {
			for i := range paid {
				paid[i] += w[i]
			}
		}
	}
	printed[nch][c].setReleased(paid)
	printed[nch+1][c].setReleased(total)
}
