package meta

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
)

// reference is the Request the client built before it wrote its own JSON,
// kept as the specification Encode is held to: json.Marshal of it is the
// body, byte for byte.
func reference(c *Client, batch []*conversion.Conversion) Request {
	req := Request{
		Data: make([]Event, len(batch)), TestEventCode: c.cfg.TestEventCode, PartnerAgent: "hashgate",
		AccessToken: c.cfg.AccessToken, AppSecretProof: c.proof,
	}
	first := func(have, v string) string {
		if have != "" {
			return have
		}
		return v
	}
	for i, cv := range batch {
		ev := Event{
			EventName: cv.Name, EventTime: cv.Time.Unix(), ActionSource: spec.EventSource,
			EventID: string(cv.EventID), DataProcessingOptions: []string{},
		}
		if c.cfg.LimitedDataUse {
			country, state := c.cfg.LDUCountry, c.cfg.LDUState
			ev.DataProcessingOptions, ev.DPOCountry, ev.DPOState = []string{"LDU"}, &country, &state
		}
		for _, s := range cv.Identifiers {
			if !s.IsHashed() {
				continue
			}
			h := s.Text()
			u := &ev.UserData
			switch s.Field() {
			case identifier.Email:
				u.Em = append(u.Em, h)
			case identifier.Phone:
				u.Ph = append(u.Ph, h)
			case identifier.FirstName:
				u.Fn = first(u.Fn, h)
			case identifier.LastName:
				u.Ln = first(u.Ln, h)
			case identifier.PostalCode:
				u.Zp = first(u.Zp, h)
			case identifier.City:
				u.Ct = first(u.Ct, h)
			case identifier.State:
				u.St = first(u.St, h)
			case identifier.Country:
				u.Country = first(u.Country, h)
			case identifier.ExternalID:
				u.ExternalID = append(u.ExternalID, h)
			}
		}
		ev.UserData.Fbc = cv.Formatted
		ev.CustomData = &CustomData{OrderID: string(cv.EventID)}
		if cv.HasValue {
			v := cv.Value
			ev.CustomData.Value, ev.CustomData.Currency = &v, cv.Currency
		}
		req.Data[i] = ev
	}
	return req
}

func prepMeta(t testing.TB, f identifier.Field, raw string) identifier.Sent {
	t.Helper()
	s, err := identifier.Prepare(identifier.Meta, f, raw, identifier.Options{Region: "TW"})
	if err != nil {
		t.Fatalf("%v %q: %v", f, raw, err)
	}
	return s
}

// checkEncode fails unless Encode writes json.Marshal(reference) exactly.
func checkEncode(t *testing.T, c *Client, batch []*conversion.Conversion) {
	t.Helper()
	got, err := c.Encode(batch)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(reference(c, batch))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Encode differs from json.Marshal of the Request:\n got %s\nwant %s", got, want)
	}
	var back Request
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatalf("the body does not decode into Request: %v", err)
	}
}

// TestEncodeMatchesMarshal: the body Encode writes is byte for byte
// json.Marshal of the Request, across every branch: each identifier field
// alone, several of one field, a second single value (the first wins), a
// plain identifier (left out), fbc, values (0, -0, tiny, huge, none, no
// currency), odd characters in every string, limited data use, a test
// event code, an app secret proof, empty and one-event batches.
func TestEncodeMatchesMarshal(t *testing.T) {
	base := convs(t, 1)[0]
	plain, err := identifier.Prepare(identifier.Google, identifier.PostalCode, "10617", identifier.Options{Region: "TW"})
	if err != nil || plain.IsHashed() {
		t.Fatalf("want a plain identifier to leave out: %v", err)
	}
	all := []identifier.Sent{
		prepMeta(t, identifier.Email, "a@example.com"), prepMeta(t, identifier.Phone, "0912-345-678"),
		prepMeta(t, identifier.FirstName, "Ann"), prepMeta(t, identifier.LastName, "Lin"),
		prepMeta(t, identifier.PostalCode, "10617"), prepMeta(t, identifier.City, "Taipei"),
		prepMeta(t, identifier.State, "tpe"), prepMeta(t, identifier.Country, "TW"),
		prepMeta(t, identifier.ExternalID, "chart-0042"),
	}
	variants := []func(*conversion.Conversion){
		func(cv *conversion.Conversion) {},
		func(cv *conversion.Conversion) { cv.Value = 0 },
		func(cv *conversion.Conversion) { cv.Value = math.Copysign(0, -1) },
		func(cv *conversion.Conversion) { cv.Value = 1234.5 },
		func(cv *conversion.Conversion) { cv.Value = 1e21 },
		func(cv *conversion.Conversion) { cv.Value = 0.0000001 },
		func(cv *conversion.Conversion) { cv.Value = -3.25e-9 },
		func(cv *conversion.Conversion) { cv.Value = math.MaxFloat64 },
		func(cv *conversion.Conversion) { cv.HasValue, cv.Value, cv.Currency = false, 0, "" },
		func(cv *conversion.Conversion) { cv.Currency = "" },
		func(cv *conversion.Conversion) { cv.Identifiers = nil },
		func(cv *conversion.Conversion) { cv.Identifiers = all },
		func(cv *conversion.Conversion) { cv.Identifiers = []identifier.Sent{all[2], plain, all[1]} },
		func(cv *conversion.Conversion) { cv.Identifiers = append(append([]identifier.Sent{}, all...), all...) },
		func(cv *conversion.Conversion) {
			cv.Identifiers = []identifier.Sent{all[8], prepMeta(t, identifier.LastName, "Wang"), all[3], all[0],
				prepMeta(t, identifier.Email, "b@example.com"), prepMeta(t, identifier.ExternalID, "chart-7")}
		},
		func(cv *conversion.Conversion) { cv.Identifiers = []identifier.Sent{all[5]} },
		func(cv *conversion.Conversion) { cv.Identifiers = []identifier.Sent{all[8]} },
		func(cv *conversion.Conversion) {
			cv.Formatted = "fb.1.1782900000000.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"
		},
		func(cv *conversion.Conversion) { cv.Identifiers, cv.Formatted = nil, "fb.1.1.x" },
		func(cv *conversion.Conversion) { cv.Time = time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC) },
		func(cv *conversion.Conversion) { cv.Time = cv.Time.In(time.FixedZone("CST", 8*3600)) },
		// Never valid; the escaping still holds.
		func(cv *conversion.Conversion) { cv.Currency = "T\"W\\\n\b\f\r\t\x01<&>\u2028\u2029\xff é" },
		func(cv *conversion.Conversion) { cv.Name, cv.EventID = "Sch<edule>\x7f", eventid.ID("id&\"\u2028") },
		func(cv *conversion.Conversion) { cv.Formatted = "fb.1.\x00\xc3" },
	}
	var batch []*conversion.Conversion
	for _, v := range variants {
		cv := *base
		cv.Identifiers = append([]identifier.Sent(nil), base.Identifiers...)
		v(&cv)
		batch = append(batch, &cv)
	}
	for _, cfg := range []Config{
		{AccessToken: token},
		{AccessToken: token, AppSecret: "app-secret", TestEventCode: "TEST123"},
		{AccessToken: "EAAB<&>\"x", LimitedDataUse: true},
		{AccessToken: token, LimitedDataUse: true, LDUCountry: 1, LDUState: 1000, TestEventCode: "T\u2028"},
	} {
		cfg.GraphURL, cfg.APIVersion, cfg.DatasetID = "https://graph.example", "v25.0", "123"
		c, err := New(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkEncode(t, c, batch)
		checkEncode(t, c, batch[:1])
		checkEncode(t, c, nil)
		for _, cv := range batch {
			checkEncode(t, c, []*conversion.Conversion{cv})
		}
	}
}

// TestEncodeRefusesNonFiniteValues: JSON holds no NaN or infinity; the
// batch is refused as json.Marshal refused it, never sent with a guess.
func TestEncodeRefusesNonFiniteValues(t *testing.T) {
	c, err := New(Config{GraphURL: "https://graph.example", APIVersion: "v25.0", DatasetID: "1", AccessToken: token}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		cv := *convs(t, 1)[0]
		cv.Value = v
		if _, err := json.Marshal(reference(c, []*conversion.Conversion{&cv})); err == nil {
			t.Fatalf("json.Marshal took %v", v)
		}
		if body, err := c.Encode([]*conversion.Conversion{&cv}); err == nil {
			t.Errorf("Encode took %v: %s", v, body)
		}
	}
}

// FuzzEncodeMatchesMarshal: any strings, value and time, and any mix of
// identifiers, encode as json.Marshal does.
func FuzzEncodeMatchesMarshal(f *testing.F) {
	f.Add("Purchase", "evt-1", "TWD", "fb.1.2.abc", "EAAB", "", 1000.5, int64(1782900000), uint16(0x1ff), false, true)
	f.Add("Sch<edule>", "\xff\u2028", "", "", "tok\"", "T", -1e-7, int64(-1), uint16(0), true, false)
	f.Fuzz(func(t *testing.T, name, id, currency, fbc, tok, test string, value float64, unix int64, mask uint16, ldu, hasValue bool) {
		if math.IsNaN(value) || math.IsInf(value, 0) || tok == "" {
			return
		}
		c, err := New(Config{GraphURL: "https://graph.example", APIVersion: "v25.0", DatasetID: "1", AccessToken: tok,
			TestEventCode: test, LimitedDataUse: ldu, LDUCountry: int(mask & 3), LDUState: int(mask >> 2)}, nil)
		if err != nil {
			t.Skip()
		}
		fields := []identifier.Field{identifier.Email, identifier.Phone, identifier.FirstName, identifier.LastName,
			identifier.PostalCode, identifier.City, identifier.State, identifier.Country, identifier.ExternalID}
		var ids []identifier.Sent
		for i, fl := range fields {
			if mask&(1<<i) != 0 {
				raw := map[identifier.Field]string{identifier.Email: "a@example.com", identifier.Phone: "+886912345678",
					identifier.PostalCode: "10617", identifier.Country: "TW", identifier.State: "tpe"}[fl]
				if raw == "" {
					raw = "ann"
				}
				ids = append(ids, prepMeta(t, fl, raw))
			}
		}
		if mask&(1<<9) != 0 {
			ids = append(ids, ids...)
		}
		cv := &conversion.Conversion{Name: name, EventID: eventid.ID(id), Time: time.Unix(unix, 0), Value: value,
			HasValue: hasValue, Currency: currency, Formatted: fbc, Identifiers: ids}
		checkEncode(t, c, []*conversion.Conversion{cv, cv})
	})
}

// BenchmarkAppendUserData: one event's user_data with every key Meta
// takes, as the Sender's encoder writes it for each event of a request.
func BenchmarkAppendUserData(b *testing.B) {
	cv := &conversion.Conversion{Platform: identifier.Meta, Identifiers: []identifier.Sent{
		prepMeta(b, identifier.Email, "a@example.com"), prepMeta(b, identifier.Phone, "0912-345-678"),
		prepMeta(b, identifier.FirstName, "Ann"), prepMeta(b, identifier.LastName, "Lin"),
	}}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for range b.N {
		buf = appendUserData(buf[:0], cv)
	}
}
