// Command ledger is `make bench-ledger`: the peak RSS of the three ledger
// paths a session's memory review (session 21) found holding a whole run
// in memory, each on a ledger built for it, each in a process of its own:
//
//   - confirm: `hashgate ledger confirm` of a run whose -n events were
//     all sent and never answered;
//   - unanswered: what an upload reads of a ledger holding -n unanswered
//     events — the Filter (with Meta's sent times) and the dedup window's
//     UnconfirmedHeld, both kept until the end as an upload keeps them;
//   - yearfull: a Filter over -old older acceptances fed -n events sent
//     long ago and dated inside the window (a re-export after a clinic
//     moved every date), so that more than 4,096 are held and the older
//     acceptances are read for all of them.
//
// It prints each path's peak RSS and CPU seconds beside its target and
// exits 1 when one is missed. Before session 21's mends, at 1M events (and
// 3M older acceptances for yearfull): confirm 314 MB, unanswered 171 MB,
// yearfull 58 MB; after: 24, 57 and 35 MB. Run from the module root: `make bench-ledger` (N=…, OLD=…).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
)

// targets are each path's peak RSS targets in MB at up to 1M events
// (README: memory flat whatever the input). The Go runtime, SQLite's page
// cache and the keysets' 6 MiB each sit below them. The unanswered path
// returns what the upload needs: the open events at two cuts (6 bytes an
// event from 256Ki, sorted) and their sent times (16 bytes an event),
// outside the heap — 28 MB at 1M events, the part that still grows.
var targets = map[string]float64{"confirm": 40, "unanswered": 64, "yearfull": 40}

var (
	t0   = time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	meta = ledger.Destination{Key: ledger.DestinationKey("meta", "998877"), MaxAge: 62 * 24 * time.Hour,
		KeepSentTime: true, DedupWindow: 7 * 24 * time.Hour}
)

func main() {
	var (
		n    = flag.Int("n", 1000000, "events of the run (confirm, unanswered) or fed to the Filter (yearfull)")
		old  = flag.Int("old", 1000000, "older acceptances of the year-full ledger")
		dir  = flag.String("dir", ".bench/ledger", "work directory")
		only = flag.String("only", "", "one path: confirm, unanswered or yearfull")
		op   = flag.String("op", "", "internal: the child's fill-PATH or run-PATH")
		db   = flag.String("db", "", "internal: the child's ledger")
	)
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("bench-ledger: ")
	if *op != "" {
		if err := child(*op, *db, *n, *old); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	failed := false
	for _, path := range []string{"confirm", "unanswered", "yearfull"} {
		if *only != "" && *only != path {
			continue
		}
		file := filepath.Join(*dir, path+".db")
		for _, f := range []string{file, file + "-wal", file + "-shm"} {
			os.Remove(f)
		}
		if _, _, err := spawn("fill-"+path, file, *n, *old); err != nil {
			log.Fatal(err)
		}
		rss, cpu, err := spawn("run-"+path, file, *n, *old)
		if err != nil {
			log.Fatal(err)
		}
		mark := "ok"
		targetMB := targets[path]
		if rss > targetMB {
			mark, failed = "MISSED", true
		}
		fmt.Printf("%-10s n=%-8d peak RSS %6.1f MB (target <= %.0f MB) %s, %.2f CPU-s\n", path, *n, rss, targetMB, mark, cpu)
	}
	if failed {
		fmt.Println("TARGETS MISSED")
		os.Exit(1)
	}
	fmt.Println("targets: met")
}

// spawn runs this program as a child doing op and returns its peak RSS in
// MB and its CPU seconds.
func spawn(op, db string, n, old int) (float64, float64, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, 0, err
	}
	cmd := exec.Command(exe, "-op", op, "-db", db, "-n", strconv.Itoa(n), "-old", strconv.Itoa(old))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("%s: %w", op, err)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0, fmt.Errorf("%s: no rusage", op)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	return float64(ru.Maxrss) / 1024, cpu, nil // KiB on Linux
}

func child(op, db string, n, old int) error {
	ctx := context.Background()
	now := t0
	l, err := ledger.Open(ctx, db, ledger.Options{Now: func() time.Time { return now }})
	if err != nil {
		return err
	}
	defer l.Close()
	switch op {
	case "fill-confirm", "fill-unanswered":
		now = t0.Add(-2 * 24 * time.Hour)
		run, err := l.StartRun(ctx, ledger.RunInfo{ToolVersion: "bench"})
		if err != nil {
			return err
		}
		return sendAll(ctx, l, run, ids("u", n), false)
	case "run-confirm":
		// The run is the only one: its id is the ledger's newest.
		runs, err := l.RunIDs(ctx, 1)
		if err != nil || len(runs) != 1 {
			return fmt.Errorf("runs %v: %w", runs, err)
		}
		got, err := l.Confirm(ctx, ledger.ConfirmSelect{RunID: runs[0]})
		if err != nil {
			return err
		}
		if got[meta.Key] != n {
			return fmt.Errorf("confirmed %d, want %d", got[meta.Key], n)
		}
	case "run-unanswered":
		dests := map[platform.Platform]ledger.Destination{platform.Meta: meta}
		f, err := ledger.NewFilter(ctx, l, dests, discard{})
		if err != nil {
			return err
		}
		defer f.Close()
		ms, since, err := l.UnconfirmedHeld(ctx, dests, []string{"event_too_old", "before_first_upload", "unconfirmed_past_window"},
			now.Add(-24*time.Hour), now.Add(time.Millisecond))
		if err != nil {
			return err
		}
		if ms[1].Len() != n {
			return fmt.Errorf("unconfirmed %d, want %d", ms[1].Len(), n)
		}
		runtime.GC()
		runtime.KeepAlive(since)
		runtime.KeepAlive(ms)
	case "fill-yearfull":
		now = t0.Add(-200 * 24 * time.Hour)
		run, err := l.StartRun(ctx, ledger.RunInfo{ToolVersion: "bench"})
		if err != nil {
			return err
		}
		return sendAll(ctx, l, run, ids("a", max(old, n)), true)
	case "run-yearfull":
		dests := map[platform.Platform]ledger.Destination{platform.Meta: meta}
		f, err := ledger.NewFilter(ctx, l, dests, discard{})
		if err != nil {
			return err
		}
		at := now.Add(-24 * time.Hour)
		d := eventid.NewDeriver("bench-ledger")
		for i := range n {
			id, _ := d.Derive("a" + strconv.Itoa(i)) // one at a time: the ids would weigh more than the path
			if err := f.Write(&conversion.Conversion{Platform: platform.Meta, EventID: id, Time: at}); err != nil {
				return err
			}
		}
		if err := f.Finish(); err != nil {
			return err
		}
		if f.Skipped(platform.Meta) != n {
			return fmt.Errorf("skipped %d as accepted, want %d", f.Skipped(platform.Meta), n)
		}
		return f.Close()
	default:
		return fmt.Errorf("unknown op %q", op)
	}
	return nil
}

// ids derives n event ids from order ids prefix0…
func ids(prefix string, n int) []eventid.ID {
	d := eventid.NewDeriver("bench-ledger")
	out := make([]eventid.ID, n)
	for i := range out {
		out[i], _ = d.Derive(prefix + strconv.Itoa(i))
	}
	return out
}

// sendAll records ids sent to Meta in requests of 1,000, accepted or left
// unanswered.
func sendAll(ctx context.Context, l *ledger.Ledger, run string, all []eventid.ID, accept bool) error {
	for len(all) > 0 {
		b := all[:min(1000, len(all))]
		all = all[len(b):]
		r, err := l.Sending(ctx, run, meta, b)
		if err != nil {
			return err
		}
		if accept {
			if err := l.Answered(ctx, r, ledger.StateAccepted, "", "bench"); err != nil {
				return err
			}
		}
	}
	return nil
}

type discard struct{}

func (discard) Write(*conversion.Conversion) error { return nil }
func (discard) Close() error                       { return nil }
