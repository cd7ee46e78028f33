package spend

import (
	"fmt"
	"slices"
	"time"
)

// Overlaps judges downloads of one platform whose days overlap. One
// account downloaded twice — the same file given twice, October to
// mid-November beside November, a download by day beside one for the
// month, a campaign report beside an ad report — summed every overlapping
// day twice. Two downloads are one account's when
//
//   - a range of one holds the same spend and clicks as the other's rows
//     over the same days, to the cent (money is compared in the exact
//     hundredths the files wrote: float64 sums of a day's campaigns and of
//     its ads differ in their last bits, and a campaign report beside an
//     ad report of the same day was summed), or
//   - they name the same accounts, or — when not both name their
//     accounts — the same campaigns (its figures revised between the two
//     downloads, or cut otherwise).
//
// Either stops the run, naming both files. Downloads that name other
// campaigns are two accounts', summed; downloads that name none, with
// other figures, are summed with a warning, in case they are one
// account's whose figures the platform revised between downloads.
func Overlaps(files []*File) (warnings []string, err error) {
	for j, b := range files {
		for _, a := range files[:j] {
			if a.Platform != b.Platform || a.CoverFrom.IsZero() || b.CoverFrom.IsZero() {
				continue
			}
			lo, hi := maxTime(a.CoverFrom, b.CoverFrom), minTime(a.CoverTo, b.CoverTo)
			if lo.After(hi) {
				continue
			}
			span := fmt.Sprintf("%s to %s", lo.Format(time.DateOnly), hi.Format(time.DateOnly))
			if r, line, ok := sameFigures(a, b, lo, hi); ok {
				return nil, &Error{File: b.Name, Line: r.Line, Reason: fmt.Sprintf(
					"the %s spend of %s is the same as %s's on line %d, to the cent: the two downloads overlap (%s), and each of those days would count twice; give each day once (one download, or downloads that do not overlap)",
					b.Platform, days(r), a.Name, line, span)}
			}
			shared, known := a.SharesNames(b)
			switch {
			case known && shared:
				return nil, &Error{File: b.Name, Reason: fmt.Sprintf(
					"%s and %s name the same %s campaigns (or accounts) over %s, with other figures: one account downloaded twice (its figures revised between the downloads, or cut otherwise), and each of those days would count twice; give each day once (one download, or downloads that do not overlap)",
					a.Name, b.Name, b.Platform, span)}
			case known:
				// Other campaigns, other accounts: summed, as they should be.
			default:
				warnings = append(warnings, fmt.Sprintf(
					"%s and %s both hold %s spend for %s, with other figures: summed, as two ad accounts' would be; if they are one account downloaded twice, give each day once",
					a.Name, b.Name, b.Platform, span))
			}
		}
	}
	return warnings, nil
}

// compareBudget bounds the rows sameFigures visits for one pair of
// downloads: a day file against another visits each row once, a month
// against days thirty; only a hostile pair of nested ranges comes near it,
// and past it the figures are not compared (the names still are).
const compareBudget = 1 << 22

// sameFigures finds a row of either download, inside [lo, hi], whose cost
// (more than zero) and clicks in hundredths are those of the other's rows
// over the same days — rows that lie wholly inside its range, with no row
// of the other reaching across its edges. It returns the row, in b when
// it can, and the first line of the other's rows.
func sameFigures(a, b *File, lo, hi time.Time) (Row, int, bool) {
	budget := compareBudget
	for _, pair := range [2][2]*File{{a, b}, {b, a}} {
		in, of := pair[0], pair[1]
		for _, r := range of.Rows {
			if r.CostCents <= 0 || r.From.Before(lo) || r.To.After(hi) {
				continue
			}
			cost, clicks, line, ok := sumOver(in.Rows, in.Daily, r, &budget)
			if ok && cost == r.CostCents && clicks == r.ClickCents {
				if of == a {
					// Name the later file's line, where the days come again.
					return Row{From: r.From, To: r.To, Line: line}, r.Line, true
				}
				return r, line, true
			}
		}
	}
	return Row{}, 0, false
}

// sumOver sums rows (sorted by start, as File holds them) of r's
// currency over exactly r's days; ok is false when a row reaches across
// one of its edges, when none lies inside, or when the budget is spent.
func sumOver(rows []Row, daily bool, r Row, budget *int) (cost, clicks int64, line int, ok bool) {
	start, _ := slices.BinarySearchFunc(rows, r.From, func(x Row, t time.Time) int { return x.From.Compare(t) })
	// Rows starting before r may reach into it: a day report's never do,
	// a range report's are few.
	for i := start - 1; i >= 0 && !daily; i-- {
		if *budget--; *budget < 0 {
			return 0, 0, 0, false
		}
		if x := rows[i]; x.Currency == r.Currency && !x.To.Before(r.From) {
			return 0, 0, 0, false
		}
	}
	for _, x := range rows[start:] {
		if x.From.After(r.To) {
			break
		}
		if *budget--; *budget < 0 {
			return 0, 0, 0, false
		}
		if x.Currency != r.Currency {
			continue
		}
		if x.To.After(r.To) {
			return 0, 0, 0, false
		}
		if line == 0 || x.Line < line {
			line = x.Line
		}
		cost += x.CostCents
		clicks += x.ClickCents
		ok = true
	}
	return cost, clicks, line, ok
}

func days(r Row) string {
	if r.From.Equal(r.To) {
		return r.From.Format(time.DateOnly)
	}
	return r.From.Format(time.DateOnly) + " to " + r.To.Format(time.DateOnly)
}
