package spend

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/platform"
	"golang.org/x/text/unicode/norm"
)

// Finding the platform columns in a spend download: the preset names of
// each platform (platform.Spec), overrides from the config, and the
// messages that name what is missing.

// mapHeader finds each canonical column in the header: m[i] is the index
// of canonical[i], or -1. It also returns the currency named in a cost
// header such as "Amount spent (TWD)".
func mapHeader(lay export.Layout, cols Columns, name string, p platform.Platform) (m [numMapped]int, cur string, err error) {
	if lay.HeaderMatches == 0 {
		// The reader took the first line for want of a header: naming it
		// (a report's title, "header at line 1, delimiter comma") sent a
		// clinic looking at the wrong line of a zh-CN Excel CSV.
		known := slices.Concat(cols.Day, cols.Start, cols.Cost, cols.Clicks)
		return m, "", &Error{File: name, Reason: fmt.Sprintf(
			"found no header: no line at the top of the file (read as %s) holds a column name hashgate knows for a %s download (%s, …, or a zh-TW or zh-CN campaign name column); a download in another language needs its columns set under spend.%s.columns (date, cost, clicks, …) as its header names them",
			lay.Encoding, p, quoteList(known), p)}
	}
	folded := make([]string, len(lay.Header))
	for i, h := range lay.Header {
		folded[i] = fold(h)
	}
	find := func(names []string) int {
		for _, n := range names {
			for i, h := range folded {
				if h == fold(n) {
					return i
				}
			}
		}
		return -1
	}
	m = [numMapped]int{find(cols.Day), find(cols.Start), find(cols.End), find(cols.Cost), find(cols.Clicks), find(cols.Conversions), find(cols.Currency), find(cols.ResultIndicator), find(cols.Bookings)}
prefixes:
	for _, prefix := range cols.CostPrefixes {
		if m[3] >= 0 {
			break
		}
		p := fold(prefix)
		for i, h := range folded {
			if rest, ok := strings.CutPrefix(h, p); ok {
				rest = strings.TrimSpace(rest)
				if code, ok := strings.CutPrefix(rest, "("); ok && strings.HasSuffix(code, ")") {
					code = strings.TrimSuffix(code, ")")
					if len(code) == 3 {
						m[3], cur = i, strings.ToUpper(code)
						break prefixes
					}
				}
			}
		}
	}
	where := where(lay)
	if m[3] < 0 {
		return m, "", &Error{File: name, Line: lay.HeaderLine, Reason: fmt.Sprintf("no cost column: none of %s is in the header %s; set the column under spend.%s.columns.cost", quoteList(cols.Cost), where, p)}
	}
	switch {
	case m[0] >= 0:
		// A day breakdown: the day dates the row; a reporting range beside
		// it only widens what the file covers.
	case m[1] >= 0 && m[2] >= 0:
	default:
		return m, "", &Error{File: name, Line: lay.HeaderLine, Reason: fmt.Sprintf("no date column: none of %s is in the header %s; download the report with one row per day (%s), or set spend.%s.columns.date", quoteList(append(append([]string(nil), cols.Day...), cols.Start...)), where, cols.DayBreakdown, p)}
	}
	return m, cur, nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// where says which line was read as the header, and how.
func where(lay export.Layout) string {
	return fmt.Sprintf("(header at line %d, %s, delimiter %s)", lay.HeaderLine, lay.Encoding, export.DelimiterName(lay.Delimiter))
}

// firstColumn is the index of the first of names the header has, or -1.
func firstColumn(header []string, names []string) int {
	for _, n := range names {
		for i, h := range header {
			if fold(h) == fold(n) {
				return i
			}
		}
	}
	return -1
}

func firstOr(names []string, or string) string {
	if len(names) > 0 {
		return names[0]
	}
	return or
}

// nameColumns returns the indexes of the naming columns the header has.
func nameColumns(header []string, names []string) []int {
	var out []int
	for i, h := range header {
		for _, n := range names {
			if fold(h) == fold(n) {
				out = append(out, i)
			}
		}
	}
	return out
}

func fold(s string) string {
	return strings.ToLower(strings.TrimSpace(norm.NFKC.String(strings.TrimPrefix(s, "\uFEFF"))))
}
