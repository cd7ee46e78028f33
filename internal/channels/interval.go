package channels

import (
	"cmp"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// How sure a figure is: exact 95% intervals on the printed counts.
//
// A count of new patients or visits over a span is treated as a Poisson
// count; its exact (Garwood 1936) interval is
//
//	[χ²(0.025; 2n)/2, χ²(0.975; 2n+2)/2]
//
// and a cost per count (CAC, cost per visit) divides the spend — which the
// platform reports, no sample of anyone — by the ends of that interval:
// spend/upper to spend/lower. Show rate is x visits of n = visits +
// no-shows, a binomial proportion; its exact (Clopper–Pearson 1934)
// interval is [B(0.025; x, n−x+1), B(0.975; x+1, n−x)], with 0 and 1 at
// the ends x = 0 and x = n. Both are conservative: they cover the true
// value at least 95% of the time, whatever the count. The quantiles are
// gonum's (stat/distuv ChiSquared.Quantile, Beta.Quantile).
//
// They describe chance in the counts, not bias: attribution by click id
// and source word is not an experiment, so the figures are attributed,
// not incremental — what a channel's patients cost, not what its spend
// caused.

const alpha = 0.05

// intervals memoises the quantiles by their counts: a report asks for the
// same few (x, n) in every line, period and run, and gonum's incomplete
// beta and gamma inversions iterate — an eighth of the channels suite's
// CPU time before they were kept (go test -cpuprofile). The counts are
// whole numbers of at most a report's bookings; the map stops growing at
// maxMemo entries, after which intervals are computed each time.
var intervals struct {
	sync.Mutex
	m map[[3]float64][2]float64
}

const maxMemo = 1 << 16

func memo(kind, a, b float64, f func() (float64, float64)) (float64, float64) {
	k := [3]float64{kind, a, b}
	intervals.Lock()
	v, ok := intervals.m[k]
	intervals.Unlock()
	if ok {
		return v[0], v[1]
	}
	lo, hi := f()
	intervals.Lock()
	if intervals.m == nil {
		intervals.m = map[[3]float64][2]float64{}
	}
	if len(intervals.m) < maxMemo {
		intervals.m[k] = [2]float64{lo, hi}
	}
	intervals.Unlock()
	return lo, hi
}

// poisson returns the exact 95% interval of a Poisson mean given n.
func poisson(n float64) (lo, hi float64) {
	return memo(0, n, 0, func() (float64, float64) { return poissonExact(n) })
}

func poissonExact(n float64) (lo, hi float64) {
	if n > 0 {
		lo = distuv.ChiSquared{K: 2 * n}.Quantile(alpha/2) / 2
	}
	hi = distuv.ChiSquared{K: 2*n + 2}.Quantile(1-alpha/2) / 2
	return lo, hi
}

// clopperPearson returns the exact 95% interval of a proportion x/n.
func clopperPearson(x, n float64) (lo, hi float64) {
	return memo(1, x, n, func() (float64, float64) { return clopperPearsonExact(x, n) })
}

func clopperPearsonExact(x, n float64) (lo, hi float64) {
	lo, hi = 0, 1
	if x > 0 {
		lo = distuv.Beta{Alpha: x, Beta: n - x + 1}.Quantile(alpha / 2)
	}
	if x < n {
		hi = distuv.Beta{Alpha: x + 1, Beta: n - x}.Quantile(1 - alpha/2)
	}
	return lo, hi
}

// costInterval is the interval of spend/count: withheld with the count,
// computed only from a printed one.
func costInterval(spend, count Value, zero Reason) (lo, hi Value) {
	switch {
	case spend.State == NotApplicable || count.State == NotApplicable:
		why := cmp.Or(spend.Why, count.Why)
		return Value{Why: why}, Value{Why: why}
	case spend.Suppressed() || count.Suppressed():
		return Value{State: Hidden}, Value{State: Hidden}
	case count.V == 0:
		return Value{Why: zero}, Value{Why: zero}
	}
	pl, ph := poisson(count.V)
	return Value{V: spend.V / ph, State: Shown}, Value{V: spend.V / pl, State: Shown}
}

// rateInterval is the interval of x/n, withheld with either count.
func rateInterval(x, n Value, zero Reason) (lo, hi Value) {
	switch {
	case x.State == NotApplicable || n.State == NotApplicable:
		why := cmp.Or(x.Why, n.Why)
		return Value{Why: why}, Value{Why: why}
	case x.Suppressed() || n.Suppressed():
		return Value{State: Hidden}, Value{State: Hidden}
	case n.V == 0:
		return Value{Why: zero}, Value{Why: zero}
	}
	l, h := clopperPearson(x.V, n.V)
	return Value{V: l, State: Shown}, Value{V: h, State: Shown}
}
