package platformcsv

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/csvcell"
	"github.com/hashgate/hashgate/internal/destination/meta"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

func cells(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestGoogleAdsRefusesFormulaCells: the import file cannot carry a
// neutralising quote, so a click id a spreadsheet would run is left out
// and counted, and a row with nothing else to match on is not written.
func TestGoogleAdsRefusesFormulaCells(t *testing.T) {
	var buf bytes.Buffer
	g, err := NewGoogleAds(&buf, "Clinic visit", time.UTC, true)
	if err != nil {
		t.Fatal(err)
	}
	email, err := identifier.Prepare(identifier.Google, identifier.Email, "a@example.com", identifier.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	for _, c := range []conversion.Conversion{
		{Platform: identifier.Google, EventID: "e1", Time: at, Name: "Purchase", GCLID: "-Cj0KCQiARfD5XPsKdiGoW3GChn1YXOHpqhXynSjiX3GrE1gk0yXnvyDm32LL4tM3zHZezAM6YVDwsWqtY4EIRZMGY0PS", Identifiers: []identifier.Sent{email}},
		{Platform: identifier.Google, EventID: "e2", Time: at, Name: "Purchase", GBRAID: "-0AAAAADWujhYhjUs__RY_zrJxYUKGwreGT"},
		{Platform: identifier.Google, EventID: "e3", Time: at, Name: "Purchase", GCLID: "Cj0KCQjw6FP_Rk88ItOhPCXsIrMV3iWFJYtPbg-IXCjM8azsPXEewEaa-wG17gfdOiIUWoHD_UjF-DjAb5d43RtrhBwN"},
	} {
		if err := g.Write(&c); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	recs := cells(t, buf.Bytes())
	if len(recs) != 4 { // parameters, header, e1, e3
		t.Fatalf("%d records:\n%s", len(recs), buf.String())
	}
	for _, rec := range recs {
		for _, cell := range rec {
			if csvcell.Dangerous(cell) {
				t.Errorf("cell %q would start a formula", cell)
			}
		}
	}
	if recs[2][0] != "" || recs[3][0] != "Cj0KCQjw6FP_Rk88ItOhPCXsIrMV3iWFJYtPbg-IXCjM8azsPXEewEaa-wG17gfdOiIUWoHD_UjF-DjAb5d43RtrhBwN" {
		t.Errorf("click ids: %q, %q", recs[2][0], recs[3][0])
	}
	if g.Refused.Cells["google gclid "+ReasonFormula] != 1 || g.Refused.Cells["google gbraid "+ReasonFormula] != 1 || g.Refused.Conversions[ReasonFormula] != 1 || len(g.Refused.Conversions) != 1 {
		t.Errorf("refused = %+v", g.Refused)
	}
}

func TestFormulaNamesAreRefused(t *testing.T) {
	if _, err := NewGoogleAds(&bytes.Buffer{}, "=HYPERLINK(\"http://x\")", time.UTC, false); err == nil || !strings.Contains(err.Error(), "conversion_name") {
		t.Errorf("NewGoogleAds: %v", err)
	}
	m, err := NewMetaOffline(&bytes.Buffer{}, []identifier.Field{identifier.Email})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Write(&conversion.Conversion{Platform: identifier.Meta, Name: "@SUM(1)"}); err == nil {
		t.Error("MetaOffline wrote a formula event name")
	}
	if err := m.Write(&conversion.Conversion{Platform: identifier.Meta, Name: "Purchase", HasValue: true, Value: 1, Currency: "=1"}); err == nil {
		t.Error("MetaOffline wrote an unchecked currency")
	}
}

// TestEveryMetaFieldHasAColumn: every identifier Meta takes has a named
// column in its offline events file — external_id wrote a header cell with
// no name (review, 2026-12-06).
func TestEveryMetaFieldHasAColumn(t *testing.T) {
	fields := platform.Meta.Spec().Takes.Fields()
	var b bytes.Buffer
	m, err := NewMetaOffline(&b, fields)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	header := strings.Split(strings.TrimSpace(b.String()), ",")
	for i, h := range header {
		if h == "" {
			t.Errorf("column %d of %q has no name", i+1, header)
		}
	}
	if !slices.Contains(header, "extern_id") {
		t.Errorf("no extern_id column in %q", header)
	}
}

// TestConversionTimeAcrossTheRepeatedHour: on the night daylight saving
// ends, 01:30 EDT and 01:30 EST are two instants with one wall clock; the
// Google file writes each with its offset there (Google reads a row's
// offset before the Parameters row), and every other time as the wall
// clock alone, as before.
func TestConversionTimeAcrossTheRepeatedHour(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zone data")
	}
	edt := time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC) // 01:30 EDT
	est := edt.Add(time.Hour)                            // 01:30 EST
	a, b := conversionTime(edt, ny), conversionTime(est, ny)
	if a == b || a != "2026-11-01 01:30:00-0400" || b != "2026-11-01 01:30:00-0500" {
		t.Errorf("the repeated hour: %q and %q", a, b)
	}
	if got := conversionTime(time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC), ny); got != "2026-11-02 09:00:00" {
		t.Errorf("an ordinary time: %q", got)
	}
	if got := conversionTime(time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC), ny); got != "2026-03-08 03:30:00" {
		t.Errorf("after the skipped hour: %q", got)
	}
}

// TestConversionTimeOffsetIsFourDigitsWithoutColon: the offset of a time
// in the repeated hour is written as Google's file takes it, "-0400" —
// "+00:00" is refused live ("The value '2026-08-27 16:31:11+00:00' in
// column 'Conversion Time' is invalid"; the API's "-04:00" was written
// before) — in New York and in Lord Howe, whose clocks go back half an
// hour (+1100 to +1030); the times around carry no offset.
func TestConversionTimeOffsetIsFourDigitsWithoutColon(t *testing.T) {
	for _, tc := range []struct {
		zone        string
		first       time.Time // the first instant of a repeated wall clock
		apart       time.Duration
		a, b, plain string
		ordinary    time.Time
	}{
		{"America/New_York", time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), time.Hour,
			"2026-11-01 01:30:00-0400", "2026-11-01 01:30:00-0500", "2026-11-01 03:30:00", time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC)},
		{"Australia/Lord_Howe", time.Date(2026, 4, 4, 14, 40, 0, 0, time.UTC), 30 * time.Minute,
			"2026-04-05 01:40:00+1100", "2026-04-05 01:40:00+1030", "2026-04-05 09:30:00", time.Date(2026, 4, 4, 23, 0, 0, 0, time.UTC)},
	} {
		loc, err := time.LoadLocation(tc.zone)
		if err != nil {
			t.Skip("no zone data")
		}
		if a, b := conversionTime(tc.first, loc), conversionTime(tc.first.Add(tc.apart), loc); a != tc.a || b != tc.b {
			t.Errorf("%s, the repeated wall clock: %q and %q, want %q and %q", tc.zone, a, b, tc.a, tc.b)
		}
		if got := conversionTime(tc.ordinary, loc); got != tc.plain || strings.ContainsAny(got[10:], "+-") {
			t.Errorf("%s, an ordinary time: %q, want %q without an offset", tc.zone, got, tc.plain)
		}
	}
}

// TestConversionTimeNamesOneInstant: every Conversion Time written, read
// back as Google reads it (its offset if it has one, else the Parameters
// zone), is the instant it was written from — every 10 minutes over the
// days clocks change in New York, Sydney and Lord Howe (a half-hour
// change).
func TestConversionTimeNamesOneInstant(t *testing.T) {
	for _, zone := range []string{"America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Taipei"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Skip("no zone data")
		}
		for _, day := range []time.Time{time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 4, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)} {
			for m := 0; m < 3*24*60; m += 10 {
				at := day.Add(time.Duration(m) * time.Minute)
				s := conversionTime(at, loc)
				var back time.Time
				if len(s) > 19 {
					back, err = time.Parse("2006-01-02 15:04:05-0700", s)
				} else {
					back, err = time.ParseInLocation("2006-01-02 15:04:05", s, loc)
				}
				if err != nil || !back.Equal(at) {
					t.Fatalf("%s: %v written %q, read back %v (%v)", zone, at, s, back, err)
				}
			}
		}
	}
}

func prepared(t *testing.T, p identifier.Platform, f identifier.Field, v string) identifier.Sent {
	t.Helper()
	s, err := identifier.Prepare(p, f, v, identifier.Options{Region: "TW"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGoogleAdsCountsTheAddressItCannotCarry: Google's file has no
// address column (ClickConversion: "Only hashed_email and
// hashed_phone_number are supported for conversion uploads"). A
// conversion with an address alone is not written, under no_file_column
// — it was counted as csv_formula_prefix, the reason of a click id a
// spreadsheet would run — and one with an email too is written with its
// email, its address counted as dropped (it was dropped without a word).
func TestGoogleAdsCountsTheAddressItCannotCarry(t *testing.T) {
	var buf bytes.Buffer
	g, err := NewGoogleAds(&buf, "Clinic visit", time.UTC, false)
	if err != nil {
		t.Fatal(err)
	}
	address := []identifier.Sent{
		prepared(t, identifier.Google, identifier.FirstName, "Zqa"), prepared(t, identifier.Google, identifier.LastName, "Zqb"),
		prepared(t, identifier.Google, identifier.PostalCode, "10617"), prepared(t, identifier.Google, identifier.Country, "TW"),
	}
	email := prepared(t, identifier.Google, identifier.Email, "zqa@example.com")
	at := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	for _, c := range []conversion.Conversion{
		{Platform: identifier.Google, EventID: "e1", Time: at, Name: "Purchase", Identifiers: address},
		{Platform: identifier.Google, EventID: "e2", Time: at, Name: "Purchase", Identifiers: append([]identifier.Sent{email}, address...)},
	} {
		if err := g.Write(&c); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	recs := cells(t, buf.Bytes())
	if len(recs) != 3 || recs[2][1] != email.Text() || recs[2][7] != platform.GoogleTransactionID("e2") {
		t.Fatalf("want the email's conversion alone:\n%s", buf.String())
	}
	if g.Refused.Conversions[ReasonNoColumn] != 1 || g.Refused.Conversions[ReasonFormula] != 0 ||
		g.Refused.Cells["google address "+ReasonNoColumn] != 2 || len(g.Refused.Cells) != 1 {
		t.Errorf("refused = %+v", g.Refused)
	}
}

// TestMetaFileHasAColumnForEveryValueTheUploadSends: a cell may hold
// several addresses, and the upload sends them all (em, ph as arrays); the
// file sized its repeated columns by the export's columns, and a second
// address in one email cell was dropped without a word. The header now
// repeats each field as often as the row holding the most needs, the
// other rows padded — through the spill file too.
func TestMetaFileHasAColumnForEveryValueTheUploadSends(t *testing.T) {
	for _, hold := range []int{0, 1} {
		var buf bytes.Buffer
		m, err := NewMetaOffline(&buf, []identifier.Field{identifier.Email, identifier.Phone, identifier.FirstName})
		if err != nil {
			t.Fatal(err)
		}
		m.hold = hold
		e := func(v string) identifier.Sent { return prepared(t, identifier.Meta, identifier.Email, v) }
		p := func(v string) identifier.Sent { return prepared(t, identifier.Meta, identifier.Phone, v) }
		fn := func(v string) identifier.Sent { return prepared(t, identifier.Meta, identifier.FirstName, v) }
		at := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
		convs := []conversion.Conversion{
			{Identifiers: []identifier.Sent{e("zqa@example.com")}},
			{Identifiers: []identifier.Sent{e("zqb@example.com"), p("0912-000-001"), e("zqc@example.org"), p("02-2345-0001"), e("zqd@example.net"), fn("Zqa"), fn("Zqb")}},
			{Identifiers: []identifier.Sent{p("0912-000-002")}},
		}
		for i := range convs {
			c := &convs[i]
			c.Platform, c.EventID, c.Time, c.Name, c.HasValue, c.Value, c.Currency = identifier.Meta, eventid.ID("e"+strconv.Itoa(i)), at, "Purchase", true, 1000, "TWD"
			if err := m.Write(c); err != nil {
				t.Fatal(err)
			}
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		recs := cells(t, buf.Bytes())
		want := []string{"event_name", "event_time", "email", "email", "email", "phone", "phone", "fn", "value", "currency", "order_id"}
		if len(recs) != 4 || !slices.Equal(recs[0], want) {
			t.Fatalf("hold %d: header %q, want %q\n%s", hold, recs[0], want, buf.String())
		}
		id := func(i, k int) string { return convs[i].Identifiers[k].Text() }
		wantRows := [][]string{
			{id(0, 0), "", "", "", "", ""},
			{id(1, 0), id(1, 2), id(1, 4), id(1, 1), id(1, 3), id(1, 5)}, // every email and phone, the first first name
			{"", "", "", id(2, 0), "", ""},
		}
		for i, c := range convs {
			row := recs[i+1]
			if len(row) != len(want) || !slices.Equal(row[2:8], wantRows[i]) || row[10] != string(c.EventID) {
				t.Errorf("hold %d: row %d: %q, want identifiers %q", hold, i, row, wantRows[i])
			}
		}
	}
}

// TestMetaFileRepeatsWhatTheUploadSendsAsArrays: the file repeats a
// field's column exactly when the upload sends the field as an array
// (meta.UserData: em, ph, external_id), and carries only the first value
// of the others, as the upload does.
func TestMetaFileRepeatsWhatTheUploadSendsAsArrays(t *testing.T) {
	keys := map[string]identifier.Field{"em": identifier.Email, "ph": identifier.Phone, "fn": identifier.FirstName, "ln": identifier.LastName,
		"zp": identifier.PostalCode, "ct": identifier.City, "st": identifier.State, "country": identifier.Country, "external_id": identifier.ExternalID}
	ty := reflect.TypeFor[meta.UserData]()
	seen := 0
	for i := range ty.NumField() {
		key, _, _ := strings.Cut(ty.Field(i).Tag.Get("json"), ",")
		f, ok := keys[key]
		if !ok {
			continue // fbc: no match key of the file (README)
		}
		seen++
		if array := ty.Field(i).Type.Kind() == reflect.Slice; metaRepeats(f) != array {
			t.Errorf("%s: the upload sends an array %v, the file repeats it %v", key, array, metaRepeats(f))
		}
	}
	if seen != len(keys) {
		t.Errorf("meta.UserData has %d of the %d match keys", seen, len(keys))
	}
}

// TestGoogleAdsCountsTheEmailsAndPhonesAfterTheFirst: Google's file has
// one Email and one Phone Number column; an upload sends every address and
// number. The file kept the first of each and dropped the rest without a
// word: they are counted as no_file_column.
func TestGoogleAdsCountsTheEmailsAndPhonesAfterTheFirst(t *testing.T) {
	var buf bytes.Buffer
	g, err := NewGoogleAds(&buf, "Clinic visit", time.UTC, false)
	if err != nil {
		t.Fatal(err)
	}
	c := conversion.Conversion{Platform: identifier.Google, EventID: "e1", Time: time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC), Name: "Purchase",
		Identifiers: []identifier.Sent{prepared(t, identifier.Google, identifier.Email, "zqa@example.com"), prepared(t, identifier.Google, identifier.Email, "zqb@example.com"),
			prepared(t, identifier.Google, identifier.Phone, "0912-000-001"), prepared(t, identifier.Google, identifier.Email, "zqc@example.com"),
			prepared(t, identifier.Google, identifier.Phone, "0912-000-002")}}
	if err := g.Write(&c); err != nil {
		t.Fatal(err)
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	recs := cells(t, buf.Bytes())
	if len(recs) != 3 || recs[2][1] != c.Identifiers[0].Text() || recs[2][2] != c.Identifiers[2].Text() {
		t.Fatalf("want the first email and phone:\n%s", buf.String())
	}
	if g.Refused.Cells["google email "+ReasonNoColumn] != 2 || g.Refused.Cells["google phone "+ReasonNoColumn] != 1 || len(g.Refused.Conversions) != 0 {
		t.Errorf("refused = %+v", g.Refused)
	}
}

// TestReadBackKnowsEachFormatAndItsIDs: a file write made is read back as
// its format, with the event id of each row (write --uploaded); a file of
// no format's header, or whose order id is no event id, is refused naming
// the line, never the value.
func TestReadBackKnowsEachFormatAndItsIDs(t *testing.T) {
	// The last is all digits: Google's Order ID carries it prefixed, as an
	// upload's transactionId does, and it reads back bare.
	ids := []eventid.ID{"0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210", "01234567890123456789012345678901"}
	email := prepared(t, identifier.Google, identifier.Email, "zqa@example.com")
	var g, m bytes.Buffer
	gw, _ := NewGoogleAds(&g, "Clinic visit", time.UTC, true)
	mw, _ := NewMetaOffline(&m, []identifier.Field{identifier.Email})
	for _, id := range ids {
		at := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
		if err := gw.Write(&conversion.Conversion{Platform: identifier.Google, EventID: id, Time: at, Name: "Purchase", Identifiers: []identifier.Sent{email}}); err != nil {
			t.Fatal(err)
		}
		if err := mw.Write(&conversion.Conversion{Platform: identifier.Meta, EventID: id, Time: at, Name: "Purchase", HasValue: true, Value: 1, Currency: "TWD",
			Identifiers: []identifier.Sent{prepared(t, identifier.Meta, identifier.Email, "zqa@example.com")}}); err != nil {
			t.Fatal(err)
		}
	}
	gw.Close()
	mw.Close()
	if !strings.Contains(g.String(), ","+platform.GoogleTransactionID(string(ids[2]))+",Granted") || strings.Contains(g.String(), ","+string(ids[2])+",") {
		t.Errorf("Google's Order ID is not the upload's transactionId for an all-digit id:\n%s", g.String())
	}
	for name, b := range map[string][]byte{"google-ads-csv": g.Bytes(), "meta-offline-csv": m.Bytes()} {
		var got []eventid.ID
		f, err := ReadBack(bytes.NewReader(b), func(id eventid.ID) { got = append(got, id) })
		if err != nil || f.Name != name || !slices.Equal(got, ids) {
			t.Errorf("%s: read back as %q, %q (%v)", name, f.Name, got, err)
		}
	}
	for in, want := range map[string]string{
		"id,at,email\nA1,2026-11-02,zq@example.com\n":                                     "no file hashgate writes",
		"event_name,event_time,email,value,currency,order_id\nPurchase,t,h,1,TWD,A0001\n": "line 2: its order_id is no event id",
		"": "no header",
	} {
		_, err := ReadBack(strings.NewReader(in), func(eventid.ID) {})
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "A0001") || strings.Contains(err.Error(), "zq@") {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}
