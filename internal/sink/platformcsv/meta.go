package platformcsv

import (
	"context"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/hashgate/hashgate/internal/binfield"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/spool"
)

// MetaOffline writes Meta's offline events file. Several emails, phones
// or external ids of one person go in repeated columns, as Meta's uploader
// reads them ("Repeat a column to send several values",
// docs/research/platform-apis.md C.2) — as many as the row that holds the
// most, so that the file carries every value the upload sends (em, ph and
// external_id are arrays in its user_data; the other keys one value).
//
// How many that is is known only once every row is in: a cell may hold
// several addresses ("a@x.com; b@y.com"), and one email column once made
// one email column, the second address dropped without a word. So the rows
// are held (spool: in memory, then in an unlinked temporary file) and the
// header and rows are written by Close. The pipeline itself writes nothing
// before the end of the export either: holding them here delays no row.
type MetaOffline struct {
	out    io.Writer
	fields []identifier.Field
	// most is the most values of each field one row has held.
	most [platform.FieldCount]int
	held *spool.Spool
	// hold is the held rows' memory before they spill (0: spool's
	// default); tests lower it.
	hold int
	rec  []byte
	// Refused counts what the file has no column for: Meta's click id
	// (fbc), which an upload sends (see Write).
	Refused Refusals
}

var _ sink.Sink = (*MetaOffline)(nil)

// metaColumn is each identifier's column in Meta's offline events file:
// the match keys of Meta's own (archived) uploader and its sample file,
// facebookarchive/offline-conversion-file-uploader (../shared
// docs/platform-apis.md C.2), where the advertiser's id is extern_id.
// Every field Meta may receive has one (TestEveryMetaFieldHasAColumn): an
// external_id once wrote a column with no name.
var metaColumn = map[identifier.Field]string{
	identifier.Email: "email", identifier.Phone: "phone", identifier.FirstName: "fn", identifier.LastName: "ln",
	identifier.PostalCode: "zip", identifier.City: "ct", identifier.State: "st", identifier.Country: "country",
	identifier.ExternalID: "extern_id",
}

// metaRepeats reports whether Meta's upload sends every value of f (an
// array in user_data: em, ph, external_id) rather than the first one —
// destination/meta's userKeys, held to it by
// TestMetaFileRepeatsWhatTheUploadSendsAsArrays.
func metaRepeats(f identifier.Field) bool {
	return f == identifier.Email || f == identifier.Phone || f == identifier.ExternalID
}

// NewMetaOffline starts Meta's file; fields are the identifiers Meta gets,
// in the order of their columns. Nothing is written before Close.
func NewMetaOffline(w io.Writer, fields []identifier.Field) (*MetaOffline, error) {
	return &MetaOffline{out: w, fields: fields}, nil
}

// Write holds one conversion's row until Close.
func (m *MetaOffline) Write(c *conversion.Conversion) error {
	if c.Platform != identifier.Meta {
		return nil
	}
	if err := checkConversion(c); err != nil {
		return err
	}
	// The upload sends the row's fbc (user_data.fbc); the file has no
	// column for it. Meta's offline events file takes match keys — email,
	// phone, fn, ln, zip, ct, st, country, dob, doby, gen, age, madid,
	// extern_id — and event fields, and no click id: Meta's own (archived)
	// uploader, facebookarchive/offline-conversion-file-uploader
	// (offline-events/README.md), as docs/research/platform-apis.md C.2
	// records; Meta's current help page for dataset CSV uploads names none
	// either where it could be read. So it is counted, as Google's file
	// counts what it has no column for (ReasonNoColumn), never written
	// under a name Meta might not read. A conversion always has a match
	// key beside its fbc here (the pipeline excludes a row with only a
	// click id for Meta: no_identifier), so none is left out whole.
	if c.Formatted != "" {
		m.Refused.cell("meta " + platform.FieldFBC + " " + ReasonNoColumn)
	}
	r := binfield.AppendString(m.rec[:0], c.Name)
	r = binfield.AppendString(r, c.Time.UTC().Format(time.RFC3339))
	for _, f := range m.fields {
		n := 0
		for i := range c.Identifiers {
			if s := &c.Identifiers[i]; s.Field() == f && (n == 0 || metaRepeats(f)) {
				n++
			}
		}
		r = binary.AppendUvarint(r, uint64(n)) // how many of f follow (binfield.Reader.Uvarint)
		k := 0
		for i := range c.Identifiers {
			if s := &c.Identifiers[i]; s.Field() == f && k < n {
				r = binfield.AppendString(r, s.Text())
				k++
			}
		}
		m.most[f] = max(m.most[f], n)
	}
	value, cur := "", ""
	if c.HasValue {
		value, cur = strconv.FormatFloat(c.Value, 'f', 2, 64), c.Currency
	}
	r = binfield.AppendString(binfield.AppendString(binfield.AppendString(r, value), cur), string(c.EventID))
	m.rec = r
	if m.held == nil {
		m.held = spool.New("", m.hold)
	}
	return m.held.Append(r)
}

// Close writes the header, with each field's columns repeated as often
// as the row that holds the most values of it needs (once at least), and
// then the rows held.
func (m *MetaOffline) Close() error {
	defer func() {
		if m.held != nil {
			m.held.Close()
		}
	}()
	w := csv.NewWriter(m.out)
	header := []string{"event_name", "event_time"}
	for _, f := range m.fields {
		for range max(m.most[f], 1) {
			header = append(header, metaColumn[f])
		}
	}
	header = append(header, "value", "currency", "order_id")
	if err := w.Write(header); err != nil {
		return err
	}
	if m.held != nil {
		row := make([]string, 0, len(header))
		err := m.held.Replay(context.Background(), func(rec []byte) error {
			row = row[:0]
			in := binfield.Reader{B: rec}
			row = append(row, in.String(""), in.String("")) // event_name, event_time
			for _, f := range m.fields {
				n := in.Uvarint()
				if n > uint64(m.most[f]) {
					return errMalformed
				}
				for range n {
					row = append(row, in.String(""))
				}
				for range max(m.most[f], 1) - int(n) {
					row = append(row, "")
				}
			}
			row = append(row, in.String(""), in.String(""), in.String("")) // value, currency, order_id
			if in.Bad || len(in.B) > 0 {
				return errMalformed
			}
			return w.Write(row)
		})
		if err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

var errMalformed = errors.New("meta-offline-csv: a held row read back malformed")

// Refusals returns what the file left out so far.
func (m *MetaOffline) Refusals() Refusals { return m.Refused }
