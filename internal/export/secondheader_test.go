package export

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/printable"
)

// readJoined reads every row of in (header id,name,ok,cur) and returns how
// many were rows, how many were malformed, and the error that stopped it.
func readJoined(t *testing.T, in string) (rows, malformed int, err error) {
	t.Helper()
	s := spec(1, map[Column][]string{OrderID: {"id"}, Consent: {"ok"}, Currency: {"cur"}})
	r, err := NewReader(strings.NewReader(in), "joined.csv", s)
	if err != nil {
		t.Fatal(err)
	}
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows, malformed, nil
		}
		if err != nil {
			return rows, malformed, err
		}
		rows++
		if row.Malformed() {
			malformed++
		}
	}
}

// TestASecondHeaderOfOtherColumnsStops: two exports of different columns
// joined into one file (cat a.csv b.csv; copy a.csv+b.csv) are no export
// the config reads: the second's rows read with the first's positions sent
// a chart number as an order id (columns moved: each visit uploaded again
// as a new conversion) or were malformed (a column added), exit 0. The
// second header stops the read at its line, naming no cell; the same
// header repeated is still skipped (a review with real multi-night ledgers,
// 2026-12-07).
func TestASecondHeaderOfOtherColumnsStops(t *testing.T) {
	first := "id,name,ok,cur\nZqA1,ZqWang,yes,TWD\nZqA2,ZqLee,yes,TWD\n"
	for _, tc := range []struct {
		name, second string
		line         int // 0: no stop
	}{
		{"columns moved", "name,id,cur,ok\nZqLin,ZqB1,TWD,yes\n", 4},
		{"a column added", "id,name,phone,ok,cur\nZqB1,ZqLin,0912345678,yes,TWD\n", 4},
		{"a column removed", "id,ok,cur\nZqB1,yes,TWD\n", 4},
		{"other case and full-width", "ID,Name,ｃｕｒ,OK\nZqB1,ZqLin,TWD,yes\n", 4},
		{"the same header", "id,name,ok,cur\nZqB1,ZqLin,yes,TWD\n", 0},
		{"the same header, BOM and spaces", "\ufeff id , name,ok ,cur\nZqB1,ZqLin,yes,TWD\n", 0},
		{"a row whose first cell is the first header name", "id,ZqLin,yes,TWD\n", 0},
		{"a row holding two header names among data", "id,name,yes,TWD,2026-11-02\n", 0},
		{"three header names and a date", "name,id,ok,2026-11-02\n", 0},
		// A data-shaped cell written in full-width digits is no ASCII:
		// judged by NFKC at the end (dataCells), not by the early pass.
		{"three header names and a full-width date", "name,id,ok,２０２６-１１-０２\n", 0},
		{"three header names and as many other words", "id,name,ok,ZqX,ZqY,ZqZ,,,\n", 0},
		{"a row repeating one header word", "ZqC1,ok,ok,ok\n", 0},
	} {
		rows, _, err := readJoined(t, first+tc.second)
		var e *Error
		switch {
		case tc.line == 0 && err != nil:
			t.Errorf("%s: stopped: %v", tc.name, err)
		case tc.line == 0 && rows != 3:
			t.Errorf("%s: %d rows, want 3", tc.name, rows)
		case tc.line != 0 && !errors.As(err, &e):
			t.Errorf("%s: not stopped (%d rows, err %v)", tc.name, rows, err)
		case tc.line != 0:
			if e.Line != tc.line || !strings.Contains(e.Reason, "a second header, different from the first") || rows != 2 {
				t.Errorf("%s: %v after %d rows; want line %d, a second header, after 2 rows", tc.name, err, rows, tc.line)
			}
			if strings.Contains(err.Error(), "Zq") || strings.Contains(err.Error(), "0912") {
				t.Errorf("%s: the stop quotes a cell: %v", tc.name, err)
			}
		}
	}
}

// TestAJoinedHeaderWithoutALineBreakStops: the first export ends without a
// line break, so its last row and the second's header are one line. The
// row was counted malformed_row and unsent, exit 0 — a visit lost on a
// re-cut. Its tail is the header: the read stops there and says why.
func TestAJoinedHeaderWithoutALineBreakStops(t *testing.T) {
	first := "id,name,ok,cur\nZqA1,ZqWang,yes,TWD\nZqA2,ZqLee,yes,TWD"
	for name, second := range map[string]string{
		"the same header": "id,name,ok,cur\nZqB1,ZqLin,yes,TWD\n",
		"columns moved":   "name,id,cur,ok\nZqLin,ZqB1,TWD,yes\n",
	} {
		_, _, err := readJoined(t, first+second)
		var e *Error
		if !errors.As(err, &e) || e.Line != 3 || !strings.Contains(e.Reason, "without a line break") {
			t.Errorf("%s: %v; want a stop on line 3 saying the first export ends without a line break", name, err)
			continue
		}
		if strings.Contains(err.Error(), "Zq") || strings.Contains(err.Error(), "TWD") {
			t.Errorf("%s: the stop quotes a cell: %v", name, err)
		}
	}
	// A shifted row (an unquoted comma in a cell) stays a malformed row.
	rows, malformed, err := readJoined(t, "id,name,ok,cur\nZqA1,Wang, Alice,yes,TWD\n")
	if err != nil || rows != 1 || malformed != 1 {
		t.Errorf("a shifted row: %d rows, %d malformed, %v; want 1 malformed row", rows, malformed, err)
	}
}

// TestAHeaderlessExportIsNotStoppedByItsOwnWords: inspect takes the first
// line as the header of an export that has none; the rows below share its
// words (a consent, a status, a currency) and are rows, not a header.
func TestAHeaderlessExportIsNotStoppedByItsOwnWords(t *testing.T) {
	in := "ZqA1,ZqWang,yes,TWD,completed\nZqA2,ZqLee,yes,TWD,completed\nZqA3,ZqLin,yes,TWD,completed\n"
	r, err := NewReader(strings.NewReader(in), "x.csv", Spec{Probe: []string{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for {
		_, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("a headerless export stopped: %v", err)
		}
		rows++
	}
	if rows != 2 {
		t.Errorf("%d rows below the first line, want 2", rows)
	}
}

// TestASecondHeaderWithManyAddedColumnsStops: a second export that added
// as many columns as the first had, or more, still holds every mapped
// column's name. Judged by names outnumbering the rest it was read as a
// row (the order id "chart", malformed) and its rows with the first
// header's positions, exit 0; or, its added columns in front, stopped
// under the reason of a first export without a line break. It stops as a
// second header; a row of the first layout glued to a header still says
// the line break is missing (a review of header27, 2026-12-07).
func TestASecondHeaderWithManyAddedColumnsStops(t *testing.T) {
	first := "id,name,ok,cur\nZqA1,ZqWang,yes,TWD\n"
	for _, second := range []string{
		"chart,clinic,doctor,room,id,name,ok,cur\nZqCH9,ZqNorth,ZqDr,ZqR1,ZqB1,ZqLin,yes,TWD\n",
		"chart,id,name,ok,cur\nZqCH9,ZqB1,ZqLin,yes,TWD\n",
		"chart,clinic,doctor,name,id,ok,cur\nZqCH9,ZqNorth,ZqDr,ZqLin,ZqB1,yes,TWD\n", // a name where a glued line's last cell would be
		"chart,id,clinic,name,doctor,ok,room,cur,ins\nZqCH9,ZqB1,ZqNorth,ZqLin,ZqDr,yes,ZqR1,TWD,ZqNHI\n",
		"chart,clinic,id,doctor,room,ok,ins,memo,cur\nZqCH9,ZqNorth,ZqB1,ZqDr,ZqR1,yes,ZqNHI,,TWD\n", // name removed
	} {
		rows, _, err := readJoined(t, first+second)
		var e *Error
		if !errors.As(err, &e) || e.Line != 3 || !strings.Contains(e.Reason, "a second header, different from the first") || rows != 1 {
			t.Errorf("%q: %d rows, %v; want a second header on line 3 after 1 row", second, rows, err)
		}
	}
	// The mapped names among data, or among a date, are still a row.
	for _, row := range []string{"id,ok,cur,ZqX,2026-11-02\n", "id,ok,cur,ZqX,zq@example.com\n"} {
		if rows, _, err := readJoined(t, first+row); err != nil || rows != 2 {
			t.Errorf("%q: %d rows, %v; want 2 rows", row, rows, err)
		}
	}
	// One configured column is no header's worth: its name among other
	// words is a row, as before.
	s := spec(1, map[Column][]string{OrderID: {"id"}})
	r, err := NewReader(strings.NewReader(first+"id,name,ok,ZqX,ZqY,ZqZ,,,\n"), "one.csv", s)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := r.Next(); err != nil {
			t.Errorf("one configured column, its name among as many other words: %v", err)
		}
	}
}

// TestTheSameHeaderSpelledOtherwiseIsARepeat: the first header's names in
// other case, full-width or with a zero-width space, in the same places,
// map every column as the first header does (foldHeader): the second
// export has the same columns, and is skipped as a repeat. It stopped the
// night as a header "different from the first".
func TestTheSameHeaderSpelledOtherwiseIsARepeat(t *testing.T) {
	first := "id,name,ok,cur\nZqA1,ZqWang,yes,TWD\n"
	for _, second := range []string{"ID,Name,OK,CUR\n", "ｉｄ,name,ok,cur\n", "id,na\u200bme,ok,cur\n", " Id ,NAME,Ok,cUr,\n"} {
		in := first + second + "ZqB1,ZqLin,yes,TWD\n"
		s := spec(1, map[Column][]string{OrderID: {"id"}, Consent: {"ok"}, Currency: {"cur"}})
		r, err := NewReader(strings.NewReader(in), "joined.csv", s)
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%q: stopped after %d rows: %v", second, rows, err)
				break
			}
			rows++
		}
		if n, line := r.RepeatedHeaders(); rows != 2 || n != 1 || line != 3 {
			t.Errorf("%q: %d rows, repeated %d (line %d); want 2 rows, 1 repeat on line 3", second, rows, n, line)
		}
	}
}

// TestAWideHeaderNameIsCountedOnce: a name past the 64th column counted
// each time it appeared, so a row repeating it read as a header.
func TestAWideHeaderNameIsCountedOnce(t *testing.T) {
	var h, row []string
	for i := range 70 {
		h = append(h, fmt.Sprintf("h%02d", i))
		row = append(row, "h66")
	}
	in := strings.Join(h, ",") + "\n" + strings.Join(row, ",") + "\n"
	s := spec(1, map[Column][]string{OrderID: {"h00"}, Consent: {"h01"}})
	r, err := NewReader(strings.NewReader(in), "wide.csv", s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Errorf("a row repeating one wide header name: %v", err)
	}
}

// FuzzASCIIShape: asciiShape says a cell is ASCII exactly when it is, and
// then that it is shaped like data exactly when printable.IdentifierShaped
// does — the header check passes over a row at such a cell, which must
// be what the full check (dataCells) would have refused it for.
func FuzzASCIIShape(f *testing.F) {
	for _, s := range []string{"", "A00000001", "a@b", "123", "1234", "12a34", "Ｅｍａｉｌ", "123４", "@\u0338", "12345\u0301", " email "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ascii, data := asciiShape(s)
		if ascii != isASCIIString(s) {
			t.Fatalf("asciiShape(%q) ascii %v", s, ascii)
		}
		if ascii && data != printable.IdentifierShaped(s) {
			t.Fatalf("asciiShape(%q) data %v, IdentifierShaped %v", s, data, !data)
		}
	})
}
