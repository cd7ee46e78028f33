package run

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

type atomicInt = atomic.Int64

// startProgress shows a one-line progress display (bytes read, events
// accepted per destination, ETA) on stderr when, and only when, stderr is a
// terminal and the run is neither quiet nor JSON. Under cron it prints
// nothing: only the summary. It returns the function that clears the line.
func startProgress(env *Env, r UploadRequest, pr *source, senders destination.Fanout) func() {
	if env.Quiet || r.JSON || env.IsTerminal == nil || !env.IsTerminal() {
		return func() {}
	}
	if fh, ok := env.In.(*os.File); ok && r.Input == "-" {
		if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() {
			pr.size = st.Size()
		}
	} else if st, err := os.Stat(r.Input); err == nil {
		pr.size = st.Size()
	}
	start := env.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(env.ErrOut, "\r\033[K")
				return
			case <-t.C:
				read := pr.n.Load()
				line := fmt.Sprintf("\r\033[Kreading %s", bytesHuman(read))
				if pr.size > 0 {
					frac := float64(read) / float64(pr.size)
					line += fmt.Sprintf(" (%.0f%%)", 100*frac)
					if el := env.Now().Sub(start); frac > 0.02 {
						eta := time.Duration(float64(el)/frac) - el
						line += fmt.Sprintf(", ETA %s", eta.Round(time.Second))
					}
				}
				for _, p := range platform.All {
					if s := senders[p]; s != nil {
						r := s.Result()
						if r.Validated > 0 {
							line += fmt.Sprintf(" · %s %d validated", p, r.Validated)
						} else {
							line += fmt.Sprintf(" · %s %d ingested", p, r.Accepted)
						}
					}
				}
				fmt.Fprint(env.ErrOut, line)
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func bytesHuman(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
