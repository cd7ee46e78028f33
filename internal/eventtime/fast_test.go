package eventtime

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// slowParse is the layout path alone: what fastISO must agree with.
func slowParse(s string, loc *time.Location) (time.Time, error) {
	p := NewParser(Options{Layouts: DefaultLayouts, Location: loc})
	return p.Parse(s)
}

func checkFast(t *testing.T, s string, loc *time.Location) bool {
	t.Helper()
	p := NewParser(Options{Location: loc})
	got, ok := p.fastISO(s)
	if !ok {
		return false
	}
	want, err := slowParse(s, loc)
	if err != nil {
		t.Fatalf("%q: fast path read %v, time.Parse refuses: %v", s, got, err)
	}
	if !got.Equal(want) || got.Format(time.RFC3339) != want.Format(time.RFC3339) {
		t.Fatalf("%q: fast %s, time.Parse %s", s, got.Format(time.RFC3339), want.Format(time.RFC3339))
	}
	return true
}

// TestFastISOMatchesTimeParse: over generated values of the fast shapes
// and near misses (bad days, hours, offsets, DST gaps in New York), the
// fast path gives time.Parse's instant and offset or stays out of it.
func TestFastISOMatchesTimeParse(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	taipei, _ := time.LoadLocation("Asia/Taipei")
	r := rand.New(rand.NewPCG(3, 4))
	fast := 0
	for range 50000 {
		y, mo, d := 1890+r.IntN(340), r.IntN(14), r.IntN(33)
		h, mi, s := r.IntN(26), r.IntN(62), r.IntN(62)
		if r.IntN(3) == 0 { // around the 2024 clock changes
			y, mo, d, h = 2024, []int{3, 11}[r.IntN(2)], []int{3, 10}[r.IntN(2)], r.IntN(4)
		}
		var v string
		switch r.IntN(5) {
		case 0:
			v = fmt.Sprintf("%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi)
		case 1:
			v = fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s)
		case 2:
			v = fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s)
		default:
			sign := []string{"+", "-"}[r.IntN(2)]
			v = fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d%s%02d:%02d", y, mo, d, h, mi, s, sign, r.IntN(16), []int{0, 30, 45, 61}[r.IntN(4)])
		}
		for _, loc := range []*time.Location{ny, taipei} {
			if checkFast(t, v, loc) {
				fast++
			}
		}
	}
	if fast < 20000 {
		t.Fatalf("the fast path answered only %d times: the generator no longer exercises it", fast)
	}
}

// FuzzFastISO keeps comparing the fast path with time.Parse.
func FuzzFastISO(f *testing.F) {
	for _, s := range []string{"2026-11-02 09:30", "2024-03-10 02:30:00", "2026-11-02T09:30:00+08:00", "2026-11-02T09:30:00Z", "2026-02-29 10:00", "2026-11-02T09:30:00-14:00",
		"2026-12-07 09:30:00.000", "2026-12-07T09:30:00+0800", "２０２６-１２-０７ ０９:３０", "2026-12-07 24:00", "2026-12-07\t09:30", "2026-12-07 9:30"} {
		f.Add(s)
	}
	ny, _ := time.LoadLocation("America/New_York")
	f.Fuzz(func(t *testing.T, s string) { checkFast(t, s, ny) })
}

// TestDaysInIsTimeDate: the table and the leap rule give what time.Date's
// normalisation gives, for every month of every year the parsers accept
// and well beyond (negative years, the centuries' exceptions).
func TestDaysInIsTimeDate(t *testing.T) {
	for y := -2000; y <= 4000; y++ {
		for m := 1; m <= 12; m++ {
			want := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			if got := daysIn(y, m); got != want {
				t.Fatalf("daysIn(%d, %d) = %d, time.Date says %d", y, m, got, want)
			}
		}
	}
}
