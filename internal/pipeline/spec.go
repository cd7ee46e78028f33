package pipeline

import (
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Spec derives the export column mapping from the config.
func Spec(c *config.Config) export.Spec {
	col := c.Input.Columns
	var s export.Spec
	s.HeaderRow = c.Input.HeaderRow
	s.Encoding = c.Input.Encoding
	s.Delimiter, _ = config.Delimiter(c.Input.Delimiter)
	s.SkipFooter = c.Input.SkipFooterLines
	s.MaxRecordBytes = c.Input.MaxRecordBytes
	set := func(k export.Column, names ...string) {
		for _, n := range names {
			if strings.TrimSpace(n) != "" {
				s.Headers[k] = append(s.Headers[k], n)
			}
		}
	}
	set(export.OrderID, col.OrderID...)
	set(export.AppointmentAt, col.AppointmentAt)
	set(export.AppointmentDate, col.AppointmentDate)
	set(export.AppointmentTime, col.AppointmentTime)
	set(export.Status, col.Status)
	set(export.Email, col.Email...)
	set(export.Phone, col.Phone...)
	set(export.FirstName, col.FirstName)
	set(export.LastName, col.LastName)
	set(export.PostalCode, col.PostalCode)
	set(export.City, col.City)
	set(export.State, col.State)
	set(export.Country, col.Country)
	if v := c.Conversion.Value; v == config.ValueActual || v == config.ValueBucket {
		set(export.Value, col.Value)
	}
	set(export.Currency, col.Currency)
	set(export.Consent, col.Consent)
	set(export.ConsentAt, col.ConsentAt)
	set(export.PatientKey, col.PatientKey)
	// Each platform's own columns, by the keys its Spec names: the click
	// ids a conversion carries and its consent column. (Click ids that
	// only attribute a row to a channel are read by `hashgate channels`.)
	for _, p := range platform.All {
		spec := p.Spec()
		keys := append(slices.Clip(spec.ClickIDs), spec.ConsentKey)
		if spec.Formatted != nil {
			keys = append(keys, spec.Formatted.Column) // Meta's fbc, from the fbclid
		}
		for _, key := range keys {
			// Once per column: two platforms may name the same click id.
			if k, ok := export.ColumnByKey(key); ok && key != "" && len(s.Headers[k]) == 0 {
				set(k, col.ByKey(key))
			}
		}
	}
	// booked_at dates Meta's fbc (platform.MetaFBC) and conversion.bookings.
	set(export.BookedAt, col.BookedAt)
	// The age and expiry rules' columns (patient.go), read for them only.
	set(export.BirthDate, col.BirthDate)
	set(export.ConsentExpiresAt, col.ConsentExpiresAt)
	// The clinic guard's column (clinic.go), read for it only.
	set(export.Clinic, col.Clinic)
	// input.columns.ad_personalization is accepted and never read: Google
	// conversions carry adUserData only (platform.GoogleAdPersonalizationNote).
	return s
}

// fieldColumn maps an identifier field to its export column (an array,
// not a map: it is read for every field of every row). ok is false for
// fields with no column.
func fieldColumn(f identifier.Field) (c export.Column, ok bool) {
	if int(f) < len(fieldColumns) && fieldColumns[f].ok {
		return fieldColumns[f].col, true
	}
	return 0, false
}

var fieldColumns = func() (t [identifier.ExternalID + 1]struct {
	col export.Column
	ok  bool
}) {
	for f, c := range map[identifier.Field]export.Column{
		identifier.Email: export.Email, identifier.Phone: export.Phone,
		identifier.FirstName: export.FirstName, identifier.LastName: export.LastName,
		identifier.PostalCode: export.PostalCode, identifier.City: export.City,
		identifier.State: export.State, identifier.Country: export.Country,
		identifier.ExternalID: export.PatientKey, // keyed first: see externalID
	} {
		t[f].col, t[f].ok = c, true
	}
	return t
}()

// Open reads the export's layout and header (encoding, delimiter, header
// line, every configured column) from opt.Input. Commands call it before
// they create any output or start an upload, so a structural problem stops
// the run with nothing written or sent.
// runTimeOptions adds to TimeOptions what a run knows: the date and the
// upload window that fix the year of a year-less date.
func runTimeOptions(cfg *config.Config, now time.Time) eventtime.Options {
	o := TimeOptions(cfg)
	o.Today = today(cfg, now)
	o.YearWindowDays = yearWindowDays(cfg)
	return o
}

func Open(opt Options) (*export.Reader, error) {
	spec := Spec(opt.Config)
	for c, names := range opt.Columns {
		spec.Headers[c] = append(spec.Headers[c], names...)
	}
	return export.NewReader(opt.Input, opt.InputName, spec)
}
