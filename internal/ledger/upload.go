package ledger

import (
	"context"
	"sync"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/sink"
)

// Recorder is the destination.Observer that writes every batch to the
// ledger: "sent" before the request, the outcome after.
type Recorder struct {
	Ctx    context.Context
	Ledger *Ledger
	RunID  string
}

var _ destination.Observer = (*Recorder)(nil)

func ids(batch []*conversion.Conversion) []string {
	out := make([]string, len(batch))
	for i, c := range batch {
		out[i] = string(c.EventID)
	}
	return out
}

// Sending implements destination.Observer.
func (r *Recorder) Sending(p identifier.Platform, batch []*conversion.Conversion) error {
	return r.Ledger.Record(r.ctx(), r.RunID, p.String(), ids(batch), StateSent, "", "")
}

// Sent implements destination.Observer.
func (r *Recorder) Sent(p identifier.Platform, batch []*conversion.Conversion, requestID string, o destination.Outcome, reason string) error {
	state := StateAccepted
	switch o {
	case destination.Rejected:
		state = StateRejected
	case destination.Quarantined:
		state = StateQuarantined
	}
	return r.Ledger.Record(r.ctx(), r.RunID, p.String(), ids(batch), state, reason, requestID)
}

// Quarantined implements destination.Observer.
func (r *Recorder) Quarantined(p identifier.Platform, c *conversion.Conversion, reason string) error {
	return r.Ledger.Record(r.ctx(), r.RunID, p.String(), []string{string(c.EventID)}, StateQuarantined, reason, "")
}

// ctx: the records of a batch in flight must land even after an interrupt,
// or the next run would not know what this one sent.
func (r *Recorder) ctx() context.Context { return context.WithoutCancel(r.Ctx) }

// Filter is a sink that passes on only conversions the platform has not
// accepted before, counting the rest per platform.
type Filter struct {
	ctx     context.Context
	ledger  *Ledger
	next    sink.Sink
	mu      sync.Mutex
	skipped map[identifier.Platform]int
}

var _ sink.Sink = (*Filter)(nil)

// NewFilter wraps next.
func NewFilter(ctx context.Context, l *Ledger, next sink.Sink) *Filter {
	return &Filter{ctx: ctx, ledger: l, next: next, skipped: map[identifier.Platform]int{}}
}

// Write implements sink.Sink.
func (f *Filter) Write(c *conversion.Conversion) error {
	done, err := f.ledger.IsAccepted(f.ctx, c.Platform.String(), string(c.EventID))
	if err != nil {
		return err
	}
	if done {
		f.mu.Lock()
		f.skipped[c.Platform]++
		f.mu.Unlock()
		return nil
	}
	return f.next.Write(c)
}

// Close closes the wrapped sink.
func (f *Filter) Close() error { return f.next.Close() }

// Skipped returns how many conversions per platform were already accepted.
func (f *Filter) Skipped(p identifier.Platform) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.skipped[p]
}
