package run

import (
	"sync"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// reheld is the Observer in front of the ledger's Recorder that tells
// tonight's problems from last night's: a conversion quarantined tonight
// for a settled reason (destination.Settled: too old, a Purchase without a
// value, an identifier that cannot be sent) that an earlier run had
// already quarantined for such a reason is "held back in earlier runs".
// It is still recorded (so it stays known while it stays in the export)
// and reported, but it does not make the night exit 1 or 3: cron alerts
// on what is new tonight, not every night until the row leaves the export.
type reheld struct {
	destination.Observer
	held *ledger.Marks

	mu     sync.Mutex
	counts map[platform.Platform]map[string]int
}

func newReheld(next destination.Observer, held *ledger.Marks) *reheld {
	return &reheld{Observer: next, held: held, counts: map[platform.Platform]map[string]int{}}
}

// Quarantined implements destination.Observer.
func (r *reheld) Quarantined(p platform.Platform, c *conversion.Conversion, reason string) error {
	if destination.Settled(reason) && r.held.Has(p, c.EventID) {
		r.add(p, reason, 1)
	}
	return r.Observer.Quarantined(p, c, reason)
}

// add counts n conversions of p re-held for reason.
func (r *reheld) add(p platform.Platform, reason string, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.counts[p] == nil {
		r.counts[p] = map[string]int{}
	}
	r.counts[p][reason] += n
}

// Sent implements destination.Observer: an event the platform refused
// alone is recorded with the request that isolated it (Meta names no
// event, so hashgate bisects until one stands alone), not through
// Quarantined, and is held back in earlier runs as Google's named events
// are (a review of the morning: Meta's counted as new every night, exit 3).
func (r *reheld) Sent(p platform.Platform, batch []*conversion.Conversion, requestID string, o destination.Outcome, reason string) error {
	if o == destination.Quarantined && destination.Settled(reason) {
		n := 0
		for _, c := range batch {
			if r.held.Has(p, c.EventID) {
				n++
			}
		}
		if n > 0 {
			r.add(p, reason, n)
		}
	}
	return r.Observer.Sent(p, batch, requestID, o, reason)
}

// apply moves the re-held conversions out of each upload's Quarantined
// counts into HeldEarlier.
func (r *reheld) apply(ups []report.Upload) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range ups {
		p, err := platform.Parse(ups[i].Destination)
		if err != nil {
			continue
		}
		for reason, n := range r.counts[p] {
			ups[i].HeldEarlier += n
			if ups[i].Quarantined[reason] -= n; ups[i].Quarantined[reason] <= 0 {
				delete(ups[i].Quarantined, reason)
			}
		}
	}
}
