package reviewcsv

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/csvcell"
	"github.com/hashgate/hashgate/internal/identifier"
)

// TestQuotingMatchesEncodingCSV: the hand-written row encoder quotes exactly
// as encoding/csv does, for fields that need it and fields that do not,
// after neutralising what a spreadsheet would read as a formula.
func TestQuotingMatchesEncodingCSV(t *testing.T) {
	for _, f := range []string{"", "Purchase", "a,b", `say "hi"`, " lead", "\tx", "line\nbreak", "cr\r", `\.`, "植牙,", "ok.", "=1,2", "-x"} {
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
	f.Add("a,b")
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
