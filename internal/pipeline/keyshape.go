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
// keys of each length, all as the keys compare
// (consent.Key: an all-digit key's leading zeros, case and full-width
// forms make no difference) — and the next upload stops before sending
// when most of its keys are of a kind that carries no real share of the
// uploads' before it, or (a kind with letters) of a length whose window,
// it and the lengths one either side, carries none of its kind's
// (keyShare, strange). Only counts and lengths are kept: no key,
// no letter of one.
//
// Ordinary nights must not stop (a review of the day it landed): chart
// numbers issued over years unpadded (87, 512, 13011) stopped a clinic
// whose night held mostly short ones after a night of long ones, as the
// length of an all-digit key was judged and the kept shape was the last
// night's alone. An all-digit key is judged by its kind alone now (its
// length says nothing of a numbering: one that grows, or was never
// padded); the kept shape is the union of the nights' counts (Kept); and
// the stop needs keyEvidence keys tonight and in the kept shape. A new numbering still shows as a new kind: letters where
// there were digits, another count of leading letters.

// keyEvidence is how many keys tonight, and in the kept shape, the stop
// needs before it judges: a handful of keys proves no numbering.
const keyEvidence = 20

// keyShare: a kind of key, or a length within a kind, is one the clinic
// uses when it carries at least 1/keyShare of the kept keys (of that
// kind's, with the lengths one either side, for a length: strange), and
// at least two. A lone outlier — one A12345
// typed A123456, one AB1234 among A12345s — carries no such share: it
// neither widens what passes (a review: one typo widened the kept range
// for good, and a later renumbering at the next length went unseen) nor
// makes its kind known. A kind used on most nights (walk-ins W001…)
// carries one, and a night it is the most of passes (a review: a walk-in
// day stopped).
const keyShare = 10

// keyMemory is the most keys the kept shape counts: past it, every count
// is scaled down to it (rounding down), so old nights fade — a lone
// outlier rounds away — and a kind that has become the clinic's gains
// its share in a bounded number of nights.
const keyMemory = 10000

// keyKinds is how many kinds a key can be of: keyPrefixes × 3 classes;
// keyLens bounds the lengths counted (a longer key counts as keyLens-1).
const (
	keyPrefixes = 4
	keyKinds    = keyPrefixes * 3
	keyLens     = 33
)

// KeyShape is the shape of an export's patient keys: how many of each kind
// (keyKind) and length. Counts and lengths only, never a key.
type KeyShape struct {
	Lens [keyKinds][keyLens]int
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
	return min(p, keyPrefixes-1)*3 + class, min(len(k), keyLens-1)
}

// Total is how many keys the shape counts.
func (s *KeyShape) Total() int {
	n := 0
	for i := range s.Lens {
		n += s.kindN(i)
	}
	return n
}

// kindN is how many keys of kind the shape counts.
func (s *KeyShape) kindN(kind int) int {
	n := 0
	for _, c := range s.Lens[kind] {
		n += c
	}
	return n
}

func (s *KeyShape) add(kind, length int) { s.Lens[kind][length]++ }

// usual reports whether n keys of whole are a share the clinic uses
// (keyShare).
func usual(n, whole int) bool { return n >= 2 && n*keyShare >= whole }

// strange reports whether a key of kind and length departs from s: a
// kind that carries no real share of s's keys, or, for a kind with
// letters, a length whose window — it and the lengths one either side —
// carries no real share of that kind's keys. An all-digit key's length is
// never judged.
//
// The window, not the length alone (a review: an upgrade stopped the
// first night): a kind read from the 2026-12-06 form over 11 lengths or
// more (a range a typo widened, what the shares set out to fix) spreads
// under a tenth of its keys on each, so every key of it departed and an
// ordinary clinic's first night after upgrading stopped, and taught
// nothing. Three lengths together carry 3/11 of it. A lone outlier, one
// key or a few, is still no share of a window: a renumbering one length
// past it departs.
func (s *KeyShape) strange(kind, length int) bool {
	return s.judge(kind, length, s.kindN(kind), s.Total())
}

// keyVerdicts is strange for every kind and length of one shape. strange
// sums the shape's counts (12×33) and its kind's for every key it judges;
// the per-row path (issue 29, keyShapeGate.observe) and a night's counts
// (departing, Kept) look their verdicts up in a table worked out once.
type keyVerdicts [keyKinds][keyLens]bool

// verdicts is s's keyVerdicts.
func (s *KeyShape) verdicts() *keyVerdicts {
	v, total := new(keyVerdicts), s.Total()
	for kind := range s.Lens {
		n := s.kindN(kind)
		for l := range s.Lens[kind] {
			v[kind][l] = s.judge(kind, l, n, total)
		}
	}
	return v
}

// judge is strange given the kind's count (n) and s's (total).
func (s *KeyShape) judge(kind, length, n, total int) bool {
	if !usual(n, total) {
		return true
	}
	if kind == 0 {
		return false
	}
	w := 0
	for l := max(length-1, 0); l <= min(length+1, keyLens-1); l++ {
		w += s.Lens[kind][l]
	}
	return !usual(w, n)
}

// Merge is the union of prior and s: each kind's and length's count
// summed.
func (s KeyShape) Merge(prior KeyShape) KeyShape {
	out := prior
	for i := range s.Lens {
		for l, c := range s.Lens[i] {
			out.Lens[i][l] += c
		}
	}
	return out
}

// scaled is s with every count scaled by num/den, rounding down.
func (s KeyShape) scaled(num, den int) KeyShape {
	for i := range s.Lens {
		for l, c := range s.Lens[i] {
			s.Lens[i][l] = int(int64(c) * int64(num) / int64(den))
		}
	}
	return s
}

// Kept is the shape the ledger keeps after a run that read s over prior:
// their union (Merge), the nights' counts added up, then scaled down to
// keyMemory. Once the kept shape has keyEvidence keys, keys of s that
// depart from it (strange) join only when they were a minority of s's
// keys, as on every night the stop passed judging its keys alone, or when
// the person ran --accept-new-ids (accepted). A night most of whose keys
// depart, let through only for want of evidence (a small clinic's first
// night of a new numbering: keynights.go), teaches none of them: 6 keys of
// a new kind joining a kept shape of 24 would be a share of it, and the
// second night, which the stop judges, pass. A minority joins as the
// share it is: a few keys of a new kind on one night (3 of 24, 1 of 6)
// are no real share of the kept ones, a kind seen night after night
// (a small clinic's walk-ins too) becomes one. Accepted, s weighs at
// least as much as prior, so that its kinds and lengths are the clinic's
// from then on.
func (s KeyShape) Kept(prior KeyShape, accepted bool) KeyShape {
	pt, st := prior.Total(), s.Total()
	if pt >= keyEvidence && st > 0 {
		switch {
		case accepted:
			if st < pt {
				s = s.scaled(pt, st)
			}
		case 2*prior.departing(&s) > st:
			v := prior.verdicts()
			for i := range s.Lens {
				for l := range s.Lens[i] {
					if v[i][l] {
						s.Lens[i][l] = 0
					}
				}
			}
		}
	}
	out := s.Merge(prior)
	if t := out.Total(); t > keyMemory {
		out = out.scaled(keyMemory, t)
	}
	return out
}

// MarshalText is the ledger's form: per kind held, "kind:len=n/len=n…",
// kinds joined by ";" ("" for none).
func (s KeyShape) MarshalText() ([]byte, error) {
	var b []byte
	for i := range s.Lens {
		if s.kindN(i) == 0 {
			continue
		}
		if len(b) > 0 {
			b = append(b, ';')
		}
		b = fmt.Appendf(b, "%d:", i)
		first := true
		for l, c := range s.Lens[i] {
			if c == 0 {
				continue
			}
			if !first {
				b = append(b, '/')
			}
			first = false
			b = fmt.Appendf(b, "%d=%d", l, c)
		}
	}
	return b, nil
}

// UnmarshalText reads MarshalText's form, and the form of the ledgers of
// 2026-12-06 (per kind "kind:n,min,max"), whose n keys it spreads evenly
// over min to max: every length that passed then carries its share now,
// judged with its neighbours (strange): a range of up to 27 lengths, as
// far as its kind's count allows (a kind of one key, a lone outlier, is
// no share: that is this form's fix).
func (s *KeyShape) UnmarshalText(b []byte) error {
	*s = KeyShape{}
	if len(b) == 0 {
		return nil
	}
	for _, part := range strings.Split(string(b), ";") {
		kind, rest, ok := strings.Cut(part, ":")
		i, err := strconv.Atoi(kind)
		if !ok || err != nil || i < 0 || i >= keyKinds {
			return fmt.Errorf("patient key shape: a kind that cannot be read")
		}
		if !strings.Contains(rest, "=") {
			if err := s.oldKind(i, rest); err != nil {
				return err
			}
			continue
		}
		for _, lc := range strings.Split(rest, "/") {
			ls, cs, ok := strings.Cut(lc, "=")
			l, err1 := strconv.Atoi(ls)
			c, err2 := strconv.Atoi(cs)
			if !ok || err1 != nil || err2 != nil || l < 0 || l >= keyLens || c < 0 {
				return fmt.Errorf("patient key shape: not a count")
			}
			s.Lens[i][l] += c
		}
	}
	return nil
}

// oldKind reads one kind of the 2026-12-06 form, "n,min,max".
func (s *KeyShape) oldKind(kind int, rest string) error {
	f := strings.Split(rest, ",")
	if len(f) != 3 {
		return fmt.Errorf("patient key shape: a kind that cannot be read")
	}
	var v [3]int
	for j := range f {
		var err error
		if v[j], err = strconv.Atoi(f[j]); err != nil || v[j] < 0 {
			return fmt.Errorf("patient key shape: not a count")
		}
	}
	n, lo, hi := v[0], min(v[1], keyLens-1), min(v[2], keyLens-1)
	if lo > hi {
		return fmt.Errorf("patient key shape: not a count")
	}
	// Spread evenly over the lengths that passed then, min-1 to max+1,
	// those two folded onto min and max (no key was of them), the
	// remainder among them, not heaped on one: every window of three
	// (strange) about a length of min..max holds three of the w+2 parts,
	// the clinic's own length at an end of a typo-widened range too.
	w := hi - lo + 1
	for j := range w + 2 {
		l := min(max(lo+j-1, lo), hi)
		s.Lens[kind][l] += (j+1)*n/(w+2) - j*n/(w+2)
	}
	return nil
}

// describe says, in words, the kinds most of s's keys are of (at most
// two), with their lengths.
func (s *KeyShape) describe() string {
	var first, second int = -1, -1
	for i := range s.Lens {
		n := s.kindN(i)
		switch {
		case n == 0:
		case first < 0 || n > s.kindN(first):
			first, second = i, first
		case second < 0 || n > s.kindN(second):
			second = i
		}
	}
	if first < 0 {
		return "none"
	}
	out := s.kindWords(first)
	if second >= 0 {
		out += fmt.Sprintf(" (and %d %s)", s.kindN(second), s.kindWords(second))
	}
	return out
}

// kindWords names a kind and its lengths — those that carry a share of
// its keys (usual), all of them when none does: "all digits, 3 long",
// "1 letter then digits, 6 long".
func (s *KeyShape) kindWords(kind int) string {
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
	n, lo, hi := s.kindN(kind), -1, -1
	for pass := 0; pass < 2 && lo < 0; pass++ {
		for l, c := range s.Lens[kind] {
			if c > 0 && (pass == 1 || usual(c, n)) {
				if lo < 0 {
					lo = l
				}
				hi = l
			}
		}
	}
	long := strconv.Itoa(lo)
	if hi != lo {
		long += " to " + strconv.Itoa(hi)
	}
	if hi == keyLens-1 {
		long += " or more"
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
	// strange is prior's verdicts (nil with it), looked up row by row.
	strange *keyVerdicts
	// changed counts the keys that depart from the prior (strange); first
	// is where the first is (line, column).
	changed int
	first   [2]int
	// rounded and full: the first all-digit key of 16 digits or more
	// bearing a spreadsheet's rounding, and the first not (roundshape.go).
	rounded, full [2]int
	buf           []byte
	// nights are the last uploads' keys, most recent first (keynights.go),
	// counted with tonight's when tonight's are few.
	nights KeyNights
	// input is Options.InputSHA256 (nil: not known): the nights of this
	// export are not counted with tonight's.
	input func() string
}

// observe adds the row's patient key, if any, to seen (the run's
// IDShape.Keys: what the next upload compares with), and a long all-digit
// one to long (IDShape.KeyLong). unwrapped: the key departs from the kept
// shape only as the text of an Excel text formula (knownLiteral).
func (g *keyShapeGate) observe(row export.Row, seen *KeyShape, long *LongShape) (unwrapped bool) {
	if g.col == "" {
		return false
	}
	pk := row.Get(export.PatientKey)
	if pk == "" {
		return false
	}
	g.buf = consent.Key(g.buf[:0], pk)
	if len(g.buf) == 0 {
		return false
	}
	kind, n := keyKind(g.buf)
	seen.add(kind, n)
	if kind == 0 && len(g.buf) >= 16 { // folded: no leading zero
		z := roundedZeros(g.buf)
		long.add(z)
		at := &g.full
		if z > 0 {
			at = &g.rounded
		}
		if at[0] == 0 {
			line, col := row.Position(export.PatientKey)
			*at = [2]int{line, col}
		}
	}
	if g.strange != nil && g.strange[kind][n] {
		if g.knownLiteral(row) {
			return true
		}
		if g.changed == 0 {
			line, col := row.Position(export.PatientKey)
			g.first = [2]int{line, col}
		}
		g.changed++
	}
	return false
}

// knownLiteral reports whether the row's patient key, written as an Excel
// text formula (="00101"), is of a kind and length the kept shape knows
// spelled as a hashgate before it read text formulas read it (up to
// c55587c: export.Row.Literal): the same key, its wrapper read now. The
// upgrade stopped such a clinic's every key as a new numbering (a review
// of the upgrade). Asked of a departing key alone.
func (g *keyShapeGate) knownLiteral(row export.Row) bool {
	lit, ok := row.Literal(export.PatientKey)
	if !ok {
		return false
	}
	g.buf = consent.Key(g.buf[:0], lit) // the row's own key is judged already
	if len(g.buf) == 0 {
		return false
	}
	kind, n := keyKind(g.buf)
	return !g.strange[kind][n]
}

// err stops the run when more than half of the patient keys depart from
// the kept shape (of at least keyEvidence keys) — tonight's, and those
// counted with the last nights' (counted: more than keyEvidence/2 of
// them) — before anything is sent, naming where. A minority (a few keys
// mistyped, a test patient) stops nothing, nor one small night of them.
func (g *keyShapeGate) err(name string, seen *KeyShape) error {
	if g.prior == nil || g.prior.Total() < keyEvidence {
		return nil
	}
	total := seen.Total()
	input := ""
	if g.input != nil {
		input = g.input()
	}
	keys, departing, nights := counted(g.prior, g.nights, input, total, g.changed)
	if 2*g.changed <= total || 2*departing <= keyEvidence || 2*departing <= keys {
		return nil
	}
	// A held row knows the position of its order id alone (idShapeGate.at):
	// the column is said when known.
	at := fmt.Sprintf("%s:%d", name, g.first[0])
	if g.first[1] > 0 {
		at += ":" + strconv.Itoa(g.first[1])
	}
	return &config.Error{Key: "input.columns.patient_key", Problem: fmt.Sprintf(
		"%s: the patient keys in column %q changed shape: the earlier uploads' were %s; %d of this export's %d are unlike them, mostly %s%s. "+
			"A new practice system that numbers its patients anew — or a kind of key this clinic uses only on some days (walk-ins), seen before only as a few? Withdrawals are remembered by the patient key (and by the email and phone the withdrawing row carried): "+
			"under a new numbering, a patient who withdrew and whose rows carry neither would be sent again. "+
			"If the column is mapped wrong, map the one of the last upload; if the numbering really changed, list the patients who withdrew under their new keys in consent.revocations_file, "+
			"then run `hashgate upload --accept-new-ids` once (it adds this export's shape to the kept one and passes the other checks of changed ids for that run; so does a kind of key that is the clinic's own); nothing was sent",
		at, g.col, g.prior.describe(), g.changed, total, seen.describe(), overNights(keys, departing, nights))}
}

// keyGate is the run's keyShapeGate: noting when the config maps a patient
// key, comparing when the last upload's shape has keys.
func keyGate(opt Options) keyShapeGate {
	g := keyShapeGate{col: opt.Config.Input.Columns.PatientKey}
	if opt.PriorIDs != nil && opt.PriorIDs.Keys.Total() > 0 {
		g.prior = &opt.PriorIDs.Keys
		g.strange = g.prior.verdicts()
		g.nights, g.input = opt.KeyNights, opt.InputSHA256
	}
	return g
}
