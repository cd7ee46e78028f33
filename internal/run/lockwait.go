package run

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashgate/hashgate/internal/ledger"
)

// lockPoll is how often an upload given --lock-wait tries the ledger lock
// again. The lock is never waited on in the kernel (a blocking flock): a
// poll stops at the first signal like any other wait of the run, and the
// flock stays a try that either holds or says who does.
const lockPoll = 2 * time.Second

// lockWaitWhile is what a run stopped by a signal while it waited for the
// ledger lock was doing (ReadInterrupted.While): it sent nothing.
const lockWaitWhile = "waiting for the ledger lock"

// openForUpload opens the upload's ledger, taking its lock. When another
// run holds it, it tries again every lockPoll for up to wait — a night's
// runs of several configs sharing one ledger, started by one crontab at
// the same minute, then run one after another instead of all but one
// exiting 4 having sent nothing (D3) — and exits 4 naming the holder when
// the wait ends with the lock still held. A signal during the wait stops
// the run as a signal during the read does: exit 130, nothing sent.
// The time waited is the sum of the polls (env.Sleep), not the clock:
// a clock set back or forward neither ends nor stretches it.
func openForUpload(ctx context.Context, env *Env, lpath string, wait time.Duration, input string) (*ledger.Ledger, error) {
	opt := ledger.Options{Now: env.Now, Warn: func(m string) { env.Logger.Warn(m) }, Config: env.ConfigAbs}
	var waited time.Duration
	for {
		led, err := ledger.Open(ctx, lpath, opt)
		switch {
		case err == nil:
			if waited > 0 {
				env.Logger.Info("took the ledger lock after waiting for another run", "ledger", lpath, "waited", waited.Round(time.Second).String())
			}
			return led, nil
		case !errors.Is(err, ledger.ErrLocked):
			return nil, &unreadError{err}
		case waited >= wait:
			return nil, lockedExit(err, wait)
		}
		if waited == 0 {
			env.Logger.Info("another run holds the ledger lock; waiting for it (--lock-wait)", "error", err.Error(), "up_to", wait.String())
		}
		d := min(lockPoll, wait-waited)
		if err := sleepCtx(ctx, env, d); err != nil {
			return nil, &ReadInterrupted{Input: input, While: lockWaitWhile}
		}
		waited += d
	}
}

// lockedExit is exit 4 for an upload that found the ledger held (err names
// the ledger and its holder: ledger.LockedError), after waiting wait.
func lockedExit(err error, wait time.Duration) error {
	if wait > 0 {
		return &ExitError{Code: ExitLocked, Err: fmt.Errorf("%w; it is still in use after %s (--lock-wait; an upload, status or a ledger command holds it): this one sent nothing", err, wait)}
	}
	return &ExitError{Code: ExitLocked, Err: fmt.Errorf("%w; an upload, status or a ledger command is using it: this one sent nothing (schedule the runs apart, or give --lock-wait DURATION to wait for it)", err)}
}

// sleepCtx waits d, or until ctx ends (its error); env.Sleep when set.
func sleepCtx(ctx context.Context, env *Env, d time.Duration) error {
	if env.Sleep != nil {
		return env.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
