package pipeline

import (
	"bytes"
	"fmt"
)

// The patient keys of the last nights, night by night (a review of the
// stop's limits): the stop judged a night of keyEvidence keys or more, so
// a small clinic (5 to 15 visits a night) never had it, and its
// withdrawal memory went blind the night a new practice system numbered
// its patients anew.
//
// Now the stop judges the keys of the last nights together: tonight's,
// then each earlier night's, most recent first, while they are at most
// keyEvidence keys (a night whose keys would take the count past it is
// left out whole, tonight never). It stops when most of tonight's keys
// depart from the kept shape, and more than keyEvidence/2 of the counted
// ones do, being most of them. Those are the figures a night of
// keyEvidence keys stops at, so such a night is judged as before (the
// nights before it add nothing); a night of 11 to 19 keys is judged by
// itself; small nights add up, so a renumbering at 6 keys a night stops
// its second night (12 of 18), and one odd small night (3 test patients
// of 5) stops nothing. Its first night goes through: the price of a small
// clinic's evidence, said in docs/contract.md.
//
// The nights are kept beside the shape, under a key of their own
// (ledger.SetPatientKeyShapes): appended to the shape's text, they would
// make an older hashgate read nothing it keeps and replace the clinic's
// kept shape with one night's.

// A night is known by the export it read (a review): a re-run of the
// same export — a retry after exit 3, a second cron run — is the same
// night, yet its keys were counted as another's, and a small night of
// walk-ins that went on stopped when run again. Each night kept carries
// the digest of its export (the run report's input_sha256, its first
// nightInputLen hex digits); a night whose export was read before is
// left out of the count that judges it (counted) and replaced by it in
// the nights kept (Next). A rolling export run again the next day with
// new rows is another export, and another night. A night kept without
// a digest (the record of the day the nights came) is no export's.

// nightInputLen is how many hex digits of the export's digest a night
// keeps: enough to tell one export from another, the ledger's record
// short.
const nightInputLen = 16

// KeyNight is the shape of one upload's patient keys and the digest of
// the export it read (nightInput; "": not known).
type KeyNight struct {
	KeyShape
	Input string
}

// nightInput is the part of an export's SHA-256 (hex) a night keeps.
func nightInput(sha string) string {
	return sha[:min(len(sha), nightInputLen)]
}

// KeyNights is the shapes of the patient keys of the last uploads, one
// per upload that read keys (one per export read), most recent first: as
// many as hold at most keyEvidence keys together.
type KeyNights []KeyNight

// Next is the nights to keep after an upload that read tonight from the
// export of digest input (its SHA-256 in hex; "": not known): tonight
// first, then the earlier nights while they hold at most keyEvidence keys
// together — but a night of the same export is replaced by tonight where
// it was, not added again. Tonight's keys join whether or not they taught
// the kept shape (KeyShape.Kept): the nights are counted again, each
// against the kept shape of the night that judges them.
func (w KeyNights) Next(tonight KeyShape, input string) KeyNights {
	this := KeyNight{KeyShape: tonight, Input: nightInput(input)}
	all := append(KeyNights{this}, w...)
	for i := range w {
		if this.Input != "" && w[i].Input == this.Input {
			all = append(KeyNights(nil), w...)
			all[i] = this
			break
		}
	}
	var out KeyNights
	n := 0
	for _, s := range all {
		t := s.Total()
		if t == 0 {
			continue
		}
		if n += t; n > keyEvidence {
			break
		}
		out = append(out, s)
	}
	return out
}

// departing is how many of n's keys depart from s (strange).
func (s *KeyShape) departing(n *KeyShape) int {
	d, v := 0, s.verdicts()
	for i := range n.Lens {
		for l, c := range n.Lens[i] {
			if c > 0 && v[i][l] {
				d += c
			}
		}
	}
	return d
}

// counted is what the stop judges (keyShapeGate.err): of tonight's keys
// (total, changed of them departing from prior; read from the export of
// digest input, "" not known) and the earlier nights' of other exports
// while all are at most keyEvidence, how many keys, how many depart, and
// how many nights they are.
func counted(prior *KeyShape, earlier KeyNights, input string, total, changed int) (keys, departing, nights int) {
	keys, departing, nights = total, changed, 1
	input = nightInput(input)
	for i := range earlier {
		if input != "" && earlier[i].Input == input {
			continue // tonight's export, read before: tonight's keys
		}
		t := earlier[i].Total()
		if keys+t > keyEvidence {
			break
		}
		keys += t
		departing += prior.departing(&earlier[i].KeyShape)
		nights++
	}
	return keys, departing, nights
}

// MarshalText is the ledger's form: each night's KeyShape text, then
// "@" and its export's digest when known, most recent first, joined by
// "|".
func (w KeyNights) MarshalText() ([]byte, error) {
	var b []byte
	for i, s := range w {
		if i > 0 {
			b = append(b, '|')
		}
		t, err := s.MarshalText()
		if err != nil {
			return nil, err
		}
		b = append(b, t...)
		if s.Input != "" {
			b = append(append(b, '@'), s.Input...)
		}
	}
	return b, nil
}

// UnmarshalText reads MarshalText's form, and the form of the day the
// nights came (no digests: nights of no export known). More nights than
// keyEvidence (each holds a key) are not a form it writes.
func (w *KeyNights) UnmarshalText(b []byte) error {
	*w = nil
	if len(b) == 0 {
		return nil
	}
	parts := bytes.Split(b, []byte("|"))
	if len(parts) > keyEvidence {
		return fmt.Errorf("patient key nights: more nights than are kept")
	}
	for _, p := range parts {
		var s KeyNight
		p, in, ok := bytes.Cut(p, []byte("@"))
		if ok && !hexDigits(in) {
			return fmt.Errorf("patient key nights: an export's digest that cannot be read")
		}
		if err := s.UnmarshalText(p); err != nil {
			return err
		}
		if s.Total() == 0 {
			return fmt.Errorf("patient key nights: a night without keys")
		}
		s.Input = string(in)
		*w = append(*w, s)
	}
	return nil
}

// hexDigits: b is 1 to nightInputLen lower-case hex digits.
func hexDigits(b []byte) bool {
	if len(b) == 0 || len(b) > nightInputLen {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// overNights is what the stop's message adds when it counted the keys of
// more than tonight's upload: counts only, never a key.
func overNights(keys, departing, nights int) string {
	if nights < 2 {
		return ""
	}
	return fmt.Sprintf(", and %d of the %d keys of the last %d uploads (this one's among them: a night of fewer than %d keys is judged with the nights before it)", departing, keys, nights, keyEvidence)
}
