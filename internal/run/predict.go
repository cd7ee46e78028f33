package run

import (
	"errors"
	"sync"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
)

// predictor passes conversions on to the review CSV unchanged — it lists
// them as the consent gate decided — and counts, per platform, those an
// upload would hold back before sending, and why (the clients' pre-flight
// rules: too old, a Purchase without a value, …). The checks are made
// against the clock read once, when the dry-run starts, as the age counter
// does: a reading per conversion was a third of the prediction's time
// (issue 29), and one reading judges every row of the run alike.
type predictor struct {
	next sink.Sink
	// prep is next as a sink.Preparer, nil when it is not one: asked once,
	// not per conversion.
	prep   sink.Preparer
	now    time.Time
	checks [platform.Count]func(*conversion.Conversion, time.Time) string
	mu     sync.Mutex
	sum    *report.Summary
}

func newPredictor(env *Env, cfg *config.Config, sum *report.Summary, next sink.Sink) *predictor {
	p := &predictor{next: next, now: env.Now(), sum: sum}
	p.prep, _ = next.(sink.Preparer)
	for _, pl := range cfg.Enabled() {
		p.checks[pl] = env.Preflight(cfg, pl)
	}
	return p
}

func (p *predictor) Write(c *conversion.Conversion) error {
	p.count(c.Platform, p.reason(c))
	return p.next.Write(c)
}

// reason is why an upload would hold c back, "" when it would not.
func (p *predictor) reason(c *conversion.Conversion) string {
	if int(c.Platform) >= len(p.checks) {
		return ""
	}
	if check := p.checks[c.Platform]; check != nil {
		// Age is the age counter's (Summary.TooOld): not counted twice.
		if reason := check(c, p.now); reason != "event_too_old" {
			return reason
		}
	}
	return ""
}

func (p *predictor) count(pl platform.Platform, reason string) {
	if reason == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sum.HeldBack == nil {
		p.sum.HeldBack = map[string]map[string]int{}
	}
	m := p.sum.HeldBack[pl.String()]
	if m == nil {
		m = map[string]int{}
		p.sum.HeldBack[pl.String()] = m
	}
	m[reason]++
}

// Prepare runs the check ahead, on the pipeline's workers (sink.Preparer):
// the checks read only the conversion and the clock, and the count waits
// for WritePrepared, so a conversion withdrawn later is not counted. It
// appends the platform, the reason and the reason's length to what the
// sink behind prepares: after it, so that a visit's conversions for two
// platforms begin alike and are held by what they share (pipeline's
// encodePlain).
func (p *predictor) Prepare(b []byte, c *conversion.Conversion) ([]byte, bool) {
	next := p.prep
	reason := p.reason(c)
	if next == nil || len(reason) > 255 {
		return b, false
	}
	b, ok := next.Prepare(b, c)
	if !ok {
		return b, false
	}
	return append(append(append(b, byte(c.Platform)), reason...), byte(len(reason))), true
}

// WritePrepared counts what Prepare found and passes the rest on.
func (p *predictor) WritePrepared(b []byte) error {
	n := len(b)
	if n < 2 || n < 2+int(b[n-1]) {
		return errors.New("dry-run: malformed prepared conversion")
	}
	at := n - 2 - int(b[n-1]) // the platform's byte
	p.count(platform.Platform(b[at]), string(b[at+1:n-1]))
	return p.prep.WritePrepared(b[:at])
}

func (p *predictor) Close() error { return p.next.Close() }
