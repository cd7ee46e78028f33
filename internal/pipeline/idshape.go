package pipeline

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/report"
)

// An order id's leading zeros, night to night.
//
// Clinic systems often number appointments and charts with a fixed width
// (00012345). A spreadsheet that opens the export and saves it again
// reads such a column as numbers and writes 12345: every event id changes
// (eventid hashes the order id as written), and each visit already sent
// would be sent again as a new conversion. The ledger's safety net (ledger
// Net) catches that only from 20 conversions dated before what was
// delivered; a small clinic's nightly export holds fewer, and a re-saved
// export counted them twice with exit 0. Nothing in one export tells a
// trimmed 12345 from a system that never padded; the shape of the column
// the night before does. So an upload keeps, in the ledger, the shape of
// each all-digit part of its order ids (how many, how many led by a zero,
// their shortest and longest), and the next upload stops before sending
// when the zeros went (or came: the night before was the re-saved one).
// Only counts and lengths are kept, never an id.

// idShapeParts is how many parts of a composite order id are noted.
const idShapeParts = 4

// PartShape is the shape of one part of the order ids of an export: of
// the values that are all ASCII digits, how many, how many begin with a
// zero (and have another digit after it), and their shortest and longest
// length.
type PartShape struct {
	Digits, ZeroLed int
	MinLen, MaxLen  int
}

// IDShape is the shape of an export's order ids, part by part (a
// composite id's parts that are appointment dates or times are left out:
// they enter event ids as the time read, whatever their spelling). Its
// text form is what the ledger keeps.
type IDShape struct {
	Parts [idShapeParts]PartShape
	// Zone is the zone a composite order id's appointment time was written
	// in (timezone, or keyZoneNone without one; "" when the ids held no
	// time): a time stated with its own offset ("…Z") is written in it, so
	// a changed zone changes every such event id (keyZoneErr).
	Zone string
	// Keys is the shape of the patient keys (keyshape.go), kept under a
	// key of its own as Zone is.
	Keys KeyShape
	// Long counts each part's long values and those a spreadsheet
	// rounded, KeyLong the patient keys' (roundshape.go), each kept
	// under a key of its own.
	Long    [idShapeParts]LongShape
	KeyLong LongShape
	// KeysUnwrapped counts the patient keys that departed from the kept
	// shape only as the text of an Excel text formula, which a hashgate
	// before c55587c kept as the formula (keyShapeGate.knownLiteral): a
	// night most of whose keys are such teaches their spelling as
	// --accept-new-ids does (UnwrappedKeys), else every later night would
	// judge them again. Never kept in the ledger.
	KeysUnwrapped int
}

// UnwrappedKeys reports whether most of the run's patient keys departed
// from the kept shape only by the wrapper an older hashgate read
// (KeysUnwrapped): the kept shape takes tonight's as accepted.
func (s IDShape) UnwrappedKeys() bool { return 2*s.KeysUnwrapped > s.Keys.Total() }

// keyZoneNone is IDShape.Zone for a run without a timezone.
const keyZoneNone = "none"

// keyZone is the zone a run writes composite ids' times in, as IDShape.Zone
// names it.
func keyZone(cfg *config.Config) string {
	if cfg.Timezone == "" {
		return keyZoneNone
	}
	return cfg.Timezone
}

// A part's noted shape (outcome.ids) is one byte: its length, 1 to
// shapeLen, and shapeZero when a zero leads it; 0 when it is not all
// digits.
const (
	shapeZero = 0x80
	shapeLen  = 0x7f
)

// evidence is how many all-digit values a part needs before its shape
// says anything: one id that happens to begin with 0, or two of one
// length, prove no numbering.
const evidence = 3

// Kept is the shape the ledger keeps after a run that read s over prior:
// each part of s that has the evidence replaces the prior's, and a part
// with fewer values (a night of one or two visits, an empty one) keeps
// the prior's — else one small night would end the check. accepted (the
// person ran --accept-new-ids) takes every part s has values for.
func (s IDShape) Kept(prior *IDShape, accepted bool) IDShape {
	if prior == nil {
		return s
	}
	out := *prior
	for i, p := range s.Parts {
		if p.Digits >= evidence || accepted && p.Digits > 0 {
			out.Parts[i] = p
		}
		out.Long[i] = s.Long[i].Kept(prior.Long[i], accepted)
	}
	if s.Zone != "" {
		out.Zone = s.Zone
	}
	return out
}

// observe adds one row's noted parts (outcome.ids).
func (s *IDShape) observe(ids *[idShapeParts]uint8) {
	for i, b := range ids {
		if b == 0 {
			continue
		}
		n := int(b & shapeLen)
		p := &s.Parts[i]
		if p.Digits == 0 || n < p.MinLen {
			p.MinLen = n
		}
		p.MaxLen = max(p.MaxLen, n)
		p.Digits++
		if b&shapeZero != 0 {
			p.ZeroLed++
		}
	}
}

// fixedWidth is the width of a part whose all-digit values were all of one
// length, some of them led by zeros: a padded numbering.
func (p PartShape) fixedWidth() int {
	if p.Digits >= evidence && p.ZeroLed > 0 && p.MinLen == p.MaxLen {
		return p.MinLen
	}
	return 0
}

// MarshalText is the ledger's form: per part "digits,zeroled,min,max",
// parts joined by ";". The zone is not in it: the ledger keeps it under a
// key of its own, so that an older hashgate still reads the shape.
func (s IDShape) MarshalText() ([]byte, error) {
	var b []byte
	for i, p := range s.Parts {
		if i > 0 {
			b = append(b, ';')
		}
		b = fmt.Appendf(b, "%d,%d,%d,%d", p.Digits, p.ZeroLed, p.MinLen, p.MaxLen)
	}
	return b, nil
}

// UnmarshalText reads MarshalText's form, and the form some ledgers of
// 2026-12-06 hold, with ";zone=" and the zone after the parts.
func (s *IDShape) UnmarshalText(b []byte) error {
	*s = IDShape{}
	parts := strings.Split(string(b), ";")
	if n := len(parts); n == idShapeParts+1 {
		zone, ok := strings.CutPrefix(parts[n-1], "zone=")
		if !ok || zone == "" {
			return fmt.Errorf("order id shape: a last field that is no zone")
		}
		s.Zone, parts = zone, parts[:n-1]
	}
	if len(parts) != idShapeParts {
		return fmt.Errorf("order id shape: %d parts, want %d", len(parts), idShapeParts)
	}
	for i, part := range parts {
		f := strings.Split(part, ",")
		if len(f) != 4 {
			return fmt.Errorf("order id shape: part %d has %d fields, want 4", i+1, len(f))
		}
		var v [4]int
		for j := range f {
			n, err := strconv.Atoi(f[j])
			if err != nil || n < 0 {
				return fmt.Errorf("order id shape: part %d: not a count", i+1)
			}
			v[j] = n
		}
		s.Parts[i] = PartShape{Digits: v[0], ZeroLed: v[1], MinLen: v[2], MaxLen: v[3]}
	}
	return nil
}

// notesIDs: the run compares or reports the shape of its order ids (an
// upload); rows are noted only then, so a dry-run pays nothing for it.
func (o Options) notesIDs() bool { return o.PriorIDs != nil || o.SeenIDs != nil }

// noteIDShape notes in o the shape of each all-digit part of the order id
// as written (legacy: parts joined by U+001F): its length, and bit 7 when
// a zero leads it. A part that is an appointment time is not noted.
func (r *runner) noteIDShape(row export.Row, legacy string, o *outcome) {
	for n := 0; n < idShapeParts && legacy != ""; n++ {
		part := legacy
		if i := strings.IndexByte(legacy, 0x1f); i >= 0 {
			part, legacy = legacy[:i], legacy[i+1:]
		} else {
			legacy = ""
		}
		if r.composite && row.KeyPartTimed(export.OrderID, n) {
			continue
		}
		b := digitShape(part)
		o.ids[n] = b
		if b >= 16 && b&shapeZero == 0 { // a long id: rare, and only then read again
			o.idRound[n] = roundedZeros(part)
		}
	}
}

// digitShape is a value's noted shape: 0 unless every byte is an ASCII
// digit; else its length (at most shapeLen) with shapeZero when it begins
// with a zero followed by another digit.
func digitShape(v string) uint8 {
	if v == "" || len(v) > shapeLen {
		return 0
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0
		}
	}
	b := uint8(len(v))
	if v[0] == '0' && len(v) > 1 {
		b |= shapeZero
	}
	return b
}

// idShapeGate holds the shape of the last upload's order ids and notes,
// row by row, where tonight's first differ from it.
type idShapeGate struct {
	prior *IDShape
	name  string
	cols  []string // input.columns.order_id
	zone  string   // this run's timezone, keyZoneNone without one (keyZone)
	// moved: an id of this export differs from its spelling in the last
	// upload's zone; movedAt is where the first is.
	moved   bool
	movedAt [2]int
	seen    IDShape
	// short is, per part, the first row with an all-digit value shorter
	// than the prior's padded width; zero the first led by a zero (line,
	// column).
	short, zero [idShapeParts][2]int
	// rounded and full are, per part, the first row whose long value
	// bears the signature of a spreadsheet's rounding, and the first
	// whose does not (roundshape.go).
	rounded, full [idShapeParts][2]int
	keys          keyShapeGate // the patient keys' (keyshape.go)
	rounds        roundGate    // long ids a spreadsheet rounded (rounded.go)
}

// observe adds a row to the shape seen, noting where it first differs.
func (g *idShapeGate) observe(row export.Row, o *outcome) {
	g.seen.observe(&o.ids)
	for i, b := range o.ids {
		if b < 16 || b&shapeZero != 0 {
			continue
		}
		g.seen.Long[i].add(o.idRound[i])
		at := &g.full[i]
		if o.idRound[i] > 0 {
			at = &g.rounded[i]
		}
		if at[0] == 0 {
			line, col := row.Position(export.OrderID)
			*at = [2]int{line, col}
		}
	}
	if o.reason != ReasonOtherClinic {
		// Another branch's keys (input.other_clinic_rows: exclude) are not
		// this clinic's numbering: counted, they would dilute a renumbering
		// of its own below half of the export (a review of the day's fix).
		if g.keys.observe(row, &g.seen.Keys, &g.seen.KeyLong) {
			g.seen.KeysUnwrapped++
		}
	}
	if o.keyTimed {
		g.seen.Zone = g.zone
		if o.keyMoved && !g.moved {
			g.moved = true
			line, col := row.Position(export.OrderID)
			g.movedAt = [2]int{line, col}
		}
	}
	if g.prior != nil {
		line, col := row.Position(export.OrderID)
		g.mark(&o.ids, line, col)
	}
}

// mark notes a row's parts that are the first to differ from the prior's:
// shorter than its padded width, or led by a zero.
func (g *idShapeGate) mark(ids *[idShapeParts]uint8, line, col int) {
	for i, b := range ids {
		if b == 0 {
			continue
		}
		if w := g.prior.Parts[i].fixedWidth(); w > 0 && int(b&shapeLen) < w && g.short[i][0] == 0 {
			g.short[i] = [2]int{line, col}
		}
		if b&shapeZero != 0 && g.zero[i][0] == 0 {
			g.zero[i] = [2]int{line, col}
		}
	}
}

// err stops the run when the order ids' times moved with the zone
// (keyZoneErr), the patient keys changed shape (keyShapeErr) or the order
// ids lost (or gained) the leading zeros of the last upload's (zerosErr):
// before anything is sent, naming where.
func (g *idShapeGate) err() error {
	return cmp.Or(g.keyZoneErr(), g.keyShapeErr(), g.zerosErr())
}

// keyShapeErr is the patient keys' half of err (keyshape.go).
func (g *idShapeGate) keyShapeErr() error { return g.keys.err(g.name, &g.seen.Keys) }

// passable is the run's verdict on the stops --accept-new-ids passes
// (Options.Accepted): the first stops the run; with Accepted each that
// would have is told there by name, and the run goes on. Every verdict
// is judged, so that the night can say all it passed.
func (s *settler) passable() error {
	if err := s.ids.rounds.err(s.ids.name, s.ids.cols); err != nil {
		return err // visits merged: no --accept-new-ids passes it
	}
	verdicts := []struct {
		stop string
		err  error
	}{
		{report.StopOrderIDTimezone, s.ids.keyZoneErr()},
		// Ids rounded apart are said as ids before as patient keys, when
		// a chart number is both.
		{report.StopOrderIDRounded, s.ids.roundedErr()},
		{report.StopPatientKeyShape, cmp.Or(s.ids.keyShapeErr(), s.ids.keyRoundedErr())},
		{report.StopOrderIDLeadingZeros, s.ids.zerosErr()},
		{report.StopConsentWords, s.consent.err()},
		{report.StopStatusWords, s.consent.statusErr()},
	}
	for _, v := range verdicts {
		switch {
		case v.err == nil:
		case s.accept == nil:
			return v.err
		default:
			s.accept(v.stop)
		}
	}
	return nil
}

// zerosErr is the leading-zeros half of err.
func (g *idShapeGate) zerosErr() error {
	if g.prior == nil {
		return nil
	}
	const why = "every event id would change, and visits already sent would be counted again. "
	const accept = "If the ids really changed (a new numbering), run `hashgate upload --accept-new-ids` once: " +
		"it also passes the safety net against changed ids for that run; nothing was sent"
	for i := range idShapeParts {
		was, now := g.prior.Parts[i], g.seen.Parts[i]
		if w := was.fixedWidth(); w > 0 && now.Digits > 0 && now.ZeroLed == 0 && now.MinLen < w {
			return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
				"%s: the order ids in %s lost their leading zeros: the last upload's were all %d digits, some starting with 0; "+
					"this export's are %s and none starts with 0 — a spreadsheet drops the zeros when it opens the column as numbers and saves the file. "+
					"Uploaded so, "+why+
					"Export the file again from the clinic system and upload it without opening it in a spreadsheet (or import that column as Text). "+accept,
				g.at(i, g.short[i]), g.column(i), w, span(now))}
		}
		if w := was.fixedWidth(); w > 0 && now.ZeroLed > 0 && now.MinLen < w && g.short[i][0] != 0 {
			// Some rows trimmed among padded ones (rows pasted in from a
			// copy a spreadsheet re-saved, cells retyped): no numbering
			// that padded every id to w writes a few without the zeros,
			// and each such id is another event id, its visit sent again
			// — exit 0, too few for the safety net. Kept, tonight's mixed
			// shape had no width, and the check was off for good.
			return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
				"%s: some order ids in %s lost their leading zeros: the last upload's were all %d digits, some starting with 0, and most of this export's still are, but some are %d digits or fewer — "+
					"rows that went through a spreadsheet, which drops the zeros when it reads the column as numbers. Uploaded so, each such visit gets another event id and "+
					"a visit already sent would be counted again. Export the file again from the clinic system, or put the zeros back in those rows. "+accept,
				g.at(i, g.short[i]), g.column(i), w, w-1)}
		}
		if w := now.fixedWidth(); w > 0 && was.Digits >= evidence && was.ZeroLed == 0 && was.MaxLen < w {
			return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
				"%s: the order ids in %s gained leading zeros: this export's are all %d digits, some starting with 0; "+
					"the last upload's were %s and none started with 0 — that file had probably been opened and saved in a spreadsheet, which drops the zeros, "+
					"and its visits were sent under the ids without them. Uploaded so, "+why+
					"Prepare this file as the last one was, so that its ids match those sent; once the visits sent without the zeros are no longer in the export, "+
					"run `hashgate upload --accept-new-ids` once to go on with the zeros (it also passes the safety net against changed ids for that run); nothing was sent",
				g.at(i, g.zero[i]), g.column(i), w, span(was))}
		}
	}
	return nil
}

// at is where an error about part i points: file:line:column of the
// first row noted. A detached row knows the position of its order id's
// first part only, so for a later part the column is left out.
func (g *idShapeGate) at(i int, pos [2]int) string {
	if i > 0 {
		return fmt.Sprintf("%s:%d", g.name, pos[0])
	}
	return fmt.Sprintf("%s:%d:%d", g.name, pos[0], pos[1])
}

// column names the order id column of part i.
func (g *idShapeGate) column(i int) string {
	if i < len(g.cols) {
		return "column " + strconv.Quote(g.cols[i])
	}
	return "part " + strconv.Itoa(i+1)
}

// span says the lengths of a part's all-digit values.
func span(p PartShape) string {
	if p.MinLen == p.MaxLen {
		return fmt.Sprintf("%d digits", p.MinLen)
	}
	return fmt.Sprintf("%d to %d digits", p.MinLen, p.MaxLen)
}

// keyZoneErr stops the run when a composite order id's appointment time,
// spelled in tonight's zone, differs from its spelling in the zone the
// last upload wrote such ids in (a DST review: an export of "…Z" times
// uploaded without a timezone, then with one, as config init asks, sent
// every visit again, exit 0). Each row is read again in the last upload's
// zone (runner.keyMoved): a time without an offset reads to the same wall
// time and id in any zone, and zones that spell alike (UTC and Etc/UTC,
// Asia/Taipei and ROC) stop nothing.
func (g *idShapeGate) keyZoneErr() error {
	if !g.moved { // set only when the run compares (g.prior)
		return nil
	}
	was, now := g.prior.Zone, g.seen.Zone
	name := func(z string) string {
		if z == keyZoneNone {
			return "no timezone (each time in its own offset)"
		}
		return "timezone " + z
	}
	back := "set timezone back to " + was
	if was == keyZoneNone {
		// Removing it is no way back: such an order id needs a zone now
		// (config's validateKeyZone). The zone-less ids spelled each
		// cell's own offset; a zone that has that offset at each visit
		// spells them again.
		back = "set timezone to a zone whose offsets are the ones the export states (UTC, if its times end in Z: the clinic's days in the channel report are then UTC's)"
	}
	return &config.Error{Key: "timezone", Problem: fmt.Sprintf(
		"%s:%d:%d: the order ids (input.columns.order_id) include the appointment time, which hashgate writes in the clinic's zone (or, without one, in the offset the time states): "+
			"the last upload wrote it under %s, this one under %s, and the ids differ, so visits already sent would be counted again. "+
			"To go on with the old ids, %s; if the change is meant (the visits sent before are no longer in the export), run `hashgate upload --accept-new-ids` once; nothing was sent",
		g.name, g.movedAt[0], g.movedAt[1], name(was), name(now), back)}
}

// zoneRead reads a row's appointment time in another zone than the run's.
type zoneRead struct {
	times *eventtime.Parser
	loc   *time.Location
}

// priorKeyZone is the zone the last upload wrote composite ids' times in,
// when the run compares with it (Options.PriorIDs) and it is another
// than tonight's by name; nil otherwise.
func priorKeyZone(opt Options) *zoneRead {
	now := keyZone(opt.Config)
	if opt.PriorIDs == nil || opt.PriorIDs.Zone == "" || opt.PriorIDs.Zone == now {
		return nil
	}
	var loc *time.Location
	if z := opt.PriorIDs.Zone; z != keyZoneNone {
		l, err := time.LoadLocation(z)
		if err != nil {
			return nil // a zone this machine does not know: nothing to compare
		}
		loc = l
	}
	to := runTimeOptions(opt.Config, opt.Now)
	to.Location = loc
	return &zoneRead{times: eventtime.NewParser(to), loc: loc}
}

// keyMoved reports whether the row's order id, its time read again in the
// last upload's zone, differs from key: the id that upload made of it. A
// local time the last upload could not have read (it had no zone, so
// every time it read stated its offset, and its ids spelled that offset's
// wall time) moved too: the same visits, written "…Z" one night and as
// New York's local time the next, spelled other ids (a review).
func (r *runner) keyMoved(row export.Row, key string) bool {
	times, loc := r.times, r.loc
	r.times, r.loc = r.priorZone.times, r.priorZone.loc
	k, ok := r.orderKey(row)
	r.times, r.loc = times, loc
	if ok && r.priorZone.loc == nil && errors.Is(k.atErr, eventtime.ErrNoZone) {
		return true
	}
	return ok && k.atErr == nil && k.key != key
}
