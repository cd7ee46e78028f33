// Package spend reads what the ad platforms say a clinic spent: the report
// downloads of Google Ads ("CSV" and "Excel CSV") and the exports of Meta
// Ads Manager, as the platforms write them.
//
// Files go through the export reader's sniffing (byte-order marks, UTF-16
// from Excel, Big5/GB18030, the delimiter, report title and date-range
// lines above the header), and each row is then unmarshalled by gocsv into
// a typed Record. Built-in presets name the columns both platforms write in
// English, so most clinics map nothing; spend.<platform>.columns overrides
// a name for another language or layout.
//
// A spend file holds no patient data, but it does hold campaign names,
// which may name a treatment. None is ever read into a Row or an error.
package spend

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gocarina/gocsv"
	"golang.org/x/text/unicode/norm"

	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/money"
	"github.com/hashgate/hashgate/internal/platform"
)

// Columns names, per field, the headers tried in order. A field with
// several names takes the first one the file has.
type Columns struct {
	Day         []string // one day per row
	Start, End  []string // the range a row covers, in a download without a day breakdown
	Cost        []string
	Clicks      []string
	Conversions []string
	Currency    []string
	// CostPrefix matches a cost header that carries its currency, "Amount
	// spent (TWD)"; the code in parentheses is the file's currency.
	CostPrefix string
	// Names are columns that name what a row is about (campaign, ad set,
	// account). A row with them all blank is a summary row and is skipped.
	Names []string
	// TotalPrefixes start the cells of total rows, which are skipped.
	TotalPrefixes []string
	// DayBreakdown is how a person asks the platform for one row per day.
	DayBreakdown string
}

// Preset returns the column names of platform p's download, from its
// platform.Spec (the one home of each platform's rules).
func Preset(p platform.Platform) Columns {
	f := p.Spec().Spend
	return Columns{
		Day: f.Day, Start: f.Start, End: f.End, Cost: f.Cost, CostPrefix: f.CostPrefix,
		Clicks: f.Clicks, Conversions: f.Conversions, Currency: f.Currency, Names: f.Names,
		TotalPrefixes: f.TotalPrefixes, DayBreakdown: f.DayBreakdown,
	}
}

// Override replaces preset names by configured ones; an empty name keeps
// the preset's. A configured end column makes date a range start.
func (c Columns) Override(date, end, cost, clicks, conversions, currency string) Columns {
	if date != "" {
		if end != "" {
			c.Day, c.Start = nil, []string{date}
		} else {
			c.Day, c.Start = []string{date}, nil
		}
	}
	if end != "" {
		c.End = []string{end}
	}
	if cost != "" {
		c.Cost, c.CostPrefix = []string{cost}, ""
	}
	if clicks != "" {
		c.Clicks = []string{clicks}
	}
	if conversions != "" {
		c.Conversions = []string{conversions}
	}
	if currency != "" {
		c.Currency = []string{currency}
	}
	return c
}

// Options tell Read how to take a file.
type Options struct {
	Platform platform.Platform
	Columns  Columns
	// Currency is the file's currency when it has no currency column and
	// no currency in its cost header (spend.<platform>.currency).
	Currency string
	// DateOrder reads 5/8/2024 (mdy, dmy or ymd), as input.date_order.
	DateOrder string
}

// Record is one data row as gocsv unmarshals it, under canonical column
// names the reader gives the mapped headers. Dates stay text here: they
// are read with the clinic's date settings afterwards.
type Record struct {
	Day         string `csv:"day"`
	Start       string `csv:"start"`
	End         string `csv:"end"`
	Cost        Amount `csv:"cost"`
	Clicks      Amount `csv:"clicks"`
	Conversions Amount `csv:"conversions"`
	Currency    string `csv:"currency"`
}

// canonical is the header the reader hands gocsv.
var canonical = []string{"day", "start", "end", "cost", "clicks", "conversions", "currency"}

// Amount is a number as the platforms print it: "1,234.56", "1,234",
// "NT$1,234", and "--" or blank for nothing.
type Amount struct {
	Value float64
	Set   bool
}

// errAmount is value-free: a campaign's row is not quoted back.
var errAmount = errors.New("not a number")

// UnmarshalCSV implements gocsv.TypeUnmarshaller.
func (a *Amount) UnmarshalCSV(s string) error {
	s = strings.TrimSpace(s)
	if s == "" || s == "--" || s == "-" || s == "—" {
		*a = Amount{}
		return nil
	}
	// money.Parse reads "1,234.56" and "NT$1,500", and refuses a decimal
	// comma ("1.234,50"), exponents and negative amounts: the platforms'
	// English downloads write none of them, so such a cell is a wrong
	// column or locale, not a number to guess at.
	v, err := money.Parse(s)
	if err != nil {
		return errAmount
	}
	*a = Amount{Value: v, Set: true}
	return nil
}

// Row is one row of spend, in the file's currency.
type Row struct {
	From, To    time.Time // calendar dates (UTC midnight), inclusive; equal for a day row
	Cost        float64
	Clicks      float64
	Conversions float64
	Currency    string // ISO 4217, upper case; "" when the file does not say
	Line        int
}

// File is what one download holds.
type File struct {
	Name     string
	Platform platform.Platform
	Rows     []Row
	// Daily: every row is one day (a day breakdown).
	Daily bool
	// HasClicks and HasConversions: the file has those columns.
	HasClicks, HasConversions bool
	// Skipped counts total and summary rows left out.
	Skipped int
}

// Error is a problem with a spend file, positioned and value-free.
type Error = export.Error

// Read reads one spend download.
func Read(r io.Reader, name string, opt Options) (*File, error) {
	cols := opt.Columns
	var probe []string
	for _, names := range [][]string{cols.Day, cols.Start, cols.End, cols.Cost, cols.Clicks, cols.Conversions, cols.Currency} {
		probe = append(probe, names...)
	}
	rd, err := export.NewReader(r, name, export.Spec{Probe: probe})
	if err != nil {
		return nil, err
	}
	lay := rd.Layout()
	m, headerCurrency, err := mapHeader(lay, cols, name, opt.Platform)
	if err != nil {
		return nil, err
	}
	dec := &decoder{rd: rd, m: m, names: nameColumns(lay.Header, cols.Names), totals: cols.TotalPrefixes}
	var recs []Record
	if err := gocsv.UnmarshalDecoder(dec, &recs); err != nil && !errors.Is(err, gocsv.ErrEmptyCSVFile) {
		var e *export.Error
		if errors.As(err, &e) {
			return nil, e
		}
		line, col := dec.position(err)
		return nil, &Error{File: name, Line: line, Column: col, Reason: "not a number (spend columns hold amounts and counts)"}
	}
	f := &File{Name: name, Platform: opt.Platform, Daily: m[0] >= 0, HasClicks: m[4] >= 0, HasConversions: m[5] >= 0, Skipped: dec.skipped}
	times := eventtime.NewParser(eventtime.Options{Location: time.UTC, DateOrder: opt.DateOrder})
	day := func(s string, line int, c int) (time.Time, error) {
		t, err := times.Parse(s)
		if err != nil {
			return time.Time{}, &Error{File: name, Line: line, Column: m[c] + 1, Reason: "not a date: " + dateReason(err)}
		}
		y, mo, d := t.Date()
		return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC), nil
	}
	for i, rec := range recs {
		line := dec.lines[i]
		row := Row{Cost: rec.Cost.Value, Clicks: rec.Clicks.Value, Conversions: rec.Conversions.Value, Line: line}
		if f.Daily {
			if row.From, err = day(rec.Day, line, 0); err != nil {
				return nil, err
			}
			row.To = row.From
		} else {
			if row.From, err = day(rec.Start, line, 1); err != nil {
				return nil, err
			}
			if row.To, err = day(rec.End, line, 2); err != nil {
				return nil, err
			}
			if row.To.Before(row.From) {
				return nil, &Error{File: name, Line: line, Column: m[2] + 1, Reason: "the range ends before it starts"}
			}
		}
		row.Currency = strings.ToUpper(strings.TrimSpace(rec.Currency))
		if row.Currency == "" {
			row.Currency = headerCurrency
		}
		if row.Currency == "" {
			row.Currency = strings.ToUpper(opt.Currency)
		}
		if row.Currency == "" {
			return nil, &Error{File: name, Reason: fmt.Sprintf("the file does not say its currency (no currency column, no \"Amount spent (XXX)\" header): set spend.%s.currency", opt.Platform)}
		}
		if !rec.Cost.Set && !rec.Clicks.Set && !rec.Conversions.Set {
			f.Skipped++ // a day with nothing in it
			continue
		}
		f.Rows = append(f.Rows, row)
	}
	return f, nil
}

// dateReason names the setting a date needs, without quoting it.
func dateReason(err error) string {
	switch {
	case errors.Is(err, eventtime.ErrDateOrder):
		return "day and month order is ambiguous (set input.date_order, which spend files share)"
	case errors.Is(err, eventtime.ErrNoYear):
		return "it has no year"
	}
	return "expected a day such as 2026-11-03"
}

// mapHeader finds each canonical column in the header: m[i] is the index
// of canonical[i], or -1. It also returns the currency named in a cost
// header such as "Amount spent (TWD)".
func mapHeader(lay export.Layout, cols Columns, name string, p platform.Platform) (m [7]int, cur string, err error) {
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
	m = [7]int{find(cols.Day), find(cols.Start), find(cols.End), find(cols.Cost), find(cols.Clicks), find(cols.Conversions), find(cols.Currency)}
	if m[3] < 0 && cols.CostPrefix != "" {
		p := fold(cols.CostPrefix)
		for i, h := range folded {
			if rest, ok := strings.CutPrefix(h, p); ok {
				rest = strings.TrimSpace(rest)
				if code, ok := strings.CutPrefix(rest, "("); ok && strings.HasSuffix(code, ")") {
					code = strings.TrimSuffix(code, ")")
					if len(code) == 3 {
						m[3], cur = i, strings.ToUpper(code)
						break
					}
				}
			}
		}
	}
	where := fmt.Sprintf("(header at line %d, %s, delimiter %s)", lay.HeaderLine, lay.Encoding, export.DelimiterName(lay.Delimiter))
	if m[3] < 0 {
		return m, "", &Error{File: name, Line: lay.HeaderLine, Reason: fmt.Sprintf("no cost column: none of %s is in the header %s; set the column under spend.%s.columns.cost", quoteList(cols.Cost), where, p)}
	}
	switch {
	case m[0] >= 0:
		m[1], m[2] = -1, -1 // a day breakdown: the reporting range is the whole report
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

// decoder is the gocsv.SimpleDecoder over the export reader: first the
// canonical header, then each data row cut down to the mapped columns.
// Total rows ("Total: Account", "Total: Campaigns") and summary rows (every
// naming column blank) are skipped and counted.
type decoder struct {
	rd      *export.Reader
	m       [7]int
	names   []int
	totals  []string
	lines   []int // physical line of each row handed out
	skipped int
	started bool
}

func (d *decoder) GetCSVRow() ([]string, error) {
	if !d.started {
		d.started = true
		return canonical, nil
	}
	for {
		row, err := d.rd.Next()
		if err != nil {
			return nil, err
		}
		if e := row.Refused(); e != nil {
			return nil, e // a spend row is never that large: the file is not a spend download
		}
		cells := row.Cells()
		if d.skip(cells) {
			d.skipped++
			continue
		}
		out := make([]string, len(canonical))
		for i, at := range d.m {
			if at >= 0 && at < len(cells) {
				out[i] = cells[at]
			}
		}
		d.lines = append(d.lines, row.Line)
		return out, nil
	}
}

func (d *decoder) GetCSVRows() ([][]string, error) {
	var rows [][]string
	for {
		row, err := d.GetCSVRow()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
}

func (d *decoder) skip(cells []string) bool {
	for _, c := range cells {
		for _, t := range d.totals {
			if strings.HasPrefix(strings.TrimSpace(c), t) {
				return true
			}
		}
	}
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

// position turns gocsv's row and column (over the canonical rows) back
// into the file's line and column.
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
