package pipeline

import (
	"fmt"
	"hash/maphash"
	"slices"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/platform"
)

// A consent column whose words changed (a review's nights: the clinic
// system began writing "checked" where it wrote "yes", or stopped filling
// the column) excluded every row — consent_not_granted, consent_missing —
// and the upload exited 0, silent with --quiet. The status column's drift
// stops a run (package run's statusMismatch); this is the consent
// column's: judged over the whole export, a column of an enabled
// platform none of whose rows is granted stops the run before anything
// is sent when some of its values are words the config does not know
// (neither granted nor a refusal, withdrawal or scope), or when every one
// of its cells is empty. A night on which every patient refused, in words
// the policy knows, still passes: default-deny is the rule, not a fault.
// Errors name the key and the first such cell's file:line:column, never a
// value; the distinct unknown words are counted, not shown.
//
// A review found it halted ordinary nights, so drift is judged only where
// the column has worked before: the verdict stops the run only when the
// ledger shows that a destination the column gates accepted events
// before (Options.ConsentWorked), and only over at least consentMinRows
// rows. Elsewhere — a new setup, a platform's own column nobody has agreed
// to yet, a dry run or `write`, which have no ledger to ask, a small
// night — it is one warning line (Options.ConsentWarn) beside the
// summary's exclusion counts. The plain refusal of a yes/no column ("0"
// beside a granted "1", "f" beside "t", "n", "no", "false") is a known
// refusal whenever consent.granted holds its positive counterpart: the
// policy reads it as a denial (consent.plainRefusals).
//
// Over the whole export one granted row disarms the check: a rolling
// export holding a replaced clinic system's rows beside the new one's
// passed the new words with exit 0. The rows new to the ledger are judged
// on their own too (freshpart.go).

// Kinds of a consent cell, as the drift check sees it; consentUnread (the
// zero value) for a row whose cells were not read (a refused record).
const (
	consentUnread int8 = iota
	consentEmpty
	consentGranted
	consentKnown   // a refusal, withdrawal or scope the policy knows
	consentUnknown // consent_not_granted: a word the config does not know
)

// maxConsentCols bounds the consent columns a row notes (outcome.consent):
// the shared one and each platform's own. A column beyond it is not judged.
const maxConsentCols = 3

// consentMinRows is how many rows with the column's cell considered it
// takes to judge its words: one unconsented visit is a small night, not a
// drift.
const consentMinRows = 10

// consentNote is what one row says of one consent column (by index in
// runner.wcols).
type consentNote struct {
	kind      int8
	line, col int32  // where, for an empty or unknown cell
	word      uint64 // an unknown word's digest (wordSeed): counted, never shown
}

// wordSeed keys the digests of unknown consent words: this process's own,
// as patientSeed; they are only ever compared within one run.
var wordSeed = maphash.MakeSeed()

// noteConsent notes the row's cell of consent column j (c, value v), as
// the policy screened it (reason, and the day of a dated revocation).
func (r *runner) noteConsent(j int, row export.Row, c export.Column, v, reason string, revokedOn time.Time, o *outcome) {
	if j >= maxConsentCols {
		return
	}
	n := &o.consent[j]
	switch {
	case reason == consent.ReasonMissing:
		n.kind = consentEmpty
	case reason == "" && revokedOn.IsZero():
		n.kind = consentGranted
		return
	case reason == consent.ReasonNotGranted:
		n.kind = consentUnknown
		n.word = maphash.String(wordSeed, consent.Fold(v))
	default:
		n.kind = consentKnown
		return
	}
	line, col := row.Position(c)
	n.line, n.col = int32(line), int32(col)
}

// consentTally is the drift check's count for one consent column.
type consentTally struct {
	rows, empty, granted, unknown int
	firstEmpty, firstUnknown      [2]int32
	words                         map[uint64]struct{} // distinct unknown words, up to maxWords
}

// maxWords caps the distinct unknown words counted.
const maxWords = 100

// consentDrift judges the consent columns of the enabled platforms over
// the whole export (settler.row notes, finish asks err).
type consentDrift struct {
	cfg     *config.Config
	name    string
	cols    []export.Column       // runner.wcols, in its order
	gates   [][]platform.Platform // per column, the enabled platforms it gates (none: not judged)
	tallies []consentTally
	worked  func(platform.Platform) bool // Options.ConsentWorked
	warn    func(error)                  // Options.ConsentWarn
	// The rows new to the ledger, counted apart (freshpart.go): per
	// column, and the status cells; status is the whole export's.
	fresh               freshPart
	freshTallies        []consentTally
	status, freshStatus statusTally
}

// newConsentDrift returns the check for opt's run, or nil when it has
// none: a check fixture (Options.Fixtures) is judged row by row.
func newConsentDrift(opt Options) *consentDrift {
	if opt.Fixtures {
		return nil
	}
	d := &consentDrift{cfg: opt.Config, name: opt.InputName, cols: withdrawColumns(opt.Config, opt.Whole),
		worked: opt.ConsentWorked, warn: opt.ConsentWarn}
	own, ps := consentColumns(opt.Config), opt.Config.Enabled()
	for _, c := range d.cols {
		var gates []platform.Platform
		for i, oc := range own {
			if oc == c {
				gates = append(gates, ps[i])
			}
		}
		d.gates = append(d.gates, gates)
	}
	d.tallies = make([]consentTally, len(d.cols))
	d.fresh, d.freshTallies = newFreshPart(opt), make([]consentTally, len(d.cols))
	return d
}

// note counts one row's consent notes.
func (d *consentDrift) note(o *outcome) {
	if d == nil {
		return
	}
	for j := range min(len(d.cols), maxConsentCols) {
		d.tallies[j].add(&o.consent[j])
	}
	d.noteFresh(o) // the rows new to the ledger (freshpart.go)
}

// add counts one row's note of the column.
func (t *consentTally) add(n *consentNote) {
	switch n.kind {
	case consentUnread:
		return
	case consentEmpty:
		if t.empty == 0 {
			t.firstEmpty = [2]int32{n.line, n.col}
		}
		t.empty++
	case consentGranted:
		t.granted++
	case consentUnknown:
		if t.unknown == 0 {
			t.firstUnknown = [2]int32{n.line, n.col}
		}
		t.unknown++
		if t.words == nil {
			t.words = map[uint64]struct{}{}
		}
		if len(t.words) < maxWords {
			t.words[n.word] = struct{}{}
		}
	}
	t.rows++
}

// err is the verdict: nil, or a *config.Error naming the key to check and
// where, for the first column that drifted where it worked before
// (hasWorked). A column that drifted elsewhere is warned of, the first
// only: one line, not a stop.
func (d *consentDrift) err() error {
	if d == nil {
		return nil
	}
	warned := false
	for j := range d.tallies {
		worked := d.hasWorked(j)
		e, hint := d.drifted(d.tallies[j], j, worked, "")
		switch {
		case e == nil:
		case worked:
			e.Problem += "; nothing was sent. " + hint
			return e
		case !warned && d.warn != nil:
			d.warn(e)
			warned = true
		}
	}
	return d.freshErr()
}

// hasWorked reports whether the ledger shows a destination column j gates
// accepted events before: only then is a column none of whose rows is
// granted a drift, not a consent never collected yet.
func (d *consentDrift) hasWorked(j int) bool {
	if d.worked == nil {
		return false
	}
	return slices.ContainsFunc(d.gates[j], d.worked)
}

// drifted is column j's verdict over t (the whole export's tally, or
// part's: the rows it names, freshpart.go), and what a stop adds: the way past it
// for a run a person has checked. Where the column never worked (a first
// setup) it says what the export does, not that it changed: "no longer
// fills the column" misled on a clinic's first dry-run (a review,
// Dental4Windows' blank Marketing Consent).
func (d *consentDrift) drifted(t consentTally, j int, worked bool, part string) (*config.Error, string) {
	if len(d.gates[j]) == 0 || t.rows < consentMinRows || t.granted > 0 {
		return nil, ""
	}
	c := d.cols[j]
	header := d.cfg.Input.Columns.ByKey(c.Key())
	switch {
	case t.unknown > 0:
		words := fmt.Sprintf("%d distinct value(s)", len(t.words))
		if len(t.words) >= maxWords {
			words = fmt.Sprintf("more than %d distinct values", maxWords)
		}
		changed := "the export's consent words changed"
		if !worked {
			changed = "consent.granted does not list the export's words"
		}
		return &config.Error{Key: "consent.granted", Problem: fmt.Sprintf(
				"%s:%d:%d: column %q (input.columns.%s): none of the %d rows%s has a value in consent.granted %q, and %d of them hold %s that are neither granted nor a refusal or withdrawal hashgate knows (consent_not_granted): "+
					"%s, or input.columns.%[5]s maps another column. List the words that mean yes in consent.granted (and those that mean no in consent.denied), "+
					"or map the consent column: look at the column in the export (hashgate prints no cell, and 'hashgate inspect' shows only the consent words it knows)",
				d.name, t.firstUnknown[0], t.firstUnknown[1], header, c.Key(), t.rows, part, d.cfg.Consent.Granted, t.unknown, words, changed)},
			"If the export changed on purpose and these words really are refusals, run `hashgate upload --accept-new-ids` once (it also passes, for that night, the safety net on new event ids and the secret's and order ids' checks: only when nothing else changed)"
	case t.empty == t.rows:
		fills := "the export no longer fills the column"
		if !worked {
			fills = "the export does not fill the column (the clinic system has not recorded consent yet)"
		}
		return &config.Error{Key: "input.columns." + c.Key(), Problem: fmt.Sprintf(
				"%s:%d:%d: column %q: the consent cell of every one of the %d rows%s is empty (consent_missing): %s, or input.columns.%s maps another one; "+
					"map the column that holds consent, or export it again from the clinic system",
				d.name, t.firstEmpty[0], t.firstEmpty[1], header, t.rows, part, fills, c.Key())},
			"If a blank cell means no and every patient tonight refused, run `hashgate upload --accept-new-ids` once (it also passes, for that night, the safety net on new event ids and the secret's and order ids' checks: only when nothing else changed)"
	}
	return nil, ""
}
