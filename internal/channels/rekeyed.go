package channels

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Patient keys that changed under the same people (a review, 2026-12-07):
// a clinic moved to new practice-management software on 2026-09-01, its
// old export and the new one were joined (as the history_days warning
// invites: "export more history"), and the chart numbers changed (500… to
// M70000…) for the same people. Every returning patient's first visit
// under the new key counted as a new patient: Google's new patients 20
// where the truth was 0, CAC a fraction of itself, exit 0, nothing said.
//
// The report cannot know that two keys are one person, but it can see the
// sign: a patient counted new who carries an e-mail or a phone (as the
// upload normalises them, identifier.Normalize) that an earlier row
// carried under another patient key. A family's shared phone does that
// too, now and then; a changed key does it for most of the returning
// patients at once, from the day of the switch on. So the warning asks for
// a run of days from which such patients outnumber the genuinely new
// (rekeyedFrom), holding at least rekeyMin of them and rekeyShare of the
// window's new patients: many, and enough to move the window's figures.
// That still warned of families (a family-practice review, 2026-12-07:
// children's charts carrying the mother's phone at half the new patients,
// twelve families of four new together, siblings at a fifth in the last
// 20 days): what tells them apart is the earlier key. A migration retires
// it — the old chart has no visit from the switch day on — while a
// mother keeps her chart and keeps coming. So the warning also asks that
// fewer than rekeyStayed of the earlier keys the flagged patients are
// linked to (each identifier's first carrier) have a visit on or after
// the day (stayed). Its limit: a day late in the export leaves little
// time to see a parent come back, and a practice whose parents came back
// less often than that would still be warned.
// It warns only: which of two keys is the person's is not the report's to
// guess, and counting them as returning would move figures the release
// rule and README's examples rest on.
//
// Memory: nothing per patient or per row stays in memory. Each counted row
// with a patient key adds, per e-mail or phone it carries (at most
// maxRowIdents), an identRow (32 bytes) to an external sort (sorter: a
// fixed buffer of rekeyBuffer records, 512 KiB, then the disk), unless
// add's cache (4096 slots, 160 KiB, fixed) holds the same identifier and
// patient at or before it; each patient adds one linkRow (32 bytes, 25 on
// disk: its first visit, its last beside it) and one per identifier it
// shares with an earlier key (and the key one per identifier it carried
// first that others carry), to a second (512 KiB; 384 KiB and 17 bytes on
// disk before the last visit and the earlier key were kept, session 25);
// a third, keys, holds one record per such earlier key and one per patient
// linked to it before its first visit — nothing unless identifiers are
// shared (it grows from 256 records to at most 512 KiB). On disk that is
// 32 bytes per identifier of a row and 25 bytes per patient (plus about
// 50 per shared identifier); in memory the buffers, and one count per day
// of the export (days, as t.days). The family check's cost (the wider
// linkRow, a third sort) is not measured: the figures below are from
// before it, and a 200k-row callgrind is owed. Measured (peak
// heap in use, GOGC=5, one e-mail and one phone a row, two rows a
// patient): 0.6 MiB more than without the columns mapped at 50,000 rows,
// 1.3 MiB at 200,000 and 1.4 MiB at 400,000 — the buffers (the sorter
// rounds each up to its size class: 608 KiB and 472 KiB) and the merge's
// readers, not the export: in memory, 0 bytes per patient. CPU (issue 29,
// session 25): the sort was about a fifth of a 1M report's perf samples
// (bench-channels 2.49× the dry-run's wall); sorted since by the
// identifier's top bits in place (identsort.go) and merged without
// container/heap, bench-channels' export at 200,000 rows counted
// (callgrind, GOGC=off GOMAXPROCS=1, -pgo=off, three runs each, ±0.04%)
// 8.60 G instructions for the report before, 7.93 G after, against 5.25 G
// for the dry-run: 1.64× → 1.51× (at 1M, once: 43.4 G → 39.6 G against
// 26.0 G, 1.67× → 1.52×); the warning's share (the report without
// it: 6.37 G) fell from 2.22 G to 1.56 G, most of what is left normalising
// the identifiers as the upload would (normalized, about 0.9 G). The cache
// finds almost no pair in that export (each row a random patient's); it
// serves exports of one patient's visits together. Peak RSS at 1M rows
// unchanged (48.0–49.1 MB before, 48.1–48.8 after, both binaries copied
// alike: the same bytes built and copied measured up to 8 MB apart in
// file pages mapped, docs/performance.md). The identifiers are 64-bit hashes under the run's
// random seed (counter.seed), never the value: the spill files, like the
// order log's, hold nothing of the export.

// rekeyMin and rekeyShare: the warning needs at least rekeyMin patients
// counted new that carry an earlier key's identifier, from the switch day
// on within the window, and at least rekeyShare of the window's new
// patients. Five is the release rule's default min_cell: fewer is a
// family or two, not a migration. A fifth: the review's case was all of
// Google's new patients, and a migration that leaves only a fifth of a
// window's new patients wrong still moves CAC by a quarter.
const (
	rekeyMin   = 5
	rekeyShare = 0.2
)

// maxRowIdents bounds the identifiers one row adds: a cell of ten
// addresses is not ten people's, and the per-row cost stays fixed.
const maxRowIdents = 4

// rekeyBuffer is the records each of the two sorts holds before it
// spills (grown as needed, never past it).
const rekeyBuffer = 1 << 14

// identRow is one identifier carried by one row of one patient.
type identRow struct {
	ident   uint64 // the normalised e-mail or phone under the run's seed, with its field
	at      int64  // the row's appointment, unix seconds
	tie     uint64 // the row's hash (rowHash): the same first carrier in any row order
	patient uint64 // the patient key under the run's seed or release key
}

var identCodec = codec[identRow]{
	size: 32, what: "identifier",
	enc: func(b []byte, r identRow) {
		le := binary.LittleEndian
		le.PutUint64(b[0:], r.ident)
		le.PutUint64(b[8:], uint64(r.at))
		le.PutUint64(b[16:], r.tie)
		le.PutUint64(b[24:], r.patient)
	},
	dec: func(b []byte) identRow {
		le := binary.LittleEndian
		return identRow{ident: le.Uint64(b[0:]), at: int64(le.Uint64(b[8:])), tie: le.Uint64(b[16:]), patient: le.Uint64(b[24:])}
	},
	// By identifier, then its first carrier first (identsort.go).
	cmp:  identCmp,
	sort: sortIdentRows,
}

// linkRow is, for one patient, its first visit (linkFirst, its last
// visit in other), or that it first carried an identifier another key
// carries too (linkCarrier), or the time another key (other) first
// carried an identifier the patient carries too (linkShared). The same
// record, sorted apart (keyCodec), is, for an earlier key, its last visit
// (keyLast) or the first visit of a patient linked to it (keyOf).
type linkRow struct {
	patient uint64
	at      int64
	other   uint64
	kind    uint8
}

const (
	linkFirst   uint8 = iota // sorted first: the first and last visits are read before what links to them
	linkCarrier              // then whether other patients carry its identifiers (once per identifier)
	linkShared               // then the links, earliest first
)

const (
	keyLast uint8 = iota // sorted first: the key's last visit before who links to it
	keyOf
)

var linkCodec = codec[linkRow]{
	size: 25, what: "identifier-link",
	enc: func(b []byte, r linkRow) {
		binary.LittleEndian.PutUint64(b[0:], r.patient)
		binary.LittleEndian.PutUint64(b[8:], uint64(r.at))
		binary.LittleEndian.PutUint64(b[16:], r.other)
		b[24] = r.kind
	},
	dec: func(b []byte) linkRow {
		le := binary.LittleEndian
		return linkRow{patient: le.Uint64(b[0:]), at: int64(le.Uint64(b[8:])), other: le.Uint64(b[16:]), kind: b[24]}
	},
	cmp: func(a, b linkRow) int {
		// Decided on the first field nearly always; cmp.Or would compare
		// all three every time (identsort.go).
		if a.patient != b.patient {
			return cmp.Compare(a.patient, b.patient)
		}
		return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.at, b.at))
	},
}

// keyCodec is linkCodec under its own name: the earlier keys' sort.
var keyCodec = func() codec[linkRow] {
	c := linkCodec
	c.what = "identifier-key"
	return c
}()

// rekeyed gathers what the warning needs; nil when the export maps no
// patient key, or no e-mail or phone.
type rekeyed struct {
	idents *sorter[identRow]
	links  *sorter[linkRow]
	// keys holds, per earlier key that patients counted new are linked
	// to, its last visit and their first visits (count): records only
	// where identifiers are shared, so it stays small unless they are.
	keys *sorter[linkRow]
	opt  identifier.Options
	// notPatient is input.not_patient_identifiers: a listed e-mail or
	// phone (a placeholder on many charts, the clinic's own) is no
	// identifier here, as in the run (row).
	notPatient config.NotPatient
	vals       []string // reused per row
	cells      []string
	// recent holds, per slot, the last identRow added of an (identifier,
	// patient) pair hashing there (add): nil until the first row.
	recent *[1 << rekeyRecentBits]recentIdent
	// days counts per day of a first visit the patients counted new
	// ([0]) and those of them carrying an earlier key's identifier ([1]).
	days map[int32][2]int
}

func newRekeyed(buffer int, opt identifier.Options, notPatient config.NotPatient) *rekeyed {
	if buffer <= 0 {
		buffer = rekeyBuffer
	}
	return &rekeyed{idents: newSorter(identCodec, "", buffer), links: newSorter(linkCodec, "", buffer), keys: newSorter(keyCodec, "", buffer), opt: opt,
		notPatient: notPatient, days: map[int32][2]int{}}
}

func (r *rekeyed) close() {
	if r != nil {
		r.idents.close()
		r.links.close()
		r.keys.close()
	}
}

// fields are the identifiers compared, each with its column.
var rekeyFields = [...]struct {
	f   identifier.Field
	col export.Column
}{{identifier.Email, export.Email}, {identifier.Phone, export.Phone}}

// row files the e-mails and phones of one counted row of a patient,
// normalised as the upload normalises them (normalized), hashed under the
// run's seed. A value that does not normalise is no identifier here, nor
// one input.not_patient_identifiers lists (config.NotPatient.Listed, the
// run's own test): the clinic's placeholder address on every chart
// without one linked each new patient to the first chart that carried
// it, and the warning fired for patients all genuinely new (a review,
// 2026-12-07).
func (r *rekeyed) row(seed maphash.Seed, row export.Row, patient uint64, at int64, tie uint64) error {
	n := 0
	for _, fc := range rekeyFields {
		r.vals = r.vals[:0]
		r.cells = row.All(fc.col, r.cells[:0])
		for _, cell := range r.cells {
			if cell != "" {
				r.vals = identifier.Values(fc.f, cell, r.vals)
			}
		}
		for _, v := range r.vals {
			if r.notPatient.Listed(fc.f, v, r.opt) {
				continue
			}
			if n == maxRowIdents {
				return nil
			}
			norm, ok := normalized(fc.f, v, r.opt)
			if !ok {
				continue
			}
			var h maphash.Hash
			h.SetSeed(seed)
			h.WriteByte(byte(fc.f)) // an e-mail and a phone never meet
			h.WriteString(norm)
			if err := r.add(identRow{ident: h.Sum64(), at: at, tie: tie, patient: patient}); err != nil {
				return err
			}
			n++
		}
	}
	return nil
}

// rekeyRecentBits sizes add's cache: 4096 slots of 40 bytes.
const rekeyRecentBits = 12

type recentIdent struct {
	identRow
	ok bool
}

// add files v unless a record of the same identifier and patient, at or
// before v in identCmp's order, is already filed — a patient's rows
// carry the same e-mail and phone, and an export sorted by patient, or a
// patient back within days, repeats them. Leaving v out changes nothing
// link reads: the identifier's first carrier is the least of its
// records, and v is not less than the one filed (equal, it is the same
// carrier); any other patient is linked to it as before; and v's patient,
// linked or not, is linked by the one filed to the same time. The cache
// is a fixed array of slots, each holding the last pair that hashed
// there: a pair pushed out is filed again, never lost, and nothing grows
// with the patients. A record earlier than the one in its slot (rows out
// of order) is filed and takes the slot.
func (r *rekeyed) add(v identRow) error {
	if r.recent == nil {
		r.recent = new([1 << rekeyRecentBits]recentIdent)
	}
	c := &r.recent[(v.ident^v.patient*0x9e3779b97f4a7c15)>>(64-rekeyRecentBits)]
	if c.ok && c.ident == v.ident && c.patient == v.patient && identCmp(c.identRow, v) <= 0 {
		return nil
	}
	c.identRow, c.ok = v, true
	return r.idents.add(v)
}

// normalized is v as the first platform (platform.All's order) whose
// rules accept it normalises it for hashing (identifier.Normalize: the
// platforms' own rules, cited there) — read from the platforms, never
// one named: the same value always meets itself, as the upload would
// send it. Ok is false when none accepts it.
func normalized(f identifier.Field, v string, opt identifier.Options) (string, bool) {
	for _, p := range platform.All {
		if !p.Supports(f) || !p.Hashes(f) {
			continue
		}
		if n, err := identifier.Normalize(p, f, v, opt); err == nil && n != "" {
			return n, true
		}
	}
	return "", false
}

// first records a patient's first and last visits (creditNewPatients).
func (r *rekeyed) first(patient uint64, at, last int64) error {
	return r.links.add(linkRow{patient: patient, at: at, other: uint64(last), kind: linkFirst})
}

// link reads the identifiers by their first carrier: every other patient
// carrying one is linked to the time that carrier first did, and to the
// carrier, who is told it has been (linkCarrier: count files its last
// visit then).
func (r *rekeyed) link() error {
	var cur identRow
	have, carrier := false, false
	return r.idents.each(func(v identRow) error {
		if !have || v.ident != cur.ident {
			cur, have, carrier = v, true, false
			return nil
		}
		if v.patient == cur.patient {
			return nil
		}
		if !carrier {
			carrier = true
			if err := r.links.add(linkRow{patient: cur.patient, kind: linkCarrier}); err != nil {
				return err
			}
		}
		return r.links.add(linkRow{patient: v.patient, at: cur.at, other: cur.patient, kind: linkShared})
	})
}

// count fills days: per patient, its first visit against the earliest
// time another key carried one of its identifiers. For keys: each key
// that carried first an identifier others carry, its last visit (keyLast);
// each patient linked to a key before its first visit, that visit, under
// the key (keyOf). A patient linked twice to one key in a row is filed
// once; one filed twice changes nothing stayed reads.
func (r *rekeyed) count(dayOf func(int64) int32) error {
	var cur, other uint64
	have, first, shared, carried := false, false, false, false
	var firstAt, lastAt int64
	return r.links.each(func(v linkRow) error {
		if !have || v.patient != cur {
			cur, have, first, shared, carried = v.patient, true, false, false, false
		}
		switch v.kind {
		case linkFirst:
			first, firstAt, lastAt = true, v.at, int64(v.other)
			d := dayOf(v.at)
			c := r.days[d]
			c[0]++
			r.days[d] = c
		case linkCarrier:
			if first && !carried {
				carried = true
				return r.keys.add(linkRow{patient: cur, at: lastAt, kind: keyLast})
			}
		case linkShared:
			if !first || v.at >= firstAt {
				return nil
			}
			if !shared { // the earliest: sorted by time
				d := dayOf(firstAt)
				c := r.days[d]
				c[1]++
				r.days[d] = c
			} else if v.other == other {
				return nil
			}
			shared, other = true, v.other
			return r.keys.add(linkRow{patient: v.other, at: firstAt, kind: keyOf})
		}
		return nil
	})
}

// rekeyStayed: the warning needs fewer than this share of the earlier
// keys the flagged patients are linked to (stayed) to visit again on or
// after the switch day. A migration retires the old keys: in the review's
// clinic none of the 20 old charts had a row after 2026-09-01. A family
// does not: the mother whose phone a child's new chart carries keeps her
// own chart and keeps coming (a family-practice review, 2026-12-07: its
// families at half the new patients warned, and so did siblings at a
// fifth clustered in the last 20 days). A tenth, not none, so that the
// old system's last days exported twice, or an appointment entered late
// under an old chart, do not hide a migration.
const rekeyStayed = 0.1

// stayed reads keys after the switch day is found: of the earlier keys
// linked to a patient counted new within [max(day, from), to] (linked),
// how many have a visit on or after day.
func (r *rekeyed) stayed(dayOf func(int64) int32, day, from, to int32) (linked, stayed int, err error) {
	var cur uint64
	have, last, isLinked := false, false, false
	var lastDay int32
	done := func() {
		if have && isLinked {
			linked++
			if last && lastDay >= day {
				stayed++
			}
		}
	}
	lo := max(day, from)
	err = r.keys.each(func(v linkRow) error {
		if !have || v.patient != cur {
			done()
			cur, have, last, isLinked = v.patient, true, false, false
		}
		switch v.kind {
		case keyLast:
			last, lastDay = true, dayOf(v.at)
		case keyOf:
			if d := dayOf(v.at); d >= lo && d <= to {
				isLinked = true
			}
		}
		return nil
	})
	done()
	return linked, stayed, err
}

// rekeyedFrom finds the day from which the patients counted new that
// carry an earlier key's identifier (flagged) outnumber those that do not:
// the suffix of the export's days where flagged − new/2 sums highest (the
// earliest of equals) — a family's shared phone in March adds one, and the
// genuinely new patients after it take more away than it gave, so the
// switch day wins over it. ok is false when no suffix has more flagged
// than not, or when, from that day within [from, to], fewer than rekeyMin
// are flagged or fewer than rekeyShare of the window's new patients.
// flagged and fresh are those counts.
func rekeyedFrom(days map[int32][2]int, from, to int32) (day int32, flagged, fresh int, ok bool) {
	ds := slices.Sorted(maps.Keys(days))
	best, score := 0.0, 0.0
	for i := len(ds) - 1; i >= 0; i-- {
		c := days[ds[i]]
		score += float64(c[1]) - float64(c[0])/2
		if c[1] > 0 && score >= best && score > 0 {
			best, day = score, ds[i]
		}
	}
	if best <= 0 {
		return 0, 0, 0, false
	}
	for _, d := range ds {
		if d < from || d > to {
			continue
		}
		c := days[d]
		fresh += c[0]
		if d >= day {
			flagged += c[1]
		}
	}
	ok = flagged >= rekeyMin && float64(flagged) >= rekeyShare*float64(fresh)
	return day, flagged, fresh, ok
}

// warnRekeyed reads the links and warns (rekeyedFrom). Released, it names
// the kind and the day, never a count: "Stderr names kinds, not counts";
// --exact adds how many.
func (t *tally) warnRekeyed(from, to int32) error {
	r := t.rekey
	if r == nil {
		return nil
	}
	loc := t.location()
	if err := r.link(); err != nil {
		return err
	}
	dayOf := func(at int64) int32 { return dayNumber(time.Unix(at, 0).In(loc)) }
	if err := r.count(dayOf); err != nil {
		return err
	}
	day, flagged, fresh, ok := rekeyedFrom(r.days, from, to)
	if !ok {
		return nil
	}
	linked, stayed, err := r.stayed(dayOf, day, from, to)
	if err != nil {
		return err
	}
	if float64(stayed) >= rekeyStayed*float64(linked) {
		return nil // the earlier keys keep coming: a family's, not a migration's
	}
	t.keysChanged, t.keysChangedFrom = true, day
	d := dayTime(day).Format(time.DateOnly)
	who := "many patients counted new"
	if t.rel == nil {
		who = fmt.Sprintf("%d of the window's %d patients counted new", flagged, fresh)
	}
	t.warnings = append(t.warnings, fmt.Sprintf(
		"from %s on, %s carry an e-mail or phone that an earlier row carried under another patient key: the patient keys look changed (new practice-management software?), so returning patients count as new — new_patients is too high and cac too low from that day; map input.columns.patient_key to a key both systems kept, or read new patients only up to the day before (--to %s)",
		d, who, dayTime(day-1).Format(time.DateOnly)))
	return nil
}
