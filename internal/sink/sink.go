// Package sink defines where hashed conversions go: the review CSV of a
// dry-run, the platforms' manual-upload files, or the upload clients.
package sink

import "github.com/hashgate/hashgate/internal/conversion"

// Sink receives conversions in export order.
//
// Write may keep a reference to nothing in c after it returns: the pipeline
// reuses conversions. Close flushes; a sink whose Close fails must be treated
// as having delivered nothing.
type Sink interface {
	Write(c *conversion.Conversion) error
	Close() error
}
