package export

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

var narrow = map[Column][]string{OrderID: {"id"}, Email: {"mail"}, Consent: {"ok"}}

// A header of 900k empty columns (a 2.7 MB export of two rows) was read,
// mapped and sent on: every command paid for each column, inspect a
// gigabyte (a security review). It is refused where the header is read,
// positioned, with the count, and naming no cell.
func TestHeaderWiderThanMaxColumnsIsRefused(t *testing.T) {
	const width = 900_000
	var b strings.Builder
	b.WriteString("id,mail,ok,ZZCANARY")
	b.WriteString(strings.Repeat(",", width))
	b.WriteString("\n1,zzsecret@example.com,yes" + strings.Repeat(",", width+1) + "\n")
	for _, quoted := range []bool{false, true} {
		in := b.String()
		if quoted { // the scanner's long way, not its fast path
			in = strings.Replace(in, "ZZCANARY", `"ZZCANARY"`, 1)
		}
		_, err := NewReader(strings.NewReader(in), "wide.csv", spec(0, narrow))
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("quoted %v: a header of %d columns was read (err %v): want it refused", quoted, width+4, err)
		}
		msg := e.Error()
		want := fmt.Sprintf("wide.csv:1: the header line has %d columns, more than the %d", width+4, MaxColumns)
		if !strings.HasPrefix(msg, want) {
			t.Errorf("quoted %v: %q, want it to start %q", quoted, msg, want)
		}
		if strings.Contains(msg, "ZZ") || strings.Contains(msg, "zzsecret") {
			t.Errorf("the refusal quotes a cell: %q", msg)
		}
	}
}

// The widest header a spreadsheet writes is read: MaxColumns columns,
// not one fewer.
func TestHeaderOfMaxColumnsIsRead(t *testing.T) {
	head := "id,mail,ok" + strings.Repeat(",", MaxColumns-3)
	row := "1,a@example.com,yes" + strings.Repeat(",", MaxColumns-3)
	for _, quoted := range []bool{false, true} {
		in := head + "\n" + row + "\n"
		if quoted {
			in = `"id"` + in[2:]
		}
		rows, err := readAll(t, in, spec(1, narrow))
		if err != nil {
			t.Fatalf("quoted %v: a header of %d columns: %v", quoted, MaxColumns, err)
		}
		if len(rows) != 1 || rows[0].Refused() != nil || len(rows[0].Cells()) != MaxColumns {
			t.Fatalf("quoted %v: rows %d, want one of %d cells, not refused", quoted, len(rows), MaxColumns)
		}
	}
	_, err := readAll(t, head+",\n"+row+"\n", spec(1, narrow))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("has %d columns", MaxColumns+1)) {
		t.Errorf("a header of %d columns: %v, want it refused", MaxColumns+1, err)
	}
}

// A data record of more cells than MaxColumns, under an ordinary header,
// is refused as a row, as one over input.max_record_bytes is: kept, each
// of its million cells cost the chunk holding it.
func TestRecordWiderThanMaxColumnsIsRefused(t *testing.T) {
	const width = 300_000
	for _, quoted := range []bool{false, true} {
		wide := "2,b@example.com,yes" + strings.Repeat(",", width)
		if quoted {
			wide = `"2"` + wide[1:]
		}
		in := "id,mail,ok\n1,a@example.com,yes\n" + wide + "\n3,c@example.com,yes\n"
		rows, err := readAll(t, in, spec(1, narrow))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 {
			t.Fatalf("quoted %v: %d rows, want 3", quoted, len(rows))
		}
		e := rows[1].Refused()
		if e == nil {
			t.Fatalf("quoted %v: a record of %d cells was read as a row: want it refused", quoted, width+3)
		}
		want := fmt.Sprintf("x.csv:3: record of %d cells, more than the %d columns", width+3, MaxColumns)
		if !strings.HasPrefix(e.Error(), want) {
			t.Errorf("quoted %v: %q, want it to start %q", quoted, e.Error(), want)
		}
		if rows[0].Refused() != nil || rows[2].Refused() != nil || rows[2].Get(OrderID) != "3" {
			t.Errorf("quoted %v: the rows around the wide one were not read whole", quoted)
		}
	}
}
