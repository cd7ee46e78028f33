package run

import (
	"context"

	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
)

// withdrawnAfterSent counts, per platform and reason, the rows a consent
// decision kept from a platform tonight (left's Withdrawals) whose event
// the platform already accepted, under the row's id or its legacy one:
// each row once per platform, however many of its rows the export has.
// The sets it reads and keeps are keyset.Sets, so its memory stays flat
// however many rows were withdrawn.
func withdrawnAfterSent(ctx context.Context, led *ledger.Ledger, dests map[platform.Platform]ledger.Destination, left *pipeline.LeftOut) (map[platform.Platform]map[string]int, error) {
	held, err := led.AcceptedAmong(ctx, dests, left)
	if err != nil {
		return nil, err
	}
	seen := map[platform.Platform]*keyset.Set{}
	defer func() {
		for _, s := range held {
			_ = s.Close()
		}
		for _, s := range seen {
			_ = s.Close()
		}
	}()
	// Each held set is asked once a withdrawn row: frozen, a lookup reads
	// one block on disk at most (keyset.Set.Freeze).
	for _, h := range held {
		if err := h.Freeze(); err != nil {
			return nil, err
		}
	}
	out := map[platform.Platform]map[string]int{}
	err = left.Each(ctx, func(w pipeline.Withdrawal) error {
		h := held[w.Platform]
		if h == nil {
			return nil
		}
		in, err := h.Has(w.ID)
		if err == nil && !in && w.Legacy != 0 {
			in, err = h.Has(w.Legacy)
		}
		if err != nil || !in {
			return err
		}
		if seen[w.Platform] == nil {
			seen[w.Platform] = keyset.New("", keyset.Sizes{})
		}
		if again, err := seen[w.Platform].Seen(w.ID, true); err != nil || again {
			return err
		}
		if out[w.Platform] == nil {
			out[w.Platform] = map[string]int{}
		}
		out[w.Platform][w.Reason]++
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
