// Package platformcsv writes the platforms' manual-upload files: Google
// Ads' offline conversion import (click ids plus enhanced conversions for
// leads) and Meta's offline events CSV for Events Manager. Identifiers are
// pre-hashed exactly as the APIs take them; the order id column carries the
// keyed event id, never the clinic's appointment or chart number.
package platformcsv

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/sink"
)

// GoogleAds writes the Google Ads conversion import file.
type GoogleAds struct {
	w      *csv.Writer
	name   string
	loc    *time.Location
	braids bool
	rec    []string
}

var _ sink.Sink = (*GoogleAds)(nil)

// NewGoogleAds writes the Parameters row and header. conversionName is the
// conversion action's name (the file names actions by name, not id); loc is
// the zone every Conversion Time is written in (nil: UTC).
func NewGoogleAds(w io.Writer, conversionName string, loc *time.Location, braids bool) (*GoogleAds, error) {
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
		"Conversion Currency", "Order ID", "Ad User Data", "Ad Personalization")
	return g, g.w.Write(header)
}

// Write adds one conversion; the file takes one email and one phone.
func (g *GoogleAds) Write(c *conversion.Conversion) error {
	if c.Platform != identifier.Google {
		return nil
	}
	r := append(g.rec[:0], c.GCLID)
	if g.braids {
		r = append(r, c.GBRAID, c.WBRAID)
	}
	email, phone := first(c, identifier.Email), first(c, identifier.Phone)
	value, cur := "", ""
	if c.HasValue {
		value, cur = strconv.FormatFloat(c.Value, 'f', 2, 64), c.Currency
	}
	personalization := "Denied"
	if c.AdPersonalization {
		personalization = "Granted"
	}
	r = append(r, email, phone, g.name, c.Time.In(g.loc).Format("2006-01-02 15:04:05"), value, cur,
		string(c.EventID), "Granted", personalization)
	g.rec = r
	return g.w.Write(r)
}

// Close flushes.
func (g *GoogleAds) Close() error { g.w.Flush(); return g.w.Error() }

// MetaOffline writes Meta's offline events file. Several emails or phones
// of one person go in repeated columns, as Meta's uploader reads them.
type MetaOffline struct {
	w      *csv.Writer
	fields []identifier.Field
	slots  map[identifier.Field]int // columns per field
	rec    []string
}

var _ sink.Sink = (*MetaOffline)(nil)

var metaColumn = map[identifier.Field]string{
	identifier.Email: "email", identifier.Phone: "phone", identifier.FirstName: "fn", identifier.LastName: "ln",
	identifier.PostalCode: "zip", identifier.City: "ct", identifier.State: "st", identifier.Country: "country",
}

// NewMetaOffline writes the header. fields are the identifiers Meta gets;
// slots says how many columns each takes (the number of export columns it
// is read from, so a streamed file never needs more).
func NewMetaOffline(w io.Writer, fields []identifier.Field, slots map[identifier.Field]int) (*MetaOffline, error) {
	m := &MetaOffline{w: csv.NewWriter(w), fields: fields, slots: map[identifier.Field]int{}}
	header := []string{"event_name", "event_time"}
	for _, f := range fields {
		n := max(slots[f], 1)
		m.slots[f] = n
		for range n {
			header = append(header, metaColumn[f])
		}
	}
	header = append(header, "value", "currency", "order_id")
	return m, m.w.Write(header)
}

// Write adds one conversion.
func (m *MetaOffline) Write(c *conversion.Conversion) error {
	if c.Platform != identifier.Meta {
		return nil
	}
	r := append(m.rec[:0], c.Name, c.Time.UTC().Format(time.RFC3339))
	for _, f := range m.fields {
		n := 0
		for _, s := range c.Identifiers {
			if s.Field() == f && n < m.slots[f] {
				r = append(r, s.Text())
				n++
			}
		}
		for ; n < m.slots[f]; n++ {
			r = append(r, "")
		}
	}
	value, cur := "", ""
	if c.HasValue {
		value, cur = strconv.FormatFloat(c.Value, 'f', 2, 64), c.Currency
	}
	r = append(r, value, cur, string(c.EventID))
	m.rec = r
	return m.w.Write(r)
}

// Close flushes.
func (m *MetaOffline) Close() error { m.w.Flush(); return m.w.Error() }

func first(c *conversion.Conversion, f identifier.Field) string {
	for _, s := range c.Identifiers {
		if s.Field() == f {
			return s.Text()
		}
	}
	return ""
}
