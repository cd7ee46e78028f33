// Package signals turns SIGINT and SIGTERM into hashgate's two-step stop.
//
// The first signal cancels the run's context: no new request starts, the
// ones in flight finish (up to the platforms' timeouts, ~30 s), the ledger
// records them and the summary says what went — exit 130. An export still
// being read from standard input stops being read at once (package run
// reads it through a reader whose Read returns when the context ends). An
// analyst who presses Ctrl-C again, or a supervisor that sends SIGTERM
// twice, does not want to wait for the requests in flight: the second
// signal exits at once with ExitAborted, after one line on stderr. For a
// run that sends (Sending), what was in flight then is marked "sent" in
// the ledger but not acknowledged, and the next run resends it under the
// same event id, which both platforms deduplicate; the line says so only
// then.
package signals

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// ExitAborted is the exit code of a second signal: stopped at once,
// without waiting for requests in flight or printing the summary.
const ExitAborted = 131

// Notify returns a context cancelled by the first SIGINT or SIGTERM; a
// second one writes a line to stderr and calls exit(ExitAborted). stop
// releases the signals.
func Notify(parent context.Context, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	ctx, sending := WithNote(parent)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		Watch(ch, done, cancel, stderr, exit, sending)
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel()
	}
}

// noteKey is the context key of a run's *atomic.Bool: whether it sends.
type noteKey struct{}

// WithNote returns a context that Sending can mark, and the function that
// reads the mark (Notify gives it to Watch; tests read it).
func WithNote(parent context.Context) (context.Context, func() bool) {
	n := new(atomic.Bool)
	return context.WithValue(parent, noteKey{}, n), n.Load
}

// Sending marks the run of ctx as one that sends requests to the
// platforms (an upload, not a dry-run): a second signal then says that the
// requests in flight are resent by the next run. A context without
// WithNote's mark is left alone.
func Sending(ctx context.Context) {
	if n, ok := ctx.Value(noteKey{}).(*atomic.Bool); ok {
		n.Store(true)
	}
}

// Watch is Notify's loop over a signal channel, separate for tests: the
// first signal calls cancel, the second exits. sending (nil: false) says
// whether the run sends requests, for the second signal's line.
func Watch(ch <-chan os.Signal, done <-chan struct{}, cancel func(), stderr io.Writer, exit func(int), sending func() bool) {
	for n := 0; ; n++ {
		select {
		case <-done:
			return
		case sig := <-ch:
			if n == 0 {
				cancel()
				continue
			}
			if sending != nil && sending() {
				fmt.Fprintf(stderr, "hashgate: %v again: stopping at once (exit %d); requests in flight are resent by the next run under the same event ids\n", sig, ExitAborted)
			} else {
				fmt.Fprintf(stderr, "hashgate: %v again: stopping at once (exit %d)\n", sig, ExitAborted)
			}
			exit(ExitAborted)
			return
		}
	}
}
