package export

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// TestLiteralIsTheOlderReadersSpelling: a hashgate before it read text
// formulas read the order id ="A0001" — raw or RFC-quoted — as written,
// and made its event id of that; Literal and OrderKeyLiteral give that
// spelling for the cells that were text formulas, and nothing for the
// rest (a plain cell, a real formula, another column's text formula, a
// composite id whose time alone was wrapped), through Next, NextTo (the
// pipeline's borrowed rows, both of the scanner's paths) and a footer's
// held rows.
func TestLiteralIsTheOlderReadersSpelling(t *testing.T) {
	const old = `="A0001"`
	in := "x,id,at,chart\n" +
		`=1,="A0001",2026-11-20 09:00,="00101"` + "\n" + // raw: the state machine
		`=1,"=""A0001""",2026-11-20 09:00,"=""00101"""` + "\n" + // RFC-quoted
		`="A0001",A0001,2026-11-20 09:00,00101` + "\n" + // another column's
		`x,A0001,2026-11-20 09:00,=00101` + "\n" + // the fast path: no quote
		`x,="Ａ0001",="2026-11-20 09:00",="P ""1"""` + "\n" +
		`x,A0001,="2026-11-20 09:00",00101` + "\n"
	type got struct{ order, key, composite, chart string }
	want := []got{
		{old, old, old + "\x1f09:00", `="00101"`},
		{old, old, old + "\x1f09:00", `="00101"`},
		{"", "", "", ""},
		{"", "", "", ""},
		{`="Ａ0001"`, old, old + "\x1f09:00", `="P ""1"""`},
		{"", "", "", ""},
	}
	wall := func(Column) string { return "09:00" }
	for _, composite := range []bool{false, true} {
		for mode := range 3 { // Next, NextTo, a footer's held rows
			ids := []string{"id"}
			if composite {
				ids = append(ids, "at")
			}
			s := spec(1, map[Column][]string{OrderID: ids, AppointmentAt: {"at"}, PatientKey: {"chart"}})
			src := in
			if mode == 2 {
				s.SkipFooter, src = 1, in+"footer\n"
			}
			r, err := NewReader(strings.NewReader(src), "x.csv", s)
			if err != nil {
				t.Fatal(err)
			}
			var store []string
			var text []byte
			for n := 0; ; n++ {
				var row Row
				if mode == 1 {
					row, store, text, err = r.NextTo(store, text)
				} else {
					row, err = r.Next()
				}
				if errors.Is(err, io.EOF) {
					if n != len(want) {
						t.Fatalf("composite=%v mode %d: %d rows, want %d", composite, mode, n, len(want))
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				w := want[n]
				order, _ := row.Literal(OrderID)
				chart, _ := row.Literal(PatientKey)
				key, ok := row.OrderKeyLiteral(OrderID, wall)
				if ok != (key != "") {
					t.Errorf("row %d: OrderKeyLiteral %q, %v", n+1, key, ok)
				}
				wk := w.key
				if composite {
					wk, order = w.composite, w.order // Literal answers the first part
				}
				if order != w.order || key != wk || chart != w.chart {
					t.Errorf("composite=%v mode %d row %d: Literal %q, OrderKeyLiteral %q, chart %q; want %q, %q, %q",
						composite, mode, n+1, order, key, chart, w.order, wk, w.chart)
				}
				if plain, _ := row.Key(OrderID); strings.Contains(fmt.Sprint(plain), `"`) {
					t.Errorf("row %d: the key itself is the formula: %q", n+1, plain)
				}
			}
		}
	}
}
