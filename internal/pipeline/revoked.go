package pipeline

import (
	"context"
	"errors"
	"io"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/keyset"
)

// Withdrawals is what a pre-scan of the export finds that one row alone
// cannot show: patients and orders that another row withdraws.
type Withdrawals struct {
	// Patients (input.columns.patient_key) with a revoked consent on any
	// row, in any consent column; nil when no patient key is configured.
	Patients *keyset.Set
	// Orders with a row whose consent, in a given consent column, is
	// revoked, denied or scoped: the strictest consent of an order id
	// wins, so the order's other rows are not sent to that column's
	// platforms (consent_refused_order).
	Orders *keyset.Set
}

// Close releases both sets. A nil Withdrawals may be closed.
func (w *Withdrawals) Close() {
	if w == nil {
		return
	}
	w.Patients.Close()
	w.Orders.Close()
}

// Prescan reads an export once, before the run proper, and returns its
// Withdrawals. Exports repeat a patient on every visit and may repeat an
// order: when the latest row says 已撤回 while earlier ones still say 同意,
// the patient (or the order) has withdrawn, and none of the rows may be
// sent. Keys are held HMAC-derived (with opt.Key) in bounded sets, never
// as chart or order numbers.
//
// Dated revocations under consent.revoked_allows_earlier are not collected:
// that setting keeps appointments before the revocation date, which only
// the row that carries the date can decide. A structural problem stops the
// scan; the run proper would stop on it too.
func Prescan(ctx context.Context, opt Options) (*Withdrawals, error) {
	rd, err := Open(opt)
	if err != nil {
		return nil, err
	}
	r := newRunner(opt.Config, opt)
	w := &Withdrawals{Orders: keyset.New("", keyset.Sizes{})}
	patients := opt.Config.Input.Columns.PatientKey != ""
	if patients {
		w.Patients = keyset.New("", keyset.Sizes{})
	}
	fail := func(err error) (*Withdrawals, error) {
		w.Close()
		return nil, err
	}
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return fail(err)
			}
		}
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return w, nil
		}
		if err != nil {
			return fail(err)
		}
		if row.Short() {
			continue
		}
		// Most rows say yes: the order id is read and keyed (an HMAC) only
		// for a row that refuses.
		var dup uint64
		keyed, hasOrder := false, false
		pk := ""
		if patients {
			pk = row.Get(export.PatientKey)
		}
		patientDone := false
		for i, c := range r.consentCols {
			if i > 0 && c == r.consentCols[i-1] {
				continue
			}
			reason := r.policy.Screen(row.Get(c))
			if refuses(reason) {
				if !keyed {
					var k rowKey
					keyed = true
					if k, hasOrder = r.orderKey(row); hasOrder {
						_, dup = r.ids.Derive(k.key)
					}
				}
				if hasOrder {
					if _, err := w.Orders.Seen(orderKey(dup, c), true); err != nil {
						return fail(err)
					}
				}
			}
			if pk != "" && !patientDone && reason == consent.ReasonRevoked {
				patientDone = true
				if _, err := w.Patients.Seen(patientKey(r.ids, pk), true); err != nil {
					return fail(err)
				}
			}
		}
	}
}

// refuses: a consent value that says no, as opposed to one that says
// nothing (blank, unknown): an order with such a row is refused whatever
// its other rows say.
func refuses(reason string) bool {
	return reason == consent.ReasonRevoked || reason == consent.ReasonDenied || reason == consent.ReasonScoped
}

// orderKey derives the set key of an order in one consent column from its
// 64-bit event-id digest: per column, because Google and Meta consent may
// be kept apart (consent_google, consent_meta).
func orderKey(dup uint64, c export.Column) uint64 {
	return dup ^ (uint64(c)+1)*0x9E3779B97F4A7C15
}

// patientKey derives the set key of a patient: keyed like event ids, in
// a domain of its own so it never equals an order's key.
func patientKey(ids *eventid.Deriver, pk string) uint64 {
	_, k := ids.Derive("patient\x00" + pk)
	return k
}
