// Package spool keeps a run's records, in the order written, until the
// run may act on them: in memory up to a limit, then in an unlinked
// temporary file, so memory stays flat whatever the export holds.
//
// A run holds every row's decision until it has read the export to its end
// (issue 29: revocations on a later row decide the earlier ones, and a file
// that changed while it was read must stop the run before anything is
// sent). What it holds are pipeline records: hashed identifiers, checked
// plain fields, reason codes, 64-bit HMAC-derived keys — never a cell as
// the export wrote it. The file (mode 0600, created in the system's
// temporary directory) is unlinked as soon as it is made, so it goes with
// the process however the process ends (on Unix).
//
// It replaces the conversion hold of issue 22 (internal/run/hold.go), which
// kept the same bytes one stage later.
package spool

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// DefaultMemory is how many bytes a Spool keeps in memory before it spills
// to disk: about 3,000 rows of a dry-run's records, so a clinic's nightly
// export of a few days rarely touches the disk, while a 1M- or 10M-row one
// stays within the memory target. (8 MiB, the hold's size before, cost up
// to 30 MB of peak RSS at 1M rows: the buffer grows by doubling and the
// garbage collector lets the heap grow to twice what is live.)
const DefaultMemory = 1 << 20

// MaxRecord bounds one record: a pipeline record is a row's decision and
// its conversions, far below this; anything longer read back is damage.
const MaxRecord = 1 << 24

// ErrMalformed: the bytes read back are not what was written.
var ErrMalformed = errors.New("spool: malformed record read back")

// Spool holds records in the order appended. It is not safe for concurrent
// use.
type Spool struct {
	mem   []byte // records not yet spilled, each [uvarint length][record]
	limit int
	dir   string
	file  *os.File
	w     *bufio.Writer
	n     int
	rec   []byte
	// head holds a record's length on its way to w: a local array passed
	// to Write escapes (bufio may hand it to the file), one allocation a
	// held row.
	head [binary.MaxVarintLen64]byte
}

// New returns an empty Spool that keeps up to limit bytes in memory
// (<= 0: DefaultMemory) and spills the rest to a file in dir ("" is the
// system's temporary directory).
func New(dir string, limit int) *Spool {
	if limit <= 0 {
		limit = DefaultMemory
	}
	return &Spool{limit: limit, dir: dir}
}

// Len is how many records the Spool holds.
func (s *Spool) Len() int { return s.n }

// Spilled reports whether records went to disk.
func (s *Spool) Spilled() bool { return s.file != nil }

// Append holds a copy of rec.
func (s *Spool) Append(rec []byte) error {
	if len(rec) > MaxRecord {
		return fmt.Errorf("spool: a record of %d bytes is over the limit of %d", len(rec), MaxRecord)
	}
	s.n++
	if s.w != nil {
		// Spilled: every record goes to the file through its 64 KiB
		// writer. The memory buffer was dropped at the spill (see there).
		if _, err := s.w.Write(binary.AppendUvarint(s.head[:0], uint64(len(rec)))); err != nil {
			return fmt.Errorf("holding the run's rows until the export is read: %w", err)
		}
		if _, err := s.w.Write(rec); err != nil {
			return fmt.Errorf("holding the run's rows until the export is read: %w", err)
		}
		return nil
	}
	s.mem = binary.AppendUvarint(s.mem, uint64(len(rec)))
	s.mem = append(s.mem, rec...)
	if len(s.mem) >= s.limit {
		return s.spill()
	}
	return nil
}

func (s *Spool) spill() error {
	if s.file == nil {
		f, err := os.CreateTemp(s.dir, "hashgate-held-*")
		if err != nil {
			return fmt.Errorf("holding the run's rows until the export is read: %w", err)
		}
		_ = os.Remove(f.Name()) // unlinked: the handle keeps it, a crash leaves nothing behind (Unix)
		s.file, s.w = f, bufio.NewWriterSize(f, 1<<16)
	}
	if _, err := s.w.Write(s.mem); err != nil {
		return fmt.Errorf("holding the run's rows until the export is read: %w", err)
	}
	// The buffer is let go rather than reused: once a run spills, the
	// records that follow go straight to the file's writer (Append), and
	// a buffer of limit bytes (grown by doubling to past it) kept live to
	// the end of a 1M-row run was about 1.5 MB of its heap, and half as
	// much again under the collector's headroom (issue 29: peak RSS).
	s.mem = nil
	return nil
}

// Replay calls fn with every record, in the order appended. The slice is
// valid only during the call. Each Replay reads from the first record (a
// pipeline reads its rows of repeated orders back a second time when one
// spells its id otherwise); Close the Spool after the last.
func (s *Spool) Replay(ctx context.Context, fn func(rec []byte) error) error {
	n := 0
	check := func() error {
		n++
		if n&1023 == 0 {
			return ctx.Err()
		}
		return nil
	}
	if s.file != nil {
		if err := s.w.Flush(); err != nil {
			return fmt.Errorf("reading back held rows: %w", err)
		}
		if _, err := s.file.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("reading back held rows: %w", err)
		}
		r := bufio.NewReaderSize(s.file, 1<<16)
		for {
			size, err := binary.ReadUvarint(r)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || size > MaxRecord {
				return fmt.Errorf("reading back held rows: %w", ErrMalformed)
			}
			if cap(s.rec) < int(size) {
				s.rec = make([]byte, size)
			}
			s.rec = s.rec[:size]
			if _, err := io.ReadFull(r, s.rec); err != nil {
				return fmt.Errorf("reading back held rows: %w", err)
			}
			if err := check(); err != nil {
				return err
			}
			if err := fn(s.rec); err != nil {
				return err
			}
		}
	}
	for b := s.mem; len(b) > 0; {
		size, k := binary.Uvarint(b)
		if k <= 0 || size > uint64(len(b)-k) {
			return fmt.Errorf("reading back held rows: %w", ErrMalformed)
		}
		rec := b[k : k+int(size)]
		b = b[k+int(size):]
		if err := check(); err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

// Close drops whatever is held and closes the spill file.
func (s *Spool) Close() {
	s.mem, s.n = nil, 0
	if s.file != nil {
		s.file.Close()
		s.file, s.w = nil, nil
	}
}
