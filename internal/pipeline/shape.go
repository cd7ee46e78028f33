package pipeline

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
)

// usable: a conversion needs an identifier, or a click id on a platform
// that takes them (Spec.ClickIDs).
func usable(c *conversion.Conversion) bool {
	return len(c.Identifiers) > 0 ||
		len(c.Platform.Spec().ClickIDs) > 0 && c.HasClickID()
}

// identifiers prepares every configured identifier of the row for every
// platform still in play, counting each value that is dropped. It applies
// each platform's Spec: the identifier cap, and groups of fields that are
// sent all together or not at all.
func (r *runner) identifiers(row export.Row, sum *tally) {
	for i := range r.platforms {
		r.ungrouped[i], r.groupSeen[i], r.groupBad[i] = 0, 0, 0
	}
	for _, fc := range r.idFields {
		f, col := fc.field, fc.col
		if !r.wantedAnywhere(f) {
			continue
		}
		// Header by header, so that a dropped value names the column it
		// was read from (valCol).
		r.vals, r.valCol = r.vals[:0], r.valCol[:0]
		for k := range fc.headers {
			if cell := row.Nth(col, k); cell != "" {
				r.vals = r.idValues(row, f, cell, r.vals, sum)
				for len(r.valCol) < len(r.vals) {
					r.valCol = append(r.valCol, k)
				}
			}
		}
		if f == identifier.ExternalID {
			for i, v := range r.vals {
				r.vals[i] = externalID(r.ids, v)
			}
		}
		if len(r.vals) == 0 {
			for i, p := range r.platforms {
				if g := r.group[p][f]; g >= 0 && r.groupsInUse[i]&(1<<g) != 0 {
					r.groupBad[i] |= 1 << g
				}
			}
		}
		for n, v := range r.vals {
			header := fc.headers[r.valCol[n]]
			identifier.PrepareEach(&r.hasher, r.platforms, f, v, r.opt, r.results)
			for i, p := range r.platforms {
				if r.skip[i] != "" || !r.wants(p, f) {
					continue
				}
				g := r.group[p][f]
				res := r.results[i]
				if res.Err == nil && !res.Sent.IsHashed() {
					res.Err = r.plainGrammar(row, p, res.Sent)
				}
				if res.Err != nil {
					// errors.AsType, not errors.As(res.Err, &rej): As takes
					// the address of a variable of this frame as an any, and
					// whether that stays on the stack is As's escape summary,
					// which a PGO profile changed (rej moved to the heap, an
					// allocation a dropped value: docs/performance.md). AsType
					// returns the error by value and takes no address of ours.
					reason := "rejected"
					if rej, ok := errors.AsType[*identifier.Rejection](res.Err); ok {
						reason = rej.Reason
					}
					sum.drop(i, r.dropKeys.key(p.String(), f.String(), reason, header))
					if g >= 0 {
						r.groupBad[i] |= 1 << g
					}
					continue
				}
				c := &r.convs[i]
				if g >= 0 {
					r.groupSeen[i] |= 1 << g
				} else if r.limit[i] > 0 && r.ungrouped[i] >= r.limit[i] {
					sum.drop(i, r.dropKeys.key(p.String(), f.String(), "over_identifier_limit", header))
					continue
				}
				if slices.Contains(c.Identifiers, res.Sent) {
					continue // the same number in two columns, or twice in one cell
				}
				c.Identifiers = append(c.Identifiers, res.Sent)
				if g < 0 {
					r.ungrouped[i]++
				}
			}
		}
	}
	for i, p := range r.platforms {
		spoilt := r.groupSeen[i] & r.groupBad[i]
		if spoilt == 0 || r.skip[i] != "" {
			continue
		}
		// A group (Google's AddressInfo: given name, family name, region
		// and postal code) is sent whole or not at all: never an invalid
		// one.
		c := &r.convs[i]
		kept := c.Identifiers[:0]
		for _, s := range c.Identifiers {
			if g := r.group[p][s.Field()]; g < 0 || spoilt&(1<<g) == 0 {
				kept = append(kept, s)
			}
		}
		c.Identifiers = kept
		for g, grp := range r.specs[i].Groups {
			if spoilt&(1<<g) != 0 {
				sum.drop(i, r.dropKeys.key(p.String(), grp.Name, grp.Incomplete, "")) // a group spans several columns
			}
		}
	}
}

// idField is an identifier field, the export column it is read from, and
// that column's configured header names (Spec's, in export.Row.Nth's
// order), which a dropped value is counted with.
type idField struct {
	field   identifier.Field
	col     export.Column
	headers []string
}

// wants reads the table built once in newRunner: this runs for every field
// of every row, where a map lookup showed in profiles.
func (r *runner) wants(p identifier.Platform, f identifier.Field) bool {
	return r.want[p][f]
}

func (r *runner) wantedAnywhere(f identifier.Field) bool {
	for i, p := range r.platforms {
		if r.skip[i] == "" && r.wants(p, f) {
			return true
		}
	}
	return false
}

// externalID is what Meta's external_id is made from: a keyed id of the
// patient key, never the chart number itself. Chart numbers are short and
// sequential, so their plain SHA-256 could be reversed by anyone who tries
// them all; keyed with the secret (as event ids are), the value Meta hashes
// reveals nothing, and is still the same for every visit of the patient,
// which is all Meta needs to match them. The "hgp-" prefix keeps it from
// looking like an MD5 digest (which identifier refuses).
func externalID(ids *eventid.Deriver, patientKey string) string {
	id, _ := ids.Derive("external-id\x00" + strings.TrimSpace(patientKey))
	return "hgp-" + string(id)
}

// shape builds the row's conversion for every platform still open: value,
// click ids and identifiers, each platform's as its Spec says. A platform
// left with nothing it can match on is skipped with the reason.
//
// visit and booking say which of the row's two conversions are still
// open (the booking only with conversion.bookings): identifiers are
// prepared for every platform either needs, once.
func (r *runner) shape(row export.Row, id, legacyID eventid.ID, at time.Time, o *outcome, visit, booking bool) {
	sum := &o.t
	var value float64
	var hasValue bool
	var cur string
	if visit {
		value, hasValue, cur = r.value(row, sum)
	} else {
		for i := range r.skip {
			if r.skip[i] == "" {
				r.skip[i] = o.reason
			}
		}
	}
	if booking {
		copy(r.vskip, r.skip)
		for i := range r.skip {
			if r.bskip[i] == "" {
				r.skip[i] = ""
			}
		}
	}
	for i, p := range r.platforms {
		c := &r.convs[i]
		*c = conversion.Conversion{
			Platform: p, EventID: id, LegacyID: legacyID, Line: row.Line, Time: at, Name: r.eventName,
			Value: value, HasValue: hasValue, Currency: cur,
			Identifiers: c.Identifiers[:0],
		}
		r.clickIDs(row, p, r.clickSlots[i], c, sum)
		if f := r.specs[i].Formatted; f != nil && r.skip[i] == "" && r.formattedCols[i].ok {
			c.Formatted = r.formatted(row, i, p, f, at, sum)
		}
	}
	r.identifiers(row, sum)
	if booking {
		copy(r.skip, r.vskip)
	}
	r.out = r.out[:0]
	for i := range r.convs {
		switch {
		case r.skip[i] != "":
		case r.convs[i].Weak():
			r.skip[i] = ReasonWeakIdentifiers // Meta refuses the event: M18
		case usable(&r.convs[i]):
			r.out = append(r.out, &r.convs[i])
		case len(r.fields[r.platforms[i]]) == 0 && len(r.specs[i].ClickIDs) > 0:
			r.skip[i] = ReasonNoClickID // told click ids only, and the row has none
		default:
			r.skip[i] = ReasonNoIdentifier
		}
	}
	if visit && len(r.out) == 0 {
		o.reason, o.late = r.decided(), true
	}
	if booking {
		r.bookingConversions(o)
	}
	if len(r.out) > 0 {
		o.convs = r.out
		r.recordKeys()
	}
}

// recordKeys gives the row's conversions their record keys, when the run
// wants them: one keyed hash for the visit's event id and one for the
// booking's, whatever the platforms (a visit's conversions share an id).
func (r *runner) recordKeys() {
	if r.recordKey == nil {
		return
	}
	var visit, booking uint64
	for _, c := range r.out {
		k := &visit
		if c.Booking {
			k = &booking
		}
		if *k == 0 {
			*k = r.recordKey(string(c.EventID))
		}
		c.RecordKey = *k
	}
}
