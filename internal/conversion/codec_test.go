package conversion

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

func sent(t testing.TB, p platform.Platform, f platform.Field, raw string) identifier.Sent {
	s, err := identifier.Prepare(p, f, raw, identifier.Options{Region: "TW"})
	if err != nil {
		t.Fatalf("%s %s %q: %v", p, f, raw, err)
	}
	return s
}

func sample(t testing.TB) []Conversion {
	taipei, err := time.LoadLocation("Asia/Taipei")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	parsed, _ := time.Parse(time.RFC3339Nano, "2026-10-01T10:00:00.123456789+08:00")
	return []Conversion{
		{Platform: platform.Google, EventID: eventid.ID("e1"), Line: 2, Time: time.Date(2026, 11, 1, 9, 0, 0, 0, taipei), Name: "purchase",
			Value: 1200.5, HasValue: true, Currency: "TWD", GCLID: "Cj0KCQiA",
			Identifiers: []identifier.Sent{sent(t, platform.Google, platform.Email, "a@example.com"), sent(t, platform.Google, platform.Phone, "0912345678"),
				sent(t, platform.Google, platform.PostalCode, "10001"), sent(t, platform.Google, platform.Country, "us")}},
		{Platform: platform.Meta, EventID: eventid.ID("e2"), Line: 1 << 30, Time: parsed, Name: "Purchase",
			Value: math.Copysign(0, -1), Identifiers: []identifier.Sent{}},
		{Platform: platform.Meta, EventID: eventid.ID(""), Time: time.Date(2026, 7, 1, 9, 0, 0, 0, ny), GBRAID: "x", WBRAID: "y", Formatted: "fb.1.1782900000000.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"},
		{Platform: platform.Meta, Time: time.Date(2026, 1, 1, 9, 0, 0, 0, ny), Booking: true, Name: "Schedule", RecordKey: 0x9e3779b97f4a7c15}, // the same location in another zone, with a record key
		{Platform: platform.Google, Time: time.Date(1969, 12, 31, 23, 59, 59, 999, time.UTC), Value: math.Inf(1)},
	}
}

// TestCodecRoundTrip: what Read gives back is the conversion Append was
// given, field for field, its time in the same location and zone, and it
// formats the same.
func TestCodecRoundTrip(t *testing.T) {
	var k Codec
	var b []byte
	in := sample(t)
	for i := range in {
		b = k.Append(b, &in[i])
	}
	var got Conversion
	rest := b
	for i, want := range in {
		var err error
		if rest, err = k.Read(rest, &got); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if got.Time.Format(time.RFC3339Nano+" MST") != want.Time.Format(time.RFC3339Nano+" MST") ||
			got.Time.Location().String() != want.Time.Location().String() || !got.Time.Equal(want.Time) {
			t.Errorf("%d: time %v, want %v", i, got.Time, want.Time)
		}
		g, w := got, want
		g.Time, w.Time = time.Time{}, time.Time{}
		if len(w.Identifiers) == 0 {
			w.Identifiers = g.Identifiers[:0]
		}
		g.Identifiers = append([]identifier.Sent(nil), g.Identifiers...)
		if len(g.Identifiers) == 0 {
			g.Identifiers, w.Identifiers = nil, nil
		}
		if math.Signbit(g.Value) != math.Signbit(w.Value) {
			t.Errorf("%d: the sign of %v was lost", i, w.Value)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	if len(rest) != 0 {
		t.Errorf("%d bytes left over", len(rest))
	}
}

// FuzzCodecRead: Read never panics on bytes Append did not write, never
// reads past them, and what it accepts is a conversion the codec keeps:
// Append it again, Read it back, and it is the same conversion — a field
// Read puts in the wrong place (GBRAID for WBRAID) or loses fails here,
// on the seeds alone.
func FuzzCodecRead(f *testing.F) {
	var k Codec
	for _, c := range sample(f) {
		f.Add(k.Append(nil, &c))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var k2 Codec
		for _, c := range sample(t) {
			k2.Append(nil, &c) // the same zone table as the seeds
		}
		var c Conversion
		for len(b) > 0 {
			rest, err := k2.Read(b, &c)
			if err != nil {
				return
			}
			if len(rest) >= len(b) {
				t.Fatal("Read made no progress")
			}
			b = rest
			// A codec of its own: appending with k2 could number a new
			// zone and change what k2 accepts of the rest of b.
			var k3 Codec
			var again Conversion
			left, err := k3.Read(k3.Append(nil, &c), &again)
			if err != nil || len(left) != 0 {
				t.Fatalf("Read does not take back what Append wrote of %+v: %v, %d bytes left", c, err, len(left))
			}
			sameConversion(t, again, c)
		}
	})
}

// sameConversion fails t unless got is want: its time Equal and in the
// same location, its value the same bits (NaN is not NaN's equal, and -0
// is 0's), no identifiers and an empty list alike, every other field
// DeepEqual.
func sameConversion(t *testing.T, got, want Conversion) {
	t.Helper()
	if !got.Time.Equal(want.Time) || got.Time.Location() != want.Time.Location() {
		t.Errorf("time %v (%v), want %v (%v)", got.Time, got.Time.Location(), want.Time, want.Time.Location())
	}
	if math.Float64bits(got.Value) != math.Float64bits(want.Value) {
		t.Errorf("value %v (%#x), want %v (%#x)", got.Value, math.Float64bits(got.Value), want.Value, math.Float64bits(want.Value))
	}
	g, w := got, want
	g.Time, w.Time, g.Value, w.Value = time.Time{}, time.Time{}, 0, 0
	if len(g.Identifiers) == 0 && len(w.Identifiers) == 0 {
		g.Identifiers, w.Identifiers = nil, nil
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("\n got %+v\nwant %+v", g, w)
	}
}

// TestCodecCoversEveryField: every field of Conversion, set to a value
// other than its zero, survives the round trip — a field added to
// Conversion and forgotten in the codec fails here, before an upload
// silently sends it empty.
func TestCodecCoversEveryField(t *testing.T) {
	var c Conversion
	v := reflect.ValueOf(&c).Elem()
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch {
		case f.Type() == reflect.TypeOf(time.Time{}):
			f.Set(reflect.ValueOf(time.Date(2026, 11, 1, 9, 30, 0, 5, time.FixedZone("X", 3600))))
		case f.Type() == reflect.TypeOf([]identifier.Sent{}):
			f.Set(reflect.ValueOf([]identifier.Sent{sent(t, platform.Meta, platform.Email, "a@example.com")}))
		case f.Type() == reflect.TypeOf([]byte{}):
			f.SetBytes([]byte("x-" + name))
		case f.Kind() == reflect.String:
			f.SetString("x-" + name)
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.Kind() == reflect.Float64:
			f.SetFloat(12.25)
		case f.Kind() == reflect.Int:
			f.SetInt(77)
		case f.Kind() == reflect.Uint64:
			f.SetUint(0x8badf00d_0ddba11)
		case f.Kind() == reflect.Uint8 || f.Kind() == reflect.Int8 || f.Kind() == reflect.Uint:
			f.Set(reflect.ValueOf(platform.Meta).Convert(f.Type()))
		default:
			t.Fatalf("field %s of kind %s: teach this test and the codec about it", name, f.Kind())
		}
	}
	var k Codec
	var got Conversion
	if _, err := k.Read(k.Append(nil, &c), &got); err != nil {
		t.Fatal(err)
	}
	if !got.Time.Equal(c.Time) || got.Time.Format(time.RFC3339Nano+" MST") != c.Time.Format(time.RFC3339Nano+" MST") {
		t.Errorf("time %v, want %v", got.Time, c.Time)
	}
	got.Time, c.Time = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("round trip lost a field:\n got %+v\nwant %+v", got, c)
	}
}

// TestCodecNumbersZonesAsBefore: remembering the last zone numbered
// changes no byte Append writes — the same numbers as the map alone
// gives, for times that switch between locations and zones of one
// location and back.
func TestCodecNumbersZonesAsBefore(t *testing.T) {
	in := sample(t)
	order := []int{0, 0, 2, 3, 2, 0, 3, 1, 4, 1, 0}
	var k Codec
	want := map[zoneKey]uint64{}
	for _, i := range order {
		tm := in[i].Time
		abbrev, offset := tm.Zone()
		key := zoneKey{loc: tm.Location().String(), abbrev: abbrev, offset: offset}
		n, ok := want[key]
		if !ok {
			n = uint64(len(want))
			want[key] = n
		}
		if got := k.zone(tm); got != n {
			t.Fatalf("time %v numbered %d, want %d", tm, got, n)
		}
	}
}

// BenchmarkCodecAppend: one conversion held, as the upload holds each.
func BenchmarkCodecAppend(b *testing.B) {
	in := sample(b)[0]
	var k Codec
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = k.Append(buf[:0], &in)
	}
}
