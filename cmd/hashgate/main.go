// Command hashgate turns a clinic's appointment export into consent-gated,
// hashed offline conversions for Google Ads and Meta. All logic lives in
// internal/; main only wires the process to it.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/hashgate/hashgate/internal/cli"
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// tuneGC: hashgate's live heap is small and steady (a few chunks of rows and
// the set of order ids seen), so collecting less often but capping the heap
// softly at 48 MiB is both faster and lower in peak memory than Go's
// default. Measured with `make bench` on 1M rows: 2.51 s / 66 MB by default,
// 2.15 s / 62 MB with these settings. GOGC and GOMEMLIMIT in the
// environment still win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(48 << 20)
	}
}
