package pipeline

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/money"
)

// valueCell is where a row's fee cell could not be read (NoteValueUnparsed)
// and why, in words of hashgate's own (unreadWhy): never the cell. The
// settler names the first such cell in export order (Summary.NotesFirst),
// as `hashgate channels` names its first unreadable fee: a summary saying
// "value_not_a_number 312" left the analyst to find the cells herself.
// line 0: the row's fee was read, or is not noted.
type valueCell struct {
	line, col int
	why       string
	// number: the cell holds a digit — a number written in a form
	// hashgate does not read, not a word ("健保", "N/A") standing for no
	// fee. Only such cells count toward input.max_unreadable_value_share
	// (valueFit); not kept in the held record, as the fit is judged
	// before it.
	number bool
}

// The reasons a fee cell is unreadable, as the summary says them. Fixed
// words, never the error's text: nothing of the cell can reach them.
var (
	whyNotNumber     = "not a number"
	whyOtherCurrency = "names another currency than the row's"
	// whyOtherMark, by the input.decimal_comma in force: a cell that
	// reads under the other setting says which to set, in the channel
	// report's words (money.MarkAdvice).
	whyOtherMark = [2]string{whyNotNumber + ", " + money.MarkAdvice(false), whyNotNumber + ", " + money.MarkAdvice(true)}
)

// unreadValue notes row's fee cell raw as unreadable (err: ParseIn's
// refusal, in currency cur) in sum, and where it is.
func unreadValue(sum *tally, row export.Row, raw, cur string, decimalComma bool, err error) {
	sum.note(NoteValueUnparsed)
	sum.unread = unreadCell(row, raw, cur, decimalComma, err)
}

// unreadCell is where row's unreadable fee cell raw is and why, in the
// words the upload's summary and every fee stop use (ValueFit).
func unreadCell(row export.Row, raw, cur string, decimalComma bool, err error) valueCell {
	why := whyNotNumber
	switch {
	case errors.Is(err, money.ErrOtherCurrency):
		why = whyOtherCurrency
	case money.ReadsWithOtherMark(raw, cur, decimalComma):
		why = whyOtherMark[0]
		if decimalComma {
			why = whyOtherMark[1]
		}
	}
	line, col := row.Position(export.Value)
	return valueCell{line: line, col: col, why: why, number: strings.ContainsFunc(raw, unicode.IsDigit)}
}

// nameUnread names c, a settled row's unreadable fee, as the first
// value_not_a_number cell unless one is named already: it is called in
// export order, for the rows whose notes are counted.
func (s *settler) nameUnread(c valueCell) {
	if c.line == 0 || s.sum.NotedFirst(NoteValueUnparsed) {
		return
	}
	at := fmt.Sprintf("%s:%d:%d", s.name, c.line, c.col)
	if c.col == 0 {
		// The row kept no position for the fee (export's
		// positionSlots): its line, not a column 0 to look for.
		at = fmt.Sprintf("%s:%d", s.name, c.line)
	}
	s.sum.NoteFirst(NoteValueUnparsed, at+": "+c.why)
}
