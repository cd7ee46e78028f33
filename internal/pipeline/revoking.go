package pipeline

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/spool"
)

// Revoking is what a run tells the ledger of the patients its rows
// withdraw (PatientRevocations.New): each revoking row's patient digest
// and the day from which it withdraws them (0: every appointment), in
// export order. It was a map of the patients, merged as the rows came: 111
// MB at 10M (memory review, session 21). The records go to a spool
// instead (1 MiB in memory, the rest on disk), and the ledger merges a
// patient's records as it writes them (ledger.AddRevokedPatients: 0 over
// any day, else the earliest). A patient already recorded with 0 adds
// nothing more (a key set, flat too): that is every later row of a
// patient who revoked outright.
//
// The zero value is empty and ready; the settler adds, one goroutine.
type Revoking struct {
	held  *spool.Spool
	whole *keyset.Set // digests recorded with day 0
	rec   [16]byte
	ids   *spool.Spool // the withdrawing rows' identifiers (withdrawnids.go)
}

// add records that a row withdraws patient digest from day from on, and
// the identifiers ids it carried (addIdentifiers: each row's, for a
// patient's later row may carry others).
func (r *Revoking) add(digest uint64, from int64, ids []uint64) error {
	if r.held == nil {
		r.held, r.whole = spool.New("", 0), keyset.New("", keyset.Sizes{})
	}
	if err := r.addIdentifiers(digest, from, ids); err != nil {
		return err
	}
	had, err := r.whole.Seen(digest, from == 0)
	if err != nil || had {
		return err
	}
	binary.LittleEndian.PutUint64(r.rec[:], digest)
	binary.LittleEndian.PutUint64(r.rec[8:], uint64(from))
	return r.held.Append(r.rec[:])
}

// Each gives add every record, in the order the rows came: a patient
// may come more than once, with days to merge (0 over any day, else the
// earliest). It stops at add's first error.
func (r *Revoking) Each(add func(digest uint64, from int64) error) error {
	if r == nil || r.held == nil {
		return nil
	}
	return r.held.Replay(context.Background(), func(rec []byte) error {
		if len(rec) != len(r.rec) {
			return fmt.Errorf("withdrawals to remember: %w", spool.ErrMalformed)
		}
		return add(binary.LittleEndian.Uint64(rec), int64(binary.LittleEndian.Uint64(rec[8:])))
	})
}

// Close releases the records; r may be nil.
func (r *Revoking) Close() {
	if r != nil && r.ids != nil {
		r.ids.Close()
		r.ids = nil
	}
	if r != nil && r.held != nil {
		r.held.Close()
		r.whole.Close()
		r.held, r.whole = nil, nil
	}
}
