package spend

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hashgate/hashgate/internal/export"
)

// The row source gocsv reads from: export's bounded tokenizer behind
// gocsv's CSVReader interface, in batches, with file positions for errors.

// decoder is the gocsv.SimpleDecoder over the export reader: first the
// canonical header, then each data row cut down to the mapped columns.
// Total rows ("Total: Account", "Total: Campaigns") and summary rows (every
// naming column blank) are skipped and counted. A row that ends before a
// mapped column stops the read: it was cut (a download that did not
// finish, a line broken in an editor), and read with its missing cells
// blank it would be a row that spent nothing — or, before, a "summary row"
// skipped without a word, its spend lost.
type decoder struct {
	rd     *export.Reader
	file   string
	m      [numMapped]int
	names  []int
	totals []string
	width  int // the header's cells
	// campaign and account are the columns the rows' names are kept
	// from (as hashes, for File.SharesNames), or -1.
	campaign, account   int
	campaigns, accounts nameSet
	lines               []int // physical line of each row of the current batch
	skipped             int
	batch               int  // rows per GetCSVRows
	done                bool // the file is read to its end
}

// spendBatch is how many rows gocsv unmarshals at a time.
const spendBatch = 4096

// GetCSVRow hands out the next data row cut down to the mapped columns.
func (d *decoder) GetCSVRow() ([]string, error) {
	for {
		row, err := d.rd.Next()
		if err != nil {
			return nil, err
		}
		if e := row.Refused(); e != nil {
			return nil, e // a spend row is never that large: the file is not a spend download
		}
		cells := row.Cells()
		if d.total(cells) {
			d.skipped++
			continue
		}
		if e := d.short(cells, row.Line); e != nil {
			return nil, e
		}
		if d.summary(cells) {
			d.skipped++
			continue
		}
		if d.campaign >= 0 && d.campaign < len(cells) {
			d.campaigns.add(cells[d.campaign])
		}
		if d.account >= 0 && d.account < len(cells) {
			d.accounts.add(cells[d.account])
		}
		out := make([]string, len(canonical))
		for i, at := range d.m {
			if at >= 0 && at < len(cells) {
				out[i] = cells[at]
			}
		}
		out[numMapped] = strconv.Itoa(row.Line)
		return out, nil
	}
}

// GetCSVRows returns the canonical header and the next batch of rows;
// done is set at the end of the file.
func (d *decoder) GetCSVRows() ([][]string, error) {
	rows := [][]string{canonical}
	d.lines = d.lines[:0]
	for len(rows) <= d.batch {
		row, err := d.GetCSVRow()
		if errors.Is(err, io.EOF) {
			d.done = true
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := strconv.Atoi(row[numMapped])
		d.lines = append(d.lines, line)
		rows = append(rows, row)
	}
	return rows, nil
}

// total reports whether a cell starts as the platform's total rows do.
func (d *decoder) total(cells []string) bool {
	for _, c := range cells {
		for _, t := range d.totals {
			if strings.HasPrefix(strings.TrimSpace(c), t) {
				return true
			}
		}
	}
	return false
}

// short returns the error of a row that ends before a mapped column:
// the cost column when it is one of those missing, else the first missing
// in the file's order. Positions and counts only, never a cell.
func (d *decoder) short(cells []string, line int) error {
	missing := -1
	for i, at := range d.m {
		if at >= len(cells) && (missing < 0 || at < d.m[missing]) {
			missing = i
		}
	}
	if missing < 0 {
		return nil
	}
	if d.m[costField] >= len(cells) {
		missing = costField
	}
	return &export.Error{File: d.file, Line: line, Reason: fmt.Sprintf(
		"the row ends before the %s column (%d cells where the header has %d): a cut or damaged row, whose figures cannot be read; download the report again",
		fieldNames[missing], len(cells), d.width)}
}

// summary reports whether every naming column of the row is blank.
func (d *decoder) summary(cells []string) bool {
	if len(d.names) == 0 {
		return false
	}
	for _, i := range d.names {
		if i < len(cells) && strings.TrimSpace(cells[i]) != "" {
			return false
		}
	}
	return true
}

// position turns gocsv's row and column (over the canonical rows of the
// batch) back into the file's line and column.
func (d *decoder) position(err error) (line, col int) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return 0, 0
	}
	if i := pe.Line - 2; i >= 0 && i < len(d.lines) {
		line = d.lines[i]
	}
	if j := pe.Column - 1; j >= 0 && j < len(d.m) && d.m[j] >= 0 {
		col = d.m[j] + 1
	}
	return line, col
}
