package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

// LedgerForgetOptions are the flags of `hashgate ledger forget`.
type LedgerForgetOptions struct {
	ledgerOptions
	Before      string
	AllowResend bool
}

func newLedgerForgetCmd(f *Factory, root *rootOptions) *cobra.Command {
	o := &LedgerForgetOptions{ledgerOptions: ledgerOptions{f: f, root: root}}
	cmd := &cobra.Command{
		Use:   "forget --before DATE",
		Short: "Delete events and runs older than DATE (YYYY-MM-DD, the clinic's day)",
		Long: `forget deletes the ledger entries recorded before DATE. Conversions it forgets
are sent again if a later export still contains them, and Meta counts a
resent event again: it deduplicates physical_store events only within 7
days (offline-events page, "Set Up Deduplication"). So keep at least the
platforms' event windows — 90 days for Google, 62 for Meta — beyond which
an event is too old to be sent at all. Uploads apply ledger.retention_days
(default 400) by themselves. A date in the future is refused: it would
forget everything. So is a date inside the longest window of the
destinations concerned (the ledger's and the config's: 90 days back with
Google, 62 with Meta alone), unless --allow-resend is given; then forget
says how many of the events it forgot a platform could still take, which
an export that still holds them sends again.

Entries are dated by the clock of the night that recorded them. A night
whose clock ran fast dated them ahead: an entry dated more than a day
ahead of this clock is forgotten with the nights recorded before the
first entry after it that is dated right — it was recorded before that
one — never earlier, and kept while no night follows it. A clock that
runs fast now makes a date past for it that is not: check the clock
(date -u) first.

What is forgotten is overwritten in the file (SQLite's secure_delete,
and the write-ahead log emptied), not left readable in it.`,
		Example: `  hashgate ledger forget --before 2025-01-01`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			o.flags = c.Flags()
			return ledgerForgetRun(c.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Before, "before", "", "date YYYY-MM-DD, from midnight in timezone (UTC without one) (required)")
	cmd.Flags().BoolVar(&o.AllowResend, "allow-resend", false, "forget even events a platform could still take: an export that still holds them sends them again (Meta counts a resend after 7 days twice)")
	return cmd
}

func ledgerForgetRun(ctx context.Context, o *LedgerForgetOptions) error {
	day, err := time.Parse("2006-01-02", o.Before)
	if err != nil {
		return &UsageError{Err: errors.New("--before must be a date YYYY-MM-DD")}
	}
	cfg, lpath, err := o.config()
	if err != nil {
		return err
	}
	// The day is the clinic's (timezone), as everywhere else hashgate
	// reads one — not the machine's, which the config refuses as a zone.
	t := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, cfg.LocationOrUTC())
	if t.After(o.f.Now()) {
		// Every entry is older than a future date: it would wipe the
		// ledger, and the next run would send everything again.
		return &UsageError{Err: fmt.Errorf("--before %s is in the future: it would forget every event, and the next upload would resend them all; give a past date", o.Before)}
	}
	l, err := o.openPath(ctx, lpath, false)
	if err != nil {
		return err
	}
	defer l.Close()
	// Forgotten, an event a platform could still take is sent again by
	// an export that still holds it (ledger/forgetwindow.go).
	win, err := l.ForgetWindow(ctx, cfg.Enabled())
	if err != nil {
		return err
	}
	// resend: --allow-resend let a date inside a window through, and what a
	// platform could still take (sendable) is said after forgetting.
	var sendable map[string]int
	resend := false
	if err := win.CheckForget(t, cfg.LocationOrUTC()); err != nil {
		resend = true
		if !o.AllowResend {
			return &UsageError{Err: fmt.Errorf("--before %s: %w, or add --allow-resend", o.Before, err)}
		}
		if sendable, err = l.SendableAfter(ctx, t); err != nil {
			return err
		}
	}
	n, err := l.Forget(ctx, t)
	if err != nil {
		return err
	}
	o.recordChange(ctx, l, lpath)
	fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: forgot %d events recorded before %s\n", n, o.Before)
	if resend {
		total := 0
		for _, v := range sendable {
			total += v
		}
		fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: %d of the events forgotten were delivered (or may have arrived) and a platform could still take them: an export that still holds them sends them again", total)
		for _, k := range sortedKeys(sendable) {
			fmt.Fprintf(o.f.IO.ErrOut, "; %s %d", k, sendable[k])
		}
		fmt.Fprintln(o.f.IO.ErrOut)
	}
	return nil
}
