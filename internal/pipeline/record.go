package pipeline

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/hashgate/hashgate/internal/binfield"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
)

// recorder writes a decided row as one held record and reads it back: the
// row's line, its expect cell (for `hashgate check` only), its outcome —
// reasons, what withdrawals and the date gate need, the counts it would
// add — and its conversions (conversion.Codec). It holds what the
// pipeline already made of the row, never a cell of it as written: reason
// codes, 64-bit HMAC-derived keys, hashed identifiers and plain fields
// that passed their grammar. The expect cell is a fixture's, read back
// only by check's grammar, which never echoes it.
//
// Strings that repeat — reasons, dropped-identifier keys, notes — are
// numbered the first time they are written. A recorder is not safe for
// concurrent use, and reads only what it wrote.
type recorder struct {
	codec conversion.Codec
	names []string
	index map[string]uint64
	buf   []byte
	// hot caches name's recent answers (n 0: empty).
	hot [16]struct {
		s string
		n uint64
	}
	// general turns encodePlain off (tests hold the layouts to each other).
	general bool
	// keepAt holds a patient's row's appointment time (outcome.at): under
	// consent.revoked_allows_earlier a dated revocation on a later row
	// withdraws it from that day on, judged when the row is settled. Such
	// rows take the general layout.
	keepAt bool
}

// convStore holds decoded conversions, reused batch after batch (a
// conversion's Identifiers keep their storage). Outcomes name theirs by
// position (outcome.convFirst, convN) until the store has stopped
// growing; link then points them at it.
type convStore struct {
	convs []conversion.Conversion
	n     int
	// whole[i]: convs[i] last held a conversion decoded whole, whose
	// fields a prepared one must not inherit (nextPrepared).
	whole []bool
	// joined holds the prepared bytes of conversions held by what they
	// share with the one before (join).
	joined []byte
}

func (cs *convStore) reset() { cs.n, cs.joined = 0, cs.joined[:0] }

// join returns a+b, in the store's own bytes: a prepared conversion held
// by what it shares with the one before (encodePlain). Valid until reset;
// a slice it returned earlier stays valid when the bytes grow (append
// leaves the old array to it).
func (cs *convStore) join(a, b []byte) []byte {
	at := len(cs.joined)
	cs.joined = append(append(cs.joined, a...), b...)
	return cs.joined[at:len(cs.joined):len(cs.joined)]
}

// next returns the next conversion to decode whole into, valid until the
// next call; the decoder sets every field.
func (cs *convStore) next() *conversion.Conversion {
	if cs.n == len(cs.convs) {
		cs.convs = append(cs.convs, conversion.Conversion{})
		cs.whole = append(cs.whole, false)
	}
	cs.n++
	cs.whole[cs.n-1] = true
	return &cs.convs[cs.n-1]
}

// nextPrepared stores a prepared conversion: its platform, line, kind and
// bytes, every other field zero. A slot that held a prepared conversion
// before has zeros there already, so only those four are written —
// writing the whole 248-byte struct for each was most of decoding a
// held row (issue 29).
func (cs *convStore) nextPrepared(p platform.Platform, line int, booking bool, prepared []byte) {
	if cs.n == len(cs.convs) {
		cs.convs = append(cs.convs, conversion.Conversion{})
		cs.whole = append(cs.whole, false)
	}
	c := &cs.convs[cs.n]
	if cs.whole[cs.n] {
		*c = conversion.Conversion{}
		cs.whole[cs.n] = false
	}
	c.Platform, c.Line, c.Booking, c.Prepared = p, line, booking, prepared
	cs.n++
}

// link points o's conversions (o.convs, its own storage) at the store.
func (cs *convStore) link(o *outcome) {
	o.convs = o.convs[:0]
	for k := range o.convN {
		o.convs = append(o.convs, &cs.convs[o.convFirst+k])
	}
}

var errRecord = errors.New("pipeline: malformed held row")

const (
	recLate = 1 << iota
	recDated
	recDateInvalid
	recDateSwapped
	recHasPatient
	// recGone: the record holds the row's event ids' prefixes
	// (outcome.gone, goneLegacy: an upload's LeftOut), after the patient.
	recGone
)

// name numbers s, the same number each time. Every held row names its
// reason and each destination's skip, from a handful of strings: a
// direct-mapped cache of 16 answers them before the map (a map lookup
// hashed the string again for each, about 130 instructions, on the
// goroutine that also reads the export: issue 29, session 24).
func (r *recorder) name(s string) uint64 {
	if s == "" {
		return 0
	}
	h := &r.hot[(len(s)+int(s[len(s)-1]))&(len(r.hot)-1)]
	if h.n != 0 && h.s == s {
		return h.n
	}
	if n, ok := r.index[s]; ok {
		h.s, h.n = s, n
		return n
	}
	if r.index == nil {
		r.index = map[string]uint64{}
		r.names = append(r.names, "")
	}
	n := uint64(len(r.names))
	r.names = append(r.names, s)
	r.index[s] = n
	return n
}

// A record starts with its kind: recGeneral, the layout below for any
// row, or recPlain, a fixed layout for the rows most exports are made of
// (encodePlain).
const (
	recGeneral byte = iota
	recPlain
)

// encode returns the record of a decided row, valid until the next call.
func (r *recorder) encode(line int, expect string, o *outcome, skips []string) []byte {
	if b, ok := r.encodePlain(line, expect, o, skips); ok && !r.general && !(r.keepAt && o.hasPatient) {
		r.buf = b
		return b
	}
	b := append(r.buf[:0], recGeneral)
	b = binary.AppendUvarint(b, uint64(line))
	b = binfield.AppendString(b, expect)
	b = binary.AppendUvarint(b, r.name(o.reason))
	b = append(b, recFlags(o), byte(o.stage), byte(o.status))
	b = binary.LittleEndian.AppendUint64(b, o.dup)
	if o.hasPatient {
		b = binary.LittleEndian.AppendUint64(b, o.patient)
		if r.keepAt {
			b = binary.AppendVarint(b, o.at)
		}
	}
	if o.gone != 0 {
		b = binary.LittleEndian.AppendUint64(b, o.gone)
		b = binary.LittleEndian.AppendUint64(b, o.goneLegacy)
	}
	b = appendHeldIDs(b, o)
	b = appendRemembered(b, o)
	b = binary.AppendUvarint(b, uint64(o.open))
	for _, s := range skips {
		b = binary.AppendUvarint(b, r.name(s))
	}
	b = binary.AppendUvarint(b, r.name(o.dateSetting))
	b = binary.AppendUvarint(b, uint64(o.dateLine))
	b = binary.AppendUvarint(b, uint64(o.dateCol))
	b = binary.AppendUvarint(b, uint64(len(o.t.drops)))
	for k, d := range o.t.drops {
		b = binary.AppendUvarint(b, r.name(d))
		b = append(b, byte(o.t.owners[k]+1))
	}
	b = binary.AppendUvarint(b, uint64(len(o.t.notes)))
	for _, n := range o.t.notes {
		b = binary.AppendUvarint(b, r.name(n))
	}
	// The unreadable fee's place: its line alone when there is none (0,
	// valueCell's "not noted"), not three varints on every row.
	b = binary.AppendUvarint(b, uint64(o.t.unread.line))
	if o.t.unread.line != 0 {
		b = binary.AppendUvarint(b, uint64(o.t.unread.col))
		b = binary.AppendUvarint(b, r.name(o.t.unread.why))
	}
	b = r.encodeBooking(b, &o.booking, len(skips))
	b = binary.AppendUvarint(b, uint64(len(o.convs)))
	var prev []byte
	for _, c := range o.convs {
		if c.Prepared == nil {
			b = append(b, convWhole)
			b = r.codec.Append(b, c)
			prev = nil
			continue
		}
		// What the sink prepared (prepare.go), and what settling reads
		// of the conversion itself; held by what it shares with the
		// prepared conversion before it, as in encodePlain.
		kind := byte(convPrepared)
		if c.Booking {
			kind = convPreparedBooking
		}
		n := shared(prev, c.Prepared)
		if n > 0 {
			kind |= convShares
		}
		b = append(b, kind, byte(c.Platform))
		b = binary.AppendUvarint(b, uint64(c.Line))
		if n > 0 {
			b = binary.AppendUvarint(b, uint64(n))
			b = binfield.AppendBytes(b, c.Prepared[n:])
		} else {
			b = binfield.AppendBytes(b, c.Prepared)
		}
		prev = c.Prepared
	}
	r.buf = b
	return b
}

// encodePlain writes, when the row allows it, the fixed layout of a row
// with nothing beyond its reasons, keys and prepared lines: no expect
// cell, no dropped identifier or note, no booking, no date setting, every
// conversion prepared on the row's own line — a consented visit, or a row
// excluded before its conversions. Fields sit at fixed places, strings
// are numbered in a byte, and reading it back sets the rest of the
// outcome to its zero (decodePlain): the varints and the general
// layout's branches were most of holding a row (issue 29).
//
//	recPlain, line u32, reason, flags, stage, status, open (bytes),
//	dup u64, [patient u64], [gone u64, goneLegacy u64], [identifier
//	digests: count, u64 each (appendHeldIDs)], [the ledger's digest that
//	withdrew it, u64 (appendRemembered)], a byte per skip,
//	conversion count, then per conversion: its platform, length u16 and
//	prepared bytes (no kind byte: a booking, an unprepared conversion or
//	one on another line takes the general layout) — or, for one whose
//	prepared bytes begin as the conversion's before it do, its platform |
//	convShares, the length of that shared beginning u16, then the length
//	u16 and bytes of the rest.
//
// A visit's lines for two platforms share their event id, time, value and
// click ids (the review CSV puts them first: reviewcsv.Prepare): held once,
// the spool is about a third smaller, and the spool's writes and reads
// were the largest system time of a dry-run (issue 29).
func (r *recorder) encodePlain(line int, expect string, o *outcome, skips []string) ([]byte, bool) {
	if expect != "" || len(o.t.drops) != 0 || len(o.t.notes) != 0 || o.booking.considered || o.booking.waiting ||
		o.dateSetting != "" || o.dateLine != 0 || o.dateCol != 0 || line < 0 || line > math.MaxUint32 ||
		o.open > 0xff || len(o.convs) > 0xff {
		return nil, false
	}
	for _, c := range o.convs {
		if c.Prepared == nil || c.Booking || c.Line != line || len(c.Prepared) > 0xffff {
			return nil, false
		}
	}
	reason := r.name(o.reason)
	if reason > 0xff {
		return nil, false
	}
	b := append(r.buf[:0], recPlain)
	b = binary.LittleEndian.AppendUint32(b, uint32(line))
	b = append(b, byte(reason), recFlags(o), byte(o.stage), byte(o.status), byte(o.open))
	b = binary.LittleEndian.AppendUint64(b, o.dup)
	if o.hasPatient {
		b = binary.LittleEndian.AppendUint64(b, o.patient)
	}
	if o.gone != 0 {
		b = binary.LittleEndian.AppendUint64(b, o.gone)
		b = binary.LittleEndian.AppendUint64(b, o.goneLegacy)
	}
	b = appendHeldIDs(b, o)
	b = appendRemembered(b, o)
	for _, sk := range skips {
		n := r.name(sk)
		if n > 0xff {
			return nil, false
		}
		b = append(b, byte(n))
	}
	b = append(b, byte(len(o.convs)))
	var prev []byte
	for _, c := range o.convs {
		p := c.Prepared
		if n := shared(prev, p); n > 0 {
			b = append(b, byte(c.Platform)|convShares, byte(n), byte(n>>8), byte(len(p)-n), byte((len(p)-n)>>8))
			b = append(b, p[n:]...)
		} else {
			b = append(b, byte(c.Platform), byte(len(p)), byte(len(p)>>8))
			b = append(b, p...)
		}
		prev = p
	}
	return b, true
}

// convShares marks a prepared conversion held by what it shares with the
// prepared one before it: in a plain record's platform byte, and in the
// general layout's kind byte. Platforms and kinds are numbered far below
// it.
const convShares = 0x80

// minShared is the shortest shared beginning held as such: below it the
// four bytes of lengths cost more than they save.
const minShared = 8

// shared is how much of p a record holds by reference to prev, the
// prepared conversion before it: their shared beginning, or 0 below
// minShared.
func shared(prev, p []byte) int {
	if n := sharedPrefix(prev, p); n >= minShared {
		return n
	}
	return 0
}

// sharesValid says whether a record's shared length n can be one the
// encoders wrote after prev (a damaged spill file may say otherwise).
func sharesValid(n uint64, prev []byte) bool {
	return n >= minShared && n <= uint64(len(prev))
}

// sharedPrefix is how many bytes a and b begin with alike (prepared bytes
// are at most 0xffff long: encodePlain takes no longer ones).
func sharedPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && binary.LittleEndian.Uint64(a[i:]) == binary.LittleEndian.Uint64(b[i:]) {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// nameAt is the string numbered n (0: "").
func (r *recorder) nameAt(n byte) (string, bool) {
	if n == 0 {
		return "", true
	}
	if int(n) >= len(r.names) {
		return "", false
	}
	return r.names[n], true
}

// plainHead is the length of encodePlain's fixed part before the patient.
const plainHead = 1 + 4 + 5 + 8

// errPlain is decode's error for a malformed plain record, made once.
var errPlain = fmt.Errorf("reading back held rows: %w", errRecord)

// decodePlain reads what encodePlain wrote; see decode.
func (r *recorder) decodePlain(b []byte, o *outcome, skips []string, cs *convStore) (line int, err error) {
	if len(b) < plainHead {
		return 0, errPlain
	}
	line = int(binary.LittleEndian.Uint32(b[1:]))
	flags := b[6]
	var ok bool
	if o.reason, ok = r.nameAt(b[5]); !ok {
		return 0, errPlain
	}
	o.late, o.dated, o.dateInvalid = flags&recLate != 0, flags&recDated != 0, flags&recDateInvalid != 0
	o.dateSwapped, o.hasPatient, o.noAge = flags&recDateSwapped != 0, flags&recHasPatient != 0, flags&recNoAge != 0
	o.stage, o.status, o.open = int8(b[7]), int8(b[8]), uint32(b[9])
	o.dup = binary.LittleEndian.Uint64(b[10:])
	b = b[plainHead:]
	o.patient, o.at = 0, 0
	if o.hasPatient {
		if len(b) < 8 {
			return 0, errPlain
		}
		o.patient = binary.LittleEndian.Uint64(b)
		b = b[8:]
	}
	o.gone, o.goneLegacy = 0, 0
	if flags&recGone != 0 {
		if len(b) < 16 {
			return 0, errPlain
		}
		o.gone, o.goneLegacy = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
		b = b[16:]
	}
	d := binfield.Reader{B: b}
	if readHeldIDs(&d, flags, o); d.Bad {
		return 0, errPlain
	}
	if readRemembered(&d, o); d.Bad {
		return 0, errPlain
	}
	b = d.B
	if len(b) < len(skips)+1 {
		return 0, errPlain
	}
	for i := range skips {
		if skips[i], ok = r.nameAt(b[i]); !ok {
			return 0, errPlain
		}
	}
	b = b[len(skips):]
	n := int(b[0])
	b = b[1:]
	o.dateSetting, o.dateLine, o.dateCol = "", 0, 0
	o.t.reset()
	if o.booking.considered || o.booking.waiting { // else it is zero already
		o.booking = bookingOutcome{}
	}
	o.convFirst, o.convN = cs.n, n
	var prev []byte
	for range n {
		if len(b) < 3 {
			return 0, errPlain
		}
		p, size := b[0], int(b[1])|int(b[2])<<8
		var prepared []byte
		if p&convShares != 0 {
			// size is the shared beginning's; the rest follows.
			if len(b) < 5 || !sharesValid(uint64(size), prev) {
				return 0, errPlain
			}
			rest := int(b[3]) | int(b[4])<<8
			if len(b) < 5+rest {
				return 0, errPlain
			}
			prepared = cs.join(prev[:size], b[5:5+rest])
			p &^= convShares
			b = b[5+rest:]
		} else {
			if len(b) < 3+size {
				return 0, errPlain
			}
			prepared = b[3 : 3+size : 3+size]
			b = b[3+size:]
		}
		if int(p) >= platform.Count || platform.Platform(p).Spec() == nil {
			return 0, errPlain
		}
		cs.nextPrepared(platform.Platform(p), line, false, prepared)
		prev = prepared
	}
	if len(b) != 0 {
		return 0, errPlain
	}
	return line, nil
}

// How a held conversion is written: whole (conversion.Codec), or as what
// the sink prepared of it, for a visit or a booking.
const (
	convWhole byte = iota
	convPrepared
	convPreparedBooking
)

// decode reads a record written by encode into o and skips (as many as
// encode was given), its conversions into cs (o.convFirst, o.convN: link
// points o.convs at them). A prepared conversion's bytes are part of b.
// Once every row has been encoded, decode may run on another goroutine
// than encode did (one goroutine at a time: the codec remembers the last
// strings it read).
func (r *recorder) decode(b []byte, o *outcome, skips []string, cs *convStore) (line int, expect string, err error) {
	if len(b) == 0 || b[0] > recPlain {
		return 0, "", fmt.Errorf("reading back held rows: %w", errRecord)
	}
	if b[0] == recPlain {
		line, err = r.decodePlain(b, o, skips, cs)
		return line, "", err
	}
	d := binfield.Reader{B: b[1:]}
	line = int(d.Uvarint())
	expect = d.String("")
	o.reason = r.lookup(&d)
	flags, stage, status := d.Byte(), d.Byte(), d.Byte()
	o.late, o.dated, o.dateInvalid = flags&recLate != 0, flags&recDated != 0, flags&recDateInvalid != 0
	o.dateSwapped, o.hasPatient, o.noAge = flags&recDateSwapped != 0, flags&recHasPatient != 0, flags&recNoAge != 0
	o.stage, o.status = int8(stage), int8(status)
	o.dup = d.Uint64()
	o.patient, o.at = 0, 0
	if o.hasPatient {
		o.patient = d.Uint64()
		if r.keepAt {
			o.at = d.Varint()
		}
	}
	o.gone, o.goneLegacy = 0, 0
	if flags&recGone != 0 {
		o.gone, o.goneLegacy = d.Uint64(), d.Uint64()
	}
	readHeldIDs(&d, flags, o)
	readRemembered(&d, o)
	o.open = uint32(d.Uvarint())
	for i := range skips {
		skips[i] = r.lookup(&d)
	}
	o.dateSetting = r.lookup(&d)
	o.dateLine, o.dateCol = int(d.Uvarint()), int(d.Uvarint())
	o.t.reset()
	for n := d.Uvarint(); n > 0 && !d.Bad; n-- {
		o.t.drops = append(o.t.drops, r.lookup(&d))
		o.t.owners = append(o.t.owners, int8(d.Byte())-1)
	}
	for n := d.Uvarint(); n > 0 && !d.Bad; n-- {
		o.t.notes = append(o.t.notes, r.lookup(&d))
	}
	if at := int(d.Uvarint()); at != 0 {
		o.t.unread = valueCell{line: at, col: int(d.Uvarint()), why: r.lookup(&d)}
	}
	r.decodeBooking(&d, &o.booking, len(skips))
	n := d.Uvarint()
	if d.Bad || n > uint64(len(d.B)) {
		return 0, "", fmt.Errorf("reading back held rows: %w", errRecord)
	}
	o.convFirst, o.convN = cs.n, int(n)
	rest := d.B
	var prev []byte
	for range int(n) {
		if len(rest) == 0 {
			return 0, "", fmt.Errorf("reading back held rows: %w", errRecord)
		}
		kind := rest[0]
		rest = rest[1:]
		switch kind {
		case convWhole:
			if rest, err = r.codec.Read(rest, cs.next()); err != nil {
				return 0, "", fmt.Errorf("reading back held rows: %w", err)
			}
			prev = nil
		case convPrepared, convPreparedBooking, convPrepared | convShares, convPreparedBooking | convShares:
			d := binfield.Reader{B: rest}
			p := d.Byte()
			line := d.Uvarint()
			var n uint64
			if kind&convShares != 0 {
				if n = d.Uvarint(); !sharesValid(n, prev) {
					d.Bad = true
				}
			}
			prepared := d.Bytes()
			if d.Bad || int(p) >= platform.Count || platform.Platform(p).Spec() == nil || line > math.MaxInt32 {
				return 0, "", fmt.Errorf("reading back held rows: %w", errRecord)
			}
			if kind&convShares != 0 {
				prepared = cs.join(prev[:n], prepared)
			}
			cs.nextPrepared(platform.Platform(p), int(line), kind&^convShares == convPreparedBooking, prepared)
			prev = prepared
			rest = d.B
		default:
			return 0, "", fmt.Errorf("reading back held rows: %w", errRecord)
		}
	}
	if len(rest) != 0 {
		return 0, "", fmt.Errorf("reading back held rows: %w", errRecord)
	}
	return line, expect, nil
}

func (r *recorder) lookup(d *binfield.Reader) string {
	n := d.Uvarint()
	if n >= uint64(len(r.names)) {
		if n != 0 {
			d.Bad = true
		}
		return ""
	}
	return r.names[n]
}
