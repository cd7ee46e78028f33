package spend

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/hashgate/hashgate/internal/money"
)

// Amount is a number as the platforms print it: "1,234.56", "1,234",
// "NT$1,234", and "--" or blank for nothing. gocsv hands over the cell;
// it is read once the row's currency is known (read), since a cell that
// names another currency than its row's is not an amount of that row.
type Amount struct {
	Value float64
	// Cents is the amount in hundredths, as the file wrote it: sums of
	// them are exact in any order, where float64 sums of the same cells
	// in another order differ in their last bits (two downloads of one
	// account's day, summed by campaign and by ad, compared unequal).
	Cents int64
	Set   bool
	// text is the cell, trimmed, until read reads it.
	text string
}

// errAmount is value-free: a campaign's row is not quoted back.
var errAmount = errors.New("not a number")

var errTooLarge = errors.New("too large")

// errBothWays is a cell the two number formats read as two numbers.
// money refuses in each format the cells the other reads otherwise
// ("1,234" with a decimal comma, "1.234" with a decimal point), so none
// should; it is kept as the guard that one never is summed.
var errBothWays = errors.New("reads as two numbers")

// formatError is a cell that reads only in the number format other than
// the one an earlier cell of the file (at line, column) fixed.
type formatError struct {
	line, col int
	comma     bool // the earlier cell's format: a decimal comma
}

func (e *formatError) Error() string { return "the file writes numbers two ways" }

// numberFormat is a download's own number format, as its cells show it:
// the first cell that reads only with a decimal comma ("1.234,50",
// "12,5", "1.234") or only with a decimal point ("1,234.56", "12.50",
// "1,234") fixes it for the file, and a later cell that reads only the
// other way stops the read. Until one does, every cell read the same
// both ways ("1200", "0"). input.decimal_comma is not consulted: it says
// how the clinic's export writes fees, and a European clinic's Google
// Ads or Meta download is in the number format of the account's user
// settings, often English ("1,234.56"), which was refused at its first
// cell with a decimal (and a German sheet in an English-format clinic
// likewise).
type numberFormat struct {
	decided bool
	comma   bool
	line    int
	col     int
}

// markError is a cell whose currency mark names another currency than
// its row's: codes are the ones the mark allows; dollar, the bare "$".
type markError struct {
	codes  []string
	dollar bool
}

func (e *markError) Error() string { return "the cell names another currency" }

// UnmarshalCSV implements gocsv.TypeUnmarshaller: it keeps the cell for
// read.
func (a *Amount) UnmarshalCSV(s string) error {
	*a = Amount{text: strings.TrimSpace(s)}
	return nil
}

// read reads the cell as an amount of currency (the row's ISO 4217 code),
// in the file's number format nf (fixed by the first cell that reads one
// way only; line and col place this cell, for the one that fixes it). The
// platforms' downloads write no currency sign — the currency is their own
// column (Google Ads' "Currency code", the account's
// customer.currency_code: developers.google.com/google-ads/api/fields/v22/
// customer#customer.currency_code, as datastudio.cloudad.tech/glossary/
// google-ads-currency-code/ describes the report column; Meta's
// "Currency", the insights field account_currency: facebook-nodejs-
// business-sdk src/objects/ads-insights.js) or the cost header ("Amount
// spent (TWD)") — so a sign came from a spreadsheet a person keeps. One
// naming another currency is refused as money.ParseIn refuses it in the
// export ("USD 100", "US$100" and "€100" in a TWD file were summed as TWD,
// every cost and ROAS of the report off by the exchange rate). The bare
// "$" reads as the row's currency when that is a dollar (TWD, HKD, SGD,
// AUD, CAD, NZD, USD, …: money's dollars), as in ParseIn: Taiwan writes
// NT dollars "$1,200" on price tags, invoices and the spend sheet a
// clinic keeps by hand (shared/docs/clinic-exports.md, row 23), and
// refusing it stopped `channels` for every such clinic; in a EUR, JPY or
// CNY row it names no amount of the row and stops the read.
func (a *Amount) read(currency string, nf *numberFormat, line, col int) error {
	s := a.text
	if s == "" || s == "--" || s == "-" || s == "—" {
		*a = Amount{}
		return nil
	}
	// ParseIn reads "1,234.56" and "NT$1,500", and refuses exponents,
	// negative amounts, and in each format the cells the other reads
	// otherwise: such a cell is a wrong column or locale, not a number
	// to guess at.
	vp, errp := money.ParseIn(s, currency, false)
	vc, errc := money.ParseIn(s, currency, true)
	if errors.Is(errp, money.ErrOtherCurrency) || errors.Is(errc, money.ErrOtherCurrency) {
		codes, dollar := money.Marks(s)
		return &markError{codes: codes, dollar: dollar}
	}
	var v float64
	switch {
	case errp == nil && errc == nil:
		if vp != vc {
			return errBothWays
		}
		v = vp
	case errp == nil || errc == nil:
		comma := errc == nil
		if nf.decided && nf.comma != comma {
			return &formatError{line: nf.line, col: nf.col, comma: nf.comma}
		}
		if !nf.decided {
			*nf = numberFormat{decided: true, comma: comma, line: line, col: col}
		}
		v = vp
		if comma {
			v = vc
		}
	default:
		return errAmount
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v > MaxAmount {
		return errTooLarge
	}
	*a = Amount{Value: v, Cents: int64(math.Round(v * 100)), Set: true}
	return nil
}

// amountFields are the canonical indices of the amount columns a Record
// holds, in the file's reading order of a row's checks.
var amountFields = [...]int{costField, 4, 5, 8}

// amounts returns rec's amount columns by canonical index.
func (rec *Record) amounts() [len(amountFields)]*Amount {
	return [...]*Amount{&rec.Cost, &rec.Clicks, &rec.Conversions, &rec.Bookings}
}

// currencySource says where a row's currency came from, for messages.
type currencySource int

const (
	fromColumn currencySource = iota
	fromHeader
	fromSetting
)

// amountError is the positioned, value-free error of an amount cell of
// field (a canonical index) that read refused: the cell's currency may be
// named — it is not personal data — never its amount.
func amountError(err error, name string, line, col, field int, currency string, src currencySource, p fmt.Stringer) *Error {
	e := &Error{File: name, Line: line, Column: col}
	var me *markError
	var fe *formatError
	switch {
	case errors.As(err, &fe):
		was, is := "a decimal comma (9.999,99)", "a decimal point (9,999.99)"
		if !fe.comma {
			was, is = is, was
		}
		e.Reason = fmt.Sprintf("the %s reads only with %s, but line %d column %d read only with %s: a download is written in one number format, so the file was edited or joined from two; download the report again, or write every amount of the file one way",
			fieldNames[field], is, fe.line, fe.col, was)
	case errors.As(err, &me):
		what := "another currency"
		switch {
		case me.dollar:
			what = "a bare \"$\", which every dollar writes (US$, NT$, HK$)"
		case len(me.codes) > 0:
			what = strings.Join(me.codes, " or ")
		}
		where := map[currencySource]string{fromColumn: "its currency column", fromHeader: "its cost header", fromSetting: fmt.Sprintf("spend.%s.currency", p)}[src]
		todo := fmt.Sprintf("convert the file's amounts into %s (without the sign), or set spend.%s.currency to the currency they are in (and spend.rates, if it is not conversion.currency)", currency, p)
		if src != fromSetting {
			todo = fmt.Sprintf("the file contradicts itself: download the report again as the platform writes it (amounts without a sign), or convert the cell into %s", currency)
		}
		e.Reason = fmt.Sprintf("the %s is marked %s, but the row is in %s (%s): read as %s, every cost, ROAS and cost per patient of the report would be off by the exchange rate; %s",
			fieldNames[field], what, currency, where, currency, todo)
	case errors.Is(err, errTooLarge):
		e.Reason = fmt.Sprintf("larger than any spend download holds (at most %g per cell)", MaxAmount)
	case errors.Is(err, errBothWays):
		e.Reason = fmt.Sprintf("the %s reads as one number with a decimal comma and as another with a decimal point: write it without thousands separators", fieldNames[field])
	default:
		e.Reason = "not a number (spend columns hold amounts and counts, with a decimal point or a decimal comma)"
	}
	return e
}
