package pipeline

import (
	"bytes"
	"fmt"
)

// A kept record is added to once per export (a review, after the last
// nights' were: keynights.go). The kept shape of the patient keys
// (KeyShape.Kept) and the kept counts of long ids (LongShape.Kept) add
// each upload's; a re-run of the same export — a retry after exit 3, a
// second cron run — added its keys a second time: a small clinic's night
// of walk-ins run again weighed double in the kept shares, and the
// rounding stop's kept counts grew by re-runs, not by evidence. Now each
// record remembers the export that last added to it (KeptBy: the first
// nightInputLen hex digits of its SHA-256, as a night does), and a run of
// that export leaves the record as it is (Adds): the same export holds
// the same keys, so what it would add is there already. The ledger keeps
// it beside the record, not in its text (ledger's keptinput.go: an older
// hashgate reads the text as before); a record without one — written
// before, or rewritten since by an older hashgate — is added to as
// before, and the run keeps its export beside it from then on.

// KeptBy is the export that last added to a kept record: its digest as a
// night keeps it (nightInput; "": not known), and whether that run passed
// --accept-new-ids (Accepted), which adds otherwise (KeyShape.Kept,
// LongShape.Kept).
type KeptBy struct {
	Input    string
	Accepted bool
}

// NewKeptBy is the KeptBy of a run that read the export of digest input
// (its SHA-256 in hex; "": not known); accepted: --accept-new-ids.
func NewKeptBy(input string, accepted bool) KeptBy {
	return KeptBy{Input: nightInput(input), Accepted: accepted}
}

// Adds reports whether a run that read the export of digest input
// (accepted: it passed --accept-new-ids) adds what it read to a record k
// last added to: unless that was this export, read as it is now read.
// Accepted over a record the export added to unaccepted, it adds: the
// person's acceptance is what makes its keys the clinic's (an unaccepted
// night most of whose keys were new taught none of them), and a retry of
// the accepted run is then the same again. An export not known adds.
func (k KeptBy) Adds(input string, accepted bool) bool {
	in := nightInput(input)
	return in == "" || in != k.Input || accepted && !k.Accepted
}

// keptAccepted is what the text form adds for a run that passed
// --accept-new-ids.
const keptAccepted = ",accepted"

// MarshalText is the ledger's form: the digest's hex digits, then
// ",accepted" for a run that passed --accept-new-ids; "" when not known.
func (k KeptBy) MarshalText() ([]byte, error) {
	if k.Input == "" {
		return nil, nil
	}
	b := []byte(k.Input)
	if k.Accepted {
		b = append(b, keptAccepted...)
	}
	return b, nil
}

// UnmarshalText reads MarshalText's form.
func (k *KeptBy) UnmarshalText(b []byte) error {
	*k = KeptBy{}
	if len(b) == 0 {
		return nil
	}
	in, accepted := bytes.CutSuffix(b, []byte(keptAccepted))
	if !hexDigits(in) {
		return fmt.Errorf("kept record: an export's digest that cannot be read")
	}
	*k = KeptBy{Input: string(in), Accepted: accepted}
	return nil
}
