package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/run"
)

// LedgerUnrevokeOptions are the flags of `hashgate ledger unrevoke`.
type LedgerUnrevokeOptions struct {
	ledgerOptions
	Run      string
	Patients string // a file of patient keys, "-" for stdin
	// Erased also forgets a withdrawal an erasure keeps (run.UnrevokePatients).
	Erased bool
	// UnderPrevious forgets the withdrawals remembered only under the
	// previous secret (ledger.ForgetRevokedUnderPreviousKey).
	UnderPrevious bool
}

func newLedgerUnrevokeCmd(f *Factory, root *rootOptions) *cobra.Command {
	o := &LedgerUnrevokeOptions{ledgerOptions: ledgerOptions{f: f, root: root}}
	cmd := &cobra.Command{
		Use:   "unrevoke --run ID | --patients FILE | --under-previous-secret",
		Short: "Forget withdrawals the uploads remembered: one run's (a consent column mapped wrong), or listed patients' (consent given again)",
		Long: `An upload remembers every patient whose consent a row of its export revokes
(input.columns.patient_key), so that the withdrawal outlives the row in a
rolling export: those patients are kept out of every later upload, and out
of dry-runs and manual-upload files.

--run ID forgets the withdrawals that run recorded: for a run whose consent
column or words were mapped wrong, which made many patients look withdrawn.
The next upload judges them by its export alone — unless another run saw
them withdraw too. The ledger keeps, of each withdrawal, the run that first
read it, the first other run that read it again and the last run that read
it (not every night's): undoing one of them keeps it while another is
kept; undoing every run that read it forgets it (a mapping wrong for many
nights: undo each of them). Undoing the first two of a withdrawal read on
later nights too keeps it, since the last; the next upload whose export
still holds the withdrawing row remembers it again.

--patients FILE forgets the listed patients' withdrawals, whichever runs
saw them: for patients who gave consent again (keep the new consent on
file). One patient key per line, as input.columns.patient_key holds it
(leading zeros or not, in any case, as consent.revocations_file's ids
match), lines starting with "#" are comments, "-" for standard input; a
withdrawal an older hashgate remembered of a key with capital letters is
found listed as the export writes it. It needs the
uploads' secret and patient-key column, and prints only counts. A patient
whose withdrawing row is still in the export is remembered again by the
next upload: the clinic system must show the new consent first. After a
rotation of the secret it forgets a withdrawal still waiting under the
previous one when HASHGATE_PREVIOUS_SECRET is given; without it, while any
wait there, it says the listed patients' may remain and exits 3.

A withdrawal is remembered with case and leading zeros ignored, as
uploads match it: listing 777 forgets 0777's withdrawal too, and the
ledger cannot tell them apart. A withdrawal 'ledger erase' keeps is
therefore not forgotten unless --erased is given: the erasure may be of
another patient whose key matches only so (0777 in a clinic system that
tells it from 777), and forgetting it sends a patient who asked to be
erased again. Unrevoke says on stderr how many listed patients matched
one (never which); check the erasure requests on file first.

Unrevoke re-enables sending: the next upload sends a forgotten patient's
rows that say yes. It is for consent given again, never for a request for
erasure — that is 'hashgate ledger erase', which keeps the withdrawal and
deletes the rest.

--under-previous-secret forgets the withdrawals still remembered only
under the previous secret after a rotation (HASHGATE_PREVIOUS_SECRET):
those whose patients have not come back since. A second rotation stops
while any remain, since the ledger keeps one previous secret and they
would match nothing after it; forgetting them is the knowing way past
that stop when the clinic cannot wait — their patients' visits are then
sent once their withdrawing rows have left the export. 'hashgate status'
says how many remain and since when.

The ledger holds only keyed digests of patient keys, so it cannot list
them. 'hashgate ledger list' shows the runs. The forgotten digests are
overwritten in the file (SQLite's secure_delete, and the write-ahead log
emptied), not left readable in it.`,
		Example: `  hashgate ledger unrevoke --run 20261205T190000Z-3f2a1c
  hashgate ledger unrevoke --patients reconsented.txt
  hashgate ledger unrevoke --patients erased-then-reconsented.txt --erased
  hashgate ledger unrevoke --under-previous-secret`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			o.flags = c.Flags()
			return ledgerUnrevokeRun(c.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Run, "run", "", "the run whose withdrawals to forget")
	cmd.Flags().StringVar(&o.Patients, "patients", "", `a file of patient keys, one per line ("-": stdin), whose withdrawals to forget`)
	cmd.Flags().BoolVar(&o.UnderPrevious, "under-previous-secret", false, "forget the withdrawals still remembered only under the previous secret after a rotation (their patients are sent again)")
	cmd.Flags().BoolVar(&o.Erased, "erased", false, "with --patients: also forget a withdrawal 'ledger erase' keeps (re-enables sending to whoever was erased)")
	return cmd
}

func ledgerUnrevokeRun(ctx context.Context, o *LedgerUnrevokeOptions) error {
	o.Run = strings.TrimSpace(o.Run)
	switch {
	case o.UnderPrevious && (o.Run != "" || o.Patients != "" || o.Erased):
		return &UsageError{Err: errors.New("--under-previous-secret goes alone: it forgets the withdrawals remembered only under the previous secret, whichever runs saw them")}
	case o.UnderPrevious:
		return ledgerUnrevokePrevious(ctx, o)
	case o.Run == "" && o.Patients == "":
		return &UsageError{Err: errors.New("--run ID or --patients FILE is required: the run whose withdrawals to forget ('hashgate ledger list' shows the runs), or a file of the patients who gave consent again")}
	case o.Run != "" && o.Patients != "":
		return &UsageError{Err: errors.New("--run and --patients: choose one (run them one after the other to do both)")}
	case o.Erased && o.Patients == "":
		return &UsageError{Err: errors.New("--erased goes with --patients: --run never forgets a withdrawal 'ledger erase' keeps")}
	case o.Run != "" && !runIDGrammar().MatchString(o.Run):
		// An error names the flag, never the value: a person may have
		// pasted a patient's key or address where the run id goes.
		return &UsageError{Err: errors.New("--run is not a run id such as 20261123T020000Z-a1b2c3 (hashgate ledger list prints them)")}
	}
	// Said first, whatever follows: the review that found unrevoke used
	// as an erasure saw the patient sent again the next night, exit 0.
	fmt.Fprintln(o.f.IO.ErrOut, "hashgate ledger: unrevoke re-enables sending to the patients it forgets: it is for consent given again or a consent column mapped wrong, not for erasure (use 'hashgate ledger erase', which keeps the withdrawal)")
	if o.Patients != "" {
		cfg, lpath, err := o.config()
		if err != nil {
			return err
		}
		open := func() (*ledger.Ledger, error) { return o.openPath(ctx, lpath, false) }
		u, err := run.UnrevokePatients(ctx, o.f.env(o.root), cfg, lpath, o.Patients, o.Erased, open)
		if err != nil {
			return err
		}
		kept := 0
		if !o.Erased {
			kept = u.Erased
		}
		fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: forgot the withdrawal of %d of the %d listed patient(s); %d were not remembered as withdrawn (never withdrawn, or a key written otherwise than in input.columns.patient_key)\n", u.Forgot, u.Listed, u.Listed-u.Forgot-kept)
		if u.FirstNight {
			firstNightSaid(o.f.IO.ErrOut, "looked up")
		}
		switch {
		case kept > 0:
			fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: %d listed patient(s) matched a withdrawal an erasure keeps ('ledger erase'): not forgotten, they stay withdrawn. Withdrawals are kept with case and leading zeros ignored, so it may be the erasure of another patient whose key matches only so (0777 for 777); check the erasure requests on file, and give --erased to forget it too\n", kept)
		case u.Erased > 0:
			fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: an erasure's withdrawal among them, forgotten by --erased: %d patient(s); the next upload sends their rows that say yes\n", u.Erased)
		}
		return underPreviousLeft(o.f.IO.ErrOut, u.UnderPrevious, "withdrawals of the listed patients kept under it may remain, and keep them out", "unrevoke")
	}
	l, lpath, err := o.openChanging(ctx)
	if err != nil {
		return err
	}
	defer l.Close()
	kept, err := l.RevokedElsewhere(ctx, o.Run)
	if err != nil {
		return err
	}
	n, err := l.ForgetRevokedPatients(ctx, o.Run)
	if err != nil {
		return err // an unknown run exits 1, as requeue's does
	}
	o.recordChange(ctx, l, lpath)
	fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: forgot %d withdrawn patient(s) remembered by run %s", n, o.Run)
	if kept > 0 {
		// Forgotten by this run, withdrawn still: "forgot 1" alone read
		// as the patient sent again (a review of repair stories).
		// The ledger keeps the first, again and last runs of each
		// (ledger migrateV17): undoing each run of a wrong mapping
		// forgets what it alone withdrew.
		fmt.Fprintf(o.f.IO.ErrOut, "; %d of them stay withdrawn: another run remembers them too (unrevoke each run that ran with the same wrong mapping as well: `ledger find` names the runs that keep a patient's; --patients for a patient who gave consent again)", kept)
	}
	fmt.Fprintln(o.f.IO.ErrOut)
	return nil
}

// ledgerUnrevokePrevious is `unrevoke --under-previous-secret`: it says
// first that it re-enables sending, then how many it forgot (counts only:
// the ledger cannot name them).
func ledgerUnrevokePrevious(ctx context.Context, o *LedgerUnrevokeOptions) error {
	fmt.Fprintln(o.f.IO.ErrOut, "hashgate ledger: unrevoke --under-previous-secret forgets withdrawals nobody can list: their patients' visits are sent once their withdrawing rows have left the export")
	l, lpath, err := o.openChanging(ctx)
	if err != nil {
		return err
	}
	defer l.Close()
	u, err := l.ForgetRevokedUnderPreviousKey(ctx)
	if err != nil {
		return err
	}
	o.recordChange(ctx, l, lpath) // a backup from before it, put back, stops the next upload
	fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: forgot %d withdrawn patient(s) and %d identifier(s) remembered only under the previous secret; the secret may be rotated again\n", u.Patients, u.Identifiers)
	return nil
}
