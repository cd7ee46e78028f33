package spend

import (
	"hash/maphash"
	"slices"
	"sync"
	"time"
)

// Telling a summary row from the rows it sums, in a download whose
// columns do not say (no column names the rows), and the names two
// downloads are compared by.
//
// Meta's Ads Manager writes a summary row above the rows it sums, its
// naming columns blank; with a naming column the blank cells tell it
// (decoder.summary). A localized export whose naming headers hashgate
// does not know, or one downloaded without them, has no such column, and
// its summary row was summed with the rows: a zh-TW November download
// counted 156,580.72 for 78,290.36. Such a file is judged by its figures:
// its first or last row is the summary when its range covers every other
// row's and its cost — and clicks, when the file has them — are exactly
// the sum of the others', to the cent. A file whose rows share days and
// has no such row stops the read: its summary row may differ from the
// sum by a rounding, and a guess either way doubles or loses spend.

// rangeSum is the running sum of one date range's rows.
type rangeSum struct {
	Row
	n    int // rows summed
	next int // the line of its second row
}

func (s *rangeSum) add(r Row) {
	s.Cost += r.Cost
	s.Clicks += r.Clicks
	s.Conversions += r.Conversions
	s.Bookings += r.Bookings
	s.CostCents += r.CostCents
	s.ClickCents += r.ClickCents
	if s.n++; s.n == 2 {
		s.next = r.Line
	}
}

// remove takes a row back out: its float sums are rebuilt from the exact
// hundredths, so nothing of the row is left in their last bits.
func (s *rangeSum) remove(r Row) {
	s.CostCents -= r.CostCents
	s.ClickCents -= r.ClickCents
	s.Cost = float64(s.CostCents) / 100
	s.Clicks = float64(s.ClickCents) / 100
	s.Conversions = max(s.Conversions-r.Conversions, 0)
	s.Bookings = max(s.Bookings-r.Bookings, 0)
	if s.n--; s.Line == r.Line {
		s.Line = s.next
	}
}

// summaryWatch follows what summaryRow needs, in constant memory: the
// first and the last row, the range every row lies in, and exact totals.
type summaryWatch struct {
	rows          int
	first, last   Row
	firstKey      rangeKey
	lastKey       rangeKey
	firstDropped  bool
	lastDropped   bool
	from, to      time.Time
	cost, clicks  int64
	currency      string
	mixedCurrency bool
}

type rangeKey struct {
	from, to int64
	currency string
}

func (w *summaryWatch) see(r Row, k rangeKey, dropped bool) {
	if w.rows == 0 {
		w.first, w.firstKey, w.firstDropped = r, k, dropped
		w.from, w.to, w.currency = r.From, r.To, r.Currency
	}
	w.rows++
	w.last, w.lastKey, w.lastDropped = r, k, dropped
	w.from, w.to = minTime(w.from, r.From), maxTime(w.to, r.To)
	w.cost += r.CostCents
	w.clicks += r.ClickCents
	w.mixedCurrency = w.mixedCurrency || r.Currency != w.currency
}

// undecided is why summary could not judge a file.
type undecided struct{ rows, line int }

// summary judges a file without naming columns. When some rows share
// days (a range with several rows, or ranges that overlap), the first or
// the last row that is the others' exact sum is taken out of sums and its
// key returned; with none, undecided. Rows that share no day need no
// judging: each is its own days' figure.
func (w *summaryWatch) summary(sums map[rangeKey]*rangeSum, hasClicks bool) (*rangeKey, bool, *undecided) {
	shared, line := sharedDays(sums)
	if !shared {
		return nil, false, nil
	}
	isTotal := func(r Row) bool {
		others := w.rows - 1
		return others >= 2 && !w.mixedCurrency &&
			!r.From.After(w.from) && !r.To.Before(w.to) &&
			2*r.CostCents == w.cost && (!hasClicks || 2*r.ClickCents == w.clicks)
	}
	for _, c := range []struct {
		row     Row
		key     rangeKey
		dropped bool
	}{{w.first, w.firstKey, w.firstDropped}, {w.last, w.lastKey, w.lastDropped}} {
		if !isTotal(c.row) {
			continue
		}
		s := sums[c.key]
		if s.remove(c.row); s.n == 0 {
			delete(sums, c.key)
		}
		return &c.key, c.dropped, nil
	}
	return nil, false, &undecided{rows: w.rows, line: line}
}

// sharedDays reports whether two rows cover a common day, with the line
// of one of them.
func sharedDays(sums map[rangeKey]*rangeSum) (bool, int) {
	ranges := make([]*rangeSum, 0, len(sums))
	for _, s := range sums {
		if s.n > 1 {
			return true, s.next
		}
		ranges = append(ranges, s)
	}
	slices.SortFunc(ranges, func(a, b *rangeSum) int { return a.From.Compare(b.From) })
	var reach time.Time // the last day the ranges before i cover
	for i, r := range ranges {
		if i > 0 && !r.From.After(reach) {
			return true, r.Line
		}
		reach = maxTime(reach, r.To)
	}
	return false, 0
}

// maxNames bounds the names remembered per download: a campaign report
// names tens, an ad report hundreds.
const maxNames = 10_000

// nameSet holds names as keyed 64-bit hashes under a seed made for this
// process: equal names give equal hashes within one run, and no hash
// says anything of a name outside it.
type nameSet map[uint64]struct{}

var nameSeed = sync.OnceValue(maphash.MakeSeed)

func (s *nameSet) add(name string) {
	if len(*s) >= maxNames {
		return
	}
	if name = fold(name); name == "" || name == "--" {
		return
	}
	if *s == nil {
		*s = nameSet{}
	}
	(*s)[maphash.String(nameSeed(), name)] = struct{}{}
}

func (s nameSet) meets(o nameSet) bool {
	for h := range s {
		if _, ok := o[h]; ok {
			return true
		}
	}
	return false
}

// SharesNames compares two downloads by the names of their rows: known
// says whether both name their accounts or both their campaigns; shared,
// whether they name one in common. Accounts decide when both files name
// them — two accounts may name their campaigns alike — else campaigns.
func (f *File) SharesNames(g *File) (shared, known bool) {
	if len(f.accounts) > 0 && len(g.accounts) > 0 {
		return f.accounts.meets(g.accounts), true
	}
	if len(f.campaigns) > 0 && len(g.campaigns) > 0 {
		return f.campaigns.meets(g.campaigns), true
	}
	return false, false
}
