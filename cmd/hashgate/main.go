// Command hashgate turns a clinic's appointment export into consent-gated,
// hashed offline conversions for Google Ads and Meta. All logic lives in
// internal/; main only wires the process to it.
//
// GC settings stay Go's defaults: with memory now flat (recycled chunks, a
// bounded order set) a soft memory limit no longer changes speed or peak
// RSS measurably, and an earlier 48 MiB default made a 10M-row export
// thrash while the order set still grew with the file. GOGC and GOMEMLIMIT
// can still be set in the environment.
package main

import (
	"context"
	"os"

	"github.com/hashgate/hashgate/internal/cli"
	"github.com/hashgate/hashgate/internal/signals"
)

// ready is called once signals are handled; the process test waits for it.
var ready = func() {}

func main() {
	// The first SIGINT/SIGTERM stops cleanly (exit 130); a second exits at
	// once (signals.ExitAborted).
	ctx, stop := signals.Notify(context.Background(), os.Stderr, os.Exit)
	ready()
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
