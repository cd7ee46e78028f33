package pipeline

import (
	"fmt"
	"slices"

	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/report"
)

// fanOut counts, per identifier, what the identifier rule
// (ReasonIdentifierWithdrawn) withdrew against who withdrew it: a family's
// phone withdraws a child or two; an e-mail or phone carried by dozens of
// patient keys is no patient's — the clinic's own, a placeholder
// (noemail@clinic.com) — and one withdrawal kept a whole export out with
// exit 0 (a review: 40 patients, one revokes, 0 of 40 sent).
//
// Per identifier, not summed over the run: a sum was both too loud (the
// children of three mothers who withdrew last night carry their phones:
// remembered, they counted against a threshold of 5 every night the
// children visited — exit 3 for a family) and too quiet (20 withdrawals
// tonight and one placeholder on 50 charts: 50 ≤ 3 × 20). So each
// digest tonight's withdrawing rows carried (samenightids.go) counts the
// distinct patients whose rows withdrew it and the distinct other patient
// keys it withdrew; past max(fanOutMin, fanOutPer × its withdrawers) the
// summary says so (report.IdentifierFanOut) and an upload exits 3.
//
// An identifier the ledger remembers from an earlier night is judged the
// same way, on its own: the digest that withdrew a row (outcome.
// idRemembered) is kept in the row's record (appendRemembered: 8 bytes on
// those rows alone), and each counts the distinct other patient keys it
// withdrew tonight against max(fanOutMin, fanOutPer × the patients the
// ledger remembers it for: PatientRevocations.IdentifierWithdrawers, one
// when absent). They were counted together, summary only: a remembered
// placeholder beside many small families was indistinguishable from the
// families, and a re-run of the withdrawal night's export (a retry, a
// second cron run), whose placeholder is remembered by then, said it
// with exit 0 where the first run exited 3 (a review). A remembered
// identifier that crosses exits 3 as tonight's does, every night it
// crosses, until it is listed under input.not_patient_identifiers: no
// family has more than fanOutMin other charts on one phone, whichever
// night its withdrawal was.
//
// The rows stay withdrawn. A row without a patient key counts as a key
// of its own (its line). Distinct pairs are counted in keysets; the
// digests tonight's withdrawing rows carried are kept once each with two
// counters (16 bytes each, as many as those rows' e-mails and phones);
// the remembered ones that withdrew a row tonight once each with a
// counter (a map: as many as the ledger's remembered identifiers that
// withdrew a row, at most, never the export's rows).
//
// Limit: a remembered placeholder whose damage is spread over nights (a
// few other charts a night, every night) stays below the threshold each
// night: nights are not added up (docs/contract.md says what it would
// take).
type fanOut struct {
	sum        *report.Summary
	name       string
	remembered bool
	rows       int          // this run's withdrawing rows carrying an identifier
	first      int          // the first one's line
	wpairs     *keyset.Set  // (digest, withdrawer) pairs seen; nil until one
	wdigests   *keyset.Keys // a digest per new pair: sorted once settling begins
	digests    []uint64     // tonight's digests, each once, sorted
	withdrew   []int32      // per digest: its withdrawing patients
	others     []int32      // per digest: the other patient keys it withdrew
	sorted     bool
	pairs      *keyset.Set // (digest, other key) pairs seen; nil until one
	withdrawn  int         // rows withdrawn by an identifier
	// The ledger's identifiers: the distinct other keys each withdrew
	// tonight, and how many patients the ledger remembers it for.
	remOthers   map[uint64]int32
	remPairs    *keyset.Set // (remembered digest, other key) pairs seen; nil until one
	withdrawers *keyset.Mins
}

// The alarm's threshold per identifier. fanOutMin: a household rarely has
// more than a handful of charts on one phone (a mother and her children),
// a placeholder or the clinic's own number is on dozens; 10 leaves a large
// family quiet. fanOutPer: each withdrawing patient of one value (two
// parents, one phone) may account for a family of their own.
const (
	fanOutMin = 10
	fanOutPer = 3
)

func newFanOut(opt Options, sum *report.Summary) fanOut {
	f := fanOut{sum: sum, name: opt.InputName}
	f.remembered = opt.Revoked != nil && opt.Revoked.PriorIdentifiers.Len() > 0
	if f.remembered {
		f.withdrawers = opt.Revoked.IdentifierWithdrawers
	}
	return f
}

// fanKey is the key a row counts under: its patient's, or, without one,
// its own line (a row of no key is a key of its own).
func fanKey(o *outcome, line int) uint64 {
	if o.hasPatient {
		return o.patient
	}
	return keyset.Mix(uint64(line) ^ 0x6c696e65)
}

// pairKey is the key of the pair (digest d, patient key k) in a keyset.
func pairKey(d, k uint64) uint64 { return keyset.Mix(d ^ keyset.Mix(k)) }

// withdrawing counts a row that withdraws its patient and carries an
// identifier (withdrawals.noteIdentifiers), on line.
func (f *fanOut) withdrawing(o *outcome, line int) error {
	if f.rows++; f.rows == 1 {
		f.first = line
		f.wpairs, f.wdigests = keyset.New("", keyset.Sizes{}), keyset.NewKeys(0)
	}
	k := fanKey(o, line)
	for _, d := range o.heldIDs {
		seen, err := f.wpairs.Seen(pairKey(d, k), true)
		if err != nil {
			return err
		}
		if !seen {
			f.wdigests.Append(d)
		}
	}
	return nil
}

// sort makes digests and withdrew of the withdrawing rows' pairs, once:
// every withdrawing row is noted before the first row settles.
func (f *fanOut) sort() {
	f.sorted = true
	if f.wdigests == nil {
		return
	}
	s := f.wdigests.Slice()
	slices.Sort(s)
	for i, d := range s {
		if i == 0 || d != s[i-1] {
			f.digests, f.withdrew = append(f.digests, d), append(f.withdrew, 0)
		}
		f.withdrew[len(f.withdrew)-1]++
	}
	f.others = make([]int32, len(f.digests))
	f.wdigests.Close()
	f.wdigests = nil
}

// settled counts a settled row (on line) whose reason is reason, and
// raises the alarm in the summary once one identifier has withdrawn too
// many others.
func (f *fanOut) settled(o *outcome, reason string, line int) error {
	d := o.idTonight
	o.idTonight = 0
	if reason != ReasonIdentifierWithdrawn {
		return nil
	}
	if !f.sorted {
		f.sort()
	}
	f.withdrawn++
	if f.sum != nil && f.sum.IdentifierFanOut != nil {
		// Every row, not those up to the crossing: the count is the
		// export's whatever its rows' order.
		f.sum.IdentifierFanOut.Rows = f.withdrawn
	}
	k := fanKey(o, line)
	if d == 0 {
		return f.rememberedWithdrew(o.idRemembered, k)
	}
	i, ok := slices.BinarySearch(f.digests, d)
	if !ok {
		return nil
	}
	if f.pairs == nil {
		f.pairs = keyset.New("", keyset.Sizes{})
	}
	seen, err := f.pairs.Seen(pairKey(d, k), true)
	if err != nil || seen {
		return err
	}
	if f.others[i]++; int(f.others[i]) > max(fanOutMin, fanOutPer*int(f.withdrew[i])) {
		f.alarm(true, int(f.others[i]))
	}
	return nil
}

// rememberedWithdrew counts that the ledger's identifier d withdrew a
// row of key k, and raises the alarm once it has withdrawn more than
// max(fanOutMin, fanOutPer × the patients the ledger remembers it for).
func (f *fanOut) rememberedWithdrew(d, k uint64) error {
	if f.remPairs == nil {
		f.remPairs, f.remOthers = keyset.New("", keyset.Sizes{}), map[uint64]int32{}
	}
	seen, err := f.remPairs.Seen(pairKey(d, k), true)
	if err != nil || seen {
		return err
	}
	f.remOthers[d]++
	if n := int(f.remOthers[d]); n > max(fanOutMin, fanOutPer*f.rememberedWithdrawers(d)) {
		f.alarm(false, n)
	}
	return nil
}

// rememberedWithdrawers is how many patients the ledger remembers d for:
// one unless IdentifierWithdrawers says more (it holds -n for a digest
// of n > 1). A lookup that fails counts one: the alarm errs loud.
func (f *fanOut) rememberedWithdrawers(d uint64) int {
	if f.withdrawers == nil {
		return 1
	}
	v, ok, err := f.withdrawers.Get(d)
	if err != nil || !ok || v >= -1 {
		return 1
	}
	return int(-v)
}

// alarm says in the summary that an identifier withdrawn tonight, or one
// the ledger remembers, withdrew keys other patient keys.
func (f *fanOut) alarm(tonight bool, keys int) {
	if f.sum == nil {
		return
	}
	a := f.sum.IdentifierFanOut
	if a == nil {
		a = &report.IdentifierFanOut{}
		f.sum.IdentifierFanOut = a
	}
	a.WithdrawingRows, a.Remembered, a.Rows = f.rows, f.remembered, f.withdrawn
	if f.rows > 0 {
		a.First = fmt.Sprintf("%s:%d", f.name, f.first)
	}
	if tonight {
		a.Tonight, a.PatientKeys = true, max(a.PatientKeys, keys)
	} else {
		a.RememberedKeys = max(a.RememberedKeys, keys)
	}
}

func (f *fanOut) close() {
	f.wpairs.Close()
	f.wdigests.Close()
	f.pairs.Close()
	f.remPairs.Close()
}
