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
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gocarina/gocsv"

	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/printable"
)

// Options tell Read how to take a file.
type Options struct {
	Platform platform.Platform
	Columns  Columns
	// Currency is the file's currency when it has no currency column and
	// no currency in its cost header (spend.<platform>.currency).
	Currency string
	// DateOrder reads 5/8/2024 (mdy, dmy or ymd), as input.date_order.
	DateOrder string
	// Encoding is spend.<platform>.encoding, one of export.Encodings;
	// "" is auto.
	Encoding string
	// ResultTypes keeps only the conversions of rows whose result
	// indicator is one of these (spend.<platform>.result_types); empty
	// keeps all.
	ResultTypes []string
}

// Record is one data row as gocsv unmarshals it, under canonical column
// names the reader gives the mapped headers. Dates stay text here: they
// are read with the clinic's date settings afterwards.
type Record struct {
	Line        int    `csv:"line"`
	Indicator   string `csv:"indicator"`
	Day         string `csv:"day"`
	Start       string `csv:"start"`
	End         string `csv:"end"`
	Cost        Amount `csv:"cost"`
	Clicks      Amount `csv:"clicks"`
	Conversions Amount `csv:"conversions"`
	Currency    string `csv:"currency"`
	Bookings    Amount `csv:"bookings"`
}

// canonical is the header the reader hands gocsv.
var canonical = []string{"day", "start", "end", "cost", "clicks", "conversions", "currency", "indicator", "bookings", "line"}

// numMapped is the number of canonical columns read from the file (the
// last, line, is the reader's own).
const numMapped = 9

// costField is the index of the cost column among the canonical ones.
const costField = 3

// fieldNames name the canonical columns in messages.
var fieldNames = [numMapped]string{"date", "reporting start", "reporting end", "cost", "clicks", "conversions", "currency", "result indicator", "booking conversions"}

// MaxAmount bounds a spend cell: no clinic's ad account spends 10^13 of
// any currency in a row (that is US$300 billion in Vietnamese dong), so
// a larger cell is a wrong column or a hostile file, and an amount that
// large summed over days could leave float64's exact range or overflow
// to +Inf, which no JSON can carry.
const MaxAmount = 1e13

// maxRanges bounds the distinct date ranges a download may hold: rows are
// summed per range as they are read, so memory does not grow with rows.
const maxRanges = 100_000

// Row is one row of spend, in the file's currency.
type Row struct {
	From, To    time.Time // calendar dates (UTC midnight), inclusive; equal for a day row
	Cost        float64
	Clicks      float64
	Conversions float64
	// Bookings are the platform's claimed bookings (Columns.Bookings).
	Bookings float64
	Currency string // ISO 4217, upper case; "" when the file does not say
	Line     int
	// CostCents and ClickCents are Cost and Clicks in hundredths, summed
	// exactly: money is compared in them, never as float64.
	CostCents, ClickCents int64
}

// File is what one download holds: its rows summed per date range and
// currency (a day breakdown: per day), in date order. Line is the first
// line of each sum.
type File struct {
	Name     string
	Platform platform.Platform
	Rows     []Row
	// CoverFrom and CoverTo are the days the download reports on: the
	// range it declares (Google's date-range line above the header, Meta's
	// "Reporting starts" and "Reporting ends"), else its first and last
	// row. A day inside without a row spent nothing (a paused campaign);
	// a day outside is not known. Zero when the file has no row.
	CoverFrom, CoverTo time.Time
	// ResultTypes are the distinct result indicators whose conversions
	// were summed (at most maxTypes), sorted; TypesDropped counts rows
	// whose conversions were left out by Options.ResultTypes.
	ResultTypes  []string
	TypesDropped int
	// Daily: every row is one day (a day breakdown).
	Daily bool
	// HasClicks and HasConversions: the file has those columns.
	HasClicks, HasConversions bool
	// HasBookings: the file has a claimed-bookings column.
	HasBookings bool
	// Skipped counts total and summary rows left out; Read counts the data
	// rows summed into Rows.
	Skipped int
	Read    int
	// campaigns and accounts are the names of the rows' campaigns and
	// accounts, as keyed hashes (never the names): SharesNames compares
	// two downloads by them.
	campaigns, accounts nameSet
}

// Error is a problem with a spend file, positioned and value-free.
type Error = export.Error

// Read reads one spend download as a stream: each row is summed into its
// date range as it is read, so memory stays flat however many rows (and
// campaigns) the file holds.
func Read(r io.Reader, name string, opt Options) (*File, error) {
	cols := opt.Columns
	var probe []string
	// The naming columns find the header too: a zh-CN download's 广告系列
	// stands on its header line when none of its figures' names is known.
	for _, names := range [][]string{cols.Day, cols.Start, cols.End, cols.Cost, cols.Clicks, cols.Conversions, cols.Currency, cols.Names} {
		probe = append(probe, names...)
	}
	rd, err := export.NewReader(r, name, export.Spec{Probe: probe, Encoding: opt.Encoding, EncodingKey: fmt.Sprintf("spend.%s.encoding", opt.Platform)})
	if err != nil {
		return nil, err
	}
	lay := rd.Layout()
	m, headerCurrency, err := mapHeader(lay, cols, name, opt.Platform)
	if err != nil {
		return nil, err
	}
	f := &File{Name: name, Platform: opt.Platform, Daily: m[0] >= 0, HasClicks: m[4] >= 0, HasConversions: m[5] >= 0, HasBookings: m[8] >= 0}
	declFrom, declTo, declared := declaredRange(lay.Above)
	times := eventtime.NewParser(eventtime.Options{Location: time.UTC, DateOrder: opt.DateOrder})
	day := func(s string, line int, c int) (time.Time, error) {
		t, err := times.Parse(s)
		if err != nil {
			return time.Time{}, &Error{File: name, Line: line, Column: m[c] + 1, Reason: "not a date: " + dateReason(err)}
		}
		y, mo, d := t.Date()
		return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC), nil
	}
	keep := map[string]bool{}
	for _, t := range opt.ResultTypes {
		keep[strings.ToLower(strings.TrimSpace(t))] = true
	}
	sums := map[rangeKey]*rangeSum{}
	var seen summaryWatch
	types := map[string]bool{}
	var cover [2]time.Time
	covered := false
	// The download's number format, fixed by its first cell that reads
	// one way only (numberFormat).
	var nf numberFormat
	widen := func(a, b time.Time) {
		if !covered || a.Before(cover[0]) {
			cover[0] = a
		}
		if !covered || b.After(cover[1]) {
			cover[1] = b
		}
		covered = true
	}
	handle := func(rec Record) error {
		line := rec.Line
		row := Row{Line: line}
		var err error
		if f.Daily {
			if row.From, err = day(rec.Day, line, 0); err != nil {
				return err
			}
			row.To = row.From
		} else {
			if row.From, err = day(rec.Start, line, 1); err != nil {
				return err
			}
			if row.To, err = day(rec.End, line, 2); err != nil {
				return err
			}
			if row.To.Before(row.From) {
				return &Error{File: name, Line: line, Column: m[2] + 1, Reason: "the range ends before it starts"}
			}
		}
		// A day breakdown may carry its reporting range per row too (Meta
		// writes both): the file covers the range of every row.
		cf, ct := row.From, row.To
		if f.Daily && m[1] >= 0 && m[2] >= 0 {
			if a, err := day(rec.Start, line, 1); err == nil {
				if b, err := day(rec.End, line, 2); err == nil && !b.Before(a) {
					cf, ct = minTime(cf, a), maxTime(ct, b)
				}
			}
		}
		widen(cf, ct)
		row.Currency = strings.ToUpper(strings.TrimSpace(rec.Currency))
		src := fromColumn
		if row.Currency == "" {
			row.Currency, src = headerCurrency, fromHeader
		}
		if row.Currency == "" {
			row.Currency, src = strings.ToUpper(opt.Currency), fromSetting
		}
		if row.Currency == "" && m[6] >= 0 {
			// The file has a currency column and this row left it blank:
			// the row's own fault, not the file's.
			return &Error{File: name, Line: line, Column: m[6] + 1, Reason: fmt.Sprintf("the currency cell is empty (set spend.%s.currency for rows without one)", opt.Platform)}
		}
		if row.Currency == "" {
			return &Error{File: name, Reason: fmt.Sprintf("the file does not say its currency (no currency column, no \"Amount spent (XXX)\" header): set spend.%s.currency", opt.Platform)}
		}
		if !printable.CurrencyCode(row.Currency) {
			// Never quoted back: the cell went into an error on the
			// terminal whole, escape sequences and all.
			return &Error{File: name, Line: line, Reason: "the currency cell is not a currency code (three letters, ISO 4217: TWD, USD)"}
		}
		// The amounts are read in the row's currency: a cell naming
		// another is no amount of this row, and summed as one it would
		// make every figure of the report wrong, so the read stops.
		for i, a := range rec.amounts() {
			f := amountFields[i]
			if err := a.read(row.Currency, &nf, line, m[f]+1); err != nil {
				return amountError(err, name, line, m[f]+1, f, row.Currency, src, opt.Platform)
			}
		}
		row.Cost, row.Clicks, row.Conversions, row.Bookings = rec.Cost.Value, rec.Clicks.Value, rec.Conversions.Value, rec.Bookings.Value
		row.CostCents, row.ClickCents = rec.Cost.Cents, rec.Clicks.Cents
		dropped := false
		if rec.Conversions.Set && m[7] >= 0 {
			ind := strings.ToLower(strings.TrimSpace(rec.Indicator))
			if len(keep) > 0 && !keep[ind] {
				row.Conversions = 0
				f.TypesDropped++
				dropped = true
			} else if ind != "" && !types[ind] && len(types) < maxTypes {
				types[ind] = true
			}
		}
		f.Read++
		k := rangeKey{row.From.Unix(), row.To.Unix(), row.Currency}
		sum, ok := sums[k]
		if !ok {
			if len(sums) >= maxRanges {
				return &Error{File: name, Line: line, Reason: fmt.Sprintf("more than %d distinct date ranges: not a spend download", maxRanges)}
			}
			sum = &rangeSum{Row: Row{From: row.From, To: row.To, Currency: row.Currency, Line: line}}
			sums[k] = sum
		}
		sum.add(row)
		seen.see(row, k, dropped)
		if sum.Cost > MaxSum || sum.Clicks > MaxSum || sum.Conversions > MaxSum || sum.Bookings > MaxSum {
			return &Error{File: name, Line: line, Reason: fmt.Sprintf("the amounts up to this row add up to more than %g, which no spend download holds", MaxSum)}
		}
		return nil
	}
	// gocsv unmarshals a batch of rows at a time (UnmarshalDecoder's
	// fast path; its callback API hands each row through a reflected
	// channel, several times slower), and the batch is summed before the
	// next is read: memory holds one batch, whatever the file's length.
	dec := &decoder{rd: rd, file: name, width: len(lay.Header), m: m, names: nameColumns(lay.Header, cols.Names), totals: cols.TotalPrefixes, batch: spendBatch,
		campaign: firstColumn(lay.Header, cols.Campaign), account: firstColumn(lay.Header, cols.Account)}
	if cols.NameMapped && len(dec.names) == 0 {
		return nil, &Error{File: name, Line: lay.HeaderLine, Reason: fmt.Sprintf("no name column: %s is not in the header %s; check spend.%s.columns.name",
			quoteList(cols.Names), where(lay), opt.Platform)}
	}
	var recs []Record
	for !dec.done {
		recs = recs[:0]
		err := gocsv.UnmarshalDecoder(dec, &recs)
		if err != nil && !errors.Is(err, gocsv.ErrEmptyCSVFile) {
			var e *export.Error
			if errors.As(err, &e) {
				return nil, e
			}
			// Amounts are read in handle; what gocsv refuses here is a
			// cell of no column of ours, still positioned, never quoted.
			line, col := dec.position(err)
			return nil, &Error{File: name, Line: line, Column: col, Reason: "not a number (spend columns hold amounts and counts)"}
		}
		for _, rec := range recs {
			if err := handle(rec); err != nil {
				return nil, err
			}
		}
	}
	f.Skipped += dec.skipped
	if len(dec.names) == 0 {
		// No column names the rows: a summary row cannot be told by its
		// blank names, so it is told by its figures, or the read stops.
		k, dropped, err := seen.summary(sums, f.HasClicks)
		if err != nil {
			return nil, &Error{File: name, Line: err.line, Reason: fmt.Sprintf(
				"%d rows cover the same days and none names a campaign, ad set, ad or account (no column such as %q): a summary row, which the platform writes with those blank, cannot be told from the others — no row is the sum of the others to the cent — and counting one would double the spend; set spend.%s.columns.name to the column naming each row, or download the report with the campaign name column",
				err.rows, firstOr(cols.Names, "Campaign name"), opt.Platform)}
		}
		if k != nil {
			f.Read--
			f.Skipped++
			if dropped {
				f.TypesDropped--
			}
		}
	}
	f.campaigns, f.accounts = dec.campaigns, dec.accounts
	for _, r := range sums {
		f.Rows = append(f.Rows, r.Row)
	}
	slices.SortFunc(f.Rows, func(a, b Row) int {
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		if c := a.To.Compare(b.To); c != 0 {
			return c
		}
		return strings.Compare(a.Currency, b.Currency)
	})
	for t := range types {
		f.ResultTypes = append(f.ResultTypes, t)
	}
	slices.Sort(f.ResultTypes)
	switch {
	case declared:
		f.CoverFrom, f.CoverTo = declFrom, declTo
		if covered && (cover[0].Before(declFrom) || cover[1].After(declTo)) {
			return nil, &Error{File: name, Line: 1, Reason: fmt.Sprintf("rows from %s to %s lie outside the date range the file declares above its header (%s to %s)",
				cover[0].Format(time.DateOnly), cover[1].Format(time.DateOnly), declFrom.Format(time.DateOnly), declTo.Format(time.DateOnly))}
		}
	case covered:
		f.CoverFrom, f.CoverTo = cover[0], cover[1]
	}
	return f, nil
}

// MaxSum bounds the sum of one date range's cells.
const MaxSum = 1e15

// maxTypes bounds the distinct result indicators remembered.
const maxTypes = 32

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// dateReason names the setting a date needs, without quoting it.
func dateReason(err error) string {
	switch {
	case errors.Is(err, eventtime.ErrDateOrder):
		return "numeric dates are read only by input.date_order, which is not set (spend files share it)"
	case errors.Is(err, eventtime.ErrNoYear):
		return "it has no year"
	}
	return "expected a day such as 2026-11-03"
}
