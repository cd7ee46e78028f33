package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/run"
)

// LedgerFindOptions are the flags of `hashgate ledger find`.
type LedgerFindOptions struct {
	ledgerOptions
	Exports  []string
	Patients string
	Orders   string
	Folded   bool
	JSON     bool
}

func newLedgerFindCmd(f *Factory, root *rootOptions) *cobra.Command {
	o := &LedgerFindOptions{ledgerOptions: ledgerOptions{f: f, root: root}}
	cmd := &cobra.Command{
		Use:   "find --patients FILE EXPORT... | --orders FILE",
		Short: "Answer a patient's access request: which of their visits were sent where, when, and whether their withdrawal is remembered",
		Long: `find answers a patient's request "did you send my data to Google or Meta —
when, what, on what consent?" (GDPR art. 15, PIPL art. 45, Taiwan PDPA art. 3).

Give the clinic's archived export(s) holding the patient's rows (as
arguments, archive/2026-11-*.csv as the shell expands it, or --export FILE
once per file; "-" for standard input) and their patient key(s)
(--patients FILE, one a line as input.columns.patient_key holds it; "-"
for standard input). find picks their rows by the patient key as
written — trimmed, full-width digits and letters read as ASCII, case and
leading zeros kept — makes each row's
event ids exactly as the upload makes them, whatever its consent cell
says, and looks them up in the ledger. A row whose key matches only when
case or leading zeros are ignored (0123 for 123, ab1 for AB1) may be
another patient's in the clinic's system: it is not answered as theirs
but named on stderr by file:line, to check by hand; --folded lists such
rows as the patient's (as a withdrawal is matched, which errs the other
way). It is a lookup: nothing is sent, written or remembered, and the
withdrawal memory is only read. Without input.columns.patient_key,
give the order ids instead (--orders FILE): then whether a withdrawal is
remembered cannot be told.

It prints, one line per event, destination and run that recorded it: the
export's file:line of the row (never a value of it), the event id as the
ledger stores it, the destination, the kind (visit, booking) and event
name (as configured now: the ledger keeps none), the event time it went
with, the run and when that run recorded it, its state there
(ingested, processed, sent = unanswered, kept_back, not_sent, …) and the
platform's request id. Then whether a withdrawal of the patient is
remembered, by which run first and when — by the patient key, and by an
e-mail address or phone number their rows carry (a withdrawn patient
renumbered by a new practice system, a family's one phone: every upload
keeps such rows out), never printing the identifier; then, per kind
(e-mail, phone) and destination, how many events of rows not picked as
hers (other patient keys, rows without one, rows matching only when case
or zeros are ignored without --folded) carried an e-mail address or phone
number her rows carry and were sent (a mother's phone on her children's
charts: her data, sent with their events), counted whatever their
consent cell says — counts only, never whose: those events are other
patients' records, not listed, and 'ledger erase' erases nothing of
them. Each e-mail or phone of hers is judged on its own: one that rows of
more than 50 other patient keys carry is a placeholder or the clinic's
own contact, not counted and said so (list it under
input.not_patient_identifiers), and her others are still counted. A
count from 1 to 4 (channels.min_cell) reads "fewer than 5": the answer
goes to her, and the count is another patient's visits (0 stays 0;
min_cell 1 shows every count); then the rows of the
export never sent ("not in the ledger", or held back before sending).
For a patient 'ledger erase' erased it says when ("erased at T"): what
was sent before it is no longer in the ledger, so her rows with no entry
read "not in the ledger: … erased at T, or never sent".
Nothing of another patient is printed. It needs the uploads' secret: the
ledger holds keyed ids only, and under another secret than the one this
config's uploads were made under it refuses (exit 2, nothing printed on
stdout) rather than answer "not in the ledger". After a rotation it reads
HASHGATE_PREVIOUS_SECRET, the old secret, as the upload does: her
withdrawal, e-mails and phones remembered under it, and her visits sent
before the rotation, whose event ids are the old secret's.`,
		Example: `  hashgate ledger find --patients request-0042.txt archive/2026-11-*.csv
  echo A007001 | hashgate ledger find --patients - --json export.csv
  hashgate ledger find --orders orders.txt`,
		Args: usageArgs(cobra.ArbitraryArgs),
		RunE: func(c *cobra.Command, args []string) error {
			o.flags = c.Flags()
			o.Exports = append(o.Exports, args...)
			return ledgerFindRun(c.Context(), o)
		},
	}
	cmd.Flags().StringArrayVar(&o.Exports, "export", nil, "an export holding the patient's rows (repeat for several, or give them as arguments; \"-\": stdin)")
	cmd.Flags().StringVar(&o.Patients, "patients", "", `a file of the patients' keys, one per line ("-": stdin)`)
	cmd.Flags().StringVar(&o.Orders, "orders", "", `a file of order ids, one per line ("-": stdin), when there is no patient key`)
	cmd.Flags().BoolVar(&o.Folded, "folded", false, "also list as the patient's the rows whose key matches only when case or leading zeros are ignored")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the answer as JSON")
	return cmd
}

func ledgerFindRun(ctx context.Context, o *LedgerFindOptions) error {
	cfg, lpath, err := o.configReading(len(o.Exports) > 0)
	if err != nil {
		return err
	}
	req := run.FindRequest{Exports: o.Exports, Patients: o.Patients, Orders: o.Orders, Folded: o.Folded}
	found, err := run.FindPatient(ctx, o.f.env(o.root), cfg, req, func() (*ledger.Ledger, error) { return o.openPath(ctx, lpath, true) })
	if err != nil {
		return err
	}
	if found.ByOrders {
		fmt.Fprintln(o.f.IO.ErrOut, "hashgate ledger: found by order ids alone (no patient key): whether a withdrawal is remembered cannot be told")
	}
	for _, w := range found.Warnings {
		fmt.Fprintln(o.f.IO.ErrOut, "hashgate ledger: "+w)
	}
	if n := len(found.FoldedOnly); n > 0 {
		if found.Folded {
			fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: %d row(s) listed by --folded match only when case or leading zeros are ignored: %s; check them by hand before answering\n", n, foldedLines(found.FoldedOnly, "--json lists them"))
		} else {
			fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: %d row(s) match only when case or leading zeros are ignored: %s; check them by hand before answering (not listed as the patient's: --folded lists them)\n", n, foldedLines(found.FoldedOnly, "--json lists them"))
		}
	}
	if o.JSON {
		return writeJSON(o.f.IO.Out, ledgerFindJSON(found))
	}
	return writeFound(o.f.IO.Out, found)
}

// foldedLines names the rows matching a listed key only under the fold
// (Found.FoldedOnly, Erasure.FoldedOnly), the first 20; more says what
// lists every one.
func foldedLines(rows []string, more string) string {
	const most = 20
	if len(rows) <= most {
		return "lines " + strings.Join(rows, ", ")
	}
	return fmt.Sprintf("lines %s and %d more (%s)", strings.Join(rows[:most], ", "), len(rows)-most, more)
}

// stamp is a time as the answer prints it; "-" for none.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// writeFound prints the answer for a person: the events, the withdrawal,
// the rows never sent.
func writeFound(out interface{ Write([]byte) (int, error) }, f run.Found) error {
	w := bufio.NewWriter(out)
	what := "patient(s)"
	if f.ByOrders {
		what = "order id(s)"
	}
	fmt.Fprintf(w, "# %d listed %s, %d found in the input; %d row(s); %d event record(s) in the ledger\n", f.Listed, what, f.Matched, len(f.Rows), len(f.Sightings))
	fmt.Fprintln(w, "row\tevent_id\tdestination\tkind\tevent_name\tevent_time\trun\trecorded_at\tstate\treason\trequest_id")
	for _, s := range f.Sightings {
		name := s.EventName
		if name == "" {
			name = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Row, s.EventID, s.Destination, s.Kind, name, stamp(s.EventTime),
			s.Run, stamp(s.At), s.State, dash(s.Reason), dash(s.RequestID))
	}
	fmt.Fprintln(w)
	switch {
	case f.WithdrawalsUnknown != "":
		fmt.Fprintf(w, "withdrawal: unknown: %s\n", f.WithdrawalsUnknown)
	case len(f.Withdrawals) == 0:
		fmt.Fprintln(w, "withdrawal: none remembered")
	default:
		writeWithdrawals(w, f)
	}
	for _, by := range f.IdentifierWithdrawals {
		first := by.Runs[0]
		fmt.Fprintf(w, "withdrawal: remembered by %s (one their rows carry) since run %s at %s (every appointment of a row carrying it)\n",
			identifierWord(by.By), first.Run, stamp(first.At))
	}
	writeCarried(w, f)
	for _, r := range f.Rows {
		switch {
		case len(r.IDs) == 0:
			fmt.Fprintf(w, "never sent: %s: no order id (missing_order_id): no event was made of it\n", r.Where())
		case !r.Recorded && !f.Erased.IsZero():
			fmt.Fprintf(w, "not in the ledger: %s (event id %s): erased at %s, or never sent\n", r.Where(), r.IDs[0].ID, stamp(f.Erased))
		case !r.Recorded:
			fmt.Fprintf(w, "never sent: %s (event id %s): not in the ledger\n", r.Where(), r.IDs[0].ID)
		case !r.Sent:
			fmt.Fprintf(w, "never sent: %s (event id %s): recorded held back before sending (see its lines)\n", r.Where(), r.IDs[0].ID)
		}
	}
	return w.Flush()
}

// writeCarried says, per kind of identifier and destination, how many
// events of other patient keys carried an e-mail address or phone number
// of the patient's (run.CarriedByOthers): her personal data sent with
// their events; and which kinds hold an identifier of hers carried by so
// many other charts that it was not counted (run.CarriedMany): each
// identifier is judged on its own, so a placeholder e-mail hides nothing
// of her phone. Counts only, never whose, never a value or digest: they
// are other patients' records.
func writeCarried(w io.Writer, f run.Found) {
	const lead = "also carried by other charts: "
	if f.CarriedUnknown != "" {
		fmt.Fprintf(w, "%sunknown: %s\n", lead, f.CarriedUnknown)
	}
	for _, m := range f.CarriedMany {
		fmt.Fprintf(w, "%s%s: more than %d other patient keys' rows carry %s of theirs: not counted — a placeholder or the clinic's own contact? list it under input.not_patient_identifiers\n",
			lead, identifierWord(m.By), m.MoreThan, oneOf(m.Identifiers))
	}
	for _, c := range f.CarriedByOthers {
		n := fmt.Sprint(c.Sent)
		if c.FewerThan > 0 {
			n = fmt.Sprintf("fewer than %d", c.FewerThan)
		}
		fmt.Fprintf(w, "%s%s: %s event(s) of other patient keys sent to %s (not listed: they are other patients' records)\n", lead, identifierWord(c.By), n, c.Destination)
	}
}

// oneOf names how many identifiers of a kind, never which.
func oneOf(n int) string {
	if n == 1 {
		return "one"
	}
	return fmt.Sprintf("each of %d", n)
}

// writeWithdrawals says since which run the ledger remembers the
// patient's withdrawal, the run that read it again and the last run that
// read it, which keep it if the first is undone (`ledger unrevoke
// --run`); the ledger keeps no other night of it (ledger schemaV15: it kept every night's, and find
// said "remembered by 91 run(s)"). Or the erasure when she was erased: its
// record has no run, and before, find named it the first run to remember
// a withdrawal uploads had remembered nights before, and printed her
// erased visits "never sent" (a review).
func writeWithdrawals(w io.Writer, f run.Found) {
	var runs []ledger.Withdrawal
	var erasure *ledger.Withdrawal
	for i, wd := range f.Withdrawals {
		if wd.Erasure() {
			erasure = &f.Withdrawals[i]
			continue
		}
		runs = append(runs, wd)
	}
	switch {
	case len(runs) == 0:
		fmt.Fprintf(w, "withdrawal: kept by the erasure at %s (every appointment); no run's record of it is kept\n", stamp(erasure.At))
	case erasure != nil:
		fmt.Fprintf(w, "withdrawal: kept by the erasure at %s (every appointment); also remembered since run %s at %s\n",
			stamp(erasure.At), runs[0].Run, stamp(runs[0].At))
	default:
		first := runs[0]
		if first.MoreRuns() {
			// Schema 15's: both runs it kept were undone, and a third
			// had read it too.
			fmt.Fprintf(w, "withdrawal: kept for runs the ledger does not keep (%s): the runs it kept were undone and a later run had read it too", fromDay(first, f.Zone))
		} else {
			fmt.Fprintf(w, "withdrawal: remembered since run %s at %s (%s)", first.Run, stamp(first.At), fromDay(first, f.Zone))
		}
		for i, r := range runs[1:] {
			// Two digests (a legacy one) can name more than three.
			word := "read again"
			switch {
			case i > 0 && i == len(runs)-2:
				word = "last read"
			case i > 0:
				word = "also read"
			}
			if r.MoreRuns() {
				fmt.Fprintf(w, "; %s by runs the ledger does not keep (after %s)", word, stamp(r.At))
				continue
			}
			fmt.Fprintf(w, "; %s by run %s at %s", word, r.Run, stamp(r.At))
		}
		if len(runs) > 1 && !first.MoreRuns() {
			fmt.Fprintf(w, ", which %s it if run %s is undone", map[bool]string{true: "keeps", false: "keep"}[len(runs) == 2], first.Run)
		}
		fmt.Fprintln(w)
	}
	if erasure != nil {
		fmt.Fprintf(w, "erased at %s: what was sent before it is no longer in the ledger; the withdrawal is kept for every appointment\n", stamp(erasure.At))
	}
}

// identifierWord is a kind of identifier as the answer names it.
func identifierWord(by string) string {
	if by == "email" {
		return "e-mail"
	}
	return by
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// fromDay says which appointments a remembered withdrawal keeps out.
func fromDay(w ledger.Withdrawal, zone *time.Location) string {
	if w.FromDay <= 0 {
		return "every appointment"
	}
	return "appointments from " + dayIn(w.FromDay, zone)
}

// dayIn is the date of unix seconds in zone (nil: UTC).
func dayIn(sec int64, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	return time.Unix(sec, 0).In(zone).Format(time.DateOnly)
}

// The JSON shape of `ledger find --json`: snake_case keys, as the other
// ledger commands'.
type ledgerFindOut struct {
	ByOrders           bool                  `json:"by_orders"`
	Listed             int                   `json:"listed"`
	Found              int                   `json:"found"`
	Events             []ledgerFindEventOut  `json:"events"`
	Withdrawn          bool                  `json:"withdrawn"`
	Withdrawals        []ledgerFindRevokeOut `json:"withdrawals"`
	WithdrawalsUnknown string                `json:"withdrawals_unknown,omitempty"`
	// ErasedAt is when `ledger erase` erased the patient: what was sent
	// before it is no longer in the ledger.
	ErasedAt string `json:"erased_at,omitempty"`
	// WithdrawalsBy are the withdrawals remembered by an e-mail address
	// or phone number the patient's rows carry, by kind.
	WithdrawalsBy []ledgerFindByOut `json:"withdrawals_by_identifier"`
	// FoldedOnly are the rows matching a listed key only when case or
	// leading zeros are ignored; Folded says whether they were listed.
	FoldedOnly []string           `json:"folded_only"`
	Folded     bool               `json:"folded"`
	NeverSent  []ledgerFindRowOut `json:"never_sent"`
	Warnings   []string           `json:"warnings,omitempty"`
	// CarriedByOthers are, per kind of identifier ("email", "phone") and
	// destination, the events of other patient keys sent carrying an
	// e-mail address or phone number of the patient's: counts only
	// (run.CarriedByOthers).
	CarriedByOthers        []ledgerFindCarriedOut `json:"carried_by_others"`
	CarriedByOthersUnknown string                 `json:"carried_by_others_unknown,omitempty"`
	// CarriedByOthersMany are the kinds of identifier of which
	// `identifiers` of hers were each carried by rows of more than
	// `more_than` other patient keys, and not counted: a placeholder or
	// the clinic's own contact (run.Found.CarriedMany). Her other
	// identifiers are counted in carried_by_others.
	CarriedByOthersMany []ledgerFindManyOut `json:"carried_by_others_many"`
}

type ledgerFindManyOut struct {
	By          string `json:"by"`
	Identifiers int    `json:"identifiers"`
	MoreThan    int    `json:"more_than"`
}

// ledgerFindCarriedOut is one kind and destination of carried_by_others.
// Sent is null and SentFewerThan channels.min_cell when from 1 to one
// fewer were counted (run.CarriedByOthers.FewerThan): another patient's
// count, withheld; states is then empty. A state counted below it is
// merged into "other" (run.OtherStates) with the next smallest.
type ledgerFindCarriedOut struct {
	By            string         `json:"by"`
	Destination   string         `json:"destination"`
	Sent          *int           `json:"sent"`
	SentFewerThan int            `json:"sent_fewer_than,omitempty"`
	States        map[string]int `json:"states"`
}

type ledgerFindEventOut struct {
	Row         string `json:"row"`
	EventID     string `json:"event_id"`
	Destination string `json:"destination"`
	Kind        string `json:"kind"`
	EventName   string `json:"event_name,omitempty"`
	EventTime   string `json:"event_time,omitempty"`
	Run         string `json:"run"`
	RecordedAt  string `json:"recorded_at"`
	Sent        bool   `json:"sent"`
	State       string `json:"state"`
	Reason      string `json:"reason,omitempty"`
	RequestID   string `json:"request_id,omitempty"`
}

type ledgerFindRevokeOut struct {
	Run     string `json:"run"`
	At      string `json:"at"`
	FromDay string `json:"from_day,omitempty"`
}

type ledgerFindByOut struct {
	By          string                `json:"by"`
	Withdrawals []ledgerFindRevokeOut `json:"withdrawals"`
}

type ledgerFindRowOut struct {
	Row      string   `json:"row"`
	EventIDs []string `json:"event_ids"`
	Reason   string   `json:"reason"`
}

func ledgerFindJSON(f run.Found) ledgerFindOut {
	out := ledgerFindOut{ByOrders: f.ByOrders, Listed: f.Listed, Found: f.Matched, Events: []ledgerFindEventOut{},
		Withdrawals: []ledgerFindRevokeOut{}, WithdrawalsUnknown: f.WithdrawalsUnknown, WithdrawalsBy: []ledgerFindByOut{},
		FoldedOnly: append([]string{}, f.FoldedOnly...), Folded: f.Folded, NeverSent: []ledgerFindRowOut{}, Warnings: f.Warnings,
		CarriedByOthers: []ledgerFindCarriedOut{}, CarriedByOthersUnknown: f.CarriedUnknown, CarriedByOthersMany: []ledgerFindManyOut{}}
	for _, c := range f.CarriedByOthers {
		o := ledgerFindCarriedOut{By: c.By, Destination: c.Destination, Sent: &c.Sent, States: c.States}
		if c.FewerThan > 0 {
			o.Sent, o.SentFewerThan, o.States = nil, c.FewerThan, map[string]int{}
		}
		out.CarriedByOthers = append(out.CarriedByOthers, o)
	}
	for _, m := range f.CarriedMany {
		out.CarriedByOthersMany = append(out.CarriedByOthersMany, ledgerFindManyOut{By: m.By, Identifiers: m.Identifiers, MoreThan: m.MoreThan})
	}
	for _, s := range f.Sightings {
		e := ledgerFindEventOut{Row: s.Row, EventID: s.EventID, Destination: s.Destination, Kind: s.Kind, EventName: s.EventName,
			Run: s.Run, RecordedAt: stamp(s.At), Sent: s.Sent, State: s.State, Reason: s.Reason, RequestID: s.RequestID}
		if !s.EventTime.IsZero() {
			e.EventTime = stamp(s.EventTime)
		}
		out.Events = append(out.Events, e)
	}
	for _, w := range f.Withdrawals {
		r := ledgerFindRevokeOut{Run: w.Run, At: stamp(w.At)}
		if w.FromDay > 0 {
			r.FromDay = dayIn(w.FromDay, f.Zone)
		}
		out.Withdrawals = append(out.Withdrawals, r)
	}
	out.Withdrawn = len(f.Withdrawals) > 0
	if !f.Erased.IsZero() {
		out.ErasedAt = stamp(f.Erased)
	}
	for _, by := range f.IdentifierWithdrawals {
		b := ledgerFindByOut{By: by.By, Withdrawals: []ledgerFindRevokeOut{}}
		for _, w := range by.Runs {
			b.Withdrawals = append(b.Withdrawals, ledgerFindRevokeOut{Run: w.Run, At: stamp(w.At)})
		}
		out.WithdrawalsBy = append(out.WithdrawalsBy, b)
	}
	for _, r := range f.Rows {
		if r.Sent {
			continue
		}
		o := ledgerFindRowOut{Row: r.Where(), EventIDs: []string{}, Reason: "not in the ledger"}
		if !f.Erased.IsZero() {
			// What was sent before the erasure is no longer in the
			// ledger: a row not in it may have been sent.
			o.Reason = fmt.Sprintf("not in the ledger (erased at %s, or never sent)", stamp(f.Erased))
		}
		for _, id := range r.IDs {
			o.EventIDs = append(o.EventIDs, id.ID)
		}
		switch {
		case len(r.IDs) == 0:
			o.Reason = "no order id: no event was made of it"
		case r.Recorded:
			o.Reason = "recorded held back before sending"
		}
		out.NeverSent = append(out.NeverSent, o)
	}
	return out
}
