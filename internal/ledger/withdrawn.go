package ledger

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
)

// Among is a set of event ids' first 8 bytes (eventid.ID.Prefix):
// pipeline.LeftOut's withdrawn rows.
type Among interface {
	Has(key uint64) (bool, error)
}

// AcceptedAmong returns, per platform of dests, which of ids its
// destination accepted in any request the ledger keeps, leaving out
// processing failures a resend can overcome (the platform does not hold
// those). An upload asks it for the rows a consent decision withdrew
// tonight: a platform holding one keeps it, for neither API hashgate uses
// can retract a conversion (pipeline.LeftOut). The caller closes the sets.
//
// It reads every accepted request once, as the Filter's older
// acceptances are read. Neither ids nor the answer is a Go map: an export
// whose every row refuses consent, sent on earlier nights when it did not,
// would make either as large as the export (keyset.Set stays flat).
func (l *Ledger) AcceptedAmong(ctx context.Context, dests map[platform.Platform]Destination, ids Among) (out map[platform.Platform]*keyset.Set, err error) {
	out = map[platform.Platform]*keyset.Set{}
	defer func() {
		if err != nil {
			for _, s := range out {
				_ = s.Close()
			}
			out = nil
		}
	}()
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
			k := binary.BigEndian.Uint64(r.ids[i:])
			in, err := ids.Has(k)
			if err != nil {
				return err
			}
			if !in {
				continue
			}
			if out[p] == nil {
				out[p] = keyset.New("", keyset.Sizes{})
			}
			if _, err := out[p].Seen(k, true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: read accepted events: %w", err)
	}
	return out, nil
}
