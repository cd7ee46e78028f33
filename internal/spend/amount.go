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

// errBothWays is a cell read as one number with a decimal comma and as
// another with a decimal point ("1,234.56", "1,234"), under
// input.decimal_comma.
var errBothWays = errors.New("reads as two numbers")

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
// with a decimal comma when decimalComma (input.decimal_comma, as the
// export's fees). The platforms' downloads write no currency sign — the
// currency is their own column (Google Ads' "Currency code", the
// account's customer.currency_code: developers.google.com/google-ads/api/
// fields/v22/customer#customer.currency_code, as datastudio.cloudad.tech/
// glossary/google-ads-currency-code/ describes the report column; Meta's
// "Currency", the insights field account_currency: facebook-nodejs-
// business-sdk src/objects/ads-insights.js) or the cost header ("Amount
// spent (TWD)") — so a sign came from a spreadsheet. One naming another
// currency is refused as money.ParseIn refuses it in the export ("USD
// 100", "US$100" and "€100" in a TWD file were summed as TWD, every cost
// and ROAS of the report off by the exchange rate), and so is the bare
// "$" unless the row is in US dollars: ParseIn lets it pass as every
// dollar's (a Taiwanese fee column writes NT dollars so), but in spend it
// cannot tell US$ from NT$, and a wrong guess is off thirtyfold.
func (a *Amount) read(currency string, decimalComma bool) error {
	s := a.text
	if s == "" || s == "--" || s == "-" || s == "—" {
		*a = Amount{}
		return nil
	}
	// ParseIn reads "1,234.56" and "NT$1,500", and refuses exponents,
	// negative amounts and, without decimalComma, a decimal comma
	// ("1.234,50"): such a cell is a wrong column or locale, not a number
	// to guess at.
	v, err := money.ParseIn(s, currency, decimalComma)
	if errors.Is(err, money.ErrOtherCurrency) {
		codes, dollar := money.Marks(s)
		return &markError{codes: codes, dollar: dollar}
	}
	if err != nil {
		// An English download under input.decimal_comma ("1,234.56",
		// "1,234", which money refuses with a decimal comma): said as
		// such, with what to do.
		if _, werr := money.ParseIn(s, currency, false); decimalComma && werr == nil {
			return errBothWays
		}
		return errAmount
	}
	if currency != "USD" && (s[0] < '0' || s[0] > '9') {
		if _, dollar := money.Marks(s); dollar {
			return &markError{dollar: true}
		}
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
func amountError(err error, name string, line, col, field int, currency string, src currencySource, p fmt.Stringer, decimalComma bool) *Error {
	e := &Error{File: name, Line: line, Column: col}
	var me *markError
	switch {
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
		e.Reason = fmt.Sprintf("the %s reads as one number with a decimal comma (input.decimal_comma, which spend files share) and as another with a decimal point, as an English download writes it: download the report with the clinic's number format, or convert the file", fieldNames[field])
	default:
		e.Reason = "not a number (spend columns hold amounts and counts)"
		if decimalComma {
			e.Reason = "not a number with a decimal comma (input.decimal_comma, which spend files share; spend columns hold amounts and counts)"
		}
	}
	return e
}
