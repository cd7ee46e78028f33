package google

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"google.golang.org/api/googleapi"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Why Send writes its own JSON: the generated client marshals each of a
// request's 2,000 events through gensupport — a MarshalJSON per nested
// object, its output compacted again by encoding/json, and for an object
// with ForceSendFields (every valued event: a 0 value is a value) a
// marshal, an unmarshal into a map and a marshal again. Profiled by make
// bench-upload, that was half an upload's CPU, more than hashing the
// identifiers, and each of the four requests in flight held the event
// structs, an encoder buffer and the body: about 20 MB of peak RSS per
// concurrent request. encode writes the same JSON (Request is its
// reference, TestEncodeMatchesGeneratedClient holds them equal; the fake
// checks it against the discovery document) straight into one buffer.

// ingest sends one events:ingest request with a body written by encode,
// as the generated client would: same URL, parameters and headers, and
// errors as *googleapi.Error for Classify.
func (c *Client) ingest(ctx context.Context, batch []*conversion.Conversion) (ingestResponse, error) {
	var out ingestResponse
	body := destination.NewBody(640*len(batch) + 256)
	defer body.Release() // pooled once the transport has closed its readers too
	body.B = c.encode(body.B, batch)
	req, err := body.Request(ctx, http.MethodPost, c.ingestURL)
	if err != nil {
		return out, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", googleapi.UserAgent+" hashgate")
	res, err := c.hc.Do(req)
	if err != nil {
		return out, err
	}
	defer googleapi.CloseBody(res)
	if re := destination.Redirected(res.StatusCode, req.URL.Host, res.Header); re != nil {
		return out, re
	}
	if err := googleapi.CheckResponse(res); err != nil {
		return out, err
	}
	err = json.NewDecoder(res.Body).Decode(&out)
	return out, err
}

// ingestResponse is IngestEventsResponse: the request id, and field
// warnings (a non-required field failed; the events were accepted).
type ingestResponse struct {
	RequestID     string `json:"requestId"`
	FieldWarnings []struct {
		Field  string `json:"field"`
		Reason string `json:"reason"`
	} `json:"fieldWarnings"`
}

// encode appends the IngestEventsRequest of batch as JSON.
func (c *Client) encode(b []byte, batch []*conversion.Conversion) []byte {
	routes := c.routes(batch)
	b = append(b, `{"destinations":[`...)
	for i, r := range routes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		if r.ref != "" {
			b = append(b, `"reference":`...)
			b = appendString(b, r.ref)
			b = append(b, ',')
		}
		b = append(b, `"operatingAccount":{"accountType":"GOOGLE_ADS","accountId":`...)
		b = appendString(b, c.cfg.OperatingAccount)
		b = append(b, '}')
		if c.cfg.LoginAccount != "" {
			b = append(b, `,"loginAccount":{"accountType":"GOOGLE_ADS","accountId":`...)
			b = appendString(b, c.cfg.LoginAccount)
			b = append(b, '}')
		}
		if r.action != "" {
			b = append(b, `,"productDestinationId":`...)
			b = appendString(b, r.action)
		}
		b = append(b, '}')
	}
	b = append(b, `],"encoding":"HEX"`...)
	if c.cfg.ValidateOnly {
		b = append(b, `,"validateOnly":true`...)
	}
	b = append(b, `,"events":[`...)
	for i, cv := range batch {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendEvent(b, cv, c.cfg.EventSource, eventRef(routes, cv))
	}
	return append(b, "]}"...)
}

func appendEvent(b []byte, cv *conversion.Conversion, eventSource, ref string) []byte {
	b = append(b, '{')
	if ref != "" {
		b = append(b, `"destinationReferences":[`...)
		b = appendString(b, ref)
		b = append(b, "],"...)
	}
	b = append(b, `"transactionId":`...)
	b = appendString(b, platform.GoogleTransactionID(string(cv.EventID)))
	b = append(b, `,"eventTimestamp":"`...)
	b = cv.Time.AppendFormat(b, time.RFC3339)
	b = append(b, `","eventSource":`...)
	b = appendString(b, eventSource)
	b = append(b, `,"consent":{"adUserData":"CONSENT_GRANTED"}`...)
	if cv.HasValue {
		b = append(b, `,"conversionValue":`...)
		b = appendFloat(b, cv.Value)
		if cv.Currency != "" {
			b = append(b, `,"currency":`...)
			b = appendString(b, cv.Currency)
		}
	}
	if cv.GCLID != "" || cv.GBRAID != "" || cv.WBRAID != "" {
		b = append(b, `,"adIdentifiers":{`...)
		b = appendFields(b, "gclid", cv.GCLID, "gbraid", cv.GBRAID, "wbraid", cv.WBRAID)
		b = append(b, '}')
	}
	var addr [4]identifier.Sent // given name, family name, postal code, region code
	var set [4]bool
	hasAddr := false
	n := 0
	for _, s := range cv.Identifiers {
		var key string
		switch f := s.Field(); f {
		case identifier.Email:
			key = "emailAddress"
		case identifier.Phone:
			key = "phoneNumber"
		case identifier.FirstName, identifier.LastName, identifier.PostalCode, identifier.Country:
			addr[addressSlot(f)], set[addressSlot(f)], hasAddr = s, true, true
		}
		if key == "" {
			continue
		}
		b = openIdentifiers(b, n)
		n++
		b = append(b, `{"`...)
		b = append(b, key...)
		b = append(b, `":`...)
		b = appendSent(b, s)
		b = append(b, '}')
	}
	if hasAddr {
		b = openIdentifiers(b, n)
		n++
		b = append(b, `{"address":{`...)
		first := true
		for i, key := range [4]string{"givenName", "familyName", "postalCode", "regionCode"} {
			if !set[i] || !addr[i].IsHashed() && addr[i].Text() == "" {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, '"')
			b = append(b, key...)
			b = append(b, `":`...)
			b = appendSent(b, addr[i])
		}
		b = append(b, "}}"...)
	}
	if n > 0 {
		b = append(b, "]}"...)
	}
	return append(b, '}')
}

// addressSlot is a field's place in AddressInfo.
func addressSlot(f identifier.Field) int {
	switch f {
	case identifier.FirstName:
		return 0
	case identifier.LastName:
		return 1
	case identifier.PostalCode:
		return 2
	}
	return 3
}

// appendSent appends an identifier as a JSON string: a hash as its hex
// digits straight from the digest, plain text escaped.
func appendSent(b []byte, s identifier.Sent) []byte {
	if s.IsHashed() {
		b = append(b, '"')
		b = s.AppendText(b)
		return append(b, '"')
	}
	return appendString(b, s.Text())
}

// openIdentifiers starts userData.userIdentifiers before the first one
// and separates the others.
func openIdentifiers(b []byte, n int) []byte {
	if n == 0 {
		return append(b, `,"userData":{"userIdentifiers":[`...)
	}
	return append(b, ',')
}

// appendFields appends the non-empty of key, value pairs as members.
func appendFields(b []byte, kv ...string) []byte {
	first := true
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, kv[i]...)
		b = append(b, `":`...)
		b = appendString(b, kv[i+1])
	}
	return b
}

// appendFloat formats as encoding/json does (destination.AppendJSONFloat).
func appendFloat(b []byte, f float64) []byte {
	b, ok := destination.AppendJSONFloat(b, f)
	if !ok {
		return append(b, '0') // never: values are parsed numbers; keep the JSON valid
	}
	return b
}

// appendString appends s as a JSON string, as encoding/json does
// (destination.AppendJSONString). Everything sent is validated or hex
// already; the escaping is for safety, not for any expected input.
func appendString(b []byte, s string) []byte { return destination.AppendJSONString(b, s) }
