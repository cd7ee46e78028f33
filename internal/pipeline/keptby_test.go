package pipeline

import "testing"

// TestAKeptRecordIsAddedToOncePerExport: a run of the export that last
// added to a kept record adds nothing to it (its keys are there: a retry
// after exit 3, a second cron run), nor does a retry of an accepted run;
// another export adds, an export not known adds, and so does
// --accept-new-ids over a record the export added to unaccepted (the
// acceptance is what teaches its keys). Before, every run added.
func TestAKeptRecordIsAddedToOncePerExport(t *testing.T) {
	const a, b = "aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000", "bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000"
	byA, byAAccepted := NewKeptBy(a, false), NewKeptBy(a, true)
	for _, c := range []struct {
		name     string
		kept     KeptBy
		input    string
		accepted bool
		adds     bool
	}{
		{"the same export again", byA, a, false, false},
		{"the same export again, its digest as kept", byA, a[:nightInputLen], false, false},
		{"another export", byA, b, false, true},
		{"an export not known", byA, "", false, true},
		{"an export not known over a record of none", KeptBy{}, "", false, true},
		{"over a record of before (no export)", KeptBy{}, a, false, true},
		{"accepted over the same export's unaccepted", byA, a, true, true},
		{"a retry of the accepted run", byAAccepted, a, true, false},
		{"unaccepted over the same export's accepted", byAAccepted, a, false, false},
		{"accepted, another export", byAAccepted, b, true, true},
	} {
		if got := c.kept.Adds(c.input, c.accepted); got != c.adds {
			t.Errorf("%s: adds %v, want %v", c.name, got, c.adds)
		}
	}
}

// TestKeptByText: the ledger's form is the night's digest prefix, with
// ",accepted" for a run that passed --accept-new-ids; "" is no export
// known (a record of before); what is not that form is not read.
func TestKeptByText(t *testing.T) {
	const a = "aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000"
	for _, k := range []KeptBy{{}, NewKeptBy(a, false), NewKeptBy(a, true)} {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back KeptBy
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Errorf("%+v → %q → %+v (%v)", k, b, back, err)
		}
	}
	if b, _ := NewKeptBy(a, true).MarshalText(); string(b) != "aaaa0000aaaa0000,accepted" {
		t.Errorf("text %q", b)
	}
	for _, bad := range []string{"AAAA", "aaaa0000aaaa0000a", ",accepted", "aaaa,yes", "zz"} {
		var k KeptBy
		if err := k.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q read as %+v", bad, k)
		}
	}
}
