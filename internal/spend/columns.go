package spend

import (
	"slices"

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
	// ResultIndicator names what a row's conversions are (Meta's "Result
	// indicator": actions:lead, offline_conversion.purchase, …).
	ResultIndicator []string
	// Bookings is a column of the platform's own claimed bookings, beside
	// its conversions: no download has one by default (Google Ads and Meta
	// report conversions per action, which a clinic adds as a custom
	// column, "Conversions (Booking)", or exports per action), so it has
	// no preset; spend.<platform>.columns.booking_conversions names it.
	Bookings []string
	// CostPrefixes match a cost header that carries its currency,
	// "Amount spent (TWD)", "花費金額 (TWD)"; the code in parentheses is
	// the file's currency.
	CostPrefixes []string
	// Names are columns that name what a row is about (campaign, ad set,
	// ad, account). A row with every one the file has blank is a summary
	// row and is skipped; a file with none is judged by its figures
	// (summaryWatch).
	Names []string
	// Campaign and Account are the naming columns two downloads are
	// compared by (File.SharesNames): one account's downloads name the
	// same campaigns.
	Campaign, Account []string
	// NameMapped: Names is spend.<platform>.columns.name, which the file
	// must have.
	NameMapped bool
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
		Day: f.Day, Start: f.Start, End: f.End, Cost: f.Cost, CostPrefixes: f.CostPrefixes,
		Clicks: f.Clicks, Conversions: f.Conversions, Currency: f.Currency,
		Names:    slices.Concat(f.Campaign, f.AdSet, f.Ad, f.Account),
		Campaign: f.Campaign, Account: f.Account,
		TotalPrefixes: f.TotalPrefixes, DayBreakdown: f.DayBreakdown, ResultIndicator: f.ResultIndicator,
	}
}

// Override replaces preset names by configured ones; an empty name keeps
// the preset's. A configured end column makes date a range start.
func (c Columns) Override(date, end, cost, clicks, conversions, currency, indicator string) Columns {
	if indicator != "" {
		c.ResultIndicator = []string{indicator}
	}
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
		c.Cost, c.CostPrefixes = []string{cost}, nil
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

// WithBookings names the column of the platform's claimed bookings
// (spend.<platform>.columns.booking_conversions); "" leaves none.
func (c Columns) WithBookings(name string) Columns {
	if name != "" {
		c.Bookings = []string{name}
	}
	return c
}

// WithName names the column that names each row
// (spend.<platform>.columns.name): it replaces the preset's naming
// columns, a row with it blank is a summary row, and downloads are
// compared by it. "" keeps the preset's.
func (c Columns) WithName(name string) Columns {
	if name != "" {
		c.Names, c.Campaign, c.Account, c.NameMapped = []string{name}, []string{name}, nil, true
	}
	return c
}
