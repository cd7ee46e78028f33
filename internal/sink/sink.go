// Package sink defines where hashed conversions go: the review CSV of a
// dry-run, the platforms' manual-upload files, or the upload clients.
package sink

import (
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// Sink receives conversions in export order.
//
// Write may keep a reference to nothing in c after it returns: the pipeline
// reuses conversions. Close flushes; a sink whose Close fails must be treated
// as having delivered nothing.
type Sink interface {
	Write(c *conversion.Conversion) error
	Close() error
}

// Preparer is a sink whose work for a conversion depends on nothing but the
// conversion, so it can be done ahead: the pipeline calls Prepare on its
// worker goroutines while the export is read, holds the bytes with the row
// until the export has been read to its end, and passes them to
// WritePrepared — in export order, from one goroutine — for the
// conversions it settles, instead of calling Write. The review CSV renders
// its line in Prepare, so that its hex and quoting run on every core
// instead of after the end of the export, and the held row is its line
// rather than the conversion's fields (issue 29).
//
// Prepare must write, count or send nothing (a prepared conversion may
// still be withdrawn or found a duplicate, and nothing may reach a sink
// before the whole export was read); it must be safe for concurrent use.
type Preparer interface {
	Sink
	// Prepare appends to b what WritePrepared needs to do what Write(c)
	// would do. ok false: this conversion (or, for a sink that passes
	// conversions on, the sink behind it) cannot be prepared; the caller
	// then ignores what was returned and calls Write(c) as usual.
	Prepare(b []byte, c *conversion.Conversion) (_ []byte, ok bool)
	// WritePrepared does what Write would have done with the conversion
	// whose Prepare appended p. p is valid only during the call.
	WritePrepared(p []byte) error
}

// Respeller is a Preparer whose prepared bytes depend on the conversion's
// legacy id (conversion.Conversion.LegacyID): a dry-run's count of what the
// ledger already holds looks it up on the workers. The pipeline learns an
// order's legacy id from all of its rows only once the export is read (an
// order whose rows mix spellings of its id: pipeline's spellings.go), and
// gives it to the order's conversion then; a prepared one is re-asked
// here. Called in export order from one goroutine, before WritePrepared.
type Respeller interface {
	Preparer
	// Respell makes p, what Prepare appended for a conversion of pl, what
	// it would have appended had the conversion carried the legacy id
	// legacy; in place (p keeps its length).
	Respell(p []byte, pl platform.Platform, legacy eventid.ID)
}
