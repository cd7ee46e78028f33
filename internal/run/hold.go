package run

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/sink"
)

// holdMemory is how many bytes of encoded conversions a hold keeps in
// memory before it spills them to disk: about 50,000 conversions, so a
// nightly export of a few thousand rows never touches the disk, and a
// 10M-row one stays within the memory target.
const holdMemory = 8 << 20

// holdLimit is the bound uploads use; tests lower it to go through the
// spill file.
var holdLimit = holdMemory

// hold keeps every conversion of an upload until the export has been read
// to its end and found unchanged (issue 22: a revoked patient's visit
// reached both platforms when the export was rewritten during the run,
// because batches left before the end-of-read check). The pipeline writes
// into it; release passes everything on, in the order written, only once
// the run has succeeded; discard drops it all.
//
// Conversions are held encoded (conversion.Codec), in memory up to
// holdMemory bytes, then appended to an unlinked temporary file (mode 0600,
// gone when the process ends however it ends). They hold nothing the
// platforms would not receive: hashed identifiers and checked plain fields.
type hold struct {
	next  sink.Sink
	codec conversion.Codec
	mem   []byte // records not yet spilled, each [uvarint length][record]
	limit int
	dir   string // of the spill file ("": the system's temporary directory)
	spill *os.File
	w     *bufio.Writer
	held  int
	rec   []byte
}

var _ sink.Sink = (*hold)(nil)

func newHold(next sink.Sink, limit int) *hold {
	return &hold{next: next, limit: limit}
}

// Write holds c.
func (h *hold) Write(c *conversion.Conversion) error {
	h.rec = h.codec.Append(h.rec[:0], c)
	h.mem = binary.AppendUvarint(h.mem, uint64(len(h.rec)))
	h.mem = append(h.mem, h.rec...)
	h.held++
	if len(h.mem) >= h.limit {
		return h.spillMem()
	}
	return nil
}

// spillMem appends what is held in memory to the spill file.
func (h *hold) spillMem() error {
	if h.spill == nil {
		f, err := os.CreateTemp(h.dir, "hashgate-held-*")
		if err != nil {
			return fmt.Errorf("holding conversions until the export is read: %w", err)
		}
		_ = os.Remove(f.Name()) // unlinked: the handle keeps it, a crash leaves nothing behind (Unix)
		h.spill, h.w = f, bufio.NewWriterSize(f, 1<<16)
	}
	if _, err := h.w.Write(h.mem); err != nil {
		return fmt.Errorf("holding conversions until the export is read: %w", err)
	}
	h.mem = h.mem[:0]
	return nil
}

// Close does nothing: what is held goes on with release, or nowhere.
func (h *hold) Close() error { return nil }

// release passes every held conversion on to the next sink, in the order
// they were written, and empties the hold.
func (h *hold) release(ctx context.Context) error {
	if h.spill != nil {
		if err := h.w.Flush(); err != nil {
			return fmt.Errorf("reading back held conversions: %w", err)
		}
		if _, err := h.spill.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("reading back held conversions: %w", err)
		}
		if err := h.replay(ctx, bufio.NewReaderSize(h.spill, 1<<16)); err != nil {
			return err
		}
	}
	err := h.replay(ctx, bufio.NewReader(&byteReader{b: h.mem}))
	h.discard()
	return err
}

// byteReader reads a byte slice without copying it into a bytes.Reader's
// bookkeeping (bytes.NewReader would do as well; this keeps replay's
// reader type one).
type byteReader struct{ b []byte }

func (r *byteReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// replay decodes records from r and writes them to the next sink.
func (h *hold) replay(ctx context.Context, r *bufio.Reader) error {
	var c conversion.Conversion
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		size, err := binary.ReadUvarint(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil || size > 1<<20 {
			return fmt.Errorf("reading back held conversions: %w", conversion.ErrMalformed)
		}
		if cap(h.rec) < int(size) {
			h.rec = make([]byte, size)
		}
		h.rec = h.rec[:size]
		if _, err := io.ReadFull(r, h.rec); err != nil {
			return fmt.Errorf("reading back held conversions: %w", err)
		}
		// c and its Identifiers are reused: sinks copy what they keep
		// (sink.Sink; a Sender copies each conversion it batches), as
		// they do for the pipeline's recycled chunks.
		if _, err := h.codec.Read(h.rec, &c); err != nil {
			return fmt.Errorf("reading back held conversions: %w", err)
		}
		if err := h.next.Write(&c); err != nil {
			return err
		}
	}
}

// discard drops whatever is held and closes the spill file.
func (h *hold) discard() {
	h.mem, h.held = nil, 0
	if h.spill != nil {
		h.spill.Close()
		h.spill, h.w = nil, nil
	}
}
