// Package diagnostics explains match rates without a person in them: per
// run and destination, how many of the events a platform ingested carried
// each kind of identifier (identifier coverage), as counts and shares with
// small cells suppressed.
//
// "Why did only 3% match?" is most often answered here: Google can match
// an offline conversion only through a click id or enhanced-conversions
// user data, and Meta only through the match keys an event carries. A
// clinic whose export holds phone numbers for 95% of visits but e-mail for
// 2% learns it from these figures, not from a list of patients.
//
// # Small cells
//
// A count below MinCell (channels.min_cell, default 5: the rule of
// `hashgate channels`) is
// printed as "<5" and its share is withheld (JSON: null, and the kind is
// listed under "suppressed"). So is a count that falls short of the total
// by fewer than MinCell events — "1,196 of 1,200 have an e-mail" would
// reveal that four do not — which prints as ">1195". Zero is printed: it
// describes no one. The total of a destination below MinCell suppresses
// every figure of it.
//
// Across reports the counts by kind follow the channel report's release
// rule (package channels, release.go) when a Perturber is set: each is
// perturbed by −1, 0 or +1, drawn from its cell key — the sum of its
// events' record keys under the installation's key — so the same events
// always print the same figure and runs compared with each other give
// back no exact small count. The total is the events ingested, which the
// summary prints exact beside it.
package diagnostics

import (
	"fmt"
	"sync"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
)

// MinCell is the smallest count printed as it is.
const MinCell = 5

// Kinds of identifier coverage counts, in print order.
const (
	KindEmail   = "email"
	KindPhone   = "phone"
	KindClickID = "click_id"
	KindAddress = "address"
)

// Kinds lists the kinds in print order.
var Kinds = kindOrder[:]

// tally counts one platform's ingested events by identifier kind, each
// kind at its place in Kinds: arrays, not maps, as count runs once per
// event an upload sends (profiled by make bench-upload, the maps and the
// slice of kinds made per event were a third of its cost).
type tally struct {
	events int
	kinds  [len(kindOrder)]int
	// kindKeys sums the record keys of each kind's events: the cell keys
	// of the release rule (the events' own count is printed exact).
	kindKeys [len(kindOrder)]uint64
}

// kindOrder is Kinds as an array; the positions of the kinds in it.
var kindOrder = [...]string{KindEmail, KindPhone, KindClickID, KindAddress}

const (
	kindEmail = iota
	kindPhone
	kindClickID
	kindAddress
)

// Perturber is the release rule (channels.Releaser).
type Perturber interface {
	RecordKey(id string) uint64
	Count(n int, cellKey uint64) int
}

// Coverage counts, per platform, the identifiers of every event a
// platform took. The upload path feeds it from the sender's observer
// (run's coverage observer); it knows no destination itself, so the
// layers that print its figures (report, and through it the pipeline)
// stay clear of the destination packages. Safe for concurrent use.
type Coverage struct {
	// MinCell is the smallest count printed as it is (channels.min_cell);
	// 0 means MinCell.
	MinCell int
	// Release perturbs the counts as the channel report's are; nil prints
	// them exact (suppressed only).
	Release Perturber

	mu sync.Mutex
	by map[identifier.Platform]*tally
}

// Count adds a batch the platform ingested (run.coverageObserver: never a
// test run's validated one).
func (c *Coverage) Count(p identifier.Platform, batch []*conversion.Conversion) { c.count(p, batch) }

func (c *Coverage) count(p identifier.Platform, batch []*conversion.Conversion) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[identifier.Platform]*tally{}
	}
	t := c.by[p]
	if t == nil {
		t = &tally{}
		c.by[p] = t
	}
	for _, cv := range batch {
		t.events++
		var rk uint64
		if c.Release != nil {
			// Made on the pipeline's workers, once for a visit's
			// conversions to every platform (pipeline.Options.RecordKeyer);
			// made here, under the release rule's lock, for a conversion the
			// pipeline did not key or whose id changed after (the dual
			// lookup's legacy id).
			if rk = cv.RecordKey; rk == 0 {
				rk = c.Release.RecordKey(string(cv.EventID))
			}
		}
		has := kindsOf(cv)
		for k, ok := range has {
			if ok {
				t.kinds[k]++
				t.kindKeys[k] += rk
			}
		}
	}
}

// kindsOf says which kinds of identifier a conversion carries, by their
// place in Kinds; click_id is any platform's (gclid, gbraid, wbraid, fbc). The address kind is any of the name and address fields
// (Google sends them as one AddressInfo; Meta as separate match keys).
func kindsOf(cv *conversion.Conversion) (has [len(kindOrder)]bool) {
	for _, s := range cv.Identifiers {
		switch s.Field() {
		case identifier.Email:
			has[kindEmail] = true
		case identifier.Phone:
			has[kindPhone] = true
		case identifier.FirstName, identifier.LastName, identifier.PostalCode, identifier.City, identifier.State:
			has[kindAddress] = true
		}
	}
	// Meta's click id travels formatted, as fbc (conversion.Formatted):
	// counting Google's fields only printed "click_id 0 (0%)" for Meta
	// while its events carried fbc (a privacy officer's review).
	has[kindClickID] = cv.HasClickID() || cv.Formatted != ""
	return has
}

// Figures returns platform p's coverage, suppressed for print; nil when
// no event of p was ingested.
func (c *Coverage) Figures(p identifier.Platform) *Figures {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.by[p]
	if t == nil || t.events == 0 {
		return nil
	}
	m := c.MinCell
	if m <= 0 {
		m = MinCell
	}
	kinds := map[string]int{}
	if c.Release == nil {
		for k, n := range t.kinds {
			if n > 0 {
				kinds[kindOrder[k]] = n
			}
		}
		return NewFigures(t.events, kinds, m)
	}
	// The whole is exact: every summary and status line prints the
	// events ingested beside these figures, so a perturbed whole hid
	// nothing and, with a part capped at it, printed a kind above the
	// ingested count ("30 ingested … email 31 (100%)", a review). A part
	// is perturbed, and never above the whole.
	//
	// Nor is a part that some event carried ever 0: NewFigures prints a 0
	// as the exact zero it is, and a perturbed 1 came out "click_id 0" on
	// the one event that carried it (a review of bookings over nights). At
	// least 1, it prints withheld ("<5") as a small count does.
	for k, n := range t.kinds {
		if n > 0 {
			kinds[kindOrder[k]] = max(min(c.Release.Count(n, t.kindKeys[k]), t.events), 1)
		}
	}
	return NewFigures(t.events, kinds, m)
}

// Figures are one destination's coverage as printed: every count and
// share either exact or withheld.
type Figures struct {
	// Events is the total ingested, nil when below MinCell.
	Events  *int `json:"events"`
	MinCell int  `json:"min_cell"`
	// Kinds, in Kinds order.
	Kinds []Figure `json:"kinds"`
	// Suppressed lists the kinds (and "events") whose figures are withheld.
	Suppressed []string `json:"suppressed"`
}

// Figure is one kind's coverage.
type Figure struct {
	Kind string `json:"kind"`
	// Events carrying the kind, and their share of the total; nil when
	// withheld.
	Events *int     `json:"events"`
	Share  *float64 `json:"share"`
	// Shown is the count as printed: exact, "<5", or ">N".
	Shown string `json:"shown"`
}

// NewFigures applies the small-cell rule to a total and counts by kind.
func NewFigures(total int, kinds map[string]int, minCell int) *Figures {
	f := &Figures{MinCell: minCell, Kinds: []Figure{}, Suppressed: []string{}}
	small := total < minCell
	if small {
		f.Suppressed = append(f.Suppressed, "events")
	} else {
		f.Events = &total
	}
	for _, k := range Kinds {
		n := kinds[k]
		fig := Figure{Kind: k}
		switch rest := total - n; {
		case small && n == 0:
			fig.Events, fig.Shown = &n, "0" // no share of a withheld total
			f.Kinds = append(f.Kinds, fig)
			continue
		case small:
			fig.Shown = fmt.Sprintf("<%d", minCell)
		case n == 0 || (n >= minCell && (rest == 0 || rest >= minCell)):
			share := float64(n) / float64(total)
			fig.Events, fig.Share, fig.Shown = &n, &share, fmt.Sprint(n)
			f.Kinds = append(f.Kinds, fig)
			continue
		case n < minCell:
			fig.Shown = fmt.Sprintf("<%d", minCell)
		default: // fewer than minCell lack it
			fig.Shown = fmt.Sprintf(">%d", total-minCell)
		}
		f.Suppressed = append(f.Suppressed, k)
		f.Kinds = append(f.Kinds, fig)
	}
	return f
}

// Text renders the figures on one line: "email 1100 (92%), phone <5, …".
func (f *Figures) Text() string {
	s := ""
	for i, k := range f.Kinds {
		if i > 0 {
			s += ", "
		}
		s += k.Kind + " " + k.Shown
		if k.Share != nil {
			s += fmt.Sprintf(" (%.0f%%)", 100**k.Share)
		}
	}
	if f.Events == nil {
		s += fmt.Sprintf(" (fewer than %d events: figures withheld)", f.MinCell)
	}
	return s
}
