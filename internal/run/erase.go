package run

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// EraseRequest is what `hashgate ledger erase` was given: the patients'
// keys, and where their events come from — the clinic's archived exports
// holding their rows (as `ledger find` takes them), a list of their order
// ids or event ids, or both.
type EraseRequest struct {
	Patients string   // a file of patient keys ("-": standard input)
	Orders   string   // a file of order ids or event ids ("-": standard input; "" for none)
	Exports  []string // export files ("-": standard input, once)
	// Folded erases, as the patient's, the exports' rows whose key
	// matches a listed one only when case, full-width forms and leading
	// zeros are ignored (FindRequest.Folded); without it they are named
	// apart (Erasure.FoldedOnly) and their events kept.
	Folded bool
}

// Erasure is what ErasePatients did: of Listed patients, the ledger kept
// the withdrawal of Erased.Kept and wrote Erased.Written's; of the Orders
// listed (order ids or event ids) and the Rows of the exports found to be
// the patients' (Matched of the Keys listed, as written, have one),
// Erased.Events occurrences were erased. Listed counts the patients as
// their withdrawals are kept, folded (0123 and 123 are one); Keys as
// their rows are picked, as written (two).
type Erasure struct {
	Listed, Orders      int
	Keys, Rows, Matched int
	// FoldedOnly are the exports' rows (file:line) whose key matches a
	// listed one only when case, full-width forms or leading zeros are
	// ignored (Found.FoldedOnly); their events were erased only when
	// Folded.
	FoldedOnly []string
	Folded     bool
	// UnderPrevious is how many withdrawn patients the ledger remembers
	// only under the previous secret, which the keys listed could not be
	// matched against: HASHGATE_PREVIOUS_SECRET was not given. Records of
	// the listed patients among them may remain (judgePrevious).
	UnderPrevious int
	// SentBeforeRotation: the exports' rows or the order ids listed were
	// made into event ids under the secret alone, and the ledger holds
	// requests from before its last rotation, whose ids are the previous
	// secret's: the patients' events among them may remain.
	SentBeforeRotation bool
	// SentBeforeOlderRotation: the ledger holds requests from before the
	// rotation before its last one, whose event ids are a secret's older
	// than the previous one: out of erase's reach (exports or order ids).
	SentBeforeOlderRotation bool
	// FirstNight: the rotation's first night (underFirstNight): the keys
	// and ids were made under HASHGATE_PREVIOUS_SECRET, the ledger's
	// secret until the night's upload records the rotation.
	FirstNight bool
	ledger.Erased
}

// ErasePatients erases what the ledger at lpath holds of the patients
// whose keys patientsFile lists, and of the events ordersFile names
// (order ids as input.columns.order_id holds them, or event ids as a
// review CSV shows them; "" for none), keeping each patient's withdrawal
// so that no later row of theirs is sent (ledger.Erase says what goes and
// what stays, and why). `ledger unrevoke --patients`, the only
// per-patient delete before, forgot the withdrawal itself: the next
// upload sent a later row of the patient ticked "yes" by mistake.
//
// The ledger cannot tie an event to a patient — an event id is the keyed
// hash of its order id alone — so the events come from the caller. An
// order id makes the visit's event id and its booking's
// (eventid.Derive, DeriveBooking); a composite order id (several columns,
// the appointment time among them) is made from the time as read, which
// a list cannot spell, so with one the list must give event ids.
//
// Both files are read as `unrevoke --patients` reads its list, and every
// refusal (the files, the secret, the fingerprint, the schema) comes
// before the ledger is opened for writing. Nothing of a key or an id is
// printed or kept.
//
// With exports, the patients' rows are picked from them and their event
// ids made exactly as `ledger find` picks and makes them (findRows:
// pipeline.EachRowIDs, the upload's own derivation: a composite key's time
// as read, the legacy id, the booking id), whatever the consent cell says
// — so one step erases every event of hers that `ledger find` would
// answer with, a composite order id included, with no id copied by hand.
// Rows are hers by the key as written, as find answers: picked by the
// withdrawal memory's fold, erase erased the events of chart 123 listed
// as 0123 — in many clinics' software another patient, whose ledger
// entries (the clinic's proof of what was sent for him, and what keeps
// his rows in a rolling export from being sent again) cannot be brought
// back. A row that matches only under the fold is named
// (Erasure.FoldedOnly) and erased only with req.Folded, when the officer
// has checked that it is hers.
//
// Erase offers nothing for the events of other patient keys that carried
// an e-mail address or phone number of hers (a mother's phone on her
// children's charts), which `ledger find` counts (Found.CarriedByOthers):
// they are the other patients' records — sent on their consent, and the
// clinic's proof of what was sent for them, which keeps their rows in a
// rolling export from going again — so her request cannot erase them.
//
// The withdrawal erase keeps stays on the folded key (RememberedDigest):
// listing 0123 keeps 123's later rows out too. That errs on the side of
// not sending — a visit of 123's not sent is a conversion lost, a row of
// 0123's sent after she objected is her data disclosed, which nothing
// recalls — and it is the one key the ledger remembers withdrawals under:
// an upload that saw 0123 withdraw keeps 123 out the same way, and looks
// withdrawals up by nothing else (`unrevoke --patients 123` would forget
// hers too). A withdrawal by the key as written would need a second
// digest in revoked_patients, and every upload to look it up.
func ErasePatients(ctx context.Context, env *Env, cfg *config.Config, lpath string, req EraseRequest, open func() (*ledger.Ledger, error)) (Erasure, error) {
	patientsFile, ordersFile := req.Patients, req.Orders
	column := cfg.Input.Columns.PatientKey
	stdin := 0
	for _, p := range append([]string{req.Patients, req.Orders}, req.Exports...) {
		if p == "-" {
			stdin++
		}
	}
	switch {
	case stdin > 1:
		return Erasure{}, &UsageError{Err: errors.New("standard input (-) can be read once: give the other lists and exports as files")}
	case cfg.Secret == "":
		return Erasure{}, &config.Error{Key: "secret", Problem: "erase needs the uploads' secret (HASHGATE_SECRET): the ledger keeps keyed digests of patient keys and event ids, never the keys"}
	case column == "":
		return Erasure{}, &config.Error{Key: "input.columns.patient_key", Problem: "erase needs the uploads' patient-key column: the withdrawal it keeps is remembered by patient"}
	case req.Folded && len(req.Exports) == 0:
		return Erasure{}, &UsageError{Err: errors.New("--folded widens which rows of the exports are the patients': give it with exports (as arguments, or --export FILE)")}
	}
	env, cfg, first := underFirstNight(ctx, env, cfg, lpath)
	d := eventid.NewDeriver(cfg.Secret)
	prevD, prevCheck, err := previousDeriver(env, cfg.Secret, column)
	if err != nil {
		return Erasure{}, err
	}
	out := Erasure{Folded: req.Folded, FirstNight: first}
	var patients []ledger.ErasePatient
	m := newPatientRows(req.Folded)
	if err := readPatientKeys(env, patientsFile, func(k string) {
		legacy, _ := pipeline.LegacyDigest(d, k)
		digest, first := m.list(d, k)
		if first {
			out.Listed++
		}
		p := ledger.ErasePatient{Digest: digest, Legacy: legacy}
		previousDigests(prevD, k, &p)
		literalDigests(d, k, &p)
		patients = append(patients, p)
	}); err != nil {
		return Erasure{}, err
	}
	out.Keys = len(m.exact)
	var events [][eventid.Len / 2]byte
	var moves [][2]uint64           // her identifiers' digests under the previous secret and this one
	derived := len(req.Exports) > 0 // ids made with the secret: a wrong one erases nothing
	if len(req.Exports) > 0 {
		f := Found{prevD: prevD} // the previous secret's ids too: visits sent before a rotation
		for _, path := range req.Exports {
			if err := findRows(ctx, env, cfg, path, m, &f); err != nil {
				return Erasure{}, err
			}
		}
		out.Matched, out.Rows, out.FoldedOnly, moves = len(m.found), len(f.Rows), f.FoldedOnly, f.moves
		for _, r := range f.Rows {
			for _, id := range r.IDs {
				events = append(events, packedID(eventid.ID(id.ID)))
			}
		}
	}
	if ordersFile != "" {
		composite := len(cfg.Input.Columns.OrderID) > 1
		var bad error
		if err := readListWritten(env, "--orders", ordersFile, "nothing (one per line)", func(_ int, id, written string) {
			out.Orders++
			if eventid.Shaped(id) {
				events = append(events, packedID(eventid.ID(id)))
				return
			}
			if composite {
				bad = &UsageError{Err: errors.New("--orders: input.columns.order_id joins several columns, and the event id is made from the appointment time as read, which a list cannot spell: list the patient's event ids instead ('ledger find' prints them)")}
				return
			}
			derived = true
			orderIDs(d, id, written, func(id eventid.ID, _ string) { events = append(events, packedID(id)) })
			if prevD != nil {
				orderIDs(prevD, id, written, func(id eventid.ID, _ string) { events = append(events, packedID(id)) })
			}
		}); err != nil {
			return Erasure{}, err
		}
		if bad != nil {
			return Erasure{}, bad
		}
	}
	w, err := ledger.ReadWithdrawals(ctx, lpath)
	remembered := w.Patients.Len()
	w.Patients.Close()
	w.Identifiers.Close()
	w.Withdrawers.Close()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		led, err := open() // says there is no ledger, as the other ledger commands do
		if err == nil {
			led.Close()
			err = fmt.Errorf("ledger %s: %w", DisplayPath(lpath), ledger.ErrNoLedger)
		}
		return Erasure{}, err
	case err != nil:
		return Erasure{}, fmt.Errorf("ledger %s could not be read (%s)", DisplayPath(lpath), readCause(err))
	case w.Schema < ledger.Current():
		return Erasure{}, &UsageError{Err: fmt.Errorf(
			"ledger %s is of schema %d, older than this hashgate's %d: run erase with the hashgate the uploads use, or let an upload with this one upgrade the ledger first (one way); nothing was erased", DisplayPath(lpath), w.Schema, ledger.Current())}
	case remembered > 0 && w.Check != d.RevokedKeyCheck(column):
		// A withdrawal written under another secret or column would
		// match no row of the patient: she would be sent.
		return Erasure{}, &config.Error{Key: "secret", Problem: fmt.Sprintf(
			"the ledger remembers %d withdrawn patient(s) under another secret (HASHGATE_SECRET) or patient-key column (input.columns.patient_key), or from before it kept their fingerprint: the withdrawals erase keeps would match no row; run with the uploads' secret and column (after one upload, if it kept no fingerprint); nothing was erased", remembered)}
	}
	var prevEvents string // the event ids made under the previous secret: judged by its key
	if derived && prevD != nil {
		prevEvents = prevD.EventKeyCheck()
	}
	usePrev, unreached, err := judgePrevious(w, prevCheck, "nothing was erased", prevEvents)
	if err != nil {
		return Erasure{}, err
	}
	if !usePrev {
		for i := range patients {
			patients[i].Previous, patients[i].PreviousLegacy = 0, 0
		}
	}
	out.UnderPrevious = unreached
	led, err := open()
	if err != nil {
		return Erasure{}, err
	}
	defer led.Close()
	if derived || remembered == 0 {
		// Ids made under another secret than the uploads' match nothing:
		// the erasure would report success and erase none of her events.
		// With no withdrawal remembered yet, the one erase writes is
		// fingerprinted with this secret: under another, it matches none
		// of her rows, and the next upload stops on the fingerprint, its
		// way out (--accept-new-ids) throwing the withdrawal away (the
		// day's diff review: exit 0, "wrote it for 1").
		keys, err := led.EventKeys(ctx)
		if err != nil {
			return Erasure{}, fmt.Errorf("ledger: %w", err)
		}
		if w := eventKeyWarnings(keys, d.EventKeyCheck(), nil); len(w) > 0 {
			return Erasure{}, &config.Error{Key: "secret", Problem: w[0] + "; nothing was erased"}
		}
	}
	if remembered == 0 {
		// The withdrawals written now are made under this secret and
		// column: the uploads compare theirs with it.
		if err := led.SetRevokedKey(ctx, d.RevokedKeyCheck(column)); err != nil {
			return Erasure{}, fmt.Errorf("ledger: %w", err)
		}
	}
	if prevD == nil && derived {
		if out.SentBeforeRotation, err = led.SentBeforeRotation(ctx); err != nil {
			return Erasure{}, fmt.Errorf("ledger: %w", err)
		}
	}
	if derived {
		if out.SentBeforeOlderRotation, err = led.SentBeforeOlderRotation(ctx); err != nil {
			return Erasure{}, fmt.Errorf("ledger: %w", err)
		}
	}
	erased, err := led.EraseMoving(ctx, patients, events, moves)
	if err != nil {
		return Erasure{}, fmt.Errorf("ledger: %w", err)
	}
	warnUnrecorded(env, RecordLedgerChange(context.WithoutCancel(ctx), env, led, lpath))
	out.Erased = erased
	return out, nil
}

// packedID is an event id as the ledger packs it (16 bytes).
func packedID(id eventid.ID) [eventid.Len / 2]byte {
	b, _ := hex.DecodeString(string(id))
	return [eventid.Len / 2]byte(b)
}
