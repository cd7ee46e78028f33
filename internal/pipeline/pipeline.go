// Package pipeline runs one export through hashgate's stages:
//
//	export rows → consent decisions → hashed conversions → sink → report
//
// It owns the order of the per-row checks and the counting, so every row
// read is accounted for exactly once: it becomes a conversion for at least
// one platform (RowsUsed) or is excluded with one reason.
//
// Row checks run in this order; the first that fails names the exclusion:
//
//	record_too_large, malformed_row, other_clinic (input.other_clinic_rows:
//	  exclude; under stop such rows stop the run: clinic.go),
//	  missing_order_id, consent_revoked_list,
//	consent value (consent_missing, consent_revoked, consent_scoped,
//	  consent_denied, consent_not_granted), consent_refused_order,
//	  consent_revoked_patient,
//	invalid_time (date_year_needed, date_order_needed: a setting would
//	  read the date; event_too_old, event_in_future: a date without a year
//	  outside the upload window in any year), consent time (consent_time_missing, consent_time_invalid,
//	  consent_after_event, a dated consent_revoked), consent expiry
//	  (consent_expiry_invalid, consent_expired: at the visit or at the
//	  send), age (birth_date_invalid, birth_date_missing, minor),
//	status_not_converted, duplicate_order, no_identifier (no_click_id for a
//	  platform told click ids only; weak_identifiers for identifiers the
//	  platform refuses alone)
//
// Consent is decided per destination, because a clinic may record Google
// and Meta consent in separate columns. A row excluded for every
// destination takes the reason of the first enabled one (Google, then Meta);
// a row used for one destination but not another is counted under
// Summary.Skipped for the other; Summary.LeftOut counts both kinds per
// destination by its own reason (reasons.go).
//
// Consent comes before status so that `hashgate check` reports consent
// reasons for consent rows whatever their status. duplicate_order is decided
// among rows that pass every other check: the first usable row of an
// appointment is its conversion.
// The package reads in files, one concern each:
//
//	pipeline.go  Options, Outcome, Run: the two ways through (sequential, parallel)
//	spec.go      the export column mapping from the config, Open
//	withdraw.go  patients and orders another row withdraws, applied at the end
//	record.go    each row's decision, held (package spool) until the end
//	decide.go    the row gate: consent, times, status (runner.process)
//	value.go     the value policy
//	shape.go     identifiers per platform, by each platform.Spec
//	settle.go    duplicates and counting in export order: one loop for both ways
//	reasons.go   each destination's own reason for a row it left out
//	chunk.go     rows and outcomes travelling together between goroutines
//	pool.go      the worker pool: read, decide on n goroutines, hand back in order
package pipeline

import (
	"context"
	"errors"
	"io"
	"runtime"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
)

// TimeOptions derives the date parser's settings from the config.
func TimeOptions(c *config.Config) eventtime.Options {
	return eventtime.Options{
		Layouts: c.Input.TimeFormats, Location: c.Location(),
		DateOrder: c.Input.DateOrder, ROC: c.Input.Calendar == "roc",
		DefaultYear: c.Input.DefaultYear, ExcelEpoch: c.Input.ExcelDates,
	}
}

// Row exclusion reasons decided here (consent reasons live in package consent).
const (
	ReasonMalformedRow   = "malformed_row"
	ReasonMissingOrderID = "missing_order_id"
	ReasonInvalidTime    = "invalid_time"
	ReasonNotConverted   = "status_not_converted"
	ReasonDuplicate      = "duplicate_order"
	// ReasonOrderRowsDisagree: the usable rows of one order would send
	// different conversions to a platform (another fee, time, identifier):
	// every one of them is held (orderrows.go). Sending the first, as
	// before, made what went depend on the rows' order.
	ReasonOrderRowsDisagree = "order_rows_disagree"
	ReasonNoIdentifier      = "no_identifier"
	// ReasonFormulaCell: a cell the upload reads is a spreadsheet formula
	// (=A1+B1, =SUM(…), =+886912345678; export.Row.Formula), whose value
	// is what a spreadsheet computes, not its text: never hashed or sent
	// as text. A text formula ="…" is its text (celltext.TextFormula).
	ReasonFormulaCell = "formula_cell"
	// ReasonWeakIdentifiers: the row's identifiers for a platform are only
	// ones it refuses an event for carrying alone (platform.Spec.WeakSets:
	// Meta's "Baseline Requirements for Matching", a country or a city
	// without email or phone, contract M18). Sent, the event would be
	// refused and, with it, its whole batch; like no_identifier it is
	// counted for that platform, and the row may still go to another.
	ReasonWeakIdentifiers = "weak_identifiers"
	// ReasonNoClickID: the row has no click id for a platform told click
	// ids only (Google's default: its customer data policy bars hashed
	// customer data for health advertisers, platform/policy.go). Like a
	// consent exclusion it is counted, never quarantined, and never part
	// of the exit code: the row is not a conversion for that platform.
	ReasonNoClickID = "no_click_id"
	// ReasonPatientRevoked: another row of the same patient (patient_key)
	// carries a revoked consent, so none of the patient's rows is sent.
	ReasonPatientRevoked = "consent_revoked_patient"
	// ReasonOrderRefused: another row of the same order id revokes,
	// denies or scopes consent (in this platform's consent column): the
	// strictest consent of an order wins.
	ReasonOrderRefused = "consent_refused_order"
)

// Notes: facts counted without excluding the row.
const (
	// NoteRefusedAfterSent: a row excluded for a refusing consent
	// (revoked, denied, scoped) belongs to an order an earlier row was
	// converted for, and the refusal did not hold that row back: a dated
	// revocation under consent.revoked_allows_earlier keeps earlier
	// visits, and a refusal in one platform's consent column does not
	// withdraw the order from the other platform.
	NoteRefusedAfterSent = "consent_refused_after_sent"
	NoteValueMissing     = "value_missing"
	NoteValueUnparsed    = "value_not_a_number"
	NoteCurrencyInvalid  = "currency_invalid"
	// NoteBookedAtUnreadable: a booked_at cell no configured format reads;
	// what it would date (Meta's fbc) takes the appointment time instead.
	NoteBookedAtUnreadable = "booked_at_unreadable"
	// NoteNotPatientIdentifier: an e-mail or phone value of a row that
	// input.not_patient_identifiers lists (the clinic's own, a
	// placeholder), left out as no value (notpatient.go).
	NoteNotPatientIdentifier = "identifier_not_patients"
)

// Reasons lists every row exclusion and per-destination skip reason the
// pipeline can report, for validating `hashgate check` expectations.
func Reasons() []string {
	return []string{
		export.ReasonRecordTooLarge, ReasonMalformedRow, ReasonFormulaCell, ReasonMissingOrderID, consent.ReasonListed,
		consent.ReasonMissing, consent.ReasonRevoked, consent.ReasonScoped, consent.ReasonDenied,
		consent.ReasonNotGranted, ReasonInvalidTime, consent.ReasonTimeMissing, consent.ReasonTimeInvalid,
		consent.ReasonAfterEvent, ReasonNotConverted, ReasonDuplicate, ReasonOrderRowsDisagree, ReasonNoIdentifier, ReasonNoClickID,
		ReasonWeakIdentifiers,
		ReasonPatientRevoked, ReasonIdentifierWithdrawn, ReasonYearNeeded, ReasonDateOrderNeeded, ReasonOrderRefused,
		ReasonYearlessTooOld, ReasonYearlessFuture,
		consent.ReasonExpiryInvalid, consent.ReasonExpired, consent.ReasonBirthDateInvalid, consent.ReasonBirthDateMissing,
		consent.ReasonMinor, ReasonOtherClinic,
	}
}

// Options is one run's input.
type Options struct {
	Config    *config.Config
	Key       string // event-id HMAC key
	Input     io.Reader
	InputName string
	// PreviousKey is the secret the ledger's remembered withdrawals were
	// made under before a rotation (HASHGATE_PREVIOUS_SECRET; "": none):
	// Revoked's are matched under both (prevkey.go).
	PreviousKey string
	// Reader, when set, is the export already opened by Open; Input is
	// then not read.
	Reader *export.Reader
	Sink   sink.Sink
	// Revocations are the withdrawn order ids, patient keys and event ids
	// (consent.revocations_file); nil when there is no file. A row one of
	// them lists withdraws its patient, as a revoking consent cell does
	// (withdraw.go, listed).
	Revocations *consent.Revocations
	// Whole is the config whose consent columns withdraw patients (a
	// patient revoked in any consent column of it is revoked): the whole
	// config when Config runs one platform of it (`hashgate write`); nil
	// is Config.
	Whole *config.Config
	// HoldMemory is how many bytes of held rows stay in memory before they
	// spill to disk (0: spool.DefaultMemory). Tests lower it.
	HoldMemory int
	// Columns adds export columns beyond the config's, such as the `expect`
	// column of a check fixture.
	Columns map[export.Column][]string
	// Observe, when set, is told the outcome of every row, in export
	// order, for `hashgate check`: its line and its export.Expect cell
	// (Columns maps that column), once the whole export has been read.
	Observe func(line int, expect string, o Outcome)
	// Now is the run's clock reading (zero: time.Now()). It fixes the year
	// of a date printed without one (eventtime.Options.Today).
	Now time.Time
	// Workers is how many goroutines decide rows: 0 means one per CPU
	// (GOMAXPROCS), 1 runs everything on the calling goroutine. The output
	// is the same, byte for byte, whatever the number.
	Workers int
	// PriorIDs is the shape of the order ids the last upload read (the
	// ledger keeps it): an export whose ids lost, or gained, the leading
	// zeros of those stops the run before anything is sent (idshape.go).
	// nil: nothing to compare with. SeenIDs, when set, is given this
	// export's shape once it was read to its end.
	PriorIDs, SeenIDs *IDShape
	// KeyNights are the last uploads' patient keys, most recent first,
	// with which a night of few keys is judged (keynights.go).
	KeyNights KeyNights
	// InputSHA256, when set, gives the export's SHA-256 in hex once it was
	// read to its end ("" before, or not kept): a night of KeyNights read
	// from the same export is tonight's, not counted again (keynights.go).
	InputSHA256 func() string
	// Revoked, when set, carries patients' withdrawals from run to run
	// (the ledger keeps them): see PatientRevocations.
	Revoked *PatientRevocations
	// RecordKeyer, when set, makes for each goroutine that decides rows a
	// function giving an event id's record key under the channel report's
	// release rule (channels.Releaser.RecordKeyer); every conversion then
	// carries its event's (conversion.Conversion.RecordKey), made once a
	// row for all platforms. The upload summary's identifier coverage
	// sums them. The id given is valid only during the call (a view of
	// the runner's reused buffer): a function that keeps it copies it.
	RecordKeyer func() func(id string) uint64
	// LeftOut, when set, is filled with what the rows not sent tell an
	// upload (leftout.go).
	LeftOut *LeftOut
	// Fixtures: the export is a `hashgate check` fixture, judged row by
	// row against its expect cells. A fixture may hold only refusals in
	// words the config does not know (that is what it tests), so the
	// check of the consent columns' words (consentwords.go) is off.
	Fixtures bool
	// ConsentWorked, when set, reports whether platform p's destination
	// accepted events before (the ledger says: ledger.Filter.Delivered).
	// A consent column whose words changed stops the run only where a
	// platform it gates worked before (consentwords.go); nil (a dry run,
	// `write`: no ledger asked) never stops for it.
	ConsentWorked func(p platform.Platform) bool
	// ConsentWarn, when set, is told a consent column's drift that does not
	// stop the run, once: the run's one warning line.
	ConsentWarn func(err error)
	// Accepted, when set, passes the stops of the order ids' shape (their
	// leading zeros, the zone of their times) and of the consent columns'
	// words, as upload --accept-new-ids asks: each is judged as on any
	// night, and one that would have stopped the run is told here by its
	// report name (report.StopOrderIDLeadingZeros, StopOrderIDTimezone,
	// StopConsentWords) instead, so the night can say what it passed.
	Accepted func(stop string)
	// DeliveredThrough is the newest event already delivered to a
	// destination of the run (ledger.Filter.NewestDelivered); zero: none,
	// or not asked (a dry run, `write`). The rows dated
	// on a later day, in the clinic's zone, are the part of the export new
	// to the ledger: their consent and status words are judged on their
	// own too, beside the whole export's (freshpart.go).
	DeliveredThrough time.Time
}

// Outcome is what became of one row.
type Outcome struct {
	// Reason is the row's exclusion reason, "" when it was used.
	Reason string
	// Platforms lists the enabled platforms and, per platform, Skipped[i]:
	// "" when a conversion was made for it, else why not.
	Platforms []identifier.Platform
	Skipped   []string
}

// Run streams the export through the stages into opt.Sink, counting into sum.
// It returns a structural error (an *export.Error, or a *config.Error for a
// setting the data proves wrong) and stops at the first one; row problems
// are counted, never returned.
//
// The export is read once. Rows are decided on Workers goroutines
// (runParallel) or on the calling one (runSequential); either way one
// settler collects what rows withdraw (patients, orders) and holds every
// decided row until the reader reports the end of the export, then settles
// them in export order — withdrawals, duplicates, counts, writes — so the
// output is the same, and nothing reaches opt.Sink before the whole export
// was read. A reader that fails at its end (package run's check that a
// file did not change while it was read) stops the run with nothing
// written.
func Run(ctx context.Context, opt Options, sum *report.Summary) error {
	rd := opt.Reader
	if rd == nil {
		var err error
		if rd, err = Open(opt); err != nil {
			return err
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	st := newSettler(opt, sum)
	defer st.close()
	var err error
	if workers > 1 {
		err = runParallel(ctx, opt, rd, st, workers)
	} else {
		err = runSequential(ctx, opt, rd, st)
	}
	sum.HeaderRepeated, sum.HeaderRepeatedLine = rd.RepeatedHeaders()
	if err == nil {
		err = opt.LeftOut.freeze() // every row is settled: what it withdrew is only asked from now on
	}
	return err
}

// runSequential decides each row in turn on the calling goroutine, the
// path for one core.
func runSequential(ctx context.Context, opt Options, rd *export.Reader, st *settler) error {
	r := newRunner(opt.Config, opt)
	var o outcome
	// One row at a time: its record is read into text, reused for the
	// next one once the row is held (encoded) — as a chunk's is (chunk.text).
	var cells []string
	var text []byte
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var row export.Row
		var err error
		row, cells, text, err = rd.NextTo(cells[:0], text[:0])
		if errors.Is(err, io.EOF) {
			return st.finish(ctx)
		}
		if err != nil {
			return err
		}
		if err := r.process(row, &o); err != nil {
			return err
		}
		r.prepare(&o)
		if err := st.row(row, &o, r.skip); err != nil {
			return err
		}
	}
}

// runParallel is Run on several cores: the pool reads and splits the CSV
// and decides rows (consent, times, hashing — the costly part) on workers
// goroutines; the calling goroutine settles chunks in export order. Memory
// stays flat: at most a few chunks are in flight, and they are recycled.
func runParallel(ctx context.Context, opt Options, rd *export.Reader, st *settler, workers int) error {
	nplat := len(st.platforms)
	p := startPool(ctx, workers, rd, func() func(*chunk) {
		r := newRunner(opt.Config, opt)
		return func(c *chunk) { c.decide(r, nplat) }
	})
	defer p.stop()
	for c := p.next(); c != nil; c = p.next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i, row := range c.rows {
			if c.rowErr != nil && i == c.errAt {
				return c.rowErr
			}
			if err := st.row(row, &c.outs[i], c.skips[i*nplat:(i+1)*nplat]); err != nil {
				return err
			}
		}
		if c.readErr != nil {
			return c.readErr
		}
		p.recycle(c) // its conversions were written: the reader may reuse it
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	p.release() // its chunks are not needed for the settling
	return st.finish(ctx)
}

// PatientRevocations are withdrawals that outlive their rows. A patient
// who revokes on one row is kept out on every row of the export
// (consent_revoked_patient) — but a nightly export is a rolling window:
// once the revoking row left it, the patient's later visits were sent (a
// month's simulation: seven visits excluded for thirteen nights, then
// sent at once). So an upload remembers them: Prior holds the keyed
// digests (eventid.Deriver.RevokedPatient) of patients revoked in earlier
// runs, whose rows are withdrawn as if they revoked there; the run fills
// New with every patient a row of this export revokes, remembered already
// or not: the ledger keeps a withdrawal per run that saw it, so undoing
// one run leaves what the others saw.
//
// Each holds, per patient digest, the day (unix seconds, the day's start
// in the clinic's zone) from which their appointments are withdrawn: 0 for
// every appointment; a day for a dated revocation under
// consent.revoked_allows_earlier. Prior is a keyset.Mins: the ledger
// never forgets a withdrawal, and every row with a patient key asks it;
// a run that cannot read it (its file) stops before anything is sent.
// New holds the revoking rows' records, for the ledger to merge
// (Revoking). Neither grows the heap with the patients.
//
// PriorIdentifiers holds, likewise, the digests of the emails and phone
// numbers the withdrawing rows of earlier runs carried
// (ReasonIdentifierWithdrawn), and New records this run's with its
// patients (Revoking.EachIdentifier).
//
// IdentifierWithdrawers holds, of PriorIdentifiers' digests that more
// than one patient's withdrawals carried, minus how many patients
// (ledger.IdentifierWithdrawers; nil: one each): the fan-out alarm judges
// a remembered identifier against them (fanout.go), as it judges
// tonight's against tonight's withdrawers.
type PatientRevocations struct {
	Prior                 *keyset.Mins
	PriorIdentifiers      *keyset.Mins
	IdentifierWithdrawers *keyset.Mins
	New                   Revoking
	// Rekeyed holds the withdrawals tonight's rows matched under the
	// previous secret (Options.PreviousKey), for the ledger to re-key;
	// Unwrapped those matched under a patient key's Excel text formula
	// as an older hashgate read it (literal.go: ledger.RekeyLiteral).
	Rekeyed, Unwrapped Rekeying
}

// Close releases Prior, PriorIdentifiers, IdentifierWithdrawers and New;
// r may be nil.
func (r *PatientRevocations) Close() {
	if r != nil {
		r.Prior.Close()
		r.PriorIdentifiers.Close()
		r.IdentifierWithdrawers.Close()
		r.New.Close()
		r.Rekeyed.Close()
		r.Unwrapped.Close()
	}
}
