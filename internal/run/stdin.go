package run

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
)

// Standard input. An export read from a pipe or a terminal can block in
// Read for as long as its writer likes (a clinic export that stalls, a
// person who has not typed Ctrl-D), and a blocked Read cannot be
// interrupted: the first signal cancelled the run's context, but the run
// went on waiting, said nothing, and ended only when the writer did (a
// review of the CLI: one Ctrl-C took effect after the writer's `sleep 6`,
// and its summary said "0 rows read"). So standard input is read through
// stdinReader, whose Read returns *ReadInterrupted as soon as the context
// ends; a regular file redirected to standard input (< export.csv) never
// blocks and is read as it is.

// ReadInterrupted is a run stopped by the first signal before the end of
// its export. Rows are judged, written and sent only once the export has
// been read to its end, so nothing of it was written or sent. It is
// context.Canceled for errors.Is: exit 130.
type ReadInterrupted struct {
	Input string // "stdin" or the export's display name
	// While is what the run was doing instead of reading, when it was
	// not: "waiting for the ledger lock" (lockwait.go).
	While string
}

func (e *ReadInterrupted) Error() string {
	if e.While != "" {
		return "interrupted while " + e.While + ", before reading " + e.Input + " to its end"
	}
	return "interrupted while reading " + e.Input + ", before its end"
}

func (e *ReadInterrupted) Unwrap() error { return context.Canceled }

// openStdin returns standard input for reading an export: on a terminal
// it first says so on stderr (unless quiet), as a person who gave "-"
// may not know hashgate now waits for them; a pipe or terminal is read
// through stdinReader.
func openStdin(ctx context.Context, env *Env) io.Reader {
	if !env.Quiet && env.StdinIsTerminal != nil && env.StdinIsTerminal() {
		fmt.Fprintf(env.ErrOut, "hashgate: reading the export from standard input (end it with %s)\n", endOfInputKey())
	}
	if fh, ok := env.In.(*os.File); ok {
		if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() {
			return fh
		}
	}
	return &stdinReader{ctx: ctx, r: env.In, name: "stdin"}
}

// endOfInputKey is what ends standard input typed on a terminal.
func endOfInputKey() string {
	if runtime.GOOS == "windows" {
		return "Ctrl-Z, Enter"
	}
	return "Ctrl-D"
}

// stdinReader reads r on a goroutine, one Read at a time, and returns
// *ReadInterrupted once ctx is done, whether or not that Read has
// returned. The goroutine reads into the reader's own buffer, copied to
// the caller's when the Read returns in time: a Read still blocked when
// the run stopped never writes into a buffer the caller has reused, and
// every later Read returns the same error without starting another. Each
// Read costs a goroutine switch, against the 64 KiB the export's reader
// asks for at a time; files are not read through it (openStdin).
//
// The first io.EOF (or error) of r is its last: a terminal's end of input
// is not sticky — a Read after Ctrl-D waits for more — and the export's
// reader layers (bufio, the sniffer) read again after an io.EOF, so a
// typed export took three Ctrl-D, and hashgate a fourth to exit.
type stdinReader struct {
	ctx  context.Context
	r    io.Reader
	name string
	buf  []byte
	err  error // once interrupted or ended, every Read returns it
}

type readResult struct {
	n   int
	err error
}

func (s *stdinReader) Read(b []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if s.ctx.Err() != nil {
		return 0, s.interrupted()
	}
	if len(b) == 0 {
		return 0, nil
	}
	if cap(s.buf) < len(b) {
		s.buf = make([]byte, len(b))
	}
	buf, done := s.buf[:len(b)], make(chan readResult, 1)
	go func() {
		n, err := s.r.Read(buf)
		done <- readResult{n, err}
	}()
	select {
	case <-s.ctx.Done():
		return 0, s.interrupted() // the goroutine keeps buf: s.buf is never used again
	case res := <-done:
		s.err = res.err
		return copy(b, buf[:res.n]), res.err
	}
}

func (s *stdinReader) interrupted() error {
	s.err = &ReadInterrupted{Input: s.name}
	return s.err
}
