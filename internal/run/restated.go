package run

import (
	"sync"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// restatedCounter counts, per platform, the restatements (conversions
// marked Restate by the ledger's Filter) in batches the platform accepted,
// and passes every call on to next. The Filter knows what it passed on to
// be restated; only the platform's answer says what was: a restatement
// quarantined as too old, rejected or left unsent is not one, and the
// summary once said "1 restated … sent again" beside ingested 0, night
// after night, for an adjustment Google never saw (ledger list, which
// reads accepted requests, said 0).
type restatedCounter struct {
	destination.Observer
	mu sync.Mutex
	n  [platform.Count]int
}

func newRestatedCounter(next destination.Observer) *restatedCounter {
	return &restatedCounter{Observer: next}
}

// Sent implements destination.Observer.
func (r *restatedCounter) Sent(p identifier.Platform, batch []*conversion.Conversion, requestID string, o destination.Outcome, reason string) error {
	if o == destination.Accepted {
		n := 0
		for _, c := range batch {
			if c.Restate {
				n++
			}
		}
		if n > 0 && int(p) < len(r.n) {
			r.mu.Lock()
			r.n[p] += n
			r.mu.Unlock()
		}
	}
	return r.Observer.Sent(p, batch, requestID, o, reason)
}

// accepted is how many restatements p accepted.
func (r *restatedCounter) accepted(p platform.Platform) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if int(p) >= len(r.n) {
		return 0
	}
	return r.n[p]
}
