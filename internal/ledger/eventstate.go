package ledger

import (
	"context"
	"encoding/hex"
	"slices"
	"strings"
)

// EventStates returns, for each of ids (event ids as the ledger prints
// them, 32 hex characters), its state at each destination that recorded
// it — as `ledger list --run` shows it: accepted if any request accepted
// it, else the state of the latest request that carried it — ordered by
// destination. An id no request carried has none. `ledger requeue` says
// it of an event it cannot requeue: what state it is in, and what sends
// it, rather than "nothing to requeue" alone.
func (l *Ledger) EventStates(ctx context.Context, ids []string) (map[string][]Event, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[strings.ToLower(id)] = true
	}
	out := map[string][]Event{}
	c := newStateCounter()
	c.each = func(r *row, id []byte) {
		h := hex.EncodeToString(id)
		if want[h] {
			out[h] = append(out[h], Event{Destination: r.dest, EventID: h, State: shownState(r.state, r.reason), Reason: r.reason})
		}
	}
	if err := l.count(ctx, c, `1`); err != nil {
		return nil, err
	}
	for _, evs := range out {
		slices.SortFunc(evs, compareEvents)
	}
	return out, nil
}
