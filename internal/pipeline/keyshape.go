package pipeline

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/export"
)

// The patient keys' shape, night to night.
//
// A withdrawal is remembered by the digest of the patient key
// (RememberedDigest), and the ledger's fingerprint of what it was made
// under names the column (eventid.Deriver.RevokedKeyCheck), not what the
// column holds. A clinic that replaced its practice system mid-year kept
// its config: the new system numbered patients anew (M70003 for 511)
// under the same column name, and every withdrawn patient whose row
// carries no remembered email or phone (ReasonIdentifierWithdrawn) would
// be sent again (a review). Nothing in one export tells a new numbering;
// the shape of the column the night before does. So an upload keeps, as
// it keeps the order ids' (idshape.go), the shape of its patient keys —
// per kind (how many leading ASCII letters, 0 to 3 or more, and whether
// the rest is digits, letters and digits, or other characters), how many
// keys and their shortest and longest length, all as the keys compare
// (consent.Key: an all-digit key's leading zeros, case and full-width
// forms make no difference) — and the next upload stops before sending
// when most of its keys are of a kind the uploads before it held none of,
// or (a kind with letters) of a length far from theirs. Only counts and
// lengths are kept: no key, no letter of one.
//
// Ordinary nights must not stop (a review of the day it landed): chart
// numbers issued over years unpadded (87, 512, 13011) stopped a clinic
// whose night held mostly short ones after a night of long ones, as the
// length of an all-digit key was judged and the kept shape was the last
// night's alone. An all-digit key is judged by its kind alone now (its
// length says nothing of a numbering: one that grows, or was never
// padded); the kept shape is the union of the nights' kinds, lengths
// widened (Kept); and the stop needs keyEvidence keys tonight and in the
// kept shape. A new numbering still shows as a new kind: letters where
// there were digits, another count of leading letters.

// keyEvidence is how many keys tonight, and in the kept shape, the stop
// needs before it judges: a handful of keys proves no numbering.
const keyEvidence = 20

// keyKinds is how many kinds a key can be of: keyPrefixes × 3 classes.
const (
	keyPrefixes = 4
	keyKinds    = keyPrefixes * 3
)

// KindShape is how many keys of one kind an export held, and their
// shortest and longest length.
type KindShape struct {
	N, MinLen, MaxLen int
}

// KeyShape is the shape of an export's patient keys, by kind (keyKind).
type KeyShape struct {
	Kinds [keyKinds]KindShape
}

// keyKind is the kind of a folded key k, and its length: its leading
// ASCII letters (0 to keyPrefixes-1, the last meaning that many or more)
// and what the rest is — 0 all digits (or nothing), 1 ASCII letters and
// digits, 2 anything else.
func keyKind(k []byte) (kind, length int) {
	p := 0
	for p < len(k) && ('a' <= k[p] && k[p] <= 'z' || 'A' <= k[p] && k[p] <= 'Z') {
		p++
	}
	class := 0
	for _, c := range k[p:] {
		switch {
		case '0' <= c && c <= '9':
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			class = max(class, 1)
		default:
			class = 2
		}
	}
	return min(p, keyPrefixes-1)*3 + class, len(k)
}

// Total is how many keys the shape counts.
func (s *KeyShape) Total() int {
	n := 0
	for _, k := range s.Kinds {
		n += k.N
	}
	return n
}

func (s *KeyShape) add(kind, length int) {
	k := &s.Kinds[kind]
	if k.N == 0 || length < k.MinLen {
		k.MinLen = length
	}
	k.MaxLen = max(k.MaxLen, length)
	k.N++
}

// strange reports whether a key of kind and length departs from s: a
// kind s never held, or, for a kind with letters, a length more than one
// away from its range. An all-digit key's length is never judged.
func (s *KeyShape) strange(kind, length int) bool {
	k := s.Kinds[kind]
	if k.N == 0 {
		return true
	}
	return kind != 0 && (length > k.MaxLen+1 || length < k.MinLen-1)
}

// Merge is the union of prior and s: each kind's count summed, its
// lengths widened to hold both.
func (s KeyShape) Merge(prior KeyShape) KeyShape {
	out := prior
	for i, k := range s.Kinds {
		out.Kinds[i] = out.Kinds[i].merge(k)
	}
	return out
}

func (k KindShape) merge(o KindShape) KindShape {
	switch {
	case o.N == 0:
		return k
	case k.N == 0:
		return o
	}
	return KindShape{N: k.N + o.N, MinLen: min(k.MinLen, o.MinLen), MaxLen: max(k.MaxLen, o.MaxLen)}
}

// Kept is the shape the ledger keeps after a run that read s over prior:
// their union (Merge), the nights' counts and lengths added up, not
// tonight's alone. Once the kept shape has keyEvidence keys, a kind it
// holds none of joins only when the person ran --accept-new-ids
// (accepted): a night whose few keys of a new kind stopped nothing (3 of
// 24), or too small a night to judge, must not teach that kind, else a
// new numbering in it would go on unjudged the night it takes over.
func (s KeyShape) Kept(prior KeyShape, accepted bool) KeyShape {
	if !accepted && prior.Total() >= keyEvidence {
		for i := range s.Kinds {
			if prior.Kinds[i].N == 0 {
				s.Kinds[i] = KindShape{}
			}
		}
	}
	return s.Merge(prior)
}

// MarshalText is the ledger's form: "kind:n,min,max" per kind held,
// joined by ";" ("" for none).
func (s KeyShape) MarshalText() ([]byte, error) {
	var b []byte
	for i, k := range s.Kinds {
		if k.N == 0 {
			continue
		}
		if len(b) > 0 {
			b = append(b, ';')
		}
		b = fmt.Appendf(b, "%d:%d,%d,%d", i, k.N, k.MinLen, k.MaxLen)
	}
	return b, nil
}

// UnmarshalText reads MarshalText's form.
func (s *KeyShape) UnmarshalText(b []byte) error {
	*s = KeyShape{}
	if len(b) == 0 {
		return nil
	}
	for _, part := range strings.Split(string(b), ";") {
		kind, rest, ok := strings.Cut(part, ":")
		f := strings.Split(rest, ",")
		i, err := strconv.Atoi(kind)
		if !ok || err != nil || i < 0 || i >= keyKinds || len(f) != 3 {
			return fmt.Errorf("patient key shape: a kind that cannot be read")
		}
		var v [3]int
		for j := range f {
			if v[j], err = strconv.Atoi(f[j]); err != nil || v[j] < 0 {
				return fmt.Errorf("patient key shape: not a count")
			}
		}
		s.Kinds[i] = KindShape{N: v[0], MinLen: v[1], MaxLen: v[2]}
	}
	return nil
}

// describe says, in words, the kinds most of s's keys are of (at most
// two), with their lengths.
func (s *KeyShape) describe() string {
	var first, second int = -1, -1
	for i, k := range s.Kinds {
		switch {
		case k.N == 0:
		case first < 0 || k.N > s.Kinds[first].N:
			first, second = i, first
		case second < 0 || k.N > s.Kinds[second].N:
			second = i
		}
	}
	if first < 0 {
		return "none"
	}
	out := kindWords(first, s.Kinds[first])
	if second >= 0 {
		out += fmt.Sprintf(" (and %d %s)", s.Kinds[second].N, kindWords(second, s.Kinds[second]))
	}
	return out
}

// kindWords names a kind and its lengths: "all digits, 3 long", "1 letter
// then digits, 6 long".
func kindWords(kind int, k KindShape) string {
	p, class := kind/3, kind%3
	var what string
	switch {
	case p == 0 && class == 0:
		what = "all digits"
	case class == 0:
		what = letters(p) + " then digits"
	case class == 1:
		what = "letters and digits mixed"
	default:
		what = "other characters (punctuation, spaces or non-ASCII)"
	}
	long := strconv.Itoa(k.MinLen)
	if k.MaxLen != k.MinLen {
		long += " to " + strconv.Itoa(k.MaxLen)
	}
	return what + ", " + long + " long"
}

func letters(p int) string {
	switch {
	case p == 1:
		return "1 letter"
	case p >= keyPrefixes-1:
		return strconv.Itoa(p) + " or more letters"
	}
	return strconv.Itoa(p) + " letters"
}

// keyShapeGate notes the patient keys' shape row by row and compares it
// with the last upload's (idShapeGate holds it).
type keyShapeGate struct {
	col   string    // input.columns.patient_key; "": not mapped, nothing noted
	prior *KeyShape // nil: nothing to compare with
	// changed counts the keys that depart from the prior (strange); first
	// is where the first is (line, column).
	changed int
	first   [2]int
	buf     []byte
}

// observe adds the row's patient key, if any, to seen (the run's
// IDShape.Keys: what the next upload compares with).
func (g *keyShapeGate) observe(row export.Row, seen *KeyShape) {
	if g.col == "" {
		return
	}
	pk := row.Get(export.PatientKey)
	if pk == "" {
		return
	}
	g.buf = consent.Key(g.buf[:0], pk)
	if len(g.buf) == 0 {
		return
	}
	kind, n := keyKind(g.buf)
	seen.add(kind, n)
	if g.prior != nil && g.prior.strange(kind, n) {
		if g.changed == 0 {
			line, col := row.Position(export.PatientKey)
			g.first = [2]int{line, col}
		}
		g.changed++
	}
}

// err stops the run when more than half of the patient keys (at least
// keyEvidence of them, against a kept shape of at least as many) depart
// from the kept shape: before anything is sent, naming where. A minority
// (a few keys mistyped, a test patient) stops nothing.
func (g *keyShapeGate) err(name string, seen *KeyShape) error {
	if g.prior == nil || g.prior.Total() < keyEvidence {
		return nil
	}
	total := seen.Total()
	if total < keyEvidence || 2*g.changed <= total {
		return nil
	}
	// A held row knows the position of its order id alone (idShapeGate.at):
	// the column is said when known.
	at := fmt.Sprintf("%s:%d", name, g.first[0])
	if g.first[1] > 0 {
		at += ":" + strconv.Itoa(g.first[1])
	}
	return &config.Error{Key: "input.columns.patient_key", Problem: fmt.Sprintf(
		"%s: the patient keys in column %q changed shape: the earlier uploads' were %s; %d of this export's %d are unlike them, mostly %s. "+
			"A new practice system that numbers its patients anew — or a kind of key this clinic uses only on some days (walk-ins), seen before only as a few? Withdrawals are remembered by the patient key (and by the email and phone the withdrawing row carried): "+
			"under a new numbering, a patient who withdrew and whose rows carry neither would be sent again. "+
			"If the column is mapped wrong, map the one of the last upload; if the numbering really changed, list the patients who withdrew under their new keys in consent.revocations_file, "+
			"then run `hashgate upload --accept-new-ids` once (it adds this export's shape to the kept one and passes the other checks of changed ids for that run; so does a kind of key that is the clinic's own); nothing was sent",
		at, g.col, g.prior.describe(), g.changed, total, seen.describe())}
}

// keyGate is the run's keyShapeGate: noting when the config maps a patient
// key, comparing when the last upload's shape has keys.
func keyGate(opt Options) keyShapeGate {
	g := keyShapeGate{col: opt.Config.Input.Columns.PatientKey}
	if opt.PriorIDs != nil && opt.PriorIDs.Keys.Total() > 0 {
		g.prior = &opt.PriorIDs.Keys
	}
	return g
}
