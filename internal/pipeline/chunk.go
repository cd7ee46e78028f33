package pipeline

import (
	"unsafe"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
)

// chunkRows is how many rows travel together between the stages: enough to
// make channel traffic negligible, few enough to keep memory flat.
const chunkRows = 512

// chunkBytes and chunkCells bound a chunk by what its rows hold as well:
// the pool keeps 2×workers+2 chunks in flight, each with a copy of its
// records' text, and 512 rows of records near input.max_record_bytes (1
// MiB) held gigabytes — a reviewer's 400 such rows peaked at 2 GB, 2,000
// columns at 260 MB. An ordinary row (a few hundred bytes, a few dozen
// cells) never meets either bound: 512 of them stay one chunk.
const (
	chunkBytes = 1 << 20
	chunkCells = 1 << 16
)

// chunk is a run of consecutive rows and, once a worker has seen them,
// their outcomes. Chunks are recycled: everything a chunk owns (cells,
// outcomes, conversions, identifiers) is reused by the next chunk that
// takes it, so the steady state allocates nothing per row here.
type chunk struct {
	seq   int
	rows  []export.Row
	cells []string // backing store of rows' cells
	// text holds the rows' records: their cells are views of it
	// (export.Reader.NextTo), valid until the chunk is reset — the
	// runners keep no cell beyond the row (what they remember across
	// rows, they copy).
	text  []byte
	outs  []outcome
	skips []string // len(rows) × platforms, row-major
	convs []conversion.Conversion
	// convWhole[i]: convs[i] last held a conversion kept whole (nextConv).
	convWhole []bool
	ptrs      []*conversion.Conversion
	ids       []identifier.Sent
	// prepared holds the conversions' prepared bytes, which the runner
	// appends there itself (runner.prepareTo); pends is where each
	// conversion's end (-1: not prepared), by index in convs, and kept
	// the end of the bytes keep has taken.
	prepared []byte
	pends    []int
	kept     int
	// idText holds the event ids of conversions kept whole: a runner's
	// are views of its own storage, reused at its next row (deriveID).
	idText  []byte
	readErr error // the reader stopped after these rows with this error
	rowErr  error // a structural error found in row errAt
	errAt   int
}

// reset readies a recycled chunk for sequence number seq.
func (c *chunk) reset(seq int) {
	c.seq, c.readErr, c.rowErr, c.errAt = seq, nil, nil, 0
	if poisonText {
		clear(c.text[:cap(c.text)])
		clear(c.idText[:cap(c.idText)])
	}
	c.idText = c.idText[:0]
	c.rows, c.cells, c.text = c.rows[:0], c.cells[:0], c.text[:0]
	c.convs, c.ptrs, c.ids = c.convs[:0], c.ptrs[:0], c.ids[:0]
	c.prepared, c.pends, c.kept = c.prepared[:0], c.pends[:0], 0
}

// poisonText makes reset zero a chunk's text before it is reused, so that
// a cell kept beyond its chunk reads as NULs in tests, not as another row.
var poisonText = false

// keep copies a runner's reused conversions into the chunk's own storage.
// Pointers are taken only after every copy, since appends may move the
// backing arrays. Of a prepared conversion only what the held record
// keeps is copied (conversion.Conversion.Prepared): its platform, line
// and kind — not the whole struct and its identifiers, which were a
// third of keep's time (issue 29) — and its bytes are already in
// c.prepared, appended by runner.prepareTo in the order of o.convs.
func (c *chunk) keep(o *outcome) {
	o.convFirst, o.convN = len(c.convs), len(o.convs)
	if len(o.convs) == 0 {
		o.convs = nil
		return
	}
	firstPtr := len(c.ptrs)
	for _, cv := range o.convs {
		end := -1
		if cv.Prepared != nil {
			kept := c.nextConv(false)
			kept.Platform, kept.Line, kept.Booking = cv.Platform, cv.Line, cv.Booking
			end = c.kept + len(cv.Prepared)
			c.kept = end
		} else {
			c.ids = append(c.ids, cv.Identifiers...)
			kept := c.nextConv(true)
			*kept = *cv
			kept.Identifiers = nil
			kept.EventID, kept.LegacyID = c.keepID(kept.EventID), c.keepID(kept.LegacyID)
		}
		c.ptrs = append(c.ptrs, nil)
		c.pends = append(c.pends, end)
	}
	o.convs = c.ptrs[firstPtr:len(c.ptrs):len(c.ptrs)]
}

// nextConv extends convs by one slot, reused from the chunk's last use. A
// slot for a prepared conversion (whole false) comes back with every field
// zero but those keep sets and link points (Identifiers, Prepared): one
// that held a whole conversion is cleared first, one that held a prepared
// one is so already. Writing the whole 248-byte struct for each prepared
// conversion was most of keep's time (issue 29).
func (c *chunk) nextConv(whole bool) *conversion.Conversion {
	n := len(c.convs)
	if n < cap(c.convs) {
		c.convs = c.convs[:n+1]
	} else {
		c.convs = append(c.convs, conversion.Conversion{})
	}
	for len(c.convWhole) <= n {
		c.convWhole = append(c.convWhole, false)
	}
	kept := &c.convs[n]
	if !whole && c.convWhole[n] {
		*kept = conversion.Conversion{}
	}
	c.convWhole[n] = whole
	return kept
}

// keepID copies an event id into the chunk's idText.
func (c *chunk) keepID(id eventid.ID) eventid.ID {
	if id == "" {
		return ""
	}
	at := len(c.idText)
	c.idText = append(c.idText, id...)
	return eventid.ID(unsafe.String(&c.idText[at], len(id)))
}

// link points every outcome at its conversions and identifiers once the
// chunk's storage has stopped growing.
func (c *chunk) link() {
	n := len(c.rows)
	if c.rowErr != nil {
		n = c.errAt // rows from errAt on are never settled
	}
	id, start := 0, 0
	for i := range c.outs[:n] {
		o := &c.outs[i]
		for k := 0; k < o.convN; k++ {
			cv := &c.convs[o.convFirst+k]
			n := o.idN[k]
			cv.Identifiers = c.ids[id : id+n : id+n]
			id += n
			if end := c.pends[o.convFirst+k]; end >= 0 {
				cv.Prepared = c.prepared[start:end:end]
				start = end
			}
			o.convs[k] = cv
		}
	}
}

// decide runs the row gate over every row of the chunk with r, keeping
// each row's outcome, skips and conversions in the chunk's own storage.
// A structural error stops the chunk at its row (rowErr, errAt).
func (c *chunk) decide(r *runner, nplat int) {
	if cap(c.outs) < len(c.rows) {
		c.outs = make([]outcome, len(c.rows))
	}
	c.outs = c.outs[:len(c.rows)]
	if need := len(c.rows) * nplat; cap(c.skips) < need {
		c.skips = make([]string, need)
	}
	c.skips = c.skips[:len(c.rows)*nplat]
	for i, row := range c.rows {
		o := &c.outs[i]
		if err := r.process(row, o); err != nil {
			c.rowErr, c.errAt = err, i
			break
		}
		c.prepared = r.prepareTo(c.prepared, o)
		o.idN = o.idN[:0]
		for _, cv := range o.convs {
			n := len(cv.Identifiers)
			if cv.Prepared != nil {
				n = 0 // keep does not copy them
			}
			o.idN = append(o.idN, n)
		}
		c.keep(o)
		// One by one: copy of a few strings went through
		// runtime.typedslicecopy, 1% of a dry-run's profile.
		skips := c.skips[i*nplat : (i+1)*nplat]
		for j := range skips {
			skips[j] = r.skip[j]
		}
	}
	c.link()
}
