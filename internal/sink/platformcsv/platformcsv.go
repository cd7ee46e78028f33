// Package platformcsv writes the platforms' manual-upload files: Google
// Ads' offline conversion import (click ids plus enhanced conversions for
// leads) and Meta's offline events CSV for Events Manager. Identifiers are
// pre-hashed exactly as the APIs take them; the order id column carries the
// keyed event id, never the clinic's appointment or chart number.
//
// Both files are opened in spreadsheets and read by the platforms, which
// would take a neutralising "'" as part of the value. So no cell is
// neutralised here: a cell that a spreadsheet would read as a formula is
// refused instead — a click id that starts with "-" is left out of its row
// and counted (Refused), and a row left with nothing to match on is not
// written. Names that come from the config (event name, conversion name)
// are refused at config load and again by the constructors. Plain values
// were checked against their grammar by the pipeline (plaintext); Write
// refuses a conversion that was not.
//
// What an upload would send and a file has no column for (Google's file:
// an address) is counted too (ReasonNoColumn), so that the summary of a
// file says every difference from an upload's.
package platformcsv

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/csvcell"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/plaintext"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/sink"
)

// ReasonFormula is the reason a cell is refused: a spreadsheet would read
// it as a formula, and the platform's file cannot carry the "'" that
// would neutralise it.
const ReasonFormula = "csv_formula_prefix"

// ReasonNoColumn is the reason an identifier an upload would send is not
// in the file: the file has no column for it. Google's file has one Email
// and one Phone Number column and none for an address — the Google Ads
// API's ClickConversion, which the file's conversions become: "Only
// hashed_email and hashed_phone_number are supported for conversion
// uploads" (developers.google.com/google-ads/api/reference/rpc/latest/
// ClickConversion, user_identifiers). A conversion left with nothing the
// file can carry is not written, under the same reason.
const ReasonNoColumn = "no_file_column"

// Refusals counts what a platform file left out, keyed as the run
// summary's dropped identifiers ("google gclid csv_formula_prefix"), and
// the conversions not written at all because nothing was left to match
// on, by reason.
type Refusals struct {
	Cells       map[string]int
	Conversions map[string]int
}

func (r *Refusals) cell(key string) {
	if r.Cells == nil {
		r.Cells = map[string]int{}
	}
	r.Cells[key]++
}

func (r *Refusals) conversion(reason string) {
	if r.Conversions == nil {
		r.Conversions = map[string]int{}
	}
	r.Conversions[reason]++
}

// checkName refuses a config string a spreadsheet would run.
func checkName(what, name string) error {
	if csvcell.Dangerous(name) {
		return fmt.Errorf("%s starts with a character a spreadsheet reads as a formula (=, +, -, @, tab)", what)
	}
	return nil
}

// GoogleAds writes the Google Ads conversion import file.
type GoogleAds struct {
	w      *csv.Writer
	name   string
	loc    *time.Location
	braids bool
	rec    []string
	// Refused counts the cells and conversions left out (see the package
	// comment).
	Refused Refusals
}

var _ sink.Sink = (*GoogleAds)(nil)

// NewGoogleAds writes the Parameters row and header. conversionName is the
// conversion action's name (the file names actions by name, not id); loc is
// the zone every Conversion Time is written in (nil: UTC).
func NewGoogleAds(w io.Writer, conversionName string, loc *time.Location, braids bool) (*GoogleAds, error) {
	if err := checkName("destinations.google.conversion_name", conversionName); err != nil {
		return nil, err
	}
	g := &GoogleAds{w: csv.NewWriter(w), name: conversionName, loc: loc, braids: braids}
	zone := "+0000"
	if loc != nil {
		zone = loc.String()
	} else {
		g.loc = time.UTC
	}
	if _, err := io.WriteString(w, "Parameters:TimeZone="+zone+"\n"); err != nil {
		return nil, err
	}
	header := []string{"Google Click ID"}
	if braids {
		header = append(header, "GBRAID", "WBRAID")
	}
	header = append(header, "Email", "Phone Number", "Conversion Name", "Conversion Time", "Conversion Value",
		"Conversion Currency", "Order ID", "Ad User Data")
	return g, g.w.Write(header)
}

// Write adds one conversion; the file takes one email and one phone.
func (g *GoogleAds) Write(c *conversion.Conversion) error {
	if c.Platform != identifier.Google {
		return nil
	}
	if err := checkConversion(c); err != nil {
		return err
	}
	gclid, gbraid, wbraid := g.clickID("gclid", c.GCLID), "", ""
	r := append(g.rec[:0], gclid)
	if g.braids {
		gbraid, wbraid = g.clickID("gbraid", c.GBRAID), g.clickID("wbraid", c.WBRAID)
		r = append(r, gbraid, wbraid)
	}
	email, phone := first(c, identifier.Email), first(c, identifier.Phone)
	g.noColumn(c)
	if gclid == "" && gbraid == "" && wbraid == "" && email == "" && phone == "" {
		// Nothing left to match on: its click id was refused, or all it
		// had is what the file has no column for (an address).
		reason := ReasonNoColumn
		if c.HasClickID() {
			reason = ReasonFormula
		}
		g.Refused.conversion(reason)
		return nil
	}
	value, cur := "", ""
	if c.HasValue {
		value, cur = strconv.FormatFloat(c.Value, 'f', 2, 64), c.Currency
	}
	// The Order ID is the transactionId an upload sends for the event
	// (platform.GoogleTransactionID: an all-digit id is prefixed, as Google
	// refuses such ids), so a conversion first filed by hand and later
	// uploaded is one conversion to Google, not two.
	r = append(r, email, phone, g.name, conversionTime(c.Time, g.loc), value, cur,
		platform.GoogleTransactionID(string(c.EventID)), "Granted")
	g.rec = r
	return g.w.Write(r)
}

// noColumn counts what c holds that the file has no column for: every
// email and phone after the first (the file has one column of each; an
// upload sends them all), and an address (Google's AddressInfo, counted
// once under its group's name, as the pipeline counts an incomplete one).
func (g *GoogleAds) noColumn(c *conversion.Conversion) {
	spec := identifier.Google.Spec()
	var groups uint64
	var email, phone bool
	for i := range c.Identifiers {
		switch f := c.Identifiers[i].Field(); f {
		case identifier.Email, identifier.Phone:
			seen := &email
			if f == identifier.Phone {
				seen = &phone
			}
			if *seen {
				g.Refused.cell("google " + f.String() + " " + ReasonNoColumn)
			}
			*seen = true
		default:
			gi := spec.GroupOf(f)
			if gi < 0 {
				g.Refused.cell("google " + f.String() + " " + ReasonNoColumn)
			} else if groups&(1<<gi) == 0 {
				groups |= 1 << gi
				g.Refused.cell("google " + spec.Groups[gi].Name + " " + ReasonNoColumn)
			}
		}
	}
}

// clickID returns id, or "" (counted) when a spreadsheet would read it as
// a formula: URL-safe base64 may start with "-".
func (g *GoogleAds) clickID(name, id string) string {
	if id != "" && csvcell.Dangerous(id) {
		g.Refused.cell("google " + name + " " + ReasonFormula)
		return ""
	}
	return id
}

// Close flushes.
func (g *GoogleAds) Close() error { g.w.Flush(); return g.w.Error() }

// Refusals returns what the file left out so far.
func (g *GoogleAds) Refusals() Refusals { return g.Refused }

// checkConversion asserts what the pipeline promised: plain values fit
// their grammar, and the event name is no formula.
func checkConversion(c *conversion.Conversion) error {
	if field, ok := plaintext.Check(c); !ok {
		return fmt.Errorf("line %d: %s does not fit its grammar; not written", c.Line, field)
	}
	return checkName("conversion.event_name", c.Name)
}

func first(c *conversion.Conversion, f identifier.Field) string {
	for _, s := range c.Identifiers {
		if s.Field() == f {
			return s.Text()
		}
	}
	return ""
}

// conversionTime is t as the file's Conversion Time: the wall clock in loc,
// which the Parameters:TimeZone row names — and, where that wall clock
// names two instants (the hour repeated when daylight saving ends), with
// t's offset too, which Google reads before the Parameters row ("Conversion
// Time will be used first", support.google.com/google-ads/answer/7014069).
// Without it, 01:30 EDT and 01:30 EST on the night clocks go back were the
// same line, one of them an hour off.
//
// The offset is the file's form, "-0400": "the GMT offset, as indicated by
// + or - and the 4-digit time difference (such as -0500)" (Adobe's guide
// to the same Google file, AdobeDocs/advertising.en
// help/search-social-commerce/admin/conversion-metrics/upload-data-offline-conversions.md;
// docs/research/platform-apis.md C.1, "4 digits, no colon"). The API's
// "2019-01-01 12:32:45-08:00" (ClickConversion.conversion_date_time) is
// not the file's: public integrations quote the file import refusing it
// live, "The value '2026-08-27 16:31:11+00:00' in column 'Conversion
// Time' is invalid", and accepting "+0000".
func conversionTime(t time.Time, loc *time.Location) string {
	w := t.In(loc)
	const wall = "2006-01-02 15:04:05"
	_, cur := w.Zone()
	// Another instant with this wall clock lies a zone change away: an
	// offset in force three hours before or after, different from t's.
	for _, near := range []time.Time{t.Add(-3 * time.Hour), t.Add(3 * time.Hour)} {
		if _, o := near.In(loc).Zone(); o != cur {
			if t.Add(time.Duration(cur-o)*time.Second).In(loc).Format(wall) == w.Format(wall) {
				return w.Format(wall + "-0700") // four digits, no colon (above)
			}
		}
	}
	return w.Format(wall)
}
