package pipeline

import (
	"fmt"
	"hash/maphash"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/export"
)

// Long order ids a spreadsheet rounded to 15 significant digits.
//
// Excel, LibreOffice Calc, Google Sheets, Numbers and WPS hold a number as
// a double and keep 15 significant digits of it (Microsoft KB 269370): a
// column of 18-digit order ids opened and saved again reads
// 400000041230000437 as 400000041230000000. Written without an exponent,
// such an id passes orderIDMangled; neighbouring ids become one, and every
// visit after the first of them was excluded as duplicate_order — or one
// patient's refusal withdrew the others (consent_refused_order) — with
// exit 0 (a reviewer's re-saved export: 20 visits, 1 sent).
//
// The signature — 16 digits or more, no leading zero, every digit past the
// 15th a zero — is not proof alone: one genuine 18-digit id in a thousand
// ends in 000. So the run stops only when one id bearing it is shared by
// visits that are plainly different (another appointment time or patient
// key), and only when that is beyond chance: each further visit of the id
// weighs the zeros it ends in (a chance of 10^-zeros for a genuine id),
// and the run stops when one id reaches roundedEvidence zeros. One genuine
// id ending in 000 whose visit was moved (two rows, two times) weighs 3
// and passes; the re-saved export's third visit of one id already weighs
// 6, and a spreadsheet's rounding puts up to 10^zeros neighbouring ids on
// one. The weight is one id's, never summed over ids: summed, a 60–90-day
// export of genuine 16-digit ids (a date and a counter) with sixty moved
// visits listed twice reached 6 from ids that end in 0 one time in ten,
// and stopped every night with no way past it (the day's diff review).
// What it leaves: ids rounded in pairs (neighbours far apart, two visits
// an id) are not seen here.
//
// The per-row cost is one length comparison for an id shorter than 16
// bytes; only an id with the signature is hashed and remembered.

// roundedEvidence is the weight at which shared rounded-looking ids stop
// the run: a chance of about one in a million for genuine ids.
const roundedEvidence = 6

// roundedKept bounds how many distinct rounded-looking ids are remembered
// (memory stays flat whatever the export: 32 KiB ids, about 2 MiB). Past
// it, ids already remembered are still judged.
const roundedKept = 1 << 15

// roundedVisits is how many distinct visits of one id are told apart;
// any further visit differs from all of them, and weighs too.
const roundedVisits = 3

// roundNote is what a row's order id says of a spreadsheet's 15 digits:
// zeros is how many digits past the 15th significant one are all zeros (0:
// not that signature); order and visit are the digests of the id and of
// the visit (appointment time and patient key as written), line and col
// the id's cell. Only a row with the signature sets it.
type roundNote struct {
	zeros     uint8
	order     uint64
	visit     uint64
	line, col int
}

// roundedZeros is how many digits past the 15th a spreadsheet zeroed in s:
// s has 16 digits or more, none but digits, no leading zero (a number
// written back has none), and every digit from the 16th on is 0. It is 0
// when s is not so.
func roundedZeros[T string | []byte](s T) uint8 {
	if len(s) < 16 || len(s) > 15+255 || s[0] < '1' || s[0] > '9' {
		return 0
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' || i >= 15 && s[i] != '0' {
			return 0
		}
	}
	return uint8(len(s) - 15)
}

// roundSeed keys the visit digests; they never leave the process.
var roundSeed = maphash.MakeSeed()

// noteRounded notes in o whether a part of the row's order id (as written,
// parts joined by U+001F; an appointment time part is not one) bears the
// signature of a spreadsheet's rounding.
func (r *runner) noteRounded(row export.Row, k rowKey, o *outcome) {
	if len(k.legacy) < 16 {
		return // every row asks: no part of a shorter id can be one
	}
	legacy := k.legacy
	for n := 0; legacy != ""; n++ {
		part := legacy
		if i := indexUnit(legacy); i >= 0 {
			part, legacy = legacy[:i], legacy[i+1:]
		} else {
			legacy = ""
		}
		if r.composite && row.KeyPartTimed(export.OrderID, n) {
			continue
		}
		if z := roundedZeros(part); z > 0 {
			var h maphash.Hash
			h.SetSeed(roundSeed)
			for _, c := range [...]export.Column{export.AppointmentAt, export.AppointmentDate, export.AppointmentTime, export.PatientKey} {
				h.WriteString(row.Get(c))
				h.WriteByte(0x1f)
			}
			o.round = roundNote{zeros: z, order: orderDigest(k.key), visit: h.Sum64()}
			o.round.line, o.round.col = row.Position(export.OrderID)
			return
		}
	}
}

// indexUnit is the index of the first U+001F in s, -1 when none.
func indexUnit(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1f {
			return i
		}
	}
	return -1
}

// roundGate judges the rounded-looking ids as the settler takes the rows,
// in export order; the verdict is asked once the export was read
// (settler.passable), before anything is sent.
type roundGate struct {
	ids      map[uint64]roundVisits
	evidence int // the heaviest id's weight
	// line, col: the first row that shares a rounded-looking id with
	// another visit; with: the line of that other visit's first row.
	line, col, with int
}

// roundVisits is what is known of one rounded-looking id: its first
// distinct visits, and the line of its first row.
type roundVisits struct {
	visit  [roundedVisits]uint64
	n      int
	line   int
	weight int // the zeros of each further visit, added
}

// observe takes one row's note.
func (g *roundGate) observe(n *roundNote) {
	if n.zeros == 0 {
		return
	}
	v, ok := g.ids[n.order]
	if !ok {
		if len(g.ids) >= roundedKept {
			return
		}
		if g.ids == nil {
			g.ids = make(map[uint64]roundVisits)
		}
		g.ids[n.order] = roundVisits{visit: [roundedVisits]uint64{n.visit}, n: 1, line: n.line}
		return
	}
	for _, seen := range v.visit[:v.n] {
		if seen == n.visit {
			return // the same visit again: a duplicate row, as exports have
		}
	}
	if v.n < roundedVisits {
		v.visit[v.n] = n.visit
		v.n++
	}
	v.weight += int(n.zeros)
	g.ids[n.order] = v
	if v.weight > g.evidence {
		g.evidence = v.weight
		if g.evidence >= roundedEvidence && g.line == 0 {
			g.line, g.col, g.with = n.line, n.col, v.line
		}
	}
}

// err is the stop, when the shared rounded-looking ids are beyond chance.
// It names the column and the cells, never a value.
func (g *roundGate) err(name string, cols []string) error {
	if g.evidence < roundedEvidence {
		return nil
	}
	return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
		"%s:%d:%d: this order id (column %q) has 16 or more digits, every one past the 15th a zero, and is also the id of another visit (line %d: another appointment time or patient); ids so shared are beyond chance: "+
			"a spreadsheet (Excel, LibreOffice Calc, Google Sheets, Numbers, WPS) kept only 15 significant digits of a long number, so different visits now share one id and all but one would be dropped as duplicates (or withdrawn by another patient's refusal); "+
			"export again from the clinic system and upload the file without opening it in a spreadsheet (or format that column as Text before saving); nothing was sent",
		name, g.line, g.col, strings.Join(cols, "+"), g.with)}
}
