package meta

import (
	"fmt"
	"strconv"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/identifier"
)

// Why Encode writes its own JSON: encoding/json's Marshal of a Request
// walks every event's structs by reflection, and a request's events were
// first built as structs (an Event, its slices of hex strings and a
// CustomData per conversion). Profiled by make bench-upload at 1M rows,
// that was 1.8 of the upload's 8.9 CPU-s, the largest cost only an upload
// has. Encode writes the same bytes straight into one buffer, with each
// hash's hex digits taken from the digest: TestEncodeMatchesMarshal and
// FuzzEncodeMatchesMarshal hold it byte-equal to json.Marshal of the
// Request the earlier code built (kept in the tests as the reference), and
// the fake Graph server decodes each body into Request.

// Encode builds the request body for a batch: the JSON of Request.
func (c *Client) Encode(batch []*conversion.Conversion) ([]byte, error) {
	return c.appendRequest(make([]byte, 0, 512*len(batch)+256), batch)
}

// appendRequest appends the JSON of Request to b (Send's pooled body).
func (c *Client) appendRequest(b []byte, batch []*conversion.Conversion) ([]byte, error) {
	b = append(b, `{"data":[`...)
	for i, cv := range batch {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = c.appendEvent(b, cv); !ok {
			// What json.Marshal refused too (an UnsupportedValueError);
			// values are parsed numbers, so never expected.
			return nil, fmt.Errorf("meta: the value of line %d is not a finite number", cv.Line)
		}
	}
	b = append(b, ']')
	if c.cfg.TestEventCode != "" {
		b = append(b, `,"test_event_code":`...)
		b = destination.AppendJSONString(b, c.cfg.TestEventCode)
	}
	b = append(b, `,"partner_agent":"hashgate","access_token":`...)
	b = destination.AppendJSONString(b, c.cfg.AccessToken)
	if c.proof != "" {
		b = append(b, `,"appsecret_proof":`...)
		b = destination.AppendJSONString(b, c.proof)
	}
	return append(b, '}'), nil
}

// appendEvent appends one Event; ok is false for a value JSON cannot hold.
func (c *Client) appendEvent(b []byte, cv *conversion.Conversion) (_ []byte, ok bool) {
	b = append(b, `{"event_name":`...)
	b = destination.AppendJSONString(b, cv.Name)
	b = append(b, `,"event_time":`...)
	b = strconv.AppendInt(b, cv.Time.Unix(), 10)
	b = append(b, `,"action_source":`...)
	b = destination.AppendJSONString(b, spec.EventSource)
	b = append(b, `,"event_id":`...)
	b = destination.AppendJSONString(b, string(cv.EventID))
	b = append(b, `,"user_data":`...)
	b = appendUserData(b, cv)
	b = append(b, `,"custom_data":{`...)
	if cv.HasValue {
		b = append(b, `"value":`...)
		if b, ok = destination.AppendJSONFloat(b, cv.Value); !ok {
			return b, false
		}
		b = append(b, ',')
		if cv.Currency != "" {
			b = append(b, `"currency":`...)
			b = destination.AppendJSONString(b, cv.Currency)
			b = append(b, ',')
		}
	}
	b = append(b, `"order_id":`...)
	b = destination.AppendJSONString(b, string(cv.EventID))
	if !c.cfg.LimitedDataUse {
		return append(b, `},"data_processing_options":[]}`...), true
	}
	b = append(b, `},"data_processing_options":["LDU"],"data_processing_options_country":`...)
	b = strconv.AppendInt(b, int64(c.cfg.LDUCountry), 10)
	b = append(b, `,"data_processing_options_state":`...)
	b = strconv.AppendInt(b, int64(c.cfg.LDUState), 10)
	return append(b, '}'), true
}

// userKeys are UserData's members in its order: arrays (every hash of the
// field, in the conversion's order) and single values (the first hash).
var userKeys = [...]struct {
	key   string
	field identifier.Field
	array bool
}{
	{"em", identifier.Email, true},
	{"ph", identifier.Phone, true},
	{"fn", identifier.FirstName, false},
	{"ln", identifier.LastName, false},
	{"zp", identifier.PostalCode, false},
	{"ct", identifier.City, false},
	{"st", identifier.State, false},
	{"country", identifier.Country, false},
	{"external_id", identifier.ExternalID, true},
}

// appendUserData appends UserData: only hashed identifiers (Meta takes
// every field hashed; identifier never makes a plain one for Meta), empty
// members left out as omitempty does, then fbc, the formatted click id,
// sent as it is ("Do not hash").
func appendUserData(b []byte, cv *conversion.Conversion) []byte {
	b = append(b, '{')
	// The fields the hashed identifiers hold, as bits: most events carry
	// two or three of the nine keys, and looking through every identifier
	// for each key was nearly all of this function's instructions
	// (callgrind, make bench-upload's export: about 1,000 an event). Only
	// a filter: a key whose bit is set is still matched field by field.
	var present uint64
	for i := range cv.Identifiers {
		if s := &cv.Identifiers[i]; s.IsHashed() {
			present |= 1 << (s.Field() & 63)
		}
	}
	n := 0
	for _, k := range userKeys {
		if present&(1<<(k.field&63)) == 0 {
			continue
		}
		open := false
		// By index: a range copy of each 56-byte Sent, for each of nine
		// keys, was most of this function's time in make bench-upload.
		for i := range cv.Identifiers {
			s := &cv.Identifiers[i]
			if !s.IsHashed() || s.Field() != k.field {
				continue
			}
			switch {
			case !open:
				b = member(b, n, k.key)
				n++
				open = true
				if k.array {
					b = append(b, '[')
				}
			case k.array:
				b = append(b, ',')
			}
			b = append(b, '"')
			b = s.AppendText(b)
			b = append(b, '"')
			if !k.array {
				break
			}
		}
		if open && k.array {
			b = append(b, ']')
		}
	}
	if cv.Formatted != "" {
		b = member(b, n, "fbc")
		b = destination.AppendJSONString(b, cv.Formatted)
	}
	return append(b, '}')
}

// member starts the n-th member of an object.
func member(b []byte, n int, key string) []byte {
	if n > 0 {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}
