package celltext

import "testing"

// TestTextFormula: the cell ="…" that clinic systems write to keep an id's
// leading zeros is its text, as Excel shows it and as a re-save writes
// it; anything else starting with = is a formula whose value only a
// spreadsheet knows.
func TestTextFormula(t *testing.T) {
	for _, c := range []struct {
		cell, text  string
		ok, formula bool
	}{
		{`="0912345678"`, "0912345678", true, false},
		{` ="A0001"` + "\u200b", "A0001", true, false},
		{`="say ""hi"""`, `say "hi"`, true, false},
		{`=""`, "", true, false},
		{`=""""`, `"`, true, false},
		{"=\"王小明\"", "王小明", true, false},
		{`=A1+B1`, "", false, true},
		{`=SUM(A1:A3)`, "", false, true},
		{`=+886912345678`, "", false, true},
		{`="09"&"12"`, "", false, true},
		{`="0912`, "", false, true},
		{`=`, "", false, true},
		{` =A1`, "", false, true},
		{`0912345678`, "", false, false},
		{`"="`, "", false, false},
		{`a="b"`, "", false, false},
		{``, "", false, false},
		{`'=A1`, "", false, false},
	} {
		text, ok := TextFormula(c.cell)
		if ok != c.ok || text != c.text {
			t.Errorf("TextFormula(%q) = %q, %v; want %q, %v", c.cell, text, ok, c.text, c.ok)
		}
		if got := Formula(c.cell); got != c.formula {
			t.Errorf("Formula(%q) = %v, want %v", c.cell, got, c.formula)
		}
	}
}

// TestLiteralIsTextFormulasInverse: the spelling an older hashgate read
// a text formula as (Literal) reads back as the text, quotes and all.
func TestLiteralIsTextFormulasInverse(t *testing.T) {
	for _, text := range []string{"A0001", "", `"`, `say "hi"`, " 00123 ", "王小明"} {
		if got, ok := TextFormula(Literal(text)); !ok || got != text {
			t.Errorf("TextFormula(Literal(%q)) = %q, %v", text, got, ok)
		}
	}
	if got, want := Literal(`A"1`), `="A""1"`; got != want {
		t.Errorf("Literal(%q) = %q, want %q", `A"1`, got, want)
	}
}
