package inspect

import (
	"strings"

	"github.com/hashgate/hashgate/internal/celltext"
)

// footerShape follows the last few records' filled cells, with the
// class of each, and the most cells any record filled.
type footerShape struct {
	tail [maxFooter]footerRecord // newest last
	n    int                     // records seen
	most int
}

// footerRecord is what a record tells footerLines: how many cells it
// filled and, when it filled at most maxFooterCells, their columns and
// classes. A record that fills more is a visit whatever its cells hold,
// so its cells are not classified again (inspect classified every cell
// of every record twice: once for its column, once here).
type footerRecord struct {
	filled int
	cells  []footerCell
}

// footerCell is a filled cell of a record: its column and class.
type footerCell struct {
	col   int
	class string
}

// maxFooter is the most footer lines proposed: a title, a total, a date.
// maxFooterCells is the most cells a footer line fills.
const (
	maxFooter      = 3
	maxFooterCells = 2
)

func (f *footerShape) add(cells []string) {
	var rec footerRecord
	var texts [maxFooterCells]string
	for i, c := range cells {
		// celltext.Trim: a time behind a zero-width space is read by the
		// upload, so it is a time here (a review).
		if c = celltext.Trim(c); c == "" {
			continue
		}
		if rec.filled < maxFooterCells {
			texts[rec.filled] = c
			rec.cells = append(rec.cells, footerCell{col: i})
		}
		rec.filled++
	}
	if rec.filled > maxFooterCells {
		rec.cells = nil
	}
	for k := range rec.cells {
		rec.cells[k].class, _ = Classify(texts[k])
	}
	copy(f.tail[:], f.tail[1:])
	f.tail[maxFooter-1] = rec
	f.n++
	f.most = max(f.most, rec.filled)
}

// footerLines counts the trailing records that fill at most two cells
// where the export's rows fill at least five, none of them a date or a
// time, nor of the class most of its column's cells have (classOf): a
// footer, not a visit — a visit's order id is shaped as the column's
// others, whatever its time holds (an Excel serial, a form inspect does
// not know). Not more than maxFooter, and never every record. Proposed
// wrongly, input.skip_footer_lines would drop the last visit of every
// night's export, so a record that could be one is never counted.
func (f *footerShape) footerLines(classOf func(col int) string) int {
	if f.most < 5 {
		return 0
	}
	n := 0
	for i := maxFooter - 1; i >= 0 && n < f.n-1; i-- {
		rec := f.tail[i]
		if rec.filled > maxFooterCells {
			break
		}
		for _, c := range rec.cells {
			if strings.HasPrefix(c.class, "date") || strings.HasPrefix(c.class, "time") || c.class == classOf(c.col) {
				return n
			}
		}
		n++
	}
	return n
}
