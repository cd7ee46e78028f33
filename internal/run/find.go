package run

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
)

// FindRequest is what `hashgate ledger find` was given: a patient's rows
// as a privacy officer holds them — the clinic's archived exports and the
// patients' keys, or the order ids alone.
type FindRequest struct {
	Exports  []string // export files ("-": standard input, once)
	Patients string   // a file of patient keys ("-": standard input)
	Orders   string   // a file of order ids ("-": standard input)
	// Folded lists as the patient's the rows whose key matches a listed
	// one only when case, full-width forms and leading zeros are ignored
	// (the withdrawal memory's fold, consent.Key); without it they are
	// named apart (Found.FoldedOnly), not answered as theirs.
	Folded bool
}

// FindRow is a row of an export (or a line of --orders) found to be the
// patient's, named by where it is, never by a value of it.
type FindRow struct {
	Input string // the export's name as messages show it (DisplayPath)
	Line  int    // for --orders: the id's place in the list
	// IDs are the row's event ids, visit first (eventid: the visit's, an
	// older hashgate's of the order id as written when it differs, the
	// booking's).
	IDs []FindID
	// Sent: a request carrying one of its ids left for a platform.
	Sent bool
	// Recorded: the ledger holds one of its ids, sent or held back.
	Recorded bool
}

// Where is the row as an answer names it: file:line, or for --orders the
// list and the id's place in it.
func (r FindRow) Where() string {
	if strings.HasPrefix(r.Input, "--orders ") {
		return fmt.Sprintf("%s, id %d", r.Input, r.Line)
	}
	return fmt.Sprintf("%s:%d", r.Input, r.Line)
}

// FindID is one event id a row makes and what kind of event it is.
type FindID struct {
	ID   string
	Kind string // "visit" or "booking"
}

// FindSighting is one run's record of one of the patient's events at one
// destination (ledger.Sighting), with the row it was made of and the
// event's kind and name as configured now (the ledger keeps no names).
type FindSighting struct {
	ledger.Sighting
	Row       string // file:line
	Kind      string
	EventName string // "" for Google: its conversion action is the destination
}

// Found is the answer of FindPatient.
type Found struct {
	// ByOrders: the lookup was by order ids alone (no patient key).
	ByOrders bool
	// Listed is how many patients (or order ids) were listed; Matched how
	// many of them have rows in the exports (every order id does).
	Listed, Matched int
	Rows            []FindRow
	Sightings       []FindSighting
	// Withdrawals are the runs that remember a withdrawal of a listed
	// patient, oldest first; WithdrawalsUnknown says why the ledger's
	// memory could not be read for them ("" when it could).
	Withdrawals        []ledger.Withdrawal
	WithdrawalsUnknown string
	// Erased is when `ledger erase` erased a listed patient (zero: it
	// did not, or it cannot be told): what was sent before it is no
	// longer in the ledger, so a row not in it may have been sent.
	Erased time.Time
	// Zone is the clinic's (a withdrawal's day is a day there).
	Zone *time.Location
	// IdentifierWithdrawals are the withdrawals remembered by an email
	// address or a phone number the patient's rows carry (schema 14:
	// a withdrawn patient renumbered by a new practice system, a
	// family's one phone), by kind, email first: every upload keeps those
	// rows out whatever their patient key says.
	IdentifierWithdrawals []IdentifierWithdrawal
	// FoldedOnly are the rows (file:line) whose patient key matches a
	// listed one only when case, full-width forms or leading zeros are
	// ignored: in a clinic system that tells 0123 from 123, or ab1 from
	// AB1, another patient's. Listed as the patient's only when Folded.
	FoldedOnly []string
	Folded     bool
	// Warnings name what may hide a sent event from this lookup (ids
	// made under another secret).
	Warnings []string
	// CarriedByOthers are, per kind of identifier and destination, the
	// events of rows not listed as the patient's that carried an e-mail
	// address or phone number her rows carry and were sent (counts only: they are other
	// patients' records, not listed); CarriedUnknown says why that
	// cannot be told ("" when it can).
	CarriedByOthers []CarriedByOthers
	CarriedUnknown  string
	// CarriedMany are the kinds of identifier of which one or more of
	// hers were carried by rows of more than carriedMaxOthers other
	// patient keys each: those identifiers are not counted (a placeholder
	// or the clinic's own contact), her others are.
	CarriedMany []CarriedMany
	// ids are the digests of the identifiers the patient's rows carry,
	// by kind (pipeline.RowIDs.Identifiers).
	ids map[identifier.Field]map[uint64]bool
	// prev are the listed patients' digests under the previous secret
	// (HASHGATE_PREVIOUS_SECRET, previousKey), and prevCheck its
	// fingerprint: a withdrawal still waiting under it after a rotation
	// is this patient's as the upload that holds her back knows.
	prev      []uint64
	prevCheck string
	// prevD is the previous secret (nil: none), and prevIDs the digests
	// under it of the identifiers the patient's rows carry, by kind: her
	// phone remembered under it after a rotation is hers as the upload
	// that holds her rows back by it knows (pipeline.RowIDs.IdentifiersUnder).
	prevD   *eventid.Deriver
	prevIDs map[identifier.Field]map[uint64]bool
	// moves pairs each identifier's digest under the previous secret with
	// its digest under the secret, once each (addMoves), for erase to
	// move her suppression records (ledger.EraseMoving).
	moves [][2]uint64
	moved map[[2]uint64]bool
}

// IdentifierWithdrawal is the memory of a withdrawal by one kind of
// identifier: By is "email" or "phone", Runs as Found.Withdrawals.
type IdentifierWithdrawal struct {
	By   string
	Runs []ledger.Withdrawal
}

// FindPatient answers a patient's access request: which of the events an
// upload made of their rows the ledger holds — where, when, with what
// time, in which run, in which state — and whether their withdrawal is
// remembered. The rows are found in the exports by the patient key's
// keyed digest (as withdrawals are remembered: pipeline.RememberedDigest),
// their event ids made by the pipeline's own derivation
// (pipeline.EachRowIDs) whatever their consent cell says: this is a
// lookup, nothing is sent, written or remembered, and the withdrawal
// memory is only read. Nothing of another patient is returned: only the
// ids made of the listed patients' rows are looked up (ledger.Find) and
// listed — the ids of other rows that carry an e-mail address or phone
// number of theirs are looked up only to be counted (carriedByOthers) —
// and a row is the patient's only when its key is the listed key as written
// (pipeline.ExactDigest); a row that matches only under the withdrawal
// memory's fold (case, leading zeros) may be another patient's, and is
// named apart by file:line (Found.FoldedOnly) unless req.Folded.
//
// The ledger at lpath is opened read-only by open. The secret must be the
// uploads': the ids are keyed with it.
func FindPatient(ctx context.Context, env *Env, cfg *config.Config, req FindRequest, open func() (*ledger.Ledger, error)) (Found, error) {
	f := Found{Zone: cfg.Location(), Folded: req.Folded}
	column := cfg.Input.Columns.PatientKey
	switch {
	case req.Orders != "" && (req.Patients != "" || len(req.Exports) > 0):
		return f, &UsageError{Err: errors.New("--orders is a lookup by order ids alone: give it without exports (arguments or --export) and --patients")}
	case req.Orders == "" && (req.Patients == "" || len(req.Exports) == 0):
		return f, &UsageError{Err: errors.New("give the clinic's exports holding the patient's rows (as arguments, or --export FILE) and --patients FILE (their patient keys, one a line), or --orders FILE (order ids, one a line)")}
	case req.Folded && req.Orders != "":
		return f, &UsageError{Err: errors.New("--folded widens how rows are picked by patient key: give it with exports and --patients, not --orders")}
	case cfg.Secret == "":
		return f, &config.Error{Key: "secret", Problem: "ledger find needs the uploads' secret (HASHGATE_SECRET): the ledger holds event ids keyed with it, never an order id"}
	case req.Patients != "" && column == "":
		return f, &config.Error{Key: "input.columns.patient_key", Problem: "is not set: a patient's rows cannot be told in the export; find them by --orders (their order ids) instead"}
	case req.Orders != "" && len(cfg.Input.Columns.OrderID) > 1:
		return f, &config.Error{Key: "input.columns.order_id", Problem: "is composite: its event ids are made of the appointment time as read from the export, not of an id one can list; find them by the exports and --patients"}
	case countStdin(req) > 1:
		return f, &UsageError{Err: errors.New("standard input (-) can be read once: give the other lists as files")}
	}
	d := eventid.NewDeriver(cfg.Secret)
	var digests []uint64 // the listed patients', and an older hashgate's
	prevD, prevCheck, err := previousDeriver(env, cfg.Secret, column)
	if err != nil {
		return f, err
	}
	f.prevD, f.prevCheck = prevD, prevCheck
	m := newPatientRows(req.Folded)
	if req.Orders != "" {
		f.ByOrders = true
		if err := readListWritten(env, "--orders", req.Orders, "no id (one per line)", func(line int, id, written string) {
			f.Listed++
			f.Matched++
			row := FindRow{Input: "--orders " + listName(req.Orders), Line: line}
			orderIDs(d, id, written, func(id eventid.ID, kind string) { row.IDs = append(row.IDs, FindID{string(id), kind}) })
			if prevD != nil {
				orderIDs(prevD, id, written, func(id eventid.ID, kind string) { row.IDs = append(row.IDs, FindID{string(id), kind}) })
			}
			f.Rows = append(f.Rows, row)
		}); err != nil {
			return f, err
		}
	} else {
		if err := readPatientKeys(env, req.Patients, func(k string) {
			if dg, first := m.list(d, k); first {
				digests = append(digests, dg)
			}
			if legacy, differs := pipeline.LegacyDigest(d, k); differs {
				digests = append(digests, legacy)
			}
			// Her withdrawal an older hashgate remembered under her key's
			// text formula as written (="00099"), until an upload moves it,
			// and her digests under the previous secret (erase's own).
			var p ledger.ErasePatient
			literalDigests(d, k, &p)
			previousDigests(prevD, k, &p)
			for _, x := range []uint64{p.Literal, p.LiteralLegacy} {
				if x != 0 {
					digests = append(digests, x)
				}
			}
			for _, x := range []uint64{p.Previous, p.PreviousLegacy} {
				if x != 0 {
					f.prev = append(f.prev, x)
				}
			}
		}); err != nil {
			return f, err
		}
		f.Listed = len(m.exact)
		for _, path := range req.Exports {
			if err := findRows(ctx, env, cfg, path, m, &f); err != nil {
				return f, err
			}
		}
		f.Matched = len(m.found)
	}
	l, err := open()
	if err != nil {
		return f, err
	}
	defer l.Close()
	if err := f.refuseAnotherSecret(ctx, l, d, cfg); err != nil {
		return f, err
	}
	// One visit is a row of every nightly export that held it: an id
	// names all its rows, the first in the answer's line.
	var ids []string
	rowsOf := map[string][]int{}
	kindOf := map[string]string{}
	for i, r := range f.Rows {
		for _, id := range r.IDs {
			if rowsOf[id.ID] == nil {
				ids = append(ids, id.ID)
			}
			rowsOf[id.ID], kindOf[id.ID] = append(rowsOf[id.ID], i), id.Kind
		}
	}
	sightings, err := l.Find(ctx, ids)
	if err != nil {
		return f, fmt.Errorf("ledger: %w", err)
	}
	for _, s := range sightings {
		rows := rowsOf[s.EventID]
		for _, i := range rows {
			f.Rows[i].Recorded = true
			f.Rows[i].Sent = f.Rows[i].Sent || s.Sent
		}
		where := f.Rows[rows[0]].Where()
		if len(rows) > 1 {
			where += fmt.Sprintf(" (and %d more row(s))", len(rows)-1)
		}
		f.Sightings = append(f.Sightings, FindSighting{Sighting: s, Row: where, Kind: kindOf[s.EventID], EventName: eventName(cfg, s.Destination, kindOf[s.EventID])})
	}
	if err := f.carriedByOthers(ctx, env, cfg, req.Exports, m, rowsOf, l); err != nil {
		return f, err
	}
	return f, f.withdrawals(ctx, l, d, column, digests)
}

// patientRows is what findRows picks a patient's rows by: the key as
// written (pipeline.ExactDigest), as `ledger find` answers an access
// request and `ledger erase` erases, for a clinic system may number 0123
// and 123, or ab1 and AB1, as two patients; a row matching only under the
// withdrawal memory's fold is named apart (Found.FoldedOnly) and picked
// only with listFolded.
type patientRows struct {
	// folded: the listed keys' RememberedDigest: the rows to compare.
	folded map[uint64]bool
	// exact: the listed keys' ExactDigest → RememberedDigest. found: the
	// exact digests with a row picked.
	exact map[uint64]uint64
	found map[uint64]bool
	// listFolded picks the rows that match only under the fold too
	// (--folded).
	listFolded bool
}

// newPatientRows is an empty list of patients whose rows to pick, the
// rows matching only under the fold too when folded.
func newPatientRows(folded bool) *patientRows {
	return &patientRows{folded: map[uint64]bool{}, exact: map[uint64]uint64{}, found: map[uint64]bool{}, listFolded: folded}
}

// list adds the patient key k, returning its RememberedDigest and
// whether it is the first listed key of that fold.
func (m *patientRows) list(d *eventid.Deriver, k string) (digest uint64, first bool) {
	digest = pipeline.RememberedDigest(d, k)
	first = !m.folded[digest]
	m.folded[digest] = true
	m.exact[pipeline.ExactDigest(d, k)] = digest
	return digest, first
}

// picked reports whether the row is a listed patient's as findRows
// picks it: its key as written is listed, or with listFolded it matches
// one under the fold.
func (m *patientRows) picked(r pipeline.RowIDs) bool {
	if r.Patient == 0 || !m.folded[r.Patient] {
		return false
	}
	_, same := m.exact[r.PatientExact]
	return same || m.listFolded
}

// findRows adds to f the rows of the export at path that are a listed
// patient's (patientRows), marking the patients found, the rows matching
// only under the fold to f.FoldedOnly, and the identifiers of the rows
// picked to f.ids.
func findRows(ctx context.Context, env *Env, cfg *config.Config, path string, m *patientRows, f *Found) error {
	in, name, err := OpenInput(ctx, env, path)
	if err != nil {
		return &UsageError{Err: err}
	}
	defer in.Close()
	opt := pipeline.Options{Config: cfg, Key: cfg.Secret, Input: in, InputName: name, Now: env.Now()}
	var idbuf []pipeline.RowIdentifier
	return pipeline.EachRowIDs(ctx, opt, func(r pipeline.RowIDs) error {
		_, ok := m.folded[r.Patient]
		if r.Patient == 0 || !ok {
			return nil
		}
		if _, same := m.exact[r.PatientExact]; same {
			m.found[r.PatientExact] = true
		} else {
			// The raw cells were compared in the process; only
			// where the row is is kept.
			f.FoldedOnly = append(f.FoldedOnly, fmt.Sprintf("%s:%d", name, r.Line))
			if !m.listFolded {
				return nil
			}
			for e, dg := range m.exact {
				if dg == r.Patient {
					m.found[e] = true
				}
			}
		}
		idbuf = r.Identifiers(idbuf[:0])
		f.ids = addIdentifiers(f.ids, idbuf)
		if f.prevD != nil {
			n := len(idbuf)
			idbuf = r.IdentifiersUnder(f.prevD, idbuf)
			f.prevIDs = addIdentifiers(f.prevIDs, idbuf[n:])
			f.addMoves(idbuf, n)
		}
		row := FindRow{Input: name, Line: r.Line}
		row.IDs = appendRowIDs(row.IDs, r)
		if f.prevD != nil {
			// The visits sent before a rotation are in the ledger under
			// the previous secret's ids until retention.
			row.IDs = appendRowIDs(row.IDs, r.Under(f.prevD))
		}
		f.Rows = append(f.Rows, row)
		return nil
	})
}

// appendRowIDs appends the row's event ids (none without an order key),
// the visit's first.
func appendRowIDs(to []FindID, r pipeline.RowIDs) []FindID {
	if !r.Order {
		return to
	}
	to = append(to, FindID{string(r.ID), "visit"})
	if r.LegacyID != "" {
		to = append(to, FindID{string(r.LegacyID), "visit"})
	}
	to = append(to, FindID{string(r.BookingID), "booking"})
	if r.BookingLegacyID != "" {
		to = append(to, FindID{string(r.BookingLegacyID), "booking"})
	}
	return to
}

// refuseAnotherSecret refuses the lookup when the ledger holds the
// event ids sent to one of cfg's destinations under another secret than
// the one given: none of the patient's events there can be found with it,
// and "not in the ledger", exit 0, would be a wrong answer to an access
// request (a review: stderr warned, stdout said never sent). Other
// destinations' (another config's, sharing the ledger) under another
// secret are named in f.Warnings.
func (f *Found) refuseAnotherSecret(ctx context.Context, l *ledger.Ledger, d *eventid.Deriver, cfg *config.Config) error {
	keys, err := l.EventKeys(ctx)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	check := d.EventKeyCheck()
	v := judgeEventKeys(keys, cfg, check)
	if len(v.changed) > 0 && f.prevD != nil {
		// The rotation's first night (firstnight.go): every event id is
		// still the previous secret's, and her rows' ids are made under
		// it too (findRows).
		if pv := judgeEventKeys(keys, cfg, f.prevD.EventKeyCheck()); len(pv.changed) == 0 {
			check, v = f.prevD.EventKeyCheck(), pv
		}
	}
	if len(v.changed) > 0 {
		var names []string
		for _, p := range platform.All {
			if slices.Contains(v.changed, p) {
				names = append(names, p.String())
			}
		}
		return &config.Error{Key: "secret", Problem: "the ledger holds the event ids this config's uploads sent to " + strings.Join(names, " and ") +
			" under another secret (HASHGATE_SECRET) than this one: none of them can be found with it, and \"not in the ledger\" would be a wrong answer; run with the uploads' secret; nothing was looked up"}
	}
	mine, _ := keyDests(cfg)
	f.Warnings = eventKeyWarnings(keys, check, mine)
	return nil
}

// eventKeyWarnings say which destinations' ids the ledger holds under
// another secret than the one whose fingerprint is check, but those of
// skip: none of them can be found with it, and "not in the ledger" would
// be a wrong answer.
func eventKeyWarnings(keys ledger.EventKeys, check string, skip []string) []string {
	var out []string
	for _, dest := range slices.Sorted(maps.Keys(keys.Dest)) {
		if keys.Dest[dest] != check && !slices.Contains(skip, dest) {
			out = append(out, fmt.Sprintf("the ledger holds the event ids sent to %s under another secret (HASHGATE_SECRET) than this one: none of them can be found with it; run with the uploads' secret", dest))
		}
	}
	if len(keys.Dest) == 0 && keys.Whole != "" && keys.Whole != check {
		out = append(out, "the ledger holds its event ids under another secret (HASHGATE_SECRET) than this one: none of them can be found with it; run with the uploads' secret")
	}
	return out
}

// withdrawals reads which runs remember the withdrawal of a listed
// patient, or says why it cannot be told.
func (f *Found) withdrawals(ctx context.Context, l *ledger.Ledger, d *eventid.Deriver, column string, digests []uint64) error {
	if f.ByOrders {
		f.WithdrawalsUnknown = "looked up by order ids alone: the ledger remembers withdrawals by patient key (input.columns.patient_key), so whether this patient's is remembered cannot be told"
		return nil
	}
	n, err := l.RememberedRevoked(ctx)
	if err != nil || n == 0 {
		return err
	}
	was, err := l.RevokedKey(ctx)
	if err != nil {
		return err
	}
	usePrev, err := f.underPrevious(ctx, l, was, d.RevokedKeyCheck(column))
	if err != nil {
		return err
	}
	if usePrev {
		digests = append(digests, f.prev...)
	}
	switch {
	case was == f.prevCheck && was != "":
		// The rotation's first night: every withdrawal is the previous
		// secret's (underPrevious looks them up).
	case was == "":
		f.WithdrawalsUnknown = fmt.Sprintf("the ledger remembers %d withdrawal(s) from before it kept a fingerprint of the secret and patient-key column they were made under: whether one is this patient's cannot be told until an upload runs", n)
		return nil
	case was != d.RevokedKeyCheck(column):
		f.WithdrawalsUnknown = fmt.Sprintf("the ledger remembers %d withdrawal(s) under another secret (HASHGATE_SECRET) or patient-key column (input.columns.patient_key): whether one is this patient's cannot be told with these", n)
		return nil
	}
	if f.Withdrawals, err = l.Withdrawals(ctx, digests); err != nil {
		return err
	}
	if i := slices.IndexFunc(f.Withdrawals, ledger.Withdrawal.Erasure); i >= 0 {
		f.Erased = f.Withdrawals[i].At
	}
	for _, by := range []identifier.Field{identifier.Email, identifier.Phone} {
		ids := slices.Sorted(maps.Keys(f.ids[by]))
		if usePrev {
			ids = append(ids, slices.Sorted(maps.Keys(f.prevIDs[by]))...)
		}
		if len(ids) == 0 {
			continue
		}
		runs, err := l.IdentifierWithdrawals(ctx, ids)
		if err != nil {
			return err
		}
		if len(runs) > 0 {
			f.IdentifierWithdrawals = append(f.IdentifierWithdrawals, IdentifierWithdrawal{By: by.String(), Runs: runs})
		}
	}
	return nil
}

// underPrevious reports whether the listed patients' digests under the
// previous secret — of their keys (f.prev) and of their rows' e-mails and
// phones (f.prevIDs) — are looked up too: where the upload matches under
// it, after the rotation (the ledger's previous secret is it), or on its
// first night (the ledger's is it: was).
func (f *Found) underPrevious(ctx context.Context, l *ledger.Ledger, was, check string) (bool, error) {
	if f.prevCheck == "" {
		return false, nil
	}
	if was == f.prevCheck {
		return true, nil
	}
	prev, _, err := l.PreviousRevokedKey(ctx)
	if err != nil || was != check || prev != f.prevCheck {
		return false, err
	}
	return true, nil
}

// addIdentifiers adds the identifiers' digests to to, by kind.
func addIdentifiers(to map[identifier.Field]map[uint64]bool, ids []pipeline.RowIdentifier) map[identifier.Field]map[uint64]bool {
	for _, id := range ids {
		if to == nil {
			to = map[identifier.Field]map[uint64]bool{}
		}
		if to[id.Field] == nil {
			to[id.Field] = map[uint64]bool{}
		}
		to[id.Field][id.Digest] = true
	}
	return to
}

// eventName is the name an event of kind went to dest with, as
// configured now: Meta is sent conversion.event_name, or for a booking
// conversion.bookings.event_name; Google none (the conversion action is
// in the destination).
func eventName(cfg *config.Config, dest, kind string) string {
	if !strings.HasPrefix(dest, "meta:") {
		return ""
	}
	if kind == "booking" {
		return cfg.Conversion.Bookings.EventName
	}
	return cfg.Conversion.EventName
}

func countStdin(req FindRequest) int {
	n := 0
	for _, p := range append([]string{req.Patients, req.Orders}, req.Exports...) {
		if p == "-" {
			n++
		}
	}
	return n
}

func listName(file string) string {
	if file == "-" {
		return "stdin"
	}
	return DisplayPath(file)
}

// eachRowIDs opens the export at path (a file, or "-" for standard
// input) and gives fn each row's ids as an upload would make them under
// cfg: the carried count's two passes over the exports (findRows opens
// its own, for the input's name).
func eachRowIDs(ctx context.Context, env *Env, cfg *config.Config, path string, fn func(pipeline.RowIDs) error) error {
	in, name, err := OpenInput(ctx, env, path)
	if err != nil {
		return &UsageError{Err: err}
	}
	defer in.Close()
	opt := pipeline.Options{Config: cfg, Key: cfg.Secret, Input: in, InputName: name, Now: env.Now()}
	return pipeline.EachRowIDs(ctx, opt, fn)
}
