package export

import "fmt"

// Error is a structural problem with the file, positioned but value-free.
type Error struct {
	File   string
	Line   int
	Column int
	Reason string
	// Err is the reader's own error behind a "read failed" (such as the
	// run's ErrExportChanged), for errors.Is; Reason already says it.
	Err error
	// MissingKey is the key (Column.Key) of the column the header lacks,
	// when that is the error: `hashgate check` tells a file that is no
	// fixture (no expect column: the wrong file given, exit 2) from one it
	// cannot read (exit 1).
	MissingKey string
	// Setting is the config key whose value decides how the file is read
	// (input.encoding), when the error is that it must be set: a run
	// refused before anything is sent, which a setting mends, as a
	// config error is (exit 2, run.Code), not a file that cannot be read.
	Setting string
}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	case e.Column == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Reason)
}
