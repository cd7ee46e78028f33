package ledger

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/hashgate/hashgate/internal/platform"
)

// AcceptedAmong returns, per platform of dests, which of ids (event ids'
// first 8 bytes, eventid.ID.Prefix) its destination accepted in any
// request the ledger keeps, leaving out processing failures a resend can
// overcome (the platform does not hold those). An upload asks it for the
// rows a consent decision withdrew tonight: a platform holding one keeps
// it, for no platform can retract a conversion (pipeline.LeftOut).
//
// It reads every accepted request once, as the Filter's older
// acceptances are read; ids is small — the withdrawn rows of one export.
func (l *Ledger) AcceptedAmong(ctx context.Context, dests map[platform.Platform]Destination, ids map[uint64]bool) (map[platform.Platform]map[uint64]bool, error) {
	out := map[platform.Platform]map[uint64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	byKey := map[string]platform.Platform{}
	for p, d := range dests {
		if d.Test {
			continue // a test run's events count nowhere
		}
		if _, err := l.destID(ctx, d.Key); err != nil { // adopts migrated rows
			return nil, err
		}
		byKey[d.Key] = p
	}
	resend, err := l.resendable(ctx, 0, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	err = l.each(ctx, acceptedWhere, []any{int64(0), int64(math.MaxInt64)}, func(r *row) error {
		p, ok := byKey[r.dest]
		if !ok {
			return nil
		}
		again := resend[r.id]
		for i := 0; i+idLen <= len(r.ids); i += idLen {
			if again != nil && again[i/idLen] {
				continue
			}
			if k := binary.BigEndian.Uint64(r.ids[i:]); ids[k] {
				if out[p] == nil {
					out[p] = map[uint64]bool{}
				}
				out[p][k] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: read accepted events: %w", err)
	}
	return out, nil
}
