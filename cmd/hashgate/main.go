// Command hashgate turns a clinic's appointment export into consent-gated,
// hashed offline conversions for Google Ads and Meta. All logic lives in
// internal/; main only wires the process to it.
//
// The garbage collector runs at GOGC=50 unless GOGC is set (gc.go).
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
	gcDefaults(os.Getenv)
	ctx, stop := signals.Notify(context.Background(), os.Stderr, os.Exit)
	ready()
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
