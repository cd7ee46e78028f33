package conversion

import (
	"encoding/binary"
	"errors"
	"math"
	"time"

	"github.com/hashgate/hashgate/internal/binfield"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Codec writes conversions in a compact binary form and reads them back in
// the same process: how a run holds its conversions (in memory, then in an
// unlinked temporary file) until the export has been read to its end and
// found unchanged. It is no interchange format — nothing outside the
// process reads it — and it holds only what a Conversion holds: hashed
// identifiers and the plain fields already checked against their grammar.
//
// Times keep their location: each distinct (location, zone name, offset)
// is numbered once, and a time is read back in the location it was
// written with, so every sink formats it as it would have. A Codec is not
// safe for concurrent use.
type Codec struct {
	zones map[zoneKey]uint64
	locs  []*time.Location
	// last is the zone numbered last: an export's times are nearly all in
	// one location and zone, and the map's key (the location's name
	// hashed with the abbreviation) was 1.9% of an upload's CPU at 1M
	// rows (make bench-upload's profile), one lookup per conversion held.
	last struct {
		loc    *time.Location
		abbrev string
		offset int
		n      uint64
	}
	// the last strings read, reused: an export's event name, currency and
	// event-id shapes repeat, and each decoded string would be a copy.
	name, currency string
	// and the last event id: a row's conversions for each platform share
	// it, so the second is no copy.
	id string
}

type zoneKey struct {
	loc, abbrev string
	offset      int
}

// ErrMalformed: the bytes given to Read are not what Append wrote.
var ErrMalformed = errors.New("conversion: malformed held conversion")

const (
	flagHasValue = 1 << iota
	flagRestate
	flagBooking
	flagPrepared
	flagRecordKey
)

// Append appends c to b.
func (k *Codec) Append(b []byte, c *Conversion) []byte {
	b = append(b, byte(c.Platform))
	b = binfield.AppendString(b, string(c.EventID))
	b = binfield.AppendString(b, string(c.LegacyID))
	b = binary.AppendUvarint(b, uint64(c.Line))
	b = binary.AppendVarint(b, c.Time.Unix())
	b = binary.AppendUvarint(b, uint64(c.Time.Nanosecond()))
	b = binary.AppendUvarint(b, k.zone(c.Time))
	b = binfield.AppendString(b, c.Name)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(c.Value))
	flags := byte(0)
	if c.HasValue {
		flags |= flagHasValue
	}
	if c.Restate {
		flags |= flagRestate
	}
	if c.Booking {
		flags |= flagBooking
	}
	if c.Prepared != nil {
		flags |= flagPrepared
	}
	if c.RecordKey != 0 {
		flags |= flagRecordKey
	}
	b = append(b, flags)
	b = binfield.AppendString(b, c.Currency)
	b = binfield.AppendString(b, c.GCLID)
	b = binfield.AppendString(b, c.GBRAID)
	b = binfield.AppendString(b, c.WBRAID)
	b = binfield.AppendString(b, c.Formatted)
	if c.Prepared != nil {
		// The pipeline holds a prepared conversion in its own, shorter
		// form (pipeline/record.go); kept here so that nothing a
		// Conversion holds is lost on the way through the codec.
		b = binfield.AppendBytes(b, c.Prepared)
	}
	if c.RecordKey != 0 {
		b = binary.LittleEndian.AppendUint64(b, c.RecordKey)
	}
	b = binary.AppendUvarint(b, uint64(len(c.Identifiers)))
	for _, s := range c.Identifiers {
		b, _ = s.AppendBinary(b)
	}
	return b
}

// zone numbers t's location, zone abbreviation and offset.
func (k *Codec) zone(t time.Time) uint64 {
	abbrev, offset := t.Zone()
	loc := t.Location()
	if l := &k.last; l.loc == loc && l.offset == offset && l.abbrev == abbrev {
		return l.n // the same location (so the same name) and zone
	}
	key := zoneKey{loc: loc.String(), abbrev: abbrev, offset: offset}
	n, ok := k.zones[key]
	if !ok {
		if k.zones == nil {
			k.zones = map[zoneKey]uint64{}
		}
		n = uint64(len(k.locs))
		k.zones[key] = n
		k.locs = append(k.locs, loc)
	}
	k.last.loc, k.last.abbrev, k.last.offset, k.last.n = loc, abbrev, offset, n
	return n
}

// Read reads one conversion written by Append from b into c (its
// Identifiers slice is reused) and returns what follows it.
func (k *Codec) Read(b []byte, c *Conversion) ([]byte, error) {
	r := binfield.Reader{B: b}
	p := r.Byte()
	k.id = r.String(k.id)
	id := k.id
	legacy := r.String("")
	line := r.Uvarint()
	sec := r.Varint()
	nsec := r.Uvarint()
	zone := r.Uvarint()
	k.name = r.String(k.name)
	bits := r.Uint64()
	flags := r.Byte()
	k.currency = r.String(k.currency)
	gclid, gbraid, wbraid := r.String(""), r.String(""), r.String("")
	formatted := r.String("")
	var prepared []byte
	if flags&flagPrepared != 0 {
		prepared = append([]byte{}, r.Bytes()...)
	}
	var rk uint64
	if flags&flagRecordKey != 0 {
		rk = r.Uint64()
	}
	n := r.Uvarint()
	if r.Bad || int(p) >= platform.Count || platform.Platform(p).Spec() == nil || nsec >= 1e9 || zone >= uint64(len(k.locs)) ||
		line > math.MaxInt32 || flags > flagHasValue|flagRestate|flagBooking|flagPrepared|flagRecordKey || n > uint64(len(r.B)) {
		return nil, ErrMalformed
	}
	ids := c.Identifiers[:0]
	rest := r.B
	for range n {
		var s identifier.Sent
		var err error
		if s, rest, err = identifier.ReadSent(rest); err != nil {
			return nil, ErrMalformed
		}
		ids = append(ids, s)
	}
	*c = Conversion{
		Platform: platform.Platform(p), EventID: eventid.ID(id), LegacyID: eventid.ID(legacy), Line: int(line),
		Time: time.Unix(sec, int64(nsec)).In(k.locs[zone]), Name: k.name,
		Value: math.Float64frombits(bits), HasValue: flags&flagHasValue != 0, Restate: flags&flagRestate != 0, Booking: flags&flagBooking != 0,
		Currency: k.currency,
		GCLID:    gclid, GBRAID: gbraid, WBRAID: wbraid, Formatted: formatted, Identifiers: ids,
		Prepared: prepared, RecordKey: rk,
	}
	return rest, nil
}
