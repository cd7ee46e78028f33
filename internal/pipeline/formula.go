package pipeline

import "github.com/hashgate/hashgate/internal/export"

// formulaRow excludes a row one of whose read cells is a spreadsheet
// formula (export.Row.Formula: =A1+B1, =SUM(…), =+886912345678): what it
// stands for is what a spreadsheet computes from cells hashgate does not
// have, never its text. Read as text, an order id's formula made an event
// id and a name's was hashed and sent. What the row withdraws still
// counts, as a malformed row's does: its consent cells are read as they
// are, and a refusal there refuses as it would on any row.
func (r *runner) formulaRow(row export.Row, o *outcome) {
	k, ok := r.orderKey(row)
	if ok {
		o.dup = orderDigest(k.key)
	}
	r.collect(row, ok, o)
	o.reason = ReasonFormulaCell
}
