// Package signals turns SIGINT and SIGTERM into hashgate's two-step stop.
//
// The first signal cancels the run's context: no new request starts, the
// ones in flight finish (up to the platforms' timeouts, ~30 s), the ledger
// records them and the summary says what went — exit 130. An analyst who
// presses Ctrl-C again, or a supervisor that sends SIGTERM twice, does not
// want to wait for that: the second signal exits at once with
// ExitAborted, after one line on stderr. What was in flight then is marked
// "sent" in the ledger but not acknowledged, and the next run resends it
// under the same event id, which both platforms deduplicate.
package signals

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
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
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	go func() {
		Watch(ch, done, cancel, stderr, exit)
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel()
	}
}

// Watch is Notify's loop over a signal channel, separate for tests: the
// first signal calls cancel, the second exits.
func Watch(ch <-chan os.Signal, done <-chan struct{}, cancel func(), stderr io.Writer, exit func(int)) {
	for n := 0; ; n++ {
		select {
		case <-done:
			return
		case sig := <-ch:
			if n == 0 {
				cancel()
				continue
			}
			fmt.Fprintf(stderr, "hashgate: %v again: stopping at once (exit %d); requests in flight are resent by the next run under the same event ids\n", sig, ExitAborted)
			exit(ExitAborted)
			return
		}
	}
}
