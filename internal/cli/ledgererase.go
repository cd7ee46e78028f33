package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/run"
)

// LedgerEraseOptions are the flags of `hashgate ledger erase`.
type LedgerEraseOptions struct {
	ledgerOptions
	Patients string // a file of patient keys, "-" for stdin
	Orders   string // a file of their order ids or event ids, "-" for stdin
	Exports  []string
	Folded   bool // also erase the rows matching only when case or leading zeros are ignored
}

// newLedgerEraseCmd is the erasure a patient asks for (GDPR art. 17, PIPL
// art. 47, Taiwan PDPA art. 11). Before it, the only per-patient delete
// was `unrevoke --patients`, which forgot the withdrawal itself and let the
// next upload send the patient again (a privacy officer's review).
func newLedgerEraseCmd(f *Factory, root *rootOptions) *cobra.Command {
	o := &LedgerEraseOptions{ledgerOptions: ledgerOptions{f: f, root: root}}
	cmd := &cobra.Command{
		Use:   "erase --patients FILE [EXPORT... [--folded]] [--orders FILE]",
		Short: "Erase what the ledger holds of listed patients, keeping only the withdrawal that keeps them out (erasure requests)",
		Long: `erase answers a patient's request for erasure. It deletes what the ledger
holds of the listed patients and keeps one thing: their withdrawal (a keyed
digest of the patient key, and of the e-mail and phone digests an upload
remembered with it), so that no later row of theirs is sent — a row ticked
"yes" by mistake included, and the visits already sent, which the ledger no
longer knows as sent. That is a suppression record: the least that honours
the objection (GDPR art. 17(3)(b) and 21; ICO direct-marketing guidance,
"suppression list"; PIPL art. 47). A patient who never withdrew is
remembered as withdrawn from now on.

The ledger cannot tell which events were a patient's: an event id is a
keyed hash of the order id alone. The clinic's archived exports holding
her rows find them (as arguments, archive/2026-11-*.csv as the shell
expands it, or --export FILE once per file, as 'ledger find' takes
them): her rows are picked by the patient key as written, as 'ledger
find' picks them — trimmed, full-width digits and letters read as ASCII,
case and leading zeros kept — and their event ids made exactly as the
upload and 'ledger find' make them, whatever the consent cell says — a
composite order id included. A row whose key matches only when case or
leading zeros are ignored (0123 for 123, ab1 for AB1) may be another
patient's in the clinic's system: its events are not erased, and it is
named on stderr by file:line, to check by hand ('ledger find' shows it);
--folded erases them too. Erasure cannot be undone: another patient's
erased entries are the clinic's lost record of what was sent for him.
For the same reason the events of other patient keys that carried her
e-mail or phone number ('ledger find' counts them: "also carried …") are
not erased: they are the other patients' records.
The withdrawal kept is matched as uploads match every withdrawal, case
and leading zeros ignored: erasing 0123 keeps 123's later rows out of the
uploads too, as her withdrawal in an export would. Or --orders FILE lists
them — order ids as input.columns.order_id holds them (each erases the
visit's event and its booking's), or event ids as 'ledger find' prints
them. Both may be given. Their entries are erased from every request that
carried them (a request left empty is deleted, with its answers), and the
file is left with no readable copy of them (SQLite's secure_delete, and
the write-ahead log emptied). Ids made under another secret than the one
the ledger's events were sent with are refused: they would erase nothing.

After a rotation of the secret, give the previous one as
HASHGATE_PREVIOUS_SECRET, as the uploads have it: a withdrawal made under
it waits there until its patient reappears, and erase erases that record
too, keeping the one withdrawal under the new secret; the rows' and
order ids' event ids are made under both secrets, so the visits sent
before the rotation are erased too. Without it, while the ledger
remembers withdrawals under the previous secret, or holds requests sent
before the rotation, erase erases what it reaches, says what of the
listed patients' may remain, and exits 3: set it and run the same erase
again (repeating an erasure changes nothing it did).

The lists hold one value a line, "#" comments, "-" for standard input
(one of the lists and exports), read as 'ledger unrevoke --patients' reads
its list; a line written as Excel's text formula (="A0001", as a clinic
system writes the export) is its text, and an order id is looked up under
the spelling older releases sent too. It needs the uploads' secret and patient-key column, and prints
only counts and the file:line of rows, never a value.
Not 'ledger unrevoke': that forgets the withdrawal, for consent given again.`,
		Example: `  hashgate ledger erase --patients erase.txt archive/2026-11-*.csv
  hashgate ledger erase --patients erase.txt --orders erase-orders.txt
  echo C1001 | hashgate ledger erase --patients -`,
		Args: usageArgs(cobra.ArbitraryArgs),
		RunE: func(c *cobra.Command, args []string) error {
			o.flags = c.Flags()
			o.Exports = append(o.Exports, args...)
			return o.run(c.Context())
		},
	}
	cmd.Flags().StringVar(&o.Patients, "patients", "", `a file of patient keys, one per line ("-": stdin), to erase (required)`)
	cmd.Flags().StringArrayVar(&o.Exports, "export", nil, "an export holding the patients' rows, whose events to erase (repeat for several, or give them as arguments; \"-\": stdin)")
	cmd.Flags().StringVar(&o.Orders, "orders", "", `a file of those patients' order ids or event ids, one per line ("-": stdin), whose entries to erase`)
	cmd.Flags().BoolVar(&o.Folded, "folded", false, "also erase the events of the exports' rows whose key matches only when case or leading zeros are ignored")
	return cmd
}

func (o *LedgerEraseOptions) run(ctx context.Context) error {
	switch {
	case o.Patients == "":
		return &UsageError{Err: errors.New("--patients FILE is required: the patients to erase, whose withdrawal the ledger keeps")}
	case o.Patients == "-" && o.Orders == "-":
		return &UsageError{Err: errors.New("--patients and --orders cannot both read standard input: give one of them as a file")}
	}
	cfg, lpath, err := o.configReading(len(o.Exports) > 0)
	if err != nil {
		return err
	}
	open := func() (*ledger.Ledger, error) { return o.openPath(ctx, lpath, false) }
	req := run.EraseRequest{Patients: o.Patients, Orders: o.Orders, Exports: o.Exports, Folded: o.Folded}
	e, err := run.ErasePatients(ctx, o.f.env(o.root), cfg, lpath, req, open)
	if err != nil {
		return err
	}
	w := o.f.IO.ErrOut
	fmt.Fprintf(w, "hashgate ledger: erased %d patient(s): kept the withdrawal of %d, wrote it for %d; erased %d event entries %s (%d request(s) deleted, %d alias(es))\n",
		e.Listed, e.Kept, e.Written, e.Events, erasedFrom(len(o.Exports) > 0, o.Orders != "", e.Orders), e.Requests, e.Aliases)
	if len(o.Exports) > 0 {
		fmt.Fprintf(w, "hashgate ledger: the exports hold %d row(s) of %d of the %d patient(s); their event ids were erased\n", e.Rows, e.Matched, e.Keys)
		if e.Matched < e.Keys {
			fmt.Fprintf(w, "hashgate ledger: %d patient(s) have no row in the exports given: events sent for them stay in the ledger unless an export holding their rows, or their order ids, are given\n", e.Keys-e.Matched)
		}
		if n := len(e.FoldedOnly); n > 0 && e.Folded {
			fmt.Fprintf(w, "hashgate ledger: %d row(s) erased by --folded match only when case or leading zeros are ignored: %s\n", n, foldedLines(e.FoldedOnly, "'ledger find --json' lists them"))
		} else if n > 0 {
			fmt.Fprintf(w, "hashgate ledger: %d row(s) match only when case or leading zeros are ignored: %s; not erased: they may be another patient's — check them by hand ('ledger find' shows them), and give --folded to erase them too\n", n, foldedLines(e.FoldedOnly, "'ledger find --json' lists them"))
		}
	}
	if o.Orders == "" && len(o.Exports) == 0 {
		fmt.Fprintln(w, "hashgate ledger: no export or --orders: the events sent for these patients are still in the ledger (it cannot tell which are theirs); give the archived exports holding their rows (as arguments, or --export) or their order ids or event ids (--orders) to erase them")
	}
	if e.FirstNight {
		firstNightSaid(w, "erased")
	}
	if e.StillPrevious > 0 {
		// Kept, they keep her out while the previous secret is given;
		// status counts them as waiting under it (ledger/erasemove.go).
		fmt.Fprintf(w, "hashgate ledger: %d e-mail or phone record(s) of the listed patients stay under the previous secret, as the erasure's: they keep those patients out only while %s is given, and status counts them as waiting under it; give the exports holding the patients' rows (as arguments, or --export) to the same erase to move them to this secret\n", e.StillPrevious, run.PreviousSecretEnv)
	}
	if !e.Checkpointed {
		fmt.Fprintln(w, "hashgate ledger: a reader held the ledger's write-ahead log: erased entries may stay readable in its -wal file until the next run")
	}
	partial := false
	switch {
	case e.SentBeforeRotation && e.FirstNight:
		// Tonight's HASHGATE_PREVIOUS_SECRET is the ledger's secret, and
		// the one before it the previous of the ledger's last rotation.
		fmt.Fprintf(w, "hashgate ledger: the ledger holds events sent before its last recorded rotation of the secret, under the secret before this %s: the listed patients' events among them were not reached and may remain; before tonight's upload records the new rotation, run the same erase with HASHGATE_SECRET set to this %s and %s to the one before it (repeating it is safe); after that upload they stay until retention (ledger.retention_days) (exit 3)\n", run.PreviousSecretEnv, run.PreviousSecretEnv, run.PreviousSecretEnv)
		partial = true
	case e.SentBeforeRotation:
		fmt.Fprintf(w, "hashgate ledger: the ledger holds events sent before the last rotation of the secret, under the previous secret's event ids, and %s is not set: the listed patients' events among them were not reached and may remain; set it to the previous secret beside HASHGATE_SECRET and run the same erase again (repeating it is safe) (exit 3)\n", run.PreviousSecretEnv)
		partial = true
	}
	if e.SentBeforeOlderRotation {
		// The ledger keeps one previous secret (A→B→C: A's event ids are
		// made by nothing erase is given), so they are out of its reach.
		fmt.Fprintln(w, "hashgate ledger: the ledger holds events sent before the rotation before last, under a secret older than the previous one: erase makes event ids under the secret and one previous secret, so the listed patients' events among them were not reached and stay until retention (ledger.retention_days) removes them (exit 3)")
		partial = true
	}
	if partial && e.UnderPrevious == 0 {
		return &ExitError{Code: ExitPartial}
	}
	return underPreviousLeft(w, e.UnderPrevious, "records of the listed patients kept under it may remain in the ledger", "erase")
}

// firstNightSaid says that erase or unrevoke acted (what: "erased",
// "looked up") under HASHGATE_PREVIOUS_SECRET on the rotation's first
// night, before an upload recorded it (run's underFirstNight): the
// officer gave the new secret, and reads here why the old one did the
// work. Nothing to do: the night's upload moves what was kept.
func firstNightSaid(w io.Writer, what string) {
	fmt.Fprintf(w, "hashgate ledger: no upload has gone on under this HASHGATE_SECRET yet (the rotation's first night): every record in the ledger is still under %s, and the listed patients' were %s under it; the next upload records the rotation\n", run.PreviousSecretEnv, what)
}

// underPreviousLeft says, when the ledger remembers n withdrawn patients
// only under the previous secret and it was not given, what of the listed
// patients' may remain (what) and how to reach it, and exits 3: the
// command did what it could reach — erasing the rest now is better than
// erasing nothing until the old secret is found — but an erasure request
// answered with exit 0 while a record of the patient stays reads as done
// (README, Exit codes: 3 is partial). Counts only: the ledger cannot say
// whose they are. Repeating the command is safe (idempotent).
func underPreviousLeft(w io.Writer, n int, what, cmd string) error {
	if n == 0 {
		return nil
	}
	fmt.Fprintf(w, "hashgate ledger: the ledger remembers %d withdrawn patient(s) only under the previous secret (a rotation), and %s is not set: %s; set %s to the previous secret beside HASHGATE_SECRET and run the same %s again (repeating it is safe) to reach them (exit 3)\n",
		n, run.PreviousSecretEnv, what, run.PreviousSecretEnv, cmd)
	return &ExitError{Code: ExitPartial}
}

// erasedFrom says where the erased event entries came from: the summary
// said "of the 0 order(s) or event id(s) listed" when they came from the
// exports (a review).
func erasedFrom(exports, list bool, listed int) string {
	switch {
	case exports && list:
		return fmt.Sprintf("(from the exports' rows and the %d order(s) or event id(s) listed)", listed)
	case exports:
		return "(from the exports' rows)"
	case list:
		return fmt.Sprintf("(of the %d order(s) or event id(s) listed)", listed)
	}
	return "(no export or list of them given)"
}
