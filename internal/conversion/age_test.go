package conversion

import (
	"math"
	"testing"
	"time"
)

// FuzzAgeTestsAreSub: OlderThan and AheadBy answer as the comparisons of
// Time.Sub they replace — at the boundary to the nanosecond, in any zone,
// with a monotonic reading on now (as time.Now gives) and without, and for
// times so far apart that Sub saturates.
func FuzzAgeTestsAreSub(f *testing.F) {
	f.Add(int64(1796000000), int64(0), int64(1796000000-90*86400), int64(0), int64(90*86400)*1e9, int32(8*3600), false)
	f.Add(int64(1796000000), int64(5), int64(1796000000-90*86400), int64(4), int64(90*86400)*1e9, int32(0), true)
	f.Add(int64(1796000000), int64(0), int64(1796000000+600), int64(1), int64(600)*1e9, int32(-5*3600), false)
	f.Add(int64(math.MaxInt64/4), int64(0), int64(-math.MaxInt64/4), int64(0), int64(1e9), int32(0), false)
	f.Add(int64(-math.MaxInt64/4), int64(0), int64(math.MaxInt64/4), int64(0), int64(1e9), int32(0), false)
	f.Fuzz(func(t *testing.T, nowSec, nowNsec, atSec, atNsec, d int64, zone int32, mono bool) {
		const maxD = 100 * 365 * 24 * time.Hour
		if d < 0 || time.Duration(d) > maxD {
			d = int64(time.Duration(uint64(d) % uint64(maxD)))
		}
		now := time.Unix(nowSec, nowNsec%1e9)
		if mono {
			// A monotonic reading, as time.Now's: shifted to nowSec.
			wall := time.Now()
			now = wall.Add(now.Sub(wall.Round(0)))
			if now.Round(0).Unix() != nowSec && nowSec > -1<<33 && nowSec < 1<<33 {
				t.Skip("time.Now's reading cannot be moved there")
			}
		}
		c := &Conversion{Time: time.Unix(atSec, atNsec%1e9).In(time.FixedZone("z", int(zone%(18*3600))))}
		dur := time.Duration(d)
		if got, want := c.OlderThan(now, dur), now.Sub(c.Time) > dur; got != want {
			t.Fatalf("now %v, at %v, d %v: OlderThan %v, now.Sub(at) > d %v", now, c.Time, dur, got, want)
		}
		if got, want := c.AheadBy(now, dur), c.Time.Sub(now) > dur; got != want {
			t.Fatalf("now %v, at %v, d %v: AheadBy %v, at.Sub(now) > d %v", now, c.Time, dur, got, want)
		}
	})
}
