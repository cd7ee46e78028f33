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

// KeyNights is the shapes of the patient keys of the last uploads, one
// per upload that read keys, most recent first: as many as hold at most
// keyEvidence keys together.
type KeyNights []KeyShape

// Next is the nights to keep after an upload that read tonight: tonight
// first, then the earlier nights while they hold at most keyEvidence keys
// together. Tonight's keys join whether or not they taught the kept shape
// (KeyShape.Kept): the nights are counted again, each against the kept
// shape of the night that judges them.
func (w KeyNights) Next(tonight KeyShape) KeyNights {
	var out KeyNights
	n := 0
	for i := -1; i < len(w); i++ {
		s := tonight
		if i >= 0 {
			s = w[i]
		}
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
// (total, changed of them departing from prior) and the earlier nights'
// while all are at most keyEvidence, how many keys, how many depart, and
// how many nights they are.
func counted(prior *KeyShape, earlier KeyNights, total, changed int) (keys, departing, nights int) {
	keys, departing, nights = total, changed, 1
	for i := range earlier {
		t := earlier[i].Total()
		if keys+t > keyEvidence {
			break
		}
		keys += t
		departing += prior.departing(&earlier[i])
		nights++
	}
	return keys, departing, nights
}

// MarshalText is the ledger's form: each night's KeyShape text, most
// recent first, joined by "|".
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
	}
	return b, nil
}

// UnmarshalText reads MarshalText's form. More nights than keyEvidence
// (each holds a key) are not a form it writes.
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
		var s KeyShape
		if err := s.UnmarshalText(p); err != nil {
			return err
		}
		if s.Total() == 0 {
			return fmt.Errorf("patient key nights: a night without keys")
		}
		*w = append(*w, s)
	}
	return nil
}

// overNights is what the stop's message adds when it counted the keys of
// more than tonight's upload: counts only, never a key.
func overNights(keys, departing, nights int) string {
	if nights < 2 {
		return ""
	}
	return fmt.Sprintf(", and %d of the %d keys of the last %d uploads (this one's among them: a night of fewer than %d keys is judged with the nights before it)", departing, keys, nights, keyEvidence)
}
