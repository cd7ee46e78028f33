package export

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// wrapRaw writes v as Excel's text formula, unquoted, as clinic systems
// write it to keep a leading zero (="0912345678"); wrapQuoted the same
// cell as an RFC 4180 writer quotes it ("=""0912345678""").
func wrapRaw(v string) string    { return `="` + strings.ReplaceAll(v, `"`, `""`) + `"` }
func wrapQuoted(v string) string { return `"` + strings.ReplaceAll(wrapRaw(v), `"`, `""`) + `"` }

// TestTextFormulaCellsReadAsTheirText: a cell ="…" — Excel's text formula,
// which clinic systems write so that a phone's or an id's leading zero
// survives Excel — reads as its text, raw or RFC-quoted, header cells
// too, through every way a cell is read (Get, Key, OrderKey, Cells, and
// NextTo's borrowed rows): what Excel shows and what a re-save writes.
// Before, the wrapper was part of the value: the phone was unreadable and
// the id another one than the re-saved file's (a metamorphic review).
func TestTextFormulaCellsReadAsTheirText(t *testing.T) {
	plain := "id,mail,mail2,ok,chart\n" +
		"0001,a@example.com,,yes,P-01\n" +
		"0002,b@example.com,x,yes,P \"2\"\n"
	for _, wrap := range []struct {
		name string
		f    func(string) string
	}{{"raw", wrapRaw}, {"quoted", wrapQuoted}} {
		t.Run(wrap.name, func(t *testing.T) {
			wrapped := wrapQuoted("id") + ",mail,mail2,ok,chart\n" +
				wrap.f("0001") + ",a@example.com,,yes," + wrap.f("P-01") + "\n" +
				wrap.f("0002") + "," + wrap.f("b@example.com") + ",x," + wrap.f("yes") + "," + wrapQuoted(`P "2"`) + "\n"
			cols := map[Column][]string{OrderID: {"id"}, Email: {"mail", "mail2"}, Consent: {"ok"}, PatientKey: {"chart"}}
			if got, want := readCells(t, wrapped, cols), readCells(t, plain, cols); !slices.Equal(got, want) {
				t.Errorf("wrapped read as\n%q\nwant the plain file's\n%q", got, want)
			}
		})
	}
}

// TestARealFormulaIsNotText: a cell that is a formula — anything after =
// but one quoted text — is no text formula: read as written, never
// unwrapped, and Row.Formula says so (the pipeline excludes its row as
// formula_cell: its value is what a spreadsheet computes, which hashgate
// cannot).
func TestARealFormulaIsNotText(t *testing.T) {
	in := "id,mail,mail2,ok,note\n" +
		"1,=A1+B1,,yes,\n" +
		"2,\"=+886912345678\",,yes,\n" +
		"3,\"=\"\"09\"\"&\"\"12\"\"\",,yes,\n" +
		"4,a@example.com,,yes,=SUM(A1:A2)\n" + // not a mapped column
		"5,=\"a@example.com\",,yes,\n"
	rows, err := readAll(t, in, spec(1, map[Column][]string{OrderID: {"id"}, Email: {"mail", "mail2"}, Consent: {"ok"}}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows {
		got = append(got, row.Get(Email))
		if want := row.Line <= 4; row.Formula() != want {
			t.Errorf("line %d: Formula() = %v, want %v", row.Line, !want, want)
		}
	}
	if want := []string{"=A1+B1", "=+886912345678", `="09"&"12"`, "a@example.com", "a@example.com"}; !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
}

// readCells reads every row both ways (Next, NextTo), the header line
// found by its names and named by input.header_row, and returns what each
// accessor gives, one line per row and way.
func readCells(t *testing.T, in string, cols map[Column][]string) []string {
	t.Helper()
	var out []string
	for k := range 4 {
		to := k%2 == 1
		r, err := NewReader(strings.NewReader(in), "x.csv", spec(k/2, cols)) // the header found, and named
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join(r.Layout().Header, "|"))
		var store []string
		var text []byte
		for {
			var row Row
			if to {
				row, store, text, err = r.NextTo(store[:0], text[:0])
			} else {
				row, err = r.Next()
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			key, _ := row.Key(OrderID)
			ok, _ := row.OrderKey(OrderID, nil)
			out = append(out, strings.Join([]string{key, ok, strings.Join(row.All(Email, nil), ";"), row.Get(Consent), row.Get(PatientKey),
				strings.Join(row.Cells(), "|")}, " / "))
		}
	}
	return out
}

// TestAWrappedHeaderIsFound: the header line is found by its names among
// the first lines (input.header_row 0), before the reader splits it: a
// header cell written as a text formula is its name there too.
func TestAWrappedHeaderIsFound(t *testing.T) {
	for _, h := range []string{wrapRaw("id"), wrapQuoted("id")} {
		in := "Appointments 2026-11\n" + h + ",x\n" + wrapRaw("0001") + ",y\n"
		rows, err := readAll(t, in, spec(0, map[Column][]string{OrderID: {"id"}}))
		if err != nil {
			t.Fatalf("%s: %v", h, err)
		}
		if len(rows) != 1 || rows[0].Get(OrderID) != "0001" {
			t.Errorf("%s: read %d rows", h, len(rows))
		}
	}
}

// FuzzTextFormula: any text v, written as a cell and as the text formula
// that shows it — RFC-quoted, and raw where the cell allows (no comma,
// quote or line break) — reads the same through Get and Cells, and a
// text formula is never taken for a formula (Row.Formula). Its seeds,
// besides these, are in testdata/fuzz/FuzzTextFormula.
func FuzzTextFormula(f *testing.F) {
	for _, s := range []string{"0912345678", "", " A0001 ", `say "hi"`, "1,500", "王小明", "\u200b0912", "a\nb", `""`, " =A1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if !utf8.ValidString(v) || strings.ContainsAny(v, "\r\x1a\x00") || strings.HasPrefix(trim(v), "=") {
			// A CR is a line break's, a Ctrl-Z the file's end, NULs a
			// UTF-16 file's: not a cell's text. Text that begins with =
			// is read once: the text formula of ="x" is ="x", which
			// Excel shows and a re-save writes, and which Excel reads
			// again as a formula.
			t.Skip()
		}
		cols := map[Column][]string{OrderID: {"id"}, Email: {"mail"}}
		read := func(cell string) (string, string, bool) {
			sp := spec(1, cols)
			sp.Encoding = EncodingUTF8 // NULs are not UTF-16 here
			r, err := NewReader(strings.NewReader("id,mail\n1,"+cell+"\n"), "x.csv", sp)
			if err != nil {
				t.Fatal(err)
			}
			row, err := r.Next()
			if err != nil {
				t.Skipf("%q: %v", cell, err) // a cell of blanks: no row
			}
			return row.Get(Email), strings.Join(row.Cells(), "|"), row.Formula()
		}
		quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
		get, cells, _ := read(quote(v))
		forms := []string{quote(wrapRaw(v))}
		if !strings.ContainsAny(v, ",\"\n") {
			forms = append(forms, wrapRaw(v))
		}
		for _, w := range forms {
			g, c, formula := read(w)
			if g != get || c != cells || formula {
				t.Fatalf("%s read as %q (cells %q, formula %v); the plain cell as %q (%q)", w, g, c, formula, get, cells)
			}
		}
	})
}

// TestTheSniffSplitsALineAsTheReaderDoes: the header is found among lines
// split by splitLine, then read by the reader; a cell the two read apart
// is a header found by a name the reader does not see there, or data
// shapes judged on other text. ="09"&"12" is a formula to the reader
// (celltext.TextFormula, the rule's one home); splitLine's own rule read
// it as 09&12.
func TestTheSniffSplitsALineAsTheReaderDoes(t *testing.T) {
	for _, line := range []string{
		`id,="09"&"12",="0912"`,
		`"=""09""&""12""",x`,
		`"=""0912""",="a""b",=SUM(A1)`,
		`="id", ="x" ,"a,b",5'10"`,
		`id,"",=,="`,
	} {
		r, err := NewReader(strings.NewReader(line+"\n"), "x.csv", Spec{HeaderRow: 1, Delimiter: ','})
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if got, want := splitLine(line, ','), r.Layout().Header; !slices.Equal(got, want) {
			t.Errorf("%s: the sniff splits it %q, the reader %q", line, got, want)
		}
	}
}
