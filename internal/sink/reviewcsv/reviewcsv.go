// Package reviewcsv writes the dry-run's hashed CSV: one row per conversion
// per platform, exactly what would be sent, for the clinic's privacy officer
// to read before anything leaves.
//
// Column names say what a cell holds: "_sha256" columns are lower-case hex
// SHA-256; the two Google address fields sent unhashed (postal_code, country)
// have bare names. One cell may hold several values joined with ";".
package reviewcsv

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/sink"
)

var _ sink.Sink = (*Writer)(nil)

// Layout says which optional columns appear.
type Layout struct {
	// Fields maps each platform to the identifier fields it receives.
	Fields map[identifier.Platform][]identifier.Field
	// BRAIDs adds gbraid and wbraid columns.
	BRAIDs bool
	// GoogleConsent adds ad_personalization: the adPersonalization consent
	// Google rows carry ("granted"/"denied"). adUserData is granted on every
	// row by construction: only rows that passed the consent gate are here.
	GoogleConsent bool
}

type column struct {
	name   string
	field  identifier.Field
	hashed bool
}

// Writer is the review CSV sink.
type Writer struct {
	w      *csv.Writer
	idCols []column
	braids bool
	google bool
	rec    []string
	cells  [][]byte
}

// New writes the header and returns the sink.
func New(w io.Writer, l Layout) (*Writer, error) {
	rw := &Writer{w: csv.NewWriter(w), braids: l.BRAIDs, google: l.GoogleConsent}
	header := []string{"destination", "event_id", "event_time", "event_name", "value", "currency", "gclid"}
	if l.BRAIDs {
		header = append(header, "gbraid", "wbraid")
	}
	if l.GoogleConsent {
		header = append(header, "ad_personalization")
	}
	for _, f := range identifier.Fields {
		for _, hashed := range []bool{false, true} {
			used := f == identifier.Email || f == identifier.Phone // always present: reviewers expect them
			if used && !hashed {
				continue
			}
			for p, fs := range l.Fields {
				for _, g := range fs {
					if g == f && p.Hashes(f) == hashed {
						used = true
					}
				}
			}
			if !used {
				continue
			}
			name := f.String()
			if hashed {
				name += "_sha256"
			}
			rw.idCols = append(rw.idCols, column{name: name, field: f, hashed: hashed})
			header = append(header, name)
		}
	}
	rw.rec = make([]string, len(header))
	rw.cells = make([][]byte, len(rw.idCols))
	if err := rw.w.Write(header); err != nil {
		return nil, err
	}
	return rw, nil
}

// Write adds one conversion.
func (rw *Writer) Write(c *conversion.Conversion) error {
	r := rw.rec[:0]
	value, currency := "", ""
	if c.HasValue {
		value, currency = strconv.FormatFloat(c.Value, 'f', -1, 64), c.Currency
	}
	r = append(r, c.Platform.String(), string(c.EventID), c.Time.Format(time.RFC3339), c.Name, value, currency, c.GCLID)
	if rw.braids {
		r = append(r, c.GBRAID, c.WBRAID)
	}
	if rw.google {
		switch {
		case c.Platform != identifier.Google:
			r = append(r, "")
		case c.AdPersonalization:
			r = append(r, "granted")
		default:
			r = append(r, "denied")
		}
	}
	for i := range rw.cells {
		rw.cells[i] = rw.cells[i][:0]
	}
	for _, s := range c.Identifiers {
		for i, col := range rw.idCols {
			if col.field == s.Field() && col.hashed == s.IsHashed() {
				if len(rw.cells[i]) > 0 {
					rw.cells[i] = append(rw.cells[i], ';')
				}
				rw.cells[i] = s.AppendText(rw.cells[i])
			}
		}
	}
	for _, b := range rw.cells {
		r = append(r, string(b))
	}
	return rw.w.Write(r)
}

// Close flushes buffered rows.
func (rw *Writer) Close() error {
	rw.w.Flush()
	return rw.w.Error()
}
