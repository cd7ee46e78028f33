package run

import (
	"context"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
)

// withdrawnAfterSent counts, per platform and reason, the rows a consent
// decision kept from a platform tonight (left.Withdrawn) whose event the
// platform already accepted, under the row's id or its legacy one: each
// row once per platform, however many of its rows the export has.
func withdrawnAfterSent(ctx context.Context, led *ledger.Ledger, dests map[platform.Platform]ledger.Destination, left *pipeline.LeftOut) (map[platform.Platform]map[string]int, error) {
	ids := map[uint64]bool{}
	for _, w := range left.Withdrawn {
		ids[w.ID] = true
		if w.Legacy != 0 {
			ids[w.Legacy] = true
		}
	}
	held, err := led.AcceptedAmong(ctx, dests, ids)
	if err != nil {
		return nil, err
	}
	type once struct {
		p  platform.Platform
		id uint64
	}
	seen := map[once]bool{}
	out := map[platform.Platform]map[string]int{}
	for _, w := range left.Withdrawn {
		h := held[w.Platform]
		if !h[w.ID] && (w.Legacy == 0 || !h[w.Legacy]) || seen[once{w.Platform, w.ID}] {
			continue
		}
		seen[once{w.Platform, w.ID}] = true
		if out[w.Platform] == nil {
			out[w.Platform] = map[string]int{}
		}
		out[w.Platform][w.Reason]++
	}
	return out, nil
}
