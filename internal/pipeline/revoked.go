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

// RevokedPatients reads an export once, before the run proper, and
// returns the patients (input.columns.patient_key) with a revoked consent
// on any row, in any consent column. Exports repeat a patient on every
// visit; when the latest row says 已撤回 while earlier ones still say 同意,
// the patient has withdrawn, and none of the rows may be sent. Keys are
// held HMAC-derived (with opt.Key) in a bounded set, never as chart
// numbers. It returns nil when no patient key is configured. Rows this
// scan cannot read are left to the run proper to report.
//
// Dated revocations under consent.revoked_allows_earlier are not collected:
// that setting keeps appointments before the revocation date, which only
// the row that carries the date can decide.
func RevokedPatients(ctx context.Context, opt Options) (*keyset.Set, error) {
	if opt.Config.Input.Columns.PatientKey == "" {
		return nil, nil
	}
	rd, err := Open(opt)
	if err != nil {
		return nil, err
	}
	r := newRunner(opt.Config, opt)
	set := keyset.New("", keyset.Sizes{})
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				set.Close()
				return nil, err
			}
		}
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return set, nil
		}
		if err != nil {
			set.Close()
			return nil, err
		}
		pk := row.Get(export.PatientKey)
		if pk == "" {
			continue
		}
		for _, c := range r.consentCols {
			if r.policy.Screen(row.Get(c)) == consent.ReasonRevoked {
				if _, err := set.Seen(patientKey(r.ids, pk), true); err != nil {
					set.Close()
					return nil, err
				}
				break
			}
		}
	}
}

// patientKey derives the set key of a patient: keyed like event ids, in
// a domain of its own so it never equals an order's key.
func patientKey(ids *eventid.Deriver, pk string) uint64 {
	_, k := ids.Derive("patient\x00" + pk)
	return k
}
