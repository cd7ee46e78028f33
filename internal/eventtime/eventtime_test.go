package eventtime

import (
	"errors"
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
			p[c.loc] = NewParser(nil, c.loc)
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
	p := NewParser([]string{"02.01.2006 15:04"}, taipei)
	got, err := p.Parse("18.05.2024 18:00")
	if err != nil || got.Format(time.RFC3339) != "2024-05-18T18:00:00+08:00" {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := p.Parse("2024-05-18 18:00"); !errors.Is(err, ErrUnreadable) {
		t.Errorf("custom layouts replace the defaults; got %v", err)
	}
}
