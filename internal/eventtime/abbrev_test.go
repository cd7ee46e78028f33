package eventtime

import (
	"errors"
	"testing"
	"time"
)

// TestAZoneAbbreviationIsTheClinicZones (a review of time handling): a
// time_formats layout with MST was read by time.Parse, which gives an
// abbreviation the host's zone does not know the offset 0: "11/20/2026 9:30
// AM EST" was sent as 09:30Z on a UTC host (14:30Z is right), and the
// answer moved with the host. The abbreviation is read in the clinic's
// zone now, whatever the host's, and one that zone does not use at that
// instant is unreadable (invalid_time): PST in New York, EST in July.
func TestAZoneAbbreviationIsTheClinicZones(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	la, _ := time.LoadLocation("America/Los_Angeles")
	layout := []string{"01/02/2006 3:04 PM MST"}
	cases := []struct {
		in, want string
		loc      *time.Location
		err      error
	}{
		{"11/20/2026 9:30 AM EST", "2026-11-20T14:30:00Z", ny, nil},
		{"07/20/2026 9:30 AM EDT", "2026-07-20T13:30:00Z", ny, nil},
		// The repeated hour: the abbreviation says which.
		{"11/01/2026 1:30 AM EDT", "2026-11-01T05:30:00Z", ny, nil},
		{"11/01/2026 1:30 AM EST", "2026-11-01T06:30:00Z", ny, nil},
		{"11/20/2026 9:30 AM UTC", "2026-11-20T09:30:00Z", ny, nil},
		{"11/20/2026 9:30 AM PST", "", ny, ErrUnreadable},
		{"07/20/2026 9:30 AM EST", "", ny, ErrUnreadable},
		{"11/20/2026 9:30 AM EDT", "", ny, ErrUnreadable},
		{"11/20/2026 9:30 AM PST", "2026-11-20T17:30:00Z", la, nil},
		{"11/20/2026 9:30 AM EST", "", la, ErrUnreadable},
		{"11/20/2026 9:30 AM EST", "", nil, ErrNoZone},
	}
	saved := time.Local
	defer func() { time.Local = saved }()
	for _, host := range []*time.Location{time.UTC, la, ny} {
		time.Local = host
		for _, c := range cases {
			got, err := NewParser(Options{Layouts: layout, Location: c.loc}).Parse(c.in)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Errorf("host %s, zone %v: %q read %v (%v); want %v", host, c.loc, c.in, got, err, c.err)
				}
				continue
			}
			if err != nil || got.UTC().Format(time.RFC3339) != c.want {
				t.Errorf("host %s, zone %v: %q read %v (%v); want %s", host, c.loc, c.in, got.UTC(), err, c.want)
			}
		}
	}
	// A layout with a numeric offset beside the name: the offset says the
	// instant, as before.
	got, err := NewParser(Options{Layouts: []string{"2006-01-02 15:04:05 -0700 MST"}, Location: ny}).Parse("2026-11-20 09:30:00 -0800 PST")
	if err != nil || !got.Equal(time.Date(2026, 11, 20, 17, 30, 0, 0, time.UTC)) {
		t.Errorf("numeric offset and a name: %v (%v)", got, err)
	}
}
