package google

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
)

// TestEncodeMatchesGeneratedClient: the body Send writes is, member for
// member, the JSON of the generated client's IngestEventsRequest (Request),
// across every branch: values (0 included), currencies, each click id,
// address parts alone and together, login account, validate-only, odd
// characters and time zones.
func TestEncodeMatchesGeneratedClient(t *testing.T) {
	base := convs(t, 1)[0]
	taipei := time.FixedZone("CST", 8*3600)
	variants := []func(*conversion.Conversion){
		func(cv *conversion.Conversion) {},
		func(cv *conversion.Conversion) { cv.Value = 0 },
		func(cv *conversion.Conversion) { cv.Value = 1234.5 },
		func(cv *conversion.Conversion) { cv.Value = 1e21 },
		func(cv *conversion.Conversion) { cv.Value = 0.0000001 },
		func(cv *conversion.Conversion) { cv.Value = math.MaxFloat64 },
		func(cv *conversion.Conversion) { cv.HasValue, cv.Value, cv.Currency = false, 0, "" },
		func(cv *conversion.Conversion) { cv.Currency = "" },
		func(cv *conversion.Conversion) { cv.GCLID = "Cj0KCQ-abc_123" },
		func(cv *conversion.Conversion) { cv.GBRAID = "0AAAAA" },
		func(cv *conversion.Conversion) { cv.WBRAID = "CjkKEQ" },
		func(cv *conversion.Conversion) { cv.Time = cv.Time.In(taipei) },
		func(cv *conversion.Conversion) { cv.Identifiers = nil; cv.GCLID = "only-a-click" },
		func(cv *conversion.Conversion) {
			cv.Identifiers = append(cv.Identifiers, prep(t, identifier.FirstName, "Zq"), prep(t, identifier.LastName, "Lin"),
				prep(t, identifier.PostalCode, "106"), prep(t, identifier.Country, "TW"))
		},
		func(cv *conversion.Conversion) {
			cv.Identifiers = []identifier.Sent{prep(t, identifier.PostalCode, "106")}
		},
		func(cv *conversion.Conversion) { cv.Currency = "T\"W\\\n<&>\u2028\xff" }, // never valid; escaping still holds
	}
	var batch []*conversion.Conversion
	for _, v := range variants {
		cv := *base
		cv.Identifiers = append([]identifier.Sent(nil), base.Identifiers...)
		v(&cv)
		batch = append(batch, &cv)
	}
	for _, cfg := range []Config{
		{OperatingAccount: "1234567890", ConversionActionID: "987654321"},
		{OperatingAccount: "1234567890", LoginAccount: "5556667777", ConversionActionID: "987654321", ValidateOnly: true},
		{OperatingAccount: "1234567890"},
	} {
		c, err := New(context.Background(), cfg, http.DefaultClient)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := json.Marshal(c.Request(batch))
		if err != nil {
			t.Fatal(err)
		}
		got := c.encode(nil, batch)
		var want, have any
		if err := json.Unmarshal(ref, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got, &have); err != nil {
			t.Fatalf("encode wrote invalid JSON: %v\n%s", err, got)
		}
		if !reflect.DeepEqual(want, have) {
			t.Fatalf("%+v: encode differs from the generated client\n got %s\nwant %s", cfg, got, ref)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	t := &testing.T{}
	batch := convs(t, spec.MaxBatch)
	c, _ := New(context.Background(), Config{OperatingAccount: "1234567890", ConversionActionID: "987654321"}, http.DefaultClient)
	b.Run("encode", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf = c.encode(buf[:0], batch)
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("generated", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(c.Request(batch)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
