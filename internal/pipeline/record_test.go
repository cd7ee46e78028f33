package pipeline

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
)

// spellHeld spells everything settling reads of a held row.
func spellHeld(line int, expect string, o *outcome, skips []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d expect %q reason %q late %v dated %v invalid %v swapped %v stage %d status %d dup %x patient %v/%x open %b skips %q",
		line, expect, o.reason, o.late, o.dated, o.dateInvalid, o.dateSwapped, o.stage, o.status, o.dup, o.hasPatient, o.patient, o.open, skips)
	fmt.Fprintf(&b, " gone %x/%x ids %x remembered %x noAge %v", o.gone, o.goneLegacy, o.heldIDs, o.idRemembered, o.noAge)
	fmt.Fprintf(&b, " date %q %d:%d drops %q owners %v notes %q unread %+v booking %+v convs", o.dateSetting, o.dateLine, o.dateCol, o.t.drops, o.t.owners, o.t.notes, o.t.unread, o.booking)
	for _, c := range o.convs {
		fmt.Fprintf(&b, " [%v line %d booking %v %q]", c.Platform, c.Line, c.Booking, c.Prepared)
	}
	return b.String()
}

// FuzzHeldRecord: a decided row held as a record and read back is the row
// settling would have read, in the plain layout (encodePlain) as in the
// general one, whichever layout the row takes — and it reads back the
// same into an outcome left dirty by the row before.
func FuzzHeldRecord(f *testing.F) {
	f.Add(uint32(2), "", "", byte(4), byte(0), uint64(0xabcdef), uint64(0), byte(3), "", "", byte(2), []byte("line one"), []byte("line two"), byte(0))
	f.Add(uint32(9), "", ReasonDuplicate, byte(1), byte(0x10), uint64(7), uint64(99), byte(1), "consent_missing", ReasonNoClickID, byte(1), []byte{}, []byte("x"), byte(0))
	f.Add(uint32(70000), "ok", "", byte(4), byte(3), uint64(1), uint64(0), byte(3), "", "", byte(2), []byte("a"), []byte("b"), byte(7))
	// Two prepared lines that begin alike, as a visit's two platforms' do:
	// the second is held by what it shares (encodePlain).
	f.Add(uint32(3), "", "", byte(4), byte(0), uint64(5), uint64(0), byte(3), "", "", byte(2),
		[]byte(",498c2ab575428558d0d35ead5a8a3470,2026-11-01T09:00:00+08:00,Purchase,1\x01google"),
		[]byte(",498c2ab575428558d0d35ead5a8a3470,2026-11-01T09:00:00+08:00,Purchase,1\x02meta"), byte(0))
	f.Add(uint32(4), "", "", byte(4), byte(0), uint64(5), uint64(0), byte(3), "", "", byte(2), []byte("12345678"), []byte("12345678"), byte(0))
	f.Add(uint32(4), "", "", byte(4), byte(0), uint64(5), uint64(0), byte(3), "", "", byte(2), []byte("123456789"), []byte("12345678"), byte(0))
	f.Add(uint32(5), "", "", byte(4), byte(0x10), uint64(5), uint64(8), byte(3), "", "", byte(2), []byte("a"), []byte("b"), byte(64))
	f.Add(uint32(6), "", "", byte(4), byte(0x10), uint64(5), uint64(8), byte(3), "", "", byte(2), []byte("a"), []byte("b"), byte(64|2))
	f.Add(uint32(7), "", "", byte(4), byte(0x10), uint64(5), uint64(8), byte(3), "", "", byte(2), []byte("a"), []byte("b"), byte(128|64))
	// An unreadable fee's place (valueCell), with its column and without
	// (a row that kept no position for the fee: column 0).
	f.Add(uint32(7), "", "", byte(4), byte(0), uint64(5), uint64(0), byte(3), "", "", byte(2), []byte("a"), []byte("b"), byte(2))
	f.Add(uint32(7), "", "", byte(3), byte(0), uint64(5), uint64(0), byte(3), "", "", byte(2), []byte("a"), []byte("b"), byte(2))
	f.Add(uint32(8), "", "", byte(4), byte(0x10), uint64(5), uint64(8), byte(3), "", "", byte(2), []byte("a"), []byte("b"), byte(128|1))
	// A row sent with a blank birth date (outcome.noAge: stage's high bit
	// here), in either layout.
	f.Add(uint32(9), "", "", byte(0x84), byte(0), uint64(5), uint64(0), byte(3), "", "", byte(2), []byte("a"), []byte("b"), byte(0))
	f.Add(uint32(9), "", "", byte(0x84), byte(0x10), uint64(5), uint64(8), byte(3), "", "", byte(2), []byte("a"), []byte("b"), byte(2))
	// A row the ledger's identifiers withdrew keeps the digest that did
	// (outcome.idRemembered: the fan-out alarm's), in either layout.
	f.Add(uint32(10), "", ReasonIdentifierWithdrawn, byte(0), byte(0x10), uint64(5), uint64(8), byte(3), "", "", byte(0), []byte{}, []byte{}, byte(0))
	f.Add(uint32(10), "", ReasonIdentifierWithdrawn, byte(0), byte(0x10), uint64(5), uint64(8), byte(3), "", "", byte(0), []byte{}, []byte{}, byte(2|128))
	f.Fuzz(func(t *testing.T, line uint32, expect, reason string, stage, flags byte, dup, patient uint64, open byte, skip0, skip1 string, nconv byte, p0, p1 []byte, extra byte) {
		o := &outcome{reason: reason, stage: int8(stage % 5), status: int8(flags>>5) % 3, dup: dup, open: uint32(open), noAge: stage&0x80 != 0}
		o.late, o.dated, o.dateInvalid, o.dateSwapped = flags&1 != 0, flags&2 != 0, flags&4 != 0, flags&8 != 0
		if flags&16 != 0 {
			o.hasPatient, o.patient = true, patient
		}
		if reason == ReasonIdentifierWithdrawn {
			o.idRemembered = dup ^ 0x5a5a
		}
		skips := []string{skip0, skip1}
		if extra&1 != 0 {
			o.t.drops, o.t.owners = []string{"google phone invalid"}, []int8{0}
		}
		if extra&2 != 0 {
			o.t.notes = []string{NoteValueMissing}
			if line%2 == 1 { // a fee that did not read, and where (valueCell)
				o.t.notes[0] = NoteValueUnparsed
				o.t.unread = valueCell{line: int(line), col: int(stage % 3), why: whyOtherCurrency}
			}
		}
		if extra&4 != 0 {
			o.dateSetting, o.dateLine, o.dateCol = ReasonYearNeeded, int(line), 3
		}
		if extra&8 != 0 {
			o.booking = bookingOutcome{considered: true, dup: dup ^ 1, reason: BookingWaiting, waiting: true}
		}
		if extra&64 != 0 { // an upload's row: its event ids' prefixes (noteGone)
			o.gone, o.goneLegacy = dup|1, patient
		}
		if extra&128 != 0 { // its emails' and phones' same-night digests (holdIdentifiers)
			o.heldIDs = []uint64{dup, patient ^ 1}
		}
		pre := [][]byte{p0, p1}
		for k := range int(nconv % 3) {
			c := &conversion.Conversion{Platform: platform.Platform(1 + k%2), Line: int(line), Prepared: pre[k]}
			if extra&16 != 0 && k == 1 {
				c.Booking = true
			}
			if extra&32 != 0 {
				c.Line++
			}
			o.convs = append(o.convs, c)
		}
		if platform.Platform(1).Spec() == nil || platform.Platform(2).Spec() == nil {
			t.Skip("platforms 1 and 2 are not registered")
		}
		want := spellHeld(int(line), expect, o, skips)
		var got [2]string
		for i, general := range []bool{false, true} {
			r := &recorder{general: general}
			rec := append([]byte(nil), r.encode(int(line), expect, o, skips)...)
			// An outcome dirty from an earlier row, as batches reuse theirs.
			back := &outcome{reason: "x", late: true, noAge: true, dateSetting: "y", dateLine: 1, patient: 5, gone: 6, goneLegacy: 7, heldIDs: []uint64{8}, idRemembered: 9,
				booking: bookingOutcome{considered: true, reason: "z"}, t: tally{drops: []string{"d"}, owners: []int8{1}, notes: []string{"n"}, unread: valueCell{line: 2, col: 3, why: "w"}}}
			bskips := []string{"s", "t"}
			var cs convStore
			l, e, err := r.decode(rec, back, bskips, &cs)
			if err != nil {
				t.Fatalf("general %v: %v", general, err)
			}
			cs.link(back)
			got[i] = spellHeld(l, e, back, bskips)
			if got[i] != want {
				t.Fatalf("general %v:\n got %s\nwant %s", general, got[i], want)
			}
		}
	})
}

// TestPlainRecordTaken: a consented visit with prepared lines, and a row
// excluded before its conversions, are held in the plain layout; a row
// with a dropped identifier, a note or a booking in the general one.
func TestPlainRecordTaken(t *testing.T) {
	visit := &outcome{stage: stageShaped, dup: 1, open: 3,
		convs: []*conversion.Conversion{{Platform: 1, Line: 5, Prepared: []byte("g")}, {Platform: 2, Line: 5, Prepared: []byte("m")}}}
	excluded := &outcome{reason: "consent_missing", stage: stagePre}
	dropped := &outcome{stage: stageShaped, t: tally{drops: []string{"meta phone invalid"}, owners: []int8{-1}}}
	noted := &outcome{stage: stageShaped, t: tally{notes: []string{NoteValueMissing}}}
	booked := &outcome{stage: stageShaped, booking: bookingOutcome{considered: true}}
	whole := &outcome{stage: stageShaped, convs: []*conversion.Conversion{{Platform: 1, Line: 5}}}
	for _, c := range []struct {
		name  string
		o     *outcome
		plain bool
	}{{"visit", visit, true}, {"excluded", excluded, true}, {"dropped", dropped, false}, {"noted", noted, false}, {"booked", booked, false}, {"whole conversion", whole, false}} {
		var r recorder
		if got := r.encode(5, "", c.o, []string{"", ""})[0] == recPlain; got != c.plain {
			t.Errorf("%s: plain layout %v, want %v", c.name, got, c.plain)
		}
	}
}

// TestPreparedSlotIsClean: a prepared conversion read back into a slot
// that held a whole conversion in an earlier batch has every other field
// zero, and one read into a slot that held a prepared one too.
func TestPreparedSlotIsClean(t *testing.T) {
	var r recorder
	var cs convStore
	whole := &conversion.Conversion{Platform: 1, EventID: "0123456789abcdef0123456789abcdef", Line: 7, Name: "Purchase",
		Currency: "TWD", HasValue: true, Value: 12, GCLID: "Cj0KCQ392456de3eb13b90"}
	o := &outcome{stage: stageShaped, convs: []*conversion.Conversion{whole}}
	rec := append([]byte(nil), r.encode(7, "", o, []string{"", ""})...)
	var back outcome
	if _, _, err := r.decode(rec, &back, []string{"", ""}, &cs); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		cs.reset()
		prepared := &outcome{stage: stageShaped, convs: []*conversion.Conversion{{Platform: 2, Line: 8, Prepared: []byte("line")}}}
		rec = append([]byte(nil), r.encode(8, "", prepared, []string{"", ""})...)
		if _, _, err := r.decode(rec, &back, []string{"", ""}, &cs); err != nil {
			t.Fatal(err)
		}
		want := conversion.Conversion{Platform: 2, Line: 8, Prepared: []byte("line")}
		if got := cs.convs[0]; !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: slot holds %+v, want %+v", round, got, want)
		}
	}
}

// TestPlainRecordShares: the second of a visit's prepared lines that begin
// alike is held by what it shares with the first — the record shorter by
// all but the four bytes of lengths — and read back whole, batch after
// batch (the store's joined bytes reused); a line that shares less than
// minShared is held whole.
func TestPlainRecordShares(t *testing.T) {
	head := ",498c2ab575428558d0d35ead5a8a3470,2026-11-01T09:00:00+08:00,Purchase,89196,TWD,"
	g := []byte(head + "\x01google-digest\x06google\x4c\x00")
	m := []byte(head + "\x01meta-digest\x04meta\x4c\x00")
	visit := func(p0, p1 []byte) *outcome {
		return &outcome{stage: stageShaped, dup: 1, open: 3,
			convs: []*conversion.Conversion{{Platform: 1, Line: 5, Prepared: p0}, {Platform: 2, Line: 5, Prepared: p1}}}
	}
	var r recorder
	var cs convStore
	for round := range 3 {
		cs.reset()
		for _, c := range []struct {
			p0, p1 []byte
			saved  int
		}{
			{g, m, len(head) + 1 - 2},
			{[]byte("1234567x"), []byte("1234567y"), 0}, // 7 alike: under minShared
			{m, m, len(m) - 2},
		} {
			o := visit(c.p0, c.p1)
			rec := append([]byte(nil), r.encode(5, "", o, []string{"", ""})...)
			if rec[0] != recPlain {
				t.Fatal("not the plain layout")
			}
			whole := plainHead + 2 + 1 + 2*3 + len(c.p0) + len(c.p1)
			if got := whole - len(rec); got != c.saved {
				t.Errorf("round %d, %q then %q: %d bytes saved, want %d", round, c.p0, c.p1, got, c.saved)
			}
			var back outcome
			if _, _, err := r.decode(rec, &back, []string{"", ""}, &cs); err != nil {
				t.Fatal(err)
			}
			cs.link(&back)
			if got, want := spellHeld(5, "", &back, []string{"", ""}), spellHeld(5, "", o, []string{"", ""}); got != want {
				t.Fatalf("round %d:\n got %s\nwant %s", round, got, want)
			}
		}
	}
}

// TestGeneralRecordShares: a row the plain layout cannot hold (here a
// dropped click id, as gen.py's rows with a malformed gclid) holds its
// second prepared line by what it shares with the first too, a booking's
// among them, and reads both back whole; a whole conversion between two
// prepared ones breaks the chain (nothing is shared across it).
func TestGeneralRecordShares(t *testing.T) {
	head := ",498c2ab575428558d0d35ead5a8a3470,2026-11-01T09:00:00+08:00,Purchase,89196,TWD,"
	g := []byte(head + "\x01google-digest\x06google\x4c\x00")
	m := []byte(head + "\x01meta-digest\x04meta\x4c\x00")
	dropped := tally{drops: []string{"google gclid invalid"}, owners: []int8{0}}
	for _, c := range []struct {
		name   string
		convs  []*conversion.Conversion
		shared int
	}{
		{"two visits", []*conversion.Conversion{{Platform: 1, Line: 5, Prepared: g}, {Platform: 2, Line: 5, Prepared: m}}, len(head) + 1},
		{"a booking after a visit", []*conversion.Conversion{{Platform: 1, Line: 5, Prepared: g}, {Platform: 2, Line: 5, Booking: true, Prepared: m}}, len(head) + 1},
		{"a whole conversion between", []*conversion.Conversion{{Platform: 1, Line: 5, Prepared: g}, {Platform: 2, Line: 5, EventID: "x"}, {Platform: 2, Line: 5, Prepared: m}}, 0},
	} {
		o := &outcome{stage: stageShaped, dup: 1, open: 3, t: dropped, convs: c.convs}
		var r recorder
		rec := append([]byte(nil), r.encode(5, "", o, []string{"", ""})...)
		if rec[0] != recGeneral {
			t.Fatalf("%s: not the general layout", c.name)
		}
		var whole recorder
		long := len(whole.encodeWithoutSharing(5, o))
		if got := long - len(rec); got < c.shared-2 || got > c.shared {
			t.Errorf("%s: %d bytes saved, want about %d", c.name, got, c.shared)
		}
		var back outcome
		var cs convStore
		if _, _, err := r.decode(rec, &back, []string{"", ""}, &cs); err != nil {
			t.Fatal(err)
		}
		cs.link(&back)
		if got, want := spellHeld(5, "", &back, []string{"", ""}), spellHeld(5, "", o, []string{"", ""}); got != want {
			t.Fatalf("%s:\n got %s\nwant %s", c.name, got, want)
		}
	}
}

// encodeWithoutSharing is the general record of o with no conversion held
// by what it shares: its length is what sharing saves from.
func (r *recorder) encodeWithoutSharing(line int, o *outcome) []byte {
	var total []byte
	for _, c := range o.convs {
		one := *o
		one.convs = []*conversion.Conversion{c}
		rec := (&recorder{}).encode(line, "", &one, []string{"", ""})
		total = append(total, rec...)
	}
	base := *o
	base.convs = nil
	return total[:len(total)-(len(o.convs)-1)*len((&recorder{}).encode(line, "", &base, []string{"", ""}))]
}

// TestSharedBelowMinIsRefused: a record that says a prepared line shares
// fewer than minShared bytes with the one before is none the encoders
// write (a damaged spill file): it is refused, in both layouts, where a
// share of 0 read back a conversion with no prepared bytes at all.
func TestSharedBelowMinIsRefused(t *testing.T) {
	head := ",498c2ab575428558d0d35ead5a8a3470,2026-11-01T09:00:00+08:00,Purchase,89196,TWD,"
	g := []byte(head + "\x01google-digest\x06google\x4c\x00")
	m := []byte(head + "\x01meta-digest\x04meta\x4c\x00")
	shared := len(head) + 1
	for _, general := range []bool{false, true} {
		o := &outcome{stage: stageShaped, dup: 1, open: 3,
			convs: []*conversion.Conversion{{Platform: 1, Line: 5, Prepared: g}, {Platform: 2, Line: 5, Prepared: m}}}
		if general {
			o.t = tally{drops: []string{"google gclid invalid"}, owners: []int8{0}}
		}
		var r recorder
		rec := append([]byte(nil), r.encode(5, "", o, []string{"", ""})...)
		// The shared length's place: after the first line's bytes.
		at := bytes.Index(rec, g) + len(g)
		var lenAt int
		if general {
			// kind|convShares, platform, line uvarint, shared uvarint
			if rec[at] != convPrepared|convShares || rec[at+1] != 2 || rec[at+2] != 5 || int(rec[at+3]) != shared {
				t.Fatalf("general: the second line is not held as shared: % x", rec[at:at+4])
			}
			lenAt = at + 3
		} else {
			if rec[at] != 2|convShares || int(rec[at+1])|int(rec[at+2])<<8 != shared {
				t.Fatalf("plain: the second line is not held as shared: % x", rec[at:at+3])
			}
			lenAt = at + 1
		}
		for n := range minShared {
			bad := append([]byte(nil), rec...)
			bad[lenAt] = byte(n)
			var back outcome
			var cs convStore
			if _, _, err := r.decode(bad, &back, []string{"", ""}, &cs); err == nil {
				t.Errorf("general %v: a share of %d bytes was read back", general, n)
			}
		}
	}
}
