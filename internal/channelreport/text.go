package channelreport

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"

	"github.com/hashgate/hashgate/internal/channels"
)

// WriteTable writes the report as aligned tables: one per period, then
// the whole window. Widths count East Asian wide and full-width characters
// (Chinese channel names) as two columns, as terminals draw them.
func WriteTable(w io.Writer, r *channels.Report) error {
	bw := bufio.NewWriter(w)
	if r.NotForSharing {
		fmt.Fprintf(bw, "%s\n\n", NotForSharing)
	}
	if s := lexicon["en"].belowDefault(r); s != "" {
		fmt.Fprintf(bw, "%s\n\n", wrap(s, 78))
	}
	ms := shown(r)
	for _, p := range r.Periods {
		fmt.Fprintf(bw, "%s\n", PeriodLabel(r, p))
		writeTable(bw, r, &p, ms)
		bw.WriteString("\n")
		if notes := spendNotes(r, &p); len(notes) > 0 {
			for _, n := range notes {
				fmt.Fprintf(bw, "%s\n", wrap(n, 78))
			}
			bw.WriteString("\n")
		}
	}
	fmt.Fprintf(bw, "%s to %s", r.From.Format("2006-01-02"), r.To.Format("2006-01-02"))
	if r.Currency != "" && r.Applicable[channels.Spend] {
		fmt.Fprintf(bw, ", amounts in %s", r.Currency)
	}
	bw.WriteString("\n")
	writeTable(bw, r, &r.Table, ms)
	notes := Notes(r, &r.Table)
	if s := unmatchedList(r); len(s) > 0 {
		notes = append(notes, fmt.Sprintf(lexicon["en"].unmatched, strings.Join(s, ", ")))
	}
	if len(notes) > 0 {
		bw.WriteString("\n")
		for _, n := range notes {
			fmt.Fprintf(bw, "%s\n", wrap(n, 78))
		}
	}
	if defs := lexicon["en"].definitions(r, func(m channels.Metric) string { return shortHeader(r, m) }, "Total", "Paid"); len(defs) > 0 {
		bw.WriteString("\n")
		for _, d := range defs {
			fmt.Fprintf(bw, "%s\n", wrap(d, 78))
		}
	}
	fmt.Fprintf(bw, "\n%s\n", wrap(Legend(r), 78))
	return bw.Flush()
}

func writeTable(w *bufio.Writer, r *channels.Report, t *channels.Table, ms []channels.Metric) {
	rows := [][]string{{"Channel"}}
	for _, m := range ms {
		rows[0] = append(rows[0], shortHeader(r, m))
	}
	lines := append(append([]channels.Line(nil), t.Channels...), t.Paid, t.Total)
	for n, l := range lines {
		row := []string{l.Name}
		for _, m := range ms {
			if n == len(lines)-1 && blended(m) { // the Total: see definitions
				row = append(row, MarkNA)
				continue
			}
			cell := cellText(m, l.Values[m], r.MinCell)
			if l.Values[m].State == channels.Shown && partial(&l, m) {
				cell += PartMark // over part of the span's spend: see the notes
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], Width(c))
		}
	}
	for n, row := range rows {
		if n == len(rows)-2 { // a rule above the paid line and the total
			writeRule(w, widths)
		}
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-Width(c))
			if i == 0 {
				w.WriteString(c + pad)
			} else {
				w.WriteString("  " + pad + c)
			}
		}
		w.WriteString("\n")
		if n == 0 {
			writeRule(w, widths)
		}
	}
}

func writeRule(w *bufio.Writer, widths []int) {
	total := 0
	for i, n := range widths {
		total += n
		if i > 0 {
			total += 2
		}
	}
	w.WriteString(strings.Repeat("─", total) + "\n")
}

// Width is the number of terminal columns s takes: two for East Asian wide
// and full-width characters, one for the rest (ambiguous ones included, as
// most terminals outside CJK locales draw them).
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// wrap breaks text into lines of at most n columns at spaces.
func wrap(s string, n int) string {
	var b strings.Builder
	col := 0
	for i, word := range strings.Fields(s) {
		if i > 0 {
			if col+1+Width(word) > n {
				b.WriteString("\n")
				col = 0
			} else {
				b.WriteString(" ")
				col++
			}
		}
		b.WriteString(word)
		col += Width(word)
	}
	return b.String()
}

// unmatchedList names the source words no channel lists, each with its
// bookings as printed ("walk-in (12)", "路過 (<5)"): counted under
// Unattributed, and seen, not lost — they reached only the JSON before.
func unmatchedList(r *channels.Report) []string {
	var out []string
	for _, u := range r.Unmatched {
		out = append(out, u.Word+" ("+cellText(channels.Bookings, u.Bookings, r.MinCell)+")")
	}
	return out
}
