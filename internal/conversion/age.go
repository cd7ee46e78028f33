package conversion

import "time"

// OlderThan reports whether c happened more than d before now:
// now.Sub(c.Time) > d, for the platforms' age limits (the destinations'
// preflights, the dry-run's count of events too old). Time.Sub checks
// every answer for overflow with an Add and an Equal; with three such
// tests per conversion that was 3% of a 1M-row dry-run's CPU (issue 29).
// Here one Add and a comparison answer the same for every d from 0 to
// 100 years (FuzzAgeTestsAreSub, against Sub itself, overflow included).
func (c *Conversion) OlderThan(now time.Time, d time.Duration) bool {
	return c.Time.Before(now.Add(-d))
}

// AheadBy reports whether c is more than d after now: c.Time.Sub(now) >
// d, as OlderThan.
func (c *Conversion) AheadBy(now time.Time, d time.Duration) bool {
	return c.Time.After(now.Add(d))
}
