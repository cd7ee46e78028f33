package reviewcsv

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/csvcell"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
)

// TestQuotingMatchesEncodingCSV: the hand-written row encoder quotes exactly
// as encoding/csv does, for fields that need it and fields that do not,
// after neutralising what a spreadsheet would read as a formula.
func TestQuotingMatchesEncodingCSV(t *testing.T) {
	for _, f := range []string{"", "Purchase", "a,b", `say "hi"`, " lead", "\tx", "line\nbreak", "cr\r", `\.`, "植牙,", "ok.", "=1,2", "-x", "TWD", "9am", "Aé,", "a\"b", "Z\n", "x\r", "Purchase 2"} {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		w.Write([]string{csvcell.Neutralise(f)})
		w.Flush()
		if got := string(appendField(nil, f)) + "\n"; got != want.String() {
			t.Errorf("%q: got %q, encoding/csv %q", f, got, want.String())
		}
	}
}

func FuzzQuoting(f *testing.F) {
	for _, s := range []string{"a,b", "", "=\"0912345678\"", "\"", "a\r\nb", "a\rb", " lead", "\ufeff=1", "-1", "@SUM(A1)",
		"\t=cmd", "王小明", "\n", "a\"b", "＝1", "x\x00y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		w.Write([]string{csvcell.Neutralise(s), "x"})
		w.Flush()
		if got := string(appendField(nil, s)) + ",x\n"; got != want.String() {
			t.Fatalf("%q: got %q, encoding/csv %q", s, got, want.String())
		}
	})
}

func TestWriteNeutralisesFormulasAndRefusesUncheckedPlainValues(t *testing.T) {
	var buf bytes.Buffer
	w, err := New(&buf, Layout{BRAIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	c := &conversion.Conversion{Platform: identifier.Google, EventID: "0123", Name: "@Visit", GCLID: "-Cj0KCQiARfD5XPsKdiGoW3GChn1YXOHpqhXynSjiX3GrE1gk0yXnvyDm32LL4tM3zHZezAM6YVDwsWqtY4EIRZMGY0PS", GBRAID: "0AAAAADWujhYhjUs__RY_zrJxYUKGwreGT"}
	if err := w.Write(c); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	row := recs[1]
	if row[3] != "'@Visit" || row[6] != "'-Cj0KCQiARfD5XPsKdiGoW3GChn1YXOHpqhXynSjiX3GrE1gk0yXnvyDm32LL4tM3zHZezAM6YVDwsWqtY4EIRZMGY0PS" || row[7] != "0AAAAADWujhYhjUs__RY_zrJxYUKGwreGT" {
		t.Errorf("row = %q", row)
	}
	for _, rec := range recs {
		for _, cell := range rec {
			if csvcell.Dangerous(cell) {
				t.Errorf("cell %q would start a formula", cell)
			}
		}
	}
	bad := &conversion.Conversion{Platform: identifier.Google, EventID: "0123", GCLID: "Patient Mary Wang, chart 13"}
	if err := w.Write(bad); err == nil || strings.Contains(err.Error(), "Mary") {
		t.Errorf("an unchecked click id: err = %v", err)
	}
}

// TestFBCColumnIsPlainAndSpreadsheetSafe: with Layout.FBC the review CSV
// shows Meta's fbc exactly as it is sent (unhashed, after gclid and the
// braids), in a cell no spreadsheet reads as a formula — even for an
// fbclid starting with "-" — and refuses an fbc that never passed its
// grammar, without quoting it.
func TestFBCColumnIsPlainAndSpreadsheetSafe(t *testing.T) {
	var buf bytes.Buffer
	w, err := New(&buf, Layout{BRAIDs: true, Formatted: "fbc"})
	if err != nil {
		t.Fatal(err)
	}
	fbc := "fb.1.1792477800000.-wAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"
	if err := w.Write(&conversion.Conversion{Platform: identifier.Meta, EventID: "0123", Name: "Purchase", Formatted: fbc}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(&conversion.Conversion{Platform: identifier.Meta, EventID: "0124", Formatted: "fb.1.1792477800000.=1+2 Mary Wang"}); err == nil || strings.Contains(err.Error(), "Mary") {
		t.Errorf("an unchecked fbc: err = %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if h := recs[0]; h[9] != "fbc" || len(recs) != 2 || recs[1][9] != fbc {
		t.Fatalf("records %q", recs)
	}
	for _, cell := range recs[1] {
		if csvcell.Dangerous(cell) {
			t.Errorf("cell %q would start a formula", cell)
		}
	}
}

// hexCell joins the lower-case hex of each 32-byte piece of data with ";",
// as Write joins the digests of one column.
func hexCell(data []byte) string {
	var parts []string
	for len(data) > 0 {
		var d [32]byte
		n := copy(d[:], data)
		data = data[n:]
		parts = append(parts, identifier.Hashed(d).Hex())
	}
	return strings.Join(parts, ";")
}

// TestHashedCellsNeedNoQuoting: Write copies hashed cells as they are;
// that is right only because appendField (neutralising and quoting as
// encoding/csv does) would leave them unchanged, whatever the digests.
func TestHashedCellsNeedNoQuoting(t *testing.T) {
	for _, data := range [][]byte{
		bytes.Repeat([]byte{0}, 32), bytes.Repeat([]byte{0xff}, 64), bytes.Repeat([]byte{0xa5, 0x0f}, 48),
		[]byte("alice@example.com"), bytes.Repeat([]byte{0xde, 0xad}, 16),
	} {
		cell := hexCell(data)
		if got := string(appendField(nil, cell)); got != cell {
			t.Fatalf("%q would be written as %q", cell, got)
		}
	}
}

func FuzzHashedCell(f *testing.F) {
	f.Add([]byte("alice@example.com"))
	f.Add(bytes.Repeat([]byte{0xff}, 70))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || len(data) > 32*8 {
			return
		}
		cell := hexCell(data)
		if got := string(appendField(nil, cell)); got != cell {
			t.Fatalf("%q would be written as %q", cell, got)
		}
	})
}

// TestPrepareWritesWhatWriteWrites: the line Prepare renders ahead
// (sink.Preparer, on the pipeline's workers) and WritePrepared writes is
// Write's line, byte for byte — for both platforms, every identifier
// column hashed and plain (several values in one cell, a postal code
// quoted or neutralised), click ids, fbc, with and without a value — and
// a conversion Write refuses is not prepared. Prepared bytes cut short
// are refused, never written.
func TestPrepareWritesWhatWriteWrites(t *testing.T) {
	opt := identifier.Options{Region: "US"}
	sent := func(p identifier.Platform, f identifier.Field, raw string) identifier.Sent {
		t.Helper()
		s, err := identifier.Prepare(p, f, raw, opt)
		if err != nil {
			t.Fatalf("%v %v %q: %v", p, f, raw, err)
		}
		return s
	}
	g, m := identifier.Google, identifier.Meta
	at := time.Date(2026, 11, 2, 10, 1, 0, 0, time.FixedZone("CST", 8*3600))
	convs := []conversion.Conversion{
		{Platform: g, EventID: "498c2ab575428558d0d35ead5a8a3470", Time: at, Name: "Purchase", Value: 89196, HasValue: true, Currency: "TWD",
			GCLID: "Cj0KCQiARfD5XPsKdiGoW3GChn1YXOHpqhXynSjiX3GrE1gk0yXnvyDm32LL4tM3zHZezAM6YVDwsWqtY4EIRZMGY0PS", Identifiers: []identifier.Sent{
				sent(g, identifier.Email, "a@example.com"), sent(g, identifier.Email, "b@example.com"),
				sent(g, identifier.Phone, "+1 650 959 5506"), sent(g, identifier.PostalCode, "94043"),
				sent(g, identifier.PostalCode, "10001"), sent(g, identifier.Country, "US"), sent(g, identifier.FirstName, "Amir")}},
		{Platform: m, EventID: "498c2ab575428558d0d35ead5a8a3471", Time: at.UTC(), Name: "@Visit", Value: 0.5, HasValue: true, Currency: "USD",
			Formatted: "fb.1.1792477800000.-wAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk", Identifiers: []identifier.Sent{
				sent(m, identifier.Email, "a@example.com"), sent(m, identifier.PostalCode, "94043"), sent(m, identifier.Country, "US"),
				sent(m, identifier.City, "Mountain View")}},
		{Platform: g, EventID: "0123", Time: at, Name: "Lead", GBRAID: "0AAAAADWujhYhjUs__RY_zrJxYUKGwreGT", WBRAID: "-0AAAAADWujhYhjUs__RY_zrJxYUKGwreGT"},
		{Platform: m, EventID: "0124", Time: at},
	}
	refused := conversion.Conversion{Platform: g, EventID: "0125", GCLID: "Patient Mary Wang, chart 13"}
	for _, l := range []Layout{{}, {BRAIDs: true, Formatted: "fbc", Fields: map[identifier.Platform][]identifier.Field{
		g: {identifier.Email, identifier.Phone, identifier.PostalCode, identifier.Country, identifier.FirstName},
		m: {identifier.Email, identifier.PostalCode, identifier.Country, identifier.City}}}} {
		var wrote, prepared bytes.Buffer
		w, err := New(&wrote, l)
		if err != nil {
			t.Fatal(err)
		}
		pw, err := New(&prepared, l)
		if err != nil {
			t.Fatal(err)
		}
		for i := range convs {
			if err := w.Write(&convs[i]); err != nil {
				t.Fatal(err)
			}
			p, ok := pw.Prepare([]byte("kept"), &convs[i])
			if !ok || !bytes.HasPrefix(p, []byte("kept")) {
				t.Fatalf("conversion %d: Prepare = %q, %v", i, p, ok)
			}
			if err := pw.WritePrepared(p[len("kept"):]); err != nil {
				t.Fatal(err)
			}
			// Held as digests, not hex: shorter than the line.
			if line, _ := w.render(nil, &convs[i]); i < 2 && len(p)-len("kept") >= len(line) {
				t.Errorf("conversion %d: prepared %d bytes for a line of %d", i, len(p)-len("kept"), len(line))
			}
			for cut := len("kept"); cut < len(p); cut++ {
				if err := pw.WritePrepared(p[len("kept"):cut]); err == nil {
					t.Fatalf("conversion %d: %d of %d prepared bytes written", i, cut-len("kept"), len(p)-len("kept"))
				}
			}
		}
		if _, ok := pw.Prepare(nil, &refused); ok {
			t.Error("a conversion Write refuses was prepared")
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := pw.Close(); err != nil {
			t.Fatal(err)
		}
		if wrote.String() != prepared.String() {
			t.Errorf("layout %+v:\nWrite:\n%s\nPrepare:\n%s", l, wrote.String(), prepared.String())
		}
		if n := strings.Count(wrote.String(), "\n"); n != len(convs)+1 {
			t.Errorf("layout %+v: %d lines", l, n)
		}
	}
}

// prepareLayouts are FuzzPrepareIsWrite's: no optional column; every
// one, the test's identifier columns; fbc without the BRAIDs, the
// columns in another order and more of them plain or hashed.
var prepareLayouts = []Layout{{}, {BRAIDs: true, Formatted: "fbc", Fields: map[identifier.Platform][]identifier.Field{
	identifier.Google: {identifier.Email, identifier.Phone, identifier.PostalCode, identifier.Country, identifier.FirstName},
	identifier.Meta:   {identifier.Email, identifier.PostalCode, identifier.Country, identifier.City}}},
	{Formatted: "fbc", Fields: map[identifier.Platform][]identifier.Field{
		identifier.Google: {identifier.Country, identifier.LastName, identifier.PostalCode, identifier.Email},
		identifier.Meta:   {identifier.City, identifier.Phone, identifier.FirstName, identifier.Email}}}}

// FuzzPrepareIsWrite is TestPrepareWritesWhatWriteWrites at fuzz scale:
// for any conversion — event id, name, value, currency, click ids, fbc and
// raw identifiers as the fuzzer makes them, each field's values split on
// "|" — WritePrepared of what Prepare made writes exactly the bytes Write
// writes, and a conversion Write refuses (a value off its grammar) is not
// prepared. Prepare may refuse what Write takes only for its length
// fields (sink.Preparer: the pipeline then calls Write): a line of 64 KiB
// or more. Bytes Prepare did not make are FuzzWritePreparedIsShuffled's.
func FuzzPrepareIsWrite(f *testing.F) {
	f.Add(uint8(0), uint8(1), "498c2ab575428558d0d35ead5a8a3470", "Purchase", 89196.0, true, "TWD",
		"Cj0KCQiARfD5XPsKdiGoW3GChn1YXOHpqhXynSjiX3GrE1gk0yXnvyDm32LL4tM3zHZezAM6YVDwsWqtY4EIRZMGY0PS", "", "", "",
		"a@example.com|b@example.com|c@example.com", "+1 650 959 5506", "94043|10001", "US", "Amir", "", "")
	f.Add(uint8(1), uint8(1), "498c2ab575428558d0d35ead5a8a3471", "@Visit", 0.5, true, "USD", "", "", "",
		"fb.1.1792477800000.-wAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk",
		"a@example.com", "", "94043", "US", "", "", "Mountain View")
	f.Add(uint8(0), uint8(2), "0123", "Lead", 0.0, false, "", "", "0AAAAADWujhYhjUs__RY_zrJxYUKGwreGT", "-0AAAAADWujhYhjUs__RY_zrJxYUKGwreGT", "",
		"x@example.org", "", "=1+2", "tw", "", "Wang|Lin", "")
	f.Add(uint8(1), uint8(2), "0124", "Schedule, \"first\"", -3.25, true, "EUR", "", "", "", "",
		"", "0912-345-678", "", "", "Amir", "", "San José")
	f.Add(uint8(0), uint8(0), "0125", "Purchase", 1.0, true, "TWD", "Patient Mary Wang, chart 13", "", "", "", "", "", "", "", "", "", "") // refused
	f.Fuzz(func(t *testing.T, plat, layout uint8, eventID, name string, value float64, hasValue bool, currency,
		gclid, gbraid, wbraid, fbc, email, phone, postal, country, first, last, city string) {
		p := identifier.Google
		if plat%2 == 1 {
			p = identifier.Meta
		}
		c := conversion.Conversion{Platform: p, EventID: eventid.ID(eventID), Time: time.Date(2026, 11, 2, 10, 1, 0, 0, time.FixedZone("CST", 8*3600)),
			Name: name, Value: value, HasValue: hasValue, Currency: currency, GCLID: gclid, GBRAID: gbraid, WBRAID: wbraid, Formatted: fbc}
		for _, raw := range []struct {
			f identifier.Field
			v string
		}{{identifier.Email, email}, {identifier.Phone, phone}, {identifier.PostalCode, postal}, {identifier.Country, country},
			{identifier.FirstName, first}, {identifier.LastName, last}, {identifier.City, city}} {
			for v := range strings.SplitSeq(raw.v, "|") {
				if s, err := identifier.Prepare(p, raw.f, v, identifier.Options{Region: "TW"}); err == nil {
					c.Identifiers = append(c.Identifiers, s)
				}
			}
		}
		l := prepareLayouts[int(layout)%len(prepareLayouts)]
		var wrote, prepared bytes.Buffer
		w, err := New(&wrote, l)
		if err != nil {
			t.Fatal(err)
		}
		pw, err := New(&prepared, l)
		if err != nil {
			t.Fatal(err)
		}
		header := wrote.Len()
		werr := w.Write(&c)
		b, ok := pw.Prepare([]byte("kept"), &c)
		switch {
		case werr != nil && ok:
			t.Fatalf("Write refuses %+v (%v), Prepare does not", c, werr)
		case werr != nil:
			return
		case !ok:
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if n := wrote.Len() - header; n <= 0xffff {
				t.Fatalf("Prepare refuses %+v, whose line of %d bytes Write writes", c, n)
			}
			return
		}
		if !bytes.HasPrefix(b, []byte("kept")) {
			t.Fatalf("Prepare did not append: %q", b)
		}
		if err := pw.WritePrepared(b[len("kept"):]); err != nil {
			t.Fatalf("WritePrepared refuses what Prepare made of %+v: %v", c, err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := pw.Close(); err != nil {
			t.Fatal(err)
		}
		if wrote.String() != prepared.String() {
			t.Fatalf("layout %d:\nWrite:\n%s\nPrepare:\n%s", int(layout)%len(prepareLayouts), wrote.String(), prepared.String())
		}
	})
}

// FuzzAppendValue: appendValue spells every amount as
// strconv.AppendFloat(v, 'f', -1, 64) does.
func FuzzAppendValue(f *testing.F) {
	for _, v := range []float64{0, math.Copysign(0, -1), 0.5, 1, 89196, 1500.25, 1 << 53, 1<<53 - 1, 1e21, -3, math.Inf(1), math.NaN(), math.SmallestNonzeroFloat64} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if got, want := string(appendValue([]byte("x"), v)), string(strconv.AppendFloat([]byte("x"), v, 'f', -1, 64)); got != want {
			t.Fatalf("%v: %q, want %q", v, got, want)
		}
	})
}
