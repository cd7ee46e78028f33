package pipeline

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
)

// Long ids a spreadsheet rounded apart, night to night.
//
// rounded.go stops an export whose rounded order ids merge different
// visits. Ids far apart stay distinct when rounded (1000000312345678901
// and 1000000398765432109 keep their first 15 digits), yet every one of
// them changed: a night uploaded from the clinic system's file and a
// night from a re-saved copy send the same visits under other event ids,
// and the ledger's safety net sees that only from 20 conversions. A
// patient key rounded so (an 18-digit resident id number used as chart
// number) no longer matches the withdrawals remembered under the full one
// (their rows carrying no remembered email or phone are sent), nor the
// other way round. Nothing in one export tells a rounded id from a
// genuine one that ends in zeros; the night before does. So an upload
// keeps, beside the ids' shape (idshape.go, keyshape.go), how many of the
// all-digit values of 16 digits or more — no leading zero — each order id
// part and the patient keys held, how many of them bore the signature of
// the rounding (every digit past the 15th a zero; roundedZeros), and how
// many zeros those were; only counts.
//
// A genuine id bears the signature by chance: one in 10^zeros (a 16-digit
// one in ten, an 18-digit one in a thousand), or at the share the kept
// ids bore it when that is more (a numbering whose ids often end in
// zeros: 18-digit ids from a 15.6 ms timer, .NET ticks, end in 000 one
// time in four). That share is estimated from the kept counts as
// (Rounded+1)/(Long+2), never taken for nought: a kept record without one
// id ending in zeros proves only that they are rarer than its size says.
// The upload stops (passable with --accept-new-ids) when the kept counts
// hold at least longEvidence long values, most of them without the
// signature, and tonight most bear it, that many bearing it being beyond
// chance at that share (roundedEvidence, the weight the merge stop uses:
// about one in a million; roundedOver); or the reverse: most of the kept
// ones bore it, and tonight's without it are beyond chance at the kept
// share of those without (fullOver).
//
// Ordinary nights must not stop (a review of the day it landed): the kept
// counts were the last night's alone, at least 3 values, and a genuine id
// was taken to end in zeros one time in 10^zeros only. A clinic of three
// .NET-ticks ids a night — none ending in 000 one night, all three the
// next — stopped about one night in 64, and the reverse stop fired the
// night after such a night passed. The kept counts are now the nights'
// counts added up (Kept), scaled down past longMemory so old nights fade;
// a record of before (the last night's counts, in the same form) reads as
// counts kept so far.

// longEvidence is how many long values the kept counts need before either
// stop judges a night against them.
const longEvidence = 20

// longMemory is how many long values the kept counts are scaled down to,
// once they reach twice it (rounding down), so old nights fade. (1 << 10
// rather than 1000: depcheck keeps the platforms' batch sizes, 1000 among
// them, in internal/platform.)
const longMemory = 1 << 10

// LongShape counts the all-digit values of 16 digits or more, none led by
// a zero, of one order id part or of the patient keys: Long of them,
// Rounded bearing the rounding's signature, Zeros the digits those zeroed.
type LongShape struct {
	Long, Rounded, Zeros int
}

// add counts one long value; zeros is roundedZeros of it.
func (s *LongShape) add(zeros uint8) {
	s.Long++
	if zeros > 0 {
		s.Rounded++
		s.Zeros += int(zeros)
	}
}

// share is the share of s's values that bore the signature, estimated
// by the rule of succession: never nought, nor one.
func (s LongShape) share() float64 {
	return float64(s.Rounded+1) / float64(s.Long+2)
}

// beyond reports whether k of n values bearing a mark, each by chance at
// most 10^-weight/k, is beyond chance: which k of the n is not known
// beforehand, so the chance is at most C(n, k) times that of given ones.
func beyond(n, k int, weight float64) bool {
	return 2*k > n && weight-log10Choose(n, k) >= roundedEvidence
}

// rounded reports whether the kept counts s say rounded: at least
// longEvidence values, most of them bearing the signature beyond chance
// for genuine ids (at 10^-zeros).
func (s LongShape) rounded() bool {
	return s.Long >= longEvidence && beyond(s.Long, s.Rounded, float64(s.Zeros))
}

// full reports whether the kept counts s say as the clinic system writes
// them: at least longEvidence values, most of them without the signature.
func (s LongShape) full() bool {
	return s.Long >= longEvidence && 2*s.Rounded < s.Long
}

// roundedOver reports whether tonight's s are rounded where the kept ones
// were not: kept full, and most of s bear the signature beyond chance for
// genuine ids, which bear it at kept's share or at 10^-zeros, whichever
// is more.
func (s LongShape) roundedOver(kept LongShape) bool {
	if !kept.full() || s.Rounded == 0 {
		return false
	}
	per := -math.Log10(kept.share())
	return beyond(s.Long, s.Rounded, min(float64(s.Zeros), per*float64(s.Rounded)))
}

// fullOver reports whether tonight's s are no longer rounded: kept
// rounded, and most of s without the signature beyond chance at the kept
// share of values without it.
func (s LongShape) fullOver(kept LongShape) bool {
	if !kept.rounded() {
		return false
	}
	n := s.Long - s.Rounded
	return beyond(s.Long, n, -math.Log10(1-kept.share())*float64(n))
}

// log10Choose is log10 of the binomial coefficient C(n, k).
func log10Choose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return (a - b - c) / math.Ln10
}

// Kept is what the ledger keeps after a night that read s over prior:
// the nights' counts added up, scaled down to longMemory. A night the
// person passed with --accept-new-ids (accepted) whose values departed
// from prior (roundedOver, fullOver) replaces it instead, weighing at
// least longEvidence: its form is the clinic's from then on, and a night
// back in the other form stops.
func (s LongShape) Kept(prior LongShape, accepted bool) LongShape {
	if accepted && (s.roundedOver(prior) || s.fullOver(prior)) {
		if s.Long < longEvidence {
			s = s.scaled(longEvidence, s.Long)
		}
		return s
	}
	out := LongShape{Long: prior.Long + s.Long, Rounded: prior.Rounded + s.Rounded, Zeros: prior.Zeros + s.Zeros}
	// Scaled down once they reach twice longMemory, not every night past
	// it: rounding down every night took at least one off Rounded while a
	// small night added less on average, and a clinic of two or three
	// ticks ids a night drifted to a kept share of none ending in zeros
	// and stopped again after three years (TestTicksClinicsYearsGoThrough).
	if out.Long > 2*longMemory {
		out = out.scaled(longMemory, out.Long)
	}
	return out
}

// scaled is s with every count scaled by num/den, rounding down.
func (s LongShape) scaled(num, den int) LongShape {
	f := func(c int) int { return int(int64(c) * int64(num) / int64(den)) }
	return LongShape{Long: f(s.Long), Rounded: f(s.Rounded), Zeros: f(s.Zeros)}
}

// MarshalText is the ledger's form, "long,rounded,zeros".
func (s LongShape) MarshalText() ([]byte, error) {
	return fmt.Appendf(nil, "%d,%d,%d", s.Long, s.Rounded, s.Zeros), nil
}

// UnmarshalText reads MarshalText's form.
func (s *LongShape) UnmarshalText(b []byte) error {
	f := strings.Split(string(b), ",")
	if len(f) != 3 {
		return fmt.Errorf("long ids' shape: %d fields, want 3", len(f))
	}
	var v [3]int
	for i := range f {
		n, err := strconv.Atoi(f[i])
		if err != nil || n < 0 {
			return fmt.Errorf("long ids' shape: not a count")
		}
		v[i] = n
	}
	if v[1] > v[0] {
		return fmt.Errorf("long ids' shape: more rounded than long")
	}
	*s = LongShape{Long: v[0], Rounded: v[1], Zeros: v[2]}
	return nil
}

// MarshalLong is the ledger's form of the order id parts' LongShapes,
// joined by ";". It is kept under a key of its own, as the zone is: the
// shape's text stays what an older hashgate reads.
func (s IDShape) MarshalLong() ([]byte, error) {
	var b []byte
	for i, p := range s.Long {
		if i > 0 {
			b = append(b, ';')
		}
		t, _ := p.MarshalText()
		b = append(b, t...)
	}
	return b, nil
}

// UnmarshalLong reads MarshalLong's form into s.Long.
func (s *IDShape) UnmarshalLong(b []byte) error {
	parts := strings.Split(string(b), ";")
	if len(parts) != idShapeParts {
		return fmt.Errorf("long ids' shape: %d parts, want %d", len(parts), idShapeParts)
	}
	var long [idShapeParts]LongShape
	for i, p := range parts {
		if err := long[i].UnmarshalText([]byte(p)); err != nil {
			return err
		}
	}
	s.Long = long
	return nil
}

// roundedWhy is what every stop of this file says of the cause.
const roundedWhy = "Excel, LibreOffice Calc, Google Sheets, Numbers and WPS keep only 15 significant digits of a number, so a file opened and saved in one has every digit of a long id past the 15th a zero"

// roundedErr stops the run when an order id part's long values were
// rounded tonight and not in the kept shape, or the reverse: every event
// id would change, and visits already sent would be counted again.
func (g *idShapeGate) roundedErr() error {
	if g.prior == nil {
		return nil
	}
	const accept = "If the ids really are so (a new numbering), run `hashgate upload --accept-new-ids` once: it also passes the safety net against changed ids for that run; nothing was sent"
	for i := range idShapeParts {
		was, now := g.prior.Long[i], g.seen.Long[i]
		if now.roundedOver(was) {
			return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
				"%s: the order ids in %s look rounded by a spreadsheet: %d of this export's %d ids of 16 digits or more have every digit past the 15th a zero, where %d of the %d kept from the uploads before had not — %s. "+
					"Uploaded so, every event id would change, and visits already sent would be counted again. "+
					"Export the file again from the clinic system and upload it without opening it in a spreadsheet (or format that column as Text before saving). "+accept,
				g.at(i, g.rounded[i]), g.column(i), now.Rounded, now.Long, was.Long-was.Rounded, was.Long, roundedWhy)}
		}
		if now.fullOver(was) {
			return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
				"%s: the order ids in %s are no longer rounded: %d of this export's %d ids of 16 digits or more have digits past the 15th, where %d of the %d kept from the uploads before had every one a zero — "+
					"that file had probably been opened and saved in a spreadsheet (%s), and its visits were sent under the rounded ids. Uploaded so, every event id would change, and visits already sent would be counted again. "+
					"Prepare this file as the last one was, so that its ids match those sent; once the visits sent under the rounded ids are no longer in the export, "+
					"run `hashgate upload --accept-new-ids` once to go on with the full ids (it also passes the safety net against changed ids for that run); nothing was sent",
				g.at(i, g.full[i]), g.column(i), now.Long-now.Rounded, now.Long, was.Rounded, was.Long, roundedWhy)}
		}
	}
	return nil
}

// keyRoundedErr stops the run when the patient keys' long all-digit
// values were rounded tonight and not in the kept shape, or the reverse:
// a withdrawal is remembered by the key (RememberedDigest), so a
// withdrawn patient whose rows carry no remembered email or phone would
// be sent again under the other form of the key. Keys rounded together
// within one export exclude too many (the safe way); this is the unsafe
// one, and no row of the export shows it.
func (g *idShapeGate) keyRoundedErr() error {
	if g.prior == nil || g.keys.col == "" {
		return nil
	}
	was, now := g.prior.KeyLong, g.seen.KeyLong
	at := func(pos [2]int) string {
		if pos[1] > 0 {
			return fmt.Sprintf("%s:%d:%d", g.name, pos[0], pos[1])
		}
		return fmt.Sprintf("%s:%d", g.name, pos[0])
	}
	const why = "Withdrawals are remembered by the patient key (and by the email and phone the withdrawing row carried): a patient who withdrew under the other form of the key, and whose rows carry neither, would be sent again; and patients whose keys now read alike are taken for one. "
	const accept = "If the keys really are so (a new numbering), list the patients who withdrew under these keys in consent.revocations_file, then run `hashgate upload --accept-new-ids` once (it passes the other checks of changed ids for that run); nothing was sent"
	if now.roundedOver(was) {
		return &config.Error{Key: "input.columns.patient_key", Problem: fmt.Sprintf(
			"%s: the patient keys in column %q look rounded by a spreadsheet: %d of this export's %d all-digit keys of 16 digits or more have every digit past the 15th a zero, where %d of the %d kept from the uploads before had not — %s. "+why+
				"Export the file again from the clinic system and upload it without opening it in a spreadsheet (or format that column as Text before saving). "+accept,
			at(g.keys.rounded), g.keys.col, now.Rounded, now.Long, was.Long-was.Rounded, was.Long, roundedWhy)}
	}
	if now.fullOver(was) {
		return &config.Error{Key: "input.columns.patient_key", Problem: fmt.Sprintf(
			"%s: the patient keys in column %q are no longer rounded: %d of this export's %d all-digit keys of 16 digits or more have digits past the 15th, where %d of the %d kept from the uploads before had every one a zero — "+
				"that file had probably been opened and saved in a spreadsheet (%s), and withdrawals since were remembered under the rounded keys. "+why+
				"Prepare this file as the last one was; or list the patients who withdrew since that upload in consent.revocations_file. "+accept,
			at(g.keys.full), g.keys.col, now.Long-now.Rounded, now.Long, was.Rounded, was.Long, roundedWhy)}
	}
	return nil
}
