package consent

import (
	"errors"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestAPatientUnderTheMinimumAgeIsAMinor: a patient younger than
// consent.min_age on the appointment's day is excluded as minor; on the
// birthday itself the year is complete (Taiwan Civil Code Art. 124: age
// counts from the day of birth), so the visit is an adult's. A birth date
// that cannot be read, or that is after the visit, excludes the row as
// birth_date_invalid, never guessed; a blank one is unknown age, which
// only consent.require_birth_date excludes.
func TestAPatientUnderTheMinimumAgeIsAMinor(t *testing.T) {
	p := NewPolicy(Options{Granted: []string{"yes"}, MinAge: 18, Location: taipei})
	strict := NewPolicy(Options{Granted: []string{"yes"}, MinAge: 18, RequireBirthDate: true, Location: taipei})
	event := at("2026-06-10 09:30")
	born := func(s string) Input { return Input{Value: "yes", Event: event, Born: day(s), HasBorn: true} }
	cases := []struct {
		name   string
		p      *Policy
		in     Input
		reason string
	}{
		{"adult", p, born("1990-01-01"), ""},
		{"eighteenth birthday is the visit's day", p, born("2008-06-10"), ""},
		{"the day before the eighteenth birthday", p, born("2008-06-11"), ReasonMinor},
		{"a child", p, born("2019-03-03"), ReasonMinor},
		{"born on the visit's day", p, born("2026-06-10"), ReasonMinor},
		{"born after the visit", p, born("2026-06-11"), ReasonBirthDateInvalid},
		{"unreadable", p, Input{Value: "yes", Event: event, HasBorn: true, BornErr: errors.New("x")}, ReasonBirthDateInvalid},
		{"blank, not required", p, Input{Value: "yes", Event: event}, ""},
		{"blank, required", strict, Input{Value: "yes", Event: event}, ReasonBirthDateMissing},
		{"consent refused wins", p, Input{Value: "no", Event: event, Born: day("2019-03-03"), HasBorn: true}, ReasonDenied},
	}
	for _, c := range cases {
		if got := c.p.Decide(c.in); got != c.reason {
			t.Errorf("%s: Decide = %q, want %q", c.name, got, c.reason)
		}
		if c.in.Value == "yes" {
			if got := c.p.DecideScreened(c.in); got != c.reason {
				t.Errorf("%s: DecideScreened = %q, want %q", c.name, got, c.reason)
			}
		}
	}
}

// TestTheAppointmentDayIsTheClinics: the visit's day is read in the
// clinic's zone: 2026-06-09T17:00Z is 10 June in Taipei, the eighteenth
// birthday of a patient born on 10 June 2008.
func TestTheAppointmentDayIsTheClinics(t *testing.T) {
	p := NewPolicy(Options{Granted: []string{"yes"}, MinAge: 18, Location: taipei})
	in := Input{Value: "yes", Event: time.Date(2026, 6, 9, 17, 0, 0, 0, time.UTC), Born: day("2008-06-10"), HasBorn: true}
	if got := p.Decide(in); got != "" {
		t.Fatalf("Decide = %q, want an adult's visit", got)
	}
}

// TestALeapDayBirthdayIsReachedOnTheFirstOfMarch: born on 29 February,
// a patient completes the year on 1 March in a common year — the later
// of the two readings, as default-deny asks.
func TestALeapDayBirthdayIsReachedOnTheFirstOfMarch(t *testing.T) {
	p := NewPolicy(Options{Granted: []string{"yes"}, MinAge: 18, Location: taipei})
	born := day("2008-02-29")
	for _, c := range []struct {
		event  string
		reason string
	}{{"2026-02-28 10:00", ReasonMinor}, {"2026-03-01 10:00", ""}} {
		if got := p.Decide(Input{Value: "yes", Event: at(c.event), Born: born, HasBorn: true}); got != c.reason {
			t.Errorf("%s: Decide = %q, want %q", c.event, got, c.reason)
		}
	}
}

// TestNoMinimumAgeWithoutOne: a Policy without MinAge (the channel
// report's) judges no age: it is given no birth date.
func TestNoMinimumAgeWithoutOne(t *testing.T) {
	p := NewPolicy(Options{Granted: []string{"yes"}})
	if got := p.Decide(Input{Value: "yes", Event: at("2026-06-10 09:30"), Born: day("2019-03-03"), HasBorn: true}); got != "" {
		t.Fatalf("Decide = %q, want no age rule", got)
	}
}

// TestAnExpiredConsentCoversNeitherTheVisitNorTheSend: a consent (a HIPAA
// authorization's "expiration date", 45 CFR 164.508(c)) that ended before
// the appointment did not cover it; one that ended after the visit but
// before the run sends it covers the visit and not the disclosure, and
// is excluded too. The consent ends at its expiry instant: a date-only
// expiry read in the clinic's zone ends at the start of that day.
func TestAnExpiredConsentCoversNeitherTheVisitNorTheSend(t *testing.T) {
	p := NewPolicy(Options{Granted: []string{"yes"}, Location: taipei})
	event, now := at("2026-06-10 09:30"), at("2026-06-12 02:00")
	exp := func(s string) Input {
		return Input{Value: "yes", Event: event, Now: now, Expires: at(s), HasExpires: true}
	}
	cases := []struct {
		name   string
		in     Input
		reason string
	}{
		{"expires after the send", exp("2026-07-01 00:00"), ""},
		{"expired before the visit", exp("2026-06-01 00:00"), ReasonExpired},
		{"expired on the visit's day, at its start", exp("2026-06-10 00:00"), ReasonExpired},
		{"expired between the visit and the send", exp("2026-06-11 00:00"), ReasonExpired},
		{"expires at the moment of sending", exp("2026-06-12 02:00"), ReasonExpired},
		{"unreadable", Input{Value: "yes", Event: event, Now: now, HasExpires: true, ExpiresErr: errors.New("x")}, ReasonExpiryInvalid},
		{"blank: no expiry", Input{Value: "yes", Event: event, Now: now}, ""},
	}
	for _, c := range cases {
		if got := p.Decide(c.in); got != c.reason {
			t.Errorf("%s: Decide = %q, want %q", c.name, got, c.reason)
		}
		if got := p.DecideScreened(c.in); got != c.reason {
			t.Errorf("%s: DecideScreened = %q, want %q", c.name, got, c.reason)
		}
	}
}

// TestABirthDateIsNotADayEarly: the day before the eighteenth birthday
// is a minor's however the two dates were written. A birth date written
// as an instant — JSON's local midnight in UTC, 2008-04-30T16:00:00Z, is
// 1 May in Taipei — and, with no timezone, a visit written with its own
// offset (2026-04-30T23:00-05:00, read in UTC, was 1 May) were read a
// day off, and the minor was sent. A wall date at UTC midnight read in
// a zone west of UTC is the same ambiguity the other way: the later date
// is taken.
func TestABirthDateIsNotADayEarly(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	inTaipei := NewPolicy(Options{Granted: []string{"yes"}, Location: taipei, MinAge: 18})
	inNY := NewPolicy(Options{Granted: []string{"yes"}, Location: ny, MinAge: 18})
	noZone := NewPolicy(Options{Granted: []string{"yes"}, MinAge: 18})
	instant := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	wall := time.Date(2008, 5, 1, 0, 0, 0, 0, WallDates())
	cases := []struct {
		name   string
		p      *Policy
		born   time.Time
		event  time.Time
		reason string
	}{
		{"JSON midnight, Taipei visit the day before", inTaipei, instant("2008-04-30T16:00:00Z"), time.Date(2026, 4, 30, 10, 0, 0, 0, taipei), ReasonMinor},
		{"JSON midnight, Taipei visit on the birthday", inTaipei, instant("2008-04-30T16:00:00Z"), time.Date(2026, 5, 1, 10, 0, 0, 0, taipei), ""},
		{"UTC midnight, New York visit the day before", inNY, instant("2008-05-01T00:00:00Z"), time.Date(2026, 4, 30, 10, 0, 0, 0, ny), ReasonMinor},
		{"wall date, New York visit on the birthday", inNY, wall, time.Date(2026, 5, 1, 10, 0, 0, 0, ny), ""},
		{"no zone, visit with its own offset the day before", noZone, wall, instant("2026-04-30T23:00:00-05:00"), ReasonMinor},
		{"no zone, visit with its own offset on the birthday", noZone, wall, instant("2026-05-01T01:00:00-05:00"), ""},
		{"no zone, JSON midnight of Taipei", noZone, instant("2008-04-30T16:00:00Z"), instant("2026-04-30T10:00:00Z"), ReasonMinor},
	}
	for _, c := range cases {
		in := Input{Value: "yes", Event: c.event, Born: c.born, HasBorn: true, Now: c.event.Add(time.Hour)}
		if got := c.p.Decide(in); got != c.reason {
			t.Errorf("%s: Decide = %q, want %q", c.name, got, c.reason)
		}
	}
}
