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
//
// Per platform, in arrays by platform.Platform rather than maps, and with
// each limit's cut-off time worked out once (the run's clock is read once):
// a map lookup and a Time.Add per conversion were most of the age check's
// share of a dry-run (issue 29).
type ageCounter struct {
	// enabled and cut: the platform is judged, and a conversion before
	// cut is too old — conversion.OlderThan(now, limit) with now.Add(−limit)
	// made once.
	enabled [platform.Count]bool
	cut     [platform.Count]time.Time
	days    [platform.Count]int
	counts  [platform.Count]int
	sum     *report.Summary
}

func newAgeCounter(env *Env, cfg *config.Config, sum *report.Summary) *ageCounter {
	a := &ageCounter{sum: sum}
	now := env.Now()
	for _, p := range cfg.Enabled() {
		d := cfg.Sending(p).MaxEventAgeDays
		a.enabled[p], a.days[p] = true, d
		a.cut[p] = now.Add(-time.Duration(d) * 24 * time.Hour)
	}
	return a
}

// wrap returns next with the counting in front of it.
func (a *ageCounter) wrap(next sink.Sink) sink.Sink {
	if next == nil {
		return nil
	}
	prep, _ := next.(sink.Preparer)
	return &ageSink{a: a, next: next, prep: prep}
}

// report puts the counts into the summary.
func (a *ageCounter) report() {
	a.sum.TooOld, a.sum.TooOldDays = map[string]int{}, map[string]int{}
	for p, on := range a.enabled {
		if on {
			a.sum.TooOld[platform.Platform(p).String()] = a.counts[p]
			a.sum.TooOldDays[platform.Platform(p).String()] = a.days[p]
		}
	}
}

type ageSink struct {
	a    *ageCounter
	next sink.Sink
	// prep is next as a sink.Preparer, nil when it is not one: asked once,
	// not per conversion.
	prep sink.Preparer
}

// Write is called in export order from one goroutine (sink.Sink), so the
// counts need no lock.
func (s *ageSink) Write(c *conversion.Conversion) error {
	if s.a.old(c) {
		s.a.counts[c.Platform]++ // old: a platform in range
	}
	return s.next.Write(c)
}

// old: the platform would refuse c as too old at the time of the run.
func (a *ageCounter) old(c *conversion.Conversion) bool {
	p := c.Platform
	return int(p) < len(a.enabled) && a.enabled[p] && c.Time.Before(a.cut[p])
}

// Prepare judges c's age ahead, on the pipeline's workers (sink.Preparer:
// the run's time is fixed, and limits is only read), and appends the
// platform and the verdict to what the sink behind prepares (after it, as
// predictor.Prepare does, and for the same reason); the count waits for
// WritePrepared.
func (s *ageSink) Prepare(b []byte, c *conversion.Conversion) ([]byte, bool) {
	next := s.prep
	if next == nil {
		return b, false
	}
	old := byte(0)
	if s.a.old(c) {
		old = 1
	}
	b, ok := next.Prepare(b, c)
	if !ok {
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
	if b[n-1] == 1 && int(b[n-2]) < len(s.a.counts) {
		s.a.counts[b[n-2]]++
	}
	return s.prep.WritePrepared(b[:n-2])
}

func (s *ageSink) Close() error { return s.next.Close() }
