package channels

import (
	"cmp"
	"slices"
)

// The changed-keys warning's identifiers (rekeyed.go) were a fifth of a
// 1M-row report's CPU (issue 29, bench-channels 2.49× where it had been
// 1.77×): an identRow per e-mail or phone of every counted row, sorted
// with slices.SortFunc under a comparison that compared all four fields
// every time (cmp.Or takes its arguments evaluated), then merged. The
// identifiers are 64-bit hashes under the run's seed, evenly spread and
// almost never equal between two records, so identCmp decides on the
// first field nearly always, and sortIdentRows distributes the buffer by
// the identifier's top bits in place (an American flag sort: no second
// buffer) and sorts each small bucket by insertion — what the warning
// reads is unchanged: the order is identCmp's.

// identCmp orders identRows by identifier, then its first carrier first
// (at, tie, patient).
func identCmp(a, b identRow) int {
	switch {
	case a.ident != b.ident:
		return cmp.Compare(a.ident, b.ident)
	case a.at != b.at:
		return cmp.Compare(a.at, b.at)
	case a.tie != b.tie:
		return cmp.Compare(a.tie, b.tie)
	}
	return cmp.Compare(a.patient, b.patient)
}

// identBucketBits is how many of the identifier's top bits
// sortIdentRows distributes by: 4096 buckets, four records each in a
// full buffer (rekeyBuffer), counted in 16 KiB on the stack.
const identBucketBits = 12

// identInsertion is the bucket size up to which a bucket is sorted by
// insertion; a larger one (one identifier on many rows: a clinic's
// placeholder phone) by slices.SortFunc, never quadratic.
const identInsertion = 24

// sortIdentRows sorts a as slices.SortFunc(a, identCmp) does.
func sortIdentRows(a []identRow) {
	if len(a) <= identInsertion {
		insertIdentRows(a)
		return
	}
	const shift = 64 - identBucketBits
	var next, end [1 << identBucketBits]int32
	for i := range a {
		end[a[i].ident>>shift]++
	}
	sum := int32(0)
	for b := range end {
		next[b] = sum
		sum += end[b]
		end[b] = sum
	}
	// Each record is swapped into its bucket's next free place; the one
	// it displaces moves on in its turn, until the cycle closes.
	for b := range next {
		for next[b] < end[b] {
			v := a[next[b]]
			for d := v.ident >> shift; d != uint64(b); d = v.ident >> shift {
				a[next[d]], v = v, a[next[d]]
				next[d]++
			}
			a[next[b]] = v
			next[b]++
		}
	}
	start := int32(0)
	for b := range end {
		bucket := a[start:end[b]]
		start = end[b]
		if len(bucket) <= identInsertion {
			insertIdentRows(bucket)
		} else {
			slices.SortFunc(bucket, identCmp)
		}
	}
}

func insertIdentRows(a []identRow) {
	for i := 1; i < len(a); i++ {
		v := a[i]
		j := i
		for ; j > 0 && identCmp(v, a[j-1]) < 0; j-- {
			a[j] = a[j-1]
		}
		a[j] = v
	}
}
