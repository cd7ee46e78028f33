package platform

import (
	"testing"
	"time"
)

// TestFieldsTakenAndHashed pins what each platform takes and hashes, as
// the normalisation doc and the APIs say (Google: no city, state or
// external id; postal code and region code in plain text).
func TestFieldsTakenAndHashed(t *testing.T) {
	type row struct{ takes, hashes bool }
	want := map[Platform]map[Field]row{
		Google: {
			Email: {true, true}, Phone: {true, true}, FirstName: {true, true}, LastName: {true, true},
			PostalCode: {true, false}, City: {false, true}, State: {false, true}, Country: {true, false},
			ExternalID: {false, true},
		},
		Meta: {
			Email: {true, true}, Phone: {true, true}, FirstName: {true, true}, LastName: {true, true},
			PostalCode: {true, true}, City: {true, true}, State: {true, true}, Country: {true, true},
			ExternalID: {true, true},
		},
	}
	for p, fields := range want {
		for f, w := range fields {
			if p.Supports(f) != w.takes || p.Hashes(f) != w.hashes {
				t.Errorf("%s %s: takes %v hashes %v, want %v", p, f, p.Supports(f), p.Hashes(f), w)
			}
		}
	}
}

func TestNamesRoundTrip(t *testing.T) {
	for _, p := range All {
		if q, err := Parse(p.String()); err != nil || q != p {
			t.Errorf("Parse(%q) = %v, %v", p, q, err)
		}
	}
	if _, err := Parse("line"); err == nil || err.Error() != `unknown platform "line" (want google or meta)` {
		t.Errorf("Parse(line): %v", err)
	}
	for _, f := range Fields {
		if g, err := ParseField(f.String()); err != nil || g != f {
			t.Errorf("ParseField(%q) = %v, %v", f, g, err)
		}
	}
}

// TestSpecsAreWhole: every platform has a Spec whose limits are usable,
// so a new platform cannot be added half-way.
func TestSpecsAreWhole(t *testing.T) {
	for _, p := range All {
		s := p.Spec()
		switch {
		case s == nil:
			t.Fatalf("%d has no Spec", p)
		case s.Platform != p, s.Name == "", s.Title == "", s.ConsentKey == "", s.Endpoint == "", s.DedupKey == "":
			t.Errorf("%s: incomplete Spec %+v", p, s)
		case s.DefaultBatch < 1 || s.DefaultBatch > s.MaxBatch,
			s.DefaultEventAge <= 0 || s.DefaultEventAge > s.MaxEventAge || s.DefaultEventAge%(24*time.Hour) != 0,
			s.DefaultRequestsPerMinute < 1 || s.DefaultRequestsPerMinute > s.MaxRequestsPerMinute,
			s.DefaultConcurrency < 1 || s.DefaultConcurrency > s.MaxConcurrency,
			s.DefaultTimeout <= 0:
			t.Errorf("%s: defaults outside the limits", p)
		case s.Configurable&^s.Takes != 0:
			t.Errorf("%s: configurable fields it does not take", p)
		}
		for _, g := range s.Groups {
			if g.Fields&^s.Takes != 0 || g.Name == "" || g.Incomplete == "" {
				t.Errorf("%s: group %q", p, g.Name)
			}
		}
	}
}

// TestCountIdentifiers: a group counts once, as Google counts AddressInfo.
func TestCountIdentifiers(t *testing.T) {
	g := Google.Spec()
	if n := g.CountIdentifiers([]Field{Email, Email, Phone, FirstName, LastName, PostalCode, Country}); n != 4 {
		t.Errorf("google count %d, want 4", n)
	}
	if n := Meta.Spec().CountIdentifiers([]Field{Email, FirstName, LastName}); n != 3 {
		t.Errorf("meta count %d, want 3", n)
	}
	if r := g.Reserved(SetOf(Email, Country)); r != 1 {
		t.Errorf("reserved %d, want 1", r)
	}
	if r := g.Reserved(SetOf(Email, Phone)); r != 0 {
		t.Errorf("reserved %d, want 0", r)
	}
}

// TestOnlyMetaDedupsOnTheEventTime: Meta deduplicates a physical_store
// event on event_time, event_name and the order id (contract M11), so its
// resends keep the time they were sent with; Google matches a
// transactionId within its conversion action whatever the time, and a
// Google failure requeued after the clinic corrected that time must go
// with the correction.
func TestOnlyMetaDedupsOnTheEventTime(t *testing.T) {
	for _, p := range All {
		if got, want := p.Spec().DedupOnTime, p == Meta; got != want {
			t.Errorf("%s: DedupOnTime %v, want %v", p, got, want)
		}
	}
}
