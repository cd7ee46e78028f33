package channelreport

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/channels"
)

// TestJSONNamesNewPatientWarnings: a report whose patient keys look
// changed says so in the JSON as a kind and a day (a review: the channel
// report counted every returning patient new after a software switch,
// and only stderr, which a script reading the JSON never sees, said it);
// a report without one carries an empty list, never a missing key.
func TestJSONNamesNewPatientWarnings(t *testing.T) {
	type warning struct{ Kind, From string }
	read := func(r *channels.Report) []warning {
		t.Helper()
		var b bytes.Buffer
		if err := WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		var top struct {
			W *[]warning `json:"new_patient_warnings"`
		}
		if err := json.Unmarshal(b.Bytes(), &top); err != nil {
			t.Fatalf("%v\n%s", err, b.String())
		}
		if top.W == nil {
			t.Fatalf("no new_patient_warnings key:\n%s", b.String())
		}
		return *top.W
	}
	r := sample(false)
	r.NewPatientWarnings = []channels.NewPatientWarning{}
	if got := read(r); len(got) != 0 {
		t.Errorf("none: %+v", got)
	}
	r.NewPatientWarnings = []channels.NewPatientWarning{{Kind: channels.KindKeysChanged, From: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}}
	if got := read(r); len(got) != 1 || got[0] != (warning{"patient_keys_changed", "2026-09-01"}) {
		t.Errorf("got %+v, want patient_keys_changed from 2026-09-01", got)
	}
}
