package run

import (
	"errors"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
)

// ageCounter counts, during a dry-run, the conversions each platform would
// refuse as too old (older than its max_event_age_days at the time of the
// run), so the reviewer learns before the first upload that it would
// quarantine them — or all of them — as event_too_old.
type ageCounter struct {
	now    time.Time
	limits map[platform.Platform]time.Duration
	days   map[platform.Platform]int
	counts map[platform.Platform]int
	sum    *report.Summary
}

func newAgeCounter(env *Env, cfg *config.Config, sum *report.Summary) *ageCounter {
	a := &ageCounter{now: env.Now(), limits: map[platform.Platform]time.Duration{}, days: map[platform.Platform]int{},
		counts: map[platform.Platform]int{}, sum: sum}
	for _, p := range cfg.Enabled() {
		d := cfg.Sending(p).MaxEventAgeDays
		a.days[p], a.limits[p] = d, time.Duration(d)*24*time.Hour
	}
	return a
}

// wrap returns next with the counting in front of it.
func (a *ageCounter) wrap(next sink.Sink) sink.Sink {
	if next == nil {
		return nil
	}
	return &ageSink{a: a, next: next}
}

// report puts the counts into the summary.
func (a *ageCounter) report() {
	a.sum.TooOld, a.sum.TooOldDays = map[string]int{}, map[string]int{}
	for p, d := range a.days {
		a.sum.TooOld[p.String()] = a.counts[p]
		a.sum.TooOldDays[p.String()] = d
	}
}

type ageSink struct {
	a    *ageCounter
	next sink.Sink
}

// Write is called in export order from one goroutine (sink.Sink), so the
// counts need no lock.
func (s *ageSink) Write(c *conversion.Conversion) error {
	if s.a.old(c) {
		s.a.counts[c.Platform]++
	}
	return s.next.Write(c)
}

// old: the platform would refuse c as too old at the time of the run.
func (a *ageCounter) old(c *conversion.Conversion) bool {
	lim, ok := a.limits[c.Platform]
	return ok && c.OlderThan(a.now, lim)
}

// Prepare judges c's age ahead, on the pipeline's workers (sink.Preparer:
// the run's time is fixed, and limits is only read), and appends the
// platform and the verdict to what the sink behind prepares (after it, as
// predictor.Prepare does, and for the same reason); the count waits for
// WritePrepared.
func (s *ageSink) Prepare(b []byte, c *conversion.Conversion) ([]byte, bool) {
	next, ok := s.next.(sink.Preparer)
	if !ok {
		return b, false
	}
	old := byte(0)
	if s.a.old(c) {
		old = 1
	}
	if b, ok = next.Prepare(b, c); !ok {
		return b, false
	}
	return append(b, byte(c.Platform), old), true
}

// WritePrepared counts what Prepare judged and passes the rest on.
func (s *ageSink) WritePrepared(b []byte) error {
	n := len(b)
	if n < 2 {
		return errors.New("dry-run: malformed prepared conversion")
	}
	if b[n-1] == 1 {
		s.a.counts[platform.Platform(b[n-2])]++
	}
	return s.next.(sink.Preparer).WritePrepared(b[:n-2])
}

func (s *ageSink) Close() error { return s.next.Close() }
