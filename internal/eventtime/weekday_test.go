package eventtime

import (
	"errors"
	"testing"
	"time"
)

// TestWeekdayAfterTheDate: a mainland export writes the weekday after the
// date or the time — 2026/12/6 14:30 星期日, 2026年12月6日 14:30 周日 — and a
// review found every such appointment unreadable. The weekday is read and
// checked: one of another day says the date is wrong, and is refused.
func TestWeekdayAfterTheDate(t *testing.T) {
	taipei, _ := time.LoadLocation("Asia/Taipei")
	want := time.Date(2026, 12, 6, 14, 30, 0, 0, taipei) // a Sunday
	p := NewParser(Options{Location: taipei})
	for _, in := range []string{"2026/12/6 14:30 星期日", "2026年12月6日 14:30 周日", "2026-12-06 14:30 週日", "2026/12/6 星期天 14:30",
		"2026年12月6日(周日) 14:30", "2026年12月6日（星期日）下午2:30", "2026/12/6 14:30 礼拜天"} {
		if got, err := p.Parse(in); err != nil || !got.Equal(want) {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"2026/12/6 14:30 星期一", "2026年12月6日 14:30 周六"} {
		if _, err := p.Parse(in); !errors.Is(err, ErrUnreadable) {
			t.Errorf("%q (another day's weekday): %v, want unreadable", in, err)
		}
	}
}
