package pipeline

import (
	"maps"
	"testing"
)

// TestARealFormulaCellExcludesItsRow: a cell of a column the upload reads
// that is a spreadsheet formula (=A1+B1, =+886912345678, =SUM(…)) holds
// what a spreadsheet would compute, not its text. Before, it was read as
// its text: an order id's formula made an event id, a name's was hashed
// and sent. Its row is excluded as formula_cell, and counted; a text
// formula ="…" is the text it shows (package export) and is sent. What a
// formula row withdraws still counts, as a malformed row's does.
func TestARealFormulaCellExcludesItsRow(t *testing.T) {
	cfg := baseConfig()
	body := "=A1+B1,2026-11-02 09:00,completed,a@example.com,,,,,,,yes,\n" +
		"A2,2026-11-02 09:00,completed,b@example.com,,=+886912345678,,,,,yes,\n" +
		"A3,2026-11-02 09:00,completed,c@example.com,,,=SUM(A1:A2),,,,yes,\n" +
		"A4,2026-11-02 09:00,completed,\"=\"\"d@example.com\"\"\",,=\"0912345678\",,,,,=\"yes\",\n" +
		"A5,2026-11-02 09:00,completed,e@example.com,,,,,,,\"=IF(B2,\"\"yes\"\",\"\"no\"\")\",\n"
	sink, sum := run(t, cfg, body)
	if want := map[string]int{ReasonFormulaCell: 4}; !maps.Equal(sum.Excluded, want) {
		t.Errorf("excluded %v, want %v", sum.Excluded, want)
	}
	for _, c := range sink.got {
		if c.Line != 5 {
			t.Errorf("line %d sent: its formula was read as text", c.Line)
		}
		if len(c.Identifiers) != 2 {
			t.Errorf("line %d sent %d identifiers, want the text formulas' e-mail and phone", c.Line, len(c.Identifiers))
		}
	}
	if len(sink.got) != 2 {
		t.Errorf("%d conversions, want line 5's two", len(sink.got))
	}
}

// TestAFormulaRowStillWithdraws: a row excluded for a formula cell still
// says what its consent cell says: its "no" refuses its order, whose
// other row is not sent (consent_refused_order), as a malformed row's
// does (TestAShortRowStillWithdraws).
func TestAFormulaRowStillWithdraws(t *testing.T) {
	cfg := baseConfig()
	body := "A1,2026-11-02 09:00,completed,a@example.com,,,=A1&B1,,,,no,\n" +
		"A1,2026-11-02 09:00,completed,a@example.com,,,,,,,yes,\n"
	sink, sum := run(t, cfg, body)
	if want := map[string]int{ReasonFormulaCell: 1, ReasonOrderRefused: 1}; !maps.Equal(sum.Excluded, want) {
		t.Errorf("excluded %v, want %v", sum.Excluded, want)
	}
	if len(sink.got) != 0 {
		t.Errorf("%d conversions: the formula row's refusal was not read", len(sink.got))
	}
}
