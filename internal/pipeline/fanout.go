package pipeline

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/report"
)

// fanOut counts what the identifier rule (ReasonIdentifierWithdrawn)
// withdrew against who withdrew: a family's phone withdraws a child or
// two; an e-mail or phone carried by dozens of patient keys is no
// patient's — the clinic's own, a placeholder (noemail@clinic.com) — and
// one withdrawal kept a whole export out with exit 0 (a review: 40
// patients, one revokes, 0 of 40 sent). Past max(fanOutMin, fanOutPer ×
// the withdrawing patients) other patient keys the summary says so
// (report.IdentifierFanOut) and an upload exits 3; the rows stay
// withdrawn. Distinct keys are counted in keysets: memory stays flat.
type fanOut struct {
	sum        *report.Summary
	name       string
	remembered bool
	rows       int         // this run's withdrawing rows carrying an identifier
	first      int         // the first one's line
	withdrawer *keyset.Set // their patient keys; nil until one
	patients   int         // how many distinct
	withdrawn  int         // rows withdrawn by an identifier
	others     *keyset.Set // their patient keys; nil until one
	keys       int         // how many distinct
}

// The alarm's threshold: more other patient keys than a family (a
// mother's phone on her children's charts) could account for.
const (
	fanOutMin = 5
	fanOutPer = 3
)

func newFanOut(opt Options, sum *report.Summary) fanOut {
	f := fanOut{sum: sum, name: opt.InputName}
	f.remembered = opt.Revoked != nil && opt.Revoked.PriorIdentifiers.Len() > 0
	return f
}

// withdrawing counts a row that withdraws its patient and carries an
// identifier (withdrawals.noteIdentifiers), on line.
func (f *fanOut) withdrawing(o *outcome, line int) error {
	if f.rows++; f.rows == 1 {
		f.first = line
	}
	if !o.hasPatient {
		return nil
	}
	if f.withdrawer == nil {
		f.withdrawer = keyset.New("", keyset.Sizes{})
	}
	seen, err := f.withdrawer.Seen(o.patient, true)
	if !seen && err == nil {
		f.patients++
	}
	return err
}

// settled counts a settled row whose reason is reason, and raises the
// alarm in the summary once the rule has withdrawn too many others.
func (f *fanOut) settled(o *outcome, reason string) error {
	if reason != ReasonIdentifierWithdrawn {
		return nil
	}
	f.withdrawn++
	if o.hasPatient {
		if f.others == nil {
			f.others = keyset.New("", keyset.Sizes{})
		}
		seen, err := f.others.Seen(o.patient, true)
		if err != nil {
			return err
		}
		if !seen {
			f.keys++
		}
	}
	if f.keys > max(fanOutMin, fanOutPer*f.patients) && f.sum != nil {
		a := report.IdentifierFanOut{WithdrawingRows: f.rows, Remembered: f.remembered, Rows: f.withdrawn, PatientKeys: f.keys}
		if f.rows > 0 {
			a.First = fmt.Sprintf("%s:%d", f.name, f.first)
		}
		f.sum.IdentifierFanOut = &a
	}
	return nil
}

func (f *fanOut) close() {
	f.withdrawer.Close()
	f.others.Close()
}
