package report

import (
	"maps"
	"slices"
	"strings"
)

// NoteCells names, per note, the first cell that gave it: "value_not_a_number
// 312" left the analyst to find the cells herself, where `hashgate
// channels` names its first unreadable fee. One location a note, whatever
// the number of rows (memory stays flat), as records_refused and
// header_repeated_first_line name theirs.
type NoteCells struct {
	// NotesFirst is, by note (Summary.Notes), "file:line:column: reason"
	// of the first row counted under it, in export order, with the
	// setting that would read it when one would: never the cell's value.
	// A note that names no cell is absent.
	NotesFirst map[string]string `json:"notes_first_cell,omitempty"`
}

// NotedFirst reports whether the first cell of note is named already: the
// settler asks before it formats one, once per noted row.
func (c *NoteCells) NotedFirst(note string) bool {
	_, ok := c.NotesFirst[note]
	return ok
}

// NoteFirst names at ("file:line:column: reason", value-free) as the first
// cell of note unless one is named already.
func (c *NoteCells) NoteFirst(note, at string) {
	if c.NotedFirst(note) {
		return
	}
	if c.NotesFirst == nil {
		c.NotesFirst = map[string]string{}
	}
	c.NotesFirst[note] = at
}

// writeNotes writes the notes' counts and, below them, each note's first
// cell.
func (s *Summary) writeNotes(b *strings.Builder) {
	section(b, "notes", s.Notes)
	for _, note := range slices.Sorted(maps.Keys(s.NotesFirst)) {
		if s.Notes[note] > 0 {
			b.WriteString("    the first " + note + ": " + s.NotesFirst[note] + "\n")
		}
	}
}
