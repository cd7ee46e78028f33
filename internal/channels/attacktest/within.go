package attacktest

import (
	"fmt"
	"math/big"
	"slices"
)

// The reader of one report: every figure it prints is a constant, every
// figure it withholds an unknown, and every additive relation the printed
// figures obey is an equation among them —
//
//   - across lines: Total is the sum of the channels, Paid the sum of the
//     channels with an ad platform (so Total less Paid is the rest);
//   - across spans: the window is the sum of its periods;
//   - within a line: visits = new visits + returning visits, bookings =
//     visits + no-shows + cancellations + pending + unclassified, new
//     patients = new visits (one first visit each), revenue = new revenue
//     + returning revenue.
//
// A withheld figure that the equations pin down is given away by adding
// and subtracting what the report prints, whatever its noise: the
// suppression exists to stop exactly that. The released figures need not
// obey the relations across lines and spans to the unit (each line draws
// its own noise); the reader takes them as equations anyway, as the
// suppression's model does — the released figures are within a few of
// such sums, and a withheld count of 2 read as "about 2" is no less a
// leak.

// Fig is one figure of a line as a report prints it.
type Fig struct {
	V float64
	// Printed: a number is printed. Suppressed: withheld for privacy
	// ("<5", "*"). Neither: the figure does not exist for the line.
	Printed, Suppressed bool
}

// Role is what a line of a table is.
type Role uint8

// Line roles.
const (
	Channel     Role = iota // a channel without an ad platform
	PaidChannel             // a channel with one: a member of Paid
	PaidLine
	TotalLine
)

// Line is one line of a table: its figures by metric key.
type Line struct {
	Name string
	Role Role
	Figs map[string]Fig
}

// Table is one span's lines, in the same order in every table of a
// report.
type Table struct {
	Name  string
	Lines []Line
}

// Additive are the metric keys whose figures add up across lines and
// spans: the counts and amounts the relations above tie together, and
// the counts that only sum (the LTV cohort, bookings by the day made,
// the platforms' clicks and claims).
var Additive = []string{
	"bookings", "visits", "no_shows", "cancellations", "pending", "unclassified",
	"new_visits", "returning_visits", "new_patients", "ltv_patients", "bookings_made",
	"clicks", "platform_conversions", "platform_booking_claims",
	"revenue", "new_revenue", "returning_revenue",
}

// Splits are the relations within a line: the first key is the sum of
// the others.
var Splits = [][]string{
	{"visits", "new_visits", "returning_visits"},
	{"bookings", "visits", "no_shows", "cancellations", "pending", "unclassified"},
	{"new_patients", "new_visits"},
	{"revenue", "new_revenue", "returning_revenue"},
}

type figRef struct{ table, line int }

// PinnedWithin returns the withheld figures of one report (its window and
// its periods, if any) that the printed ones pin down, as "table: line
// key".
func PinnedWithin(window Table, periods []Table) []string {
	tables := append([]Table{window}, periods...)
	type ref struct {
		t, l int
		key  string
	}
	unknown := map[ref]int{}
	var names []ref
	fig := func(r ref) (Fig, bool) {
		f, ok := tables[r.t].Lines[r.l].Figs[r.key]
		return f, ok && (f.Printed || f.Suppressed)
	}
	var eqs []Equation
	// relation adds margin = Σ members; a relation whose margin, or every
	// member, is not printed or withheld (does not exist) ties nothing.
	relation := func(margin ref, members []ref) {
		if _, ok := fig(margin); !ok || !slices.ContainsFunc(members, func(r ref) bool { _, ok := fig(r); return ok }) {
			return
		}
		var eq Equation
		constant := new(big.Rat)
		term := func(r ref, sign int64) {
			f, ok := fig(r)
			switch {
			case !ok:
				return // a figure that does not exist adds nothing
			case f.Printed:
				constant.Sub(constant, new(big.Rat).Mul(big.NewRat(sign, 1), new(big.Rat).SetFloat64(f.V)))
				return
			}
			i, seen := unknown[r]
			if !seen {
				i = len(names)
				unknown[r] = i
				names = append(names, r)
			}
			if sign > 0 {
				eq.Atoms = append(eq.Atoms, i)
			} else {
				eq.Minus = append(eq.Minus, i)
			}
		}
		term(margin, -1)
		for _, r := range members {
			term(r, 1)
		}
		if len(eq.Atoms)+len(eq.Minus) == 0 {
			return
		}
		eq.Value = Of(constant)
		eqs = append(eqs, eq)
	}
	for t, tb := range tables {
		for l, line := range tb.Lines {
			for _, s := range Splits {
				var members []ref
				for _, k := range s[1:] {
					members = append(members, ref{t, l, k})
				}
				relation(ref{t, l, s[0]}, members)
			}
			if line.Role != PaidLine && line.Role != TotalLine {
				continue
			}
			for _, k := range Additive {
				var members []ref
				for c, other := range tb.Lines {
					if other.Role == PaidChannel || other.Role == Channel && line.Role == TotalLine {
						members = append(members, ref{t, c, k})
					}
				}
				relation(ref{t, l, k}, members)
			}
		}
	}
	if len(periods) > 0 {
		for l := range window.Lines {
			for _, k := range Additive {
				var members []ref
				for t := 1; t < len(tables); t++ {
					members = append(members, ref{t, l, k})
				}
				relation(ref{0, l, k}, members)
			}
		}
	}
	var out []string
	for i := range Solve(len(names), eqs) {
		r := names[i]
		out = append(out, fmt.Sprintf("%s: %s %s", tables[r.t].Name, tables[r.t].Lines[r.l].Name, r.key))
	}
	slices.Sort(out)
	return out
}
