package eventtime

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	taipei, _ := time.LoadLocation("Asia/Taipei")
	ny, _ := time.LoadLocation("America/New_York")
	cases := []struct {
		in   string
		loc  *time.Location
		want string
		err  error
	}{
		{"2026-11-02 09:30", taipei, "2026-11-02T09:30:00+08:00", nil},
		{"2026/11/02 09:30:15", taipei, "2026-11-02T09:30:15+08:00", nil},
		{"2026-11-02", taipei, "2026-11-02T00:00:00+08:00", nil},
		{"2026-11-02T09:30:00-05:00", taipei, "2026-11-02T09:30:00-05:00", nil},
		{"2026-11-02T09:30:00Z", nil, "2026-11-02T09:30:00Z", nil},
		// The offset as Google's import file and strftime's %z write it.
		{"2026-11-01 01:30:00-0400", taipei, "2026-11-01T01:30:00-04:00", nil},
		{"2026-11-01T01:30:00-0500", nil, "2026-11-01T01:30:00-05:00", nil},
		{"2026-11-02 09:30:00+0800", nil, "2026-11-02T09:30:00+08:00", nil},
		{"2026-11-02T09:30:00.250+0530", nil, "2026-11-02T09:30:00+05:30", nil},
		{"2026-11-02 09:30:00-04", taipei, "", ErrUnreadable},
		// DST: the same wall time is -04:00 in summer and -05:00 in winter.
		{"2026-07-01 10:00", ny, "2026-07-01T10:00:00-04:00", nil},
		{"2026-12-01 10:00", ny, "2026-12-01T10:00:00-05:00", nil},
		{"2026-11-02 09:30", nil, "", ErrNoZone},
		{"2026-13-45 09:30", taipei, "", ErrUnreadable},
		{"tomorrow", taipei, "", ErrUnreadable},
		{"", taipei, "", ErrUnreadable},
	}
	p := map[*time.Location]*Parser{}
	for _, c := range cases {
		if p[c.loc] == nil {
			p[c.loc] = NewParser(Options{Location: c.loc})
		}
		got, err := p[c.loc].Parse(c.in)
		if !errors.Is(err, c.err) {
			t.Errorf("%q: err %v, want %v", c.in, err, c.err)
			continue
		}
		if err == nil && got.Format(time.RFC3339) != c.want {
			t.Errorf("%q: got %s, want %s", c.in, got.Format(time.RFC3339), c.want)
		}
	}
}

func TestCustomLayouts(t *testing.T) {
	taipei, _ := time.LoadLocation("Asia/Taipei")
	p := NewParser(Options{Layouts: []string{"02.01.2006 15:04"}, Location: taipei})
	got, err := p.Parse("18.05.2024 18:00")
	if err != nil || got.Format(time.RFC3339) != "2024-05-18T18:00:00+08:00" {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := p.Parse("2024-05-18T18:00"); !errors.Is(err, ErrUnreadable) {
		t.Errorf("custom layouts replace the default layouts; got %v", err)
	}
}

// TestClinicForms covers the date and time forms of docs/research/clinic-exports.md §b
// traps 12–16, each in the clinic's zone.
func TestClinicForms(t *testing.T) {
	taipei, _ := time.LoadLocation("Asia/Taipei")
	ny, _ := time.LoadLocation("America/New_York")
	cases := []struct {
		in   string
		opt  Options
		want string
		err  error
	}{
		// ROC (Minguo) years.
		{"113/05/18", Options{}, "2024-05-18T00:00:00+08:00", nil},
		{"113.06.06 14:30", Options{}, "2024-06-06T14:30:00+08:00", nil},
		{"113-11-21", Options{}, "2024-11-21T00:00:00+08:00", nil},
		{"1130518", Options{}, "2024-05-18T00:00:00+08:00", nil},
		{"1130518 下午 2:05", Options{}, "2024-05-18T14:05:00+08:00", nil},
		{"1140315093000", Options{}, "2025-03-15T09:30:00+08:00", nil},
		{"民國113年5月19日", Options{}, "2024-05-19T00:00:00+08:00", nil},
		{"民国113年5月19日 上午9点", Options{}, "2024-05-19T09:00:00+08:00", nil},
		{"77/11/28", Options{ROC: true}, "1988-11-28T00:00:00+08:00", nil},
		{"771128", Options{ROC: true}, "1988-11-28T00:00:00+08:00", nil},
		{"771128", Options{}, "", ErrUnreadable}, // YYMMDD or ROC YYMMDD: never guessed
		{"113/02/30", Options{}, "", ErrUnreadable},
		// Chinese forms and markers.
		{"2024年5月18日 下午6:00", Options{}, "2024-05-18T18:00:00+08:00", nil},
		{"2024年5月18日下午6:00", Options{}, "2024-05-18T18:00:00+08:00", nil},
		{"2024.05.02 上午 09:30", Options{}, "2024-05-02T09:30:00+08:00", nil},
		{"2024/5/2 上午 09:30:00", Options{}, "2024-05-02T09:30:00+08:00", nil},
		{"2024-05-02 13点30分", Options{}, "2024-05-02T13:30:00+08:00", nil},
		{"2024-05-02 9点", Options{}, "2024-05-02T09:00:00+08:00", nil},
		{"2024-05-02 中午12:30", Options{}, "2024-05-02T12:30:00+08:00", nil},
		{"2024-05-02 晚上 07:15", Options{}, "2024-05-02T19:15:00+08:00", nil},
		{"2024-05-02 下午 13:00", Options{}, "2024-05-02T13:00:00+08:00", nil},
		{"2024-05-02 上午 13:00", Options{}, "", ErrUnreadable},
		// 晚上12点 is midnight, not noon (a review of time handling: it
		// was read 12:30, noon), and whether it ends the day or begins
		// the next is not said: unreadable, never guessed. 中午 and 凌晨
		// say it.
		{"115/12/05 晚上 12:30", Options{}, "", ErrUnreadable},
		{"2024-05-02 晚上12点", Options{}, "", ErrUnreadable},
		{"2024-05-02 傍晚 12:10", Options{}, "", ErrUnreadable},
		{"115/12/05 晚上 11:30", Options{}, "2026-12-05T23:30:00+08:00", nil},
		{"115/12/05 中午 12:30", Options{}, "2026-12-05T12:30:00+08:00", nil},
		{"115/12/05 凌晨 12:30", Options{}, "2026-12-05T00:30:00+08:00", nil},
		{"２０２４年５月２日", Options{}, "2024-05-02T00:00:00+08:00", nil},
		{"5月27日", Options{}, "", ErrNoYear},
		{"5月27日", Options{DefaultYear: 2024}, "2024-05-27T00:00:00+08:00", nil},
		{"20240518", Options{}, "2024-05-18T00:00:00+08:00", nil},
		// US and day-first dates need the order.
		{"5/8/2024 11:00:00 AM", Options{}, "", ErrDateOrder},
		{"5/8/2024 11:00:00 AM", Options{DateOrder: OrderMDY}, "2024-05-08T11:00:00+08:00", nil},
		{"8/5/2024", Options{DateOrder: OrderDMY}, "2024-05-08T00:00:00+08:00", nil},
		{"06/08/24 10:30", Options{DateOrder: OrderMDY}, "2024-06-08T10:30:00+08:00", nil},
		{"06/08/24 10:30", Options{DateOrder: OrderDMY}, "2024-08-06T10:30:00+08:00", nil},
		{"24/06/08 10:30", Options{DateOrder: OrderYMD}, "2024-06-08T10:30:00+08:00", nil},
		{"12/31/2024 12:00 AM", Options{DateOrder: OrderMDY}, "2024-12-31T00:00:00+08:00", nil},
		{"13/31/2024", Options{DateOrder: OrderMDY}, "", ErrUnreadable},
		// Excel serials only when enabled.
		{"45414", Options{}, "", ErrUnreadable},
		{"45414", Options{ExcelEpoch: "1900"}, "2024-05-02T00:00:00+08:00", nil},
		{"45414.75", Options{ExcelEpoch: "1900"}, "2024-05-02T18:00:00+08:00", nil},
		{"43952", Options{ExcelEpoch: "1904"}, "2024-05-02T00:00:00+08:00", nil},
		{"tomorrow 9am", Options{}, "", ErrUnreadable},
	}
	for _, c := range cases {
		c.opt.Location = taipei
		got, err := NewParser(c.opt).Parse(c.in)
		if !errors.Is(err, c.err) {
			t.Errorf("%q %+v: err %v, want %v", c.in, c.opt, err, c.err)
			continue
		}
		if err == nil && got.Format(time.RFC3339) != c.want {
			t.Errorf("%q: got %s, want %s", c.in, got.Format(time.RFC3339), c.want)
		}
	}
	// DST: a US clinic's 10:00 is -04:00 in July and -05:00 in December.
	// A fresh parser per value: one that last matched a clinic form tries
	// that path first, and both paths must get the gap right.
	for in, want := range map[string]string{
		"7/1/2024 10:00:00 AM":  "2024-07-01T10:00:00-04:00",
		"12/2/2024 10:00:00 AM": "2024-12-02T10:00:00-05:00",
		"3/10/2024 2:30:00 AM":  "2024-03-10T03:30:00-04:00", // the spring gap: forward by its length
		"2024-03-10 02:30":      "2024-03-10T03:30:00-04:00",
		"2024-03-10 03:30":      "2024-03-10T03:30:00-04:00",
		"11/3/2024 1:30:00 AM":  "2024-11-03T01:30:00-04:00", // the autumn fold: the first 01:30
	} {
		p := NewParser(Options{Location: ny, DateOrder: OrderMDY})
		if got, err := p.Parse(in); err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("%q: got %v %v, want %s", in, got, err, want)
		}
	}
	// The autumn fold east of UTC (a DST review): Go's time.Date leaves
	// the repeated hour's choice unspecified and returned the second
	// 01:30 in London, Sydney and Auckland (the first in New York), so
	// one consent time passed the gate in one zone and not in another.
	// The first, everywhere, through each way a time is read.
	for _, c := range []struct{ zone, in, want string }{
		{"Europe/London", "2024-10-27 01:30", "2024-10-27T01:30:00+01:00"},
		{"Europe/London", "27/10/2024 1:30:00 AM", "2024-10-27T01:30:00+01:00"},
		{"Europe/London", "2024-10-27 00:59", "2024-10-27T00:59:00+01:00"},
		{"Europe/London", "2024-10-27 02:00", "2024-10-27T02:00:00Z"}, // after the fold: once
		{"Europe/London", "2024-10-27 03:30", "2024-10-27T03:30:00Z"},
		{"Australia/Sydney", "2024-04-07 02:30", "2024-04-07T02:30:00+11:00"},
		{"Pacific/Auckland", "2024-04-07 02:30", "2024-04-07T02:30:00+13:00"},
		{"Australia/Lord_Howe", "2024-04-07 01:45", "2024-04-07T01:45:00+11:00"}, // a half-hour fold
		{"Australia/Lord_Howe", "2024-04-07 02:15", "2024-04-07T02:15:00+10:30"},
		{"America/New_York", "2024-11-03 01:30", "2024-11-03T01:30:00-04:00"},
		// The spring gaps east of UTC: forward by the gap, as in New York.
		{"Europe/London", "2024-03-31 01:30", "2024-03-31T02:30:00+01:00"},
		{"Australia/Sydney", "2024-10-06 02:30", "2024-10-06T03:30:00+11:00"},
		{"Australia/Lord_Howe", "2024-10-06 02:15", "2024-10-06T02:45:00+11:00"},
		// A review of the six-hour look-back: a 23-hour fold (Kwajalein,
		// +11 to -12 in 1969) and a skipped day (Samoa, 30 December 2011).
		{"Pacific/Kwajalein", "1969-09-30 20:00", "1969-09-30T20:00:00+11:00"},
		{"Pacific/Kwajalein", "1969-09-30 00:30", "1969-09-30T00:30:00+11:00"},
		{"Pacific/Apia", "2011-12-30 00:00", "2011-12-31T00:00:00+14:00"},
		{"Pacific/Apia", "2011-12-30 12:00", "2011-12-31T12:00:00+14:00"},
		// A gap east of UTC followed by another change forward (Khandyga:
		// +9 to +10 on 1 January 2004, then summer time in March): moved
		// once, not twice.
		{"Asia/Khandyga", "2004-01-01 00:30", "2004-01-01T01:30:00+10:00"},
	} {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Fatal(err)
		}
		p := NewParser(Options{Location: loc, DateOrder: OrderDMY})
		if got, err := p.Parse(c.in); err != nil || got.Format(time.RFC3339) != c.want {
			t.Errorf("%s %q: got %v %v, want %s", c.zone, c.in, got, err, c.want)
		}
		// The same wall time through a configured layout (the path that
		// looked only three hours either side of a change).
		if w, err := time.Parse("2006-01-02 15:04", c.in); err == nil {
			in := w.Format("02.01.2006 15.04")
			p := NewParser(Options{Location: loc, Layouts: []string{"02.01.2006 15.04"}})
			if got, err := p.Parse(in); err != nil || got.Format(time.RFC3339) != c.want {
				t.Errorf("%s %q by layout: got %v %v, want %s", c.zone, in, got, err, c.want)
			}
		}
	}
}

// FuzzParse: any input is read or refused with one of the package's
// sentinel errors (which carry no input), never a panic, and what is read
// lies in the years an export can hold.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"113/05/18", "1130518093000", "民國113年5月19日 下午2点", "5/8/2024 11:00:00 AM",
		"06/08/24", "45414.5", "２０２４年５月２日", "2024-05-02 中午12:30", "771128", "5月27日", "2024-05-18T09:00:00Z"} {
		f.Add(s, uint8(0))
	}
	// The clinic forms the seeds above lacked (the fuzz campaign of
	// 2026-12-07): ROC dates with 上午/下午, full-width digits, and what
	// Excel and Windows leave around a cell — a BOM, a CR, a ="..." formula.
	for _, s := range []string{"115/12/07", "115/12/07 上午 09:30", "115/12/07 下午 02:30", "2026/12/07 上午09:30:00",
		"２０２６／１２／０７ 下午２：３０", "１１５/１２/０７", "民國115年12月7日 上午9時30分", "\ufeff2026-12-07 09:30",
		"2026-12-07 09:30\r", "=\"2026-12-07 09:30\"", "115.12.07", "1151207", "12/7/2026 2:30 PM", "7/12/2026 14:30"} {
		f.Add(s, uint8(4))
		f.Add(s, uint8(0))
	}
	taipei, _ := time.LoadLocation("Asia/Taipei")
	orders := []string{"", OrderYMD, OrderMDY, OrderDMY}
	f.Fuzz(func(t *testing.T, s string, knobs uint8) {
		opt := Options{Location: taipei, DateOrder: orders[knobs%4], ROC: knobs&4 != 0}
		if knobs&8 != 0 {
			opt.DefaultYear = 2024
		}
		if knobs&16 != 0 {
			opt.ExcelEpoch = "1900"
		}
		p := NewParser(opt)
		got, err := p.Parse(s)
		// Full-width digits, as Big5-era clinic software writes them, are
		// the same date: the same time or a refusal either way. (The
		// range check alone let any misreading through.)
		wide := strings.Map(func(r rune) rune {
			if '0' <= r && r <= '9' {
				return r - '0' + '０'
			}
			return r
		}, s)
		if w, werr := p.Parse(wide); (werr == nil) != (err == nil) || !w.Equal(got) {
			t.Fatalf("%q read as %v %v, with full-width digits %v %v", s, got, err, w, werr)
		}
		if err != nil {
			for _, known := range []error{ErrUnreadable, ErrDateOrder, ErrNoYear} {
				if err == known {
					return
				}
			}
			t.Fatalf("unexpected error %v", err)
		}
		if y := got.UTC().Year(); y < 1899 || y > 2201 {
			t.Fatalf("%q read as %v", s, got)
		}
	})
}

// TestYearFromTheUploadWindow: a date without a year is read as its one
// occurrence within the upload window before today — never a date after
// today. Outside the window in every year it could have it is too old (or
// still to come) whatever the settings: ErrYearlessTooOld, ErrYearlessFuture;
// without a window it needs input.default_year (ErrNoYear).
func TestYearFromTheUploadWindow(t *testing.T) {
	tpe, err := time.LoadLocation("Asia/Taipei")
	if err != nil {
		t.Skip(err)
	}
	base := Options{Location: tpe, YearWindowDays: 90}
	cases := []struct {
		in, today string
		opt       Options
		want      string
		err       error
	}{
		{"5月27日", "2026-06-10", base, "2026-05-27T00:00:00+08:00", nil},
		{"5月27日 14:30", "2026-05-27", base, "2026-05-27T14:30:00+08:00", nil},
		{"12月30日", "2027-01-05", base, "2026-12-30T00:00:00+08:00", nil}, // across New Year
		{"5月28日", "2026-05-27", base, "", ErrYearlessFuture},             // tomorrow: last year's is outside the window
		{"1月2日", "2026-06-10", base, "", ErrYearlessTooOld},              // 159 days back
		{"2月29日", "2028-03-10", base, "2028-02-29T00:00:00+08:00", nil},
		{"2月29日", "2027-03-10", base, "", ErrYearlessTooOld}, // no 29 February within the window
		{"2月30日", "2027-03-10", base, "", ErrUnreadable},     // in no year at all
		{"5月27日", "2026-06-10", Options{Location: tpe}, "", ErrNoYear},
		{"5月27日", "2026-06-10", Options{Location: tpe, YearWindowDays: 90, DefaultYear: 2024}, "2024-05-27T00:00:00+08:00", nil},
		{"5/27", "2026-06-10", Options{Location: tpe, YearWindowDays: 90, DateOrder: OrderMDY}, "2026-05-27T00:00:00+08:00", nil},
	}
	for _, c := range cases {
		day, _ := time.Parse("2006-01-02", c.today)
		c.opt.Today = day
		got, err := NewParser(c.opt).Parse(c.in)
		if !errors.Is(err, c.err) || (err == nil && got.Format(time.RFC3339) != c.want) {
			t.Errorf("%s on %s: got %v, %v; want %s, %v", c.in, c.today, got.Format(time.RFC3339), err, c.want, c.err)
		}
	}
}

// TestFullWidthReadsAsASCII: a time written in full-width characters —
// RFC 3339 with its offset, a layout's date and clock, a clinic form —
// reads as the same time in ASCII (README, Real clinic exports: full-width
// digits; a review found the RFC 3339 one invalid_time).
func TestFullWidthReadsAsASCII(t *testing.T) {
	taipei, err := time.LoadLocation("Asia/Taipei")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"2026-11-03T13:00:00+08:00", "2026-11-03 13:00", "2026/11/03 13:00:00", "115/11/03 13:00", "2026-11-03T05:00:00Z"} {
		wide := strings.Map(func(r rune) rune {
			if r > ' ' && r < 0x7f {
				return r + 0xFEE0 // the full-width form
			}
			return r
		}, s)
		p := NewParser(Options{Location: taipei})
		want, err := p.Parse(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		got, err := NewParser(Options{Location: taipei}).Parse(wide)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v, %v; its ASCII form reads %v", wide, got, err, want)
		}
	}
}

// TestFullWidthLayoutsStillMatch: a configured layout that holds
// full-width text matches the cell as written; folding the cell first made
// it miss (a review: 03.11.2026 13：00 under 02.01.2006 15：04 was "day and
// month order is ambiguous").
func TestFullWidthLayoutsStillMatch(t *testing.T) {
	taipei, err := time.LoadLocation("Asia/Taipei")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 3, 13, 0, 0, 0, taipei)
	for layout, s := range map[string]string{"02.01.2006 15：04": "03.11.2026 13：00", "2006年01月02日 15時04分": "2026年11月03日 13時00分"} {
		got, err := NewParser(Options{Location: taipei, Layouts: []string{layout}}).Parse(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q under %q: %v, %v; want %v", s, layout, got, err, want)
		}
	}
}
