// Package channels answers the question clinics ask of their ad spend —
// per channel, how many patients booked, how many came in, and what each
// cost — from the clinic's own export and the platforms' spend downloads,
// in aggregates that reveal no one.
//
// Attribution is first-party and explainable (see Attributor). Counting is
// per channel and per calendar day in the clinic's time zone; figures are
// then summed over the requested window and periods, and every count small
// enough to point at a person is suppressed together with whatever would
// let it be worked out (see suppress.go).
//
// The package reads raw rows through internal/export but keeps nothing of
// them: a row leaves behind its channel index, its day, and 64-bit keys of
// its order id and patient key under a per-run random seed.
package channels

import (
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
)

// Attributor decides the channel of one appointment:
//
//  1. a Google click id (gclid, gbraid or wbraid) puts it in the channel
//     whose platform is google, an fbclid in the one whose platform is
//     meta — a click id is what the platform itself recorded, so it beats a
//     source word that says otherwise;
//  2. otherwise its source value, trimmed, NFKC-normalised and
//     case-folded, picks the first channel that lists it;
//  3. otherwise it is Unattributed.
type Attributor struct {
	names  []string
	words  map[string]int
	google int // channel index, -1 when no channel has the platform
	meta   int
}

// NewAttributor builds the rules of list. Channel i of list is index i;
// Unattributed is index len(list).
func NewAttributor(list []config.Channel) *Attributor {
	a := &Attributor{words: map[string]int{}, google: -1, meta: -1}
	for i, ch := range list {
		a.names = append(a.names, strings.TrimSpace(ch.Name))
		switch ch.Platform {
		case config.PlatformGoogle:
			a.google = i
		case config.PlatformMeta:
			a.meta = i
		}
		for _, w := range ch.Sources {
			k := consent.Fold(w)
			if _, taken := a.words[k]; !taken && k != "" {
				a.words[k] = i // the first channel listing a word keeps it
			}
		}
	}
	return a
}

// Unattributed is the index of the Unattributed row.
func (a *Attributor) Unattributed() int { return len(a.names) }

// ClickIDs are the click-id cells of one row.
type ClickIDs struct {
	GCLID, GBRAID, WBRAID, FBCLID string
}

// Google reports whether the row carries a Google click id.
func (c ClickIDs) Google() bool {
	return isClickID(c.GCLID) || isClickID(c.GBRAID) || isClickID(c.WBRAID)
}

// Meta reports whether the row carries an fbclid.
func (c ClickIDs) Meta() bool { return isClickID(c.FBCLID) }

// Channel returns the channel index of a row with the given source cell
// and click ids.
func (a *Attributor) Channel(source string, clicks ClickIDs) int {
	if a.google >= 0 && clicks.Google() {
		return a.google
	}
	if a.meta >= 0 && clicks.Meta() {
		return a.meta
	}
	if source != "" {
		if i, ok := a.words[consent.Fold(source)]; ok {
			return i
		}
	}
	return len(a.names)
}

// isClickID tells a click id from the placeholders exports put in empty
// cells ("-", "N/A", "none", "0"). Click ids are long URL-safe tokens:
// Google's gclid and Meta's fbclid are base64url-like strings of several
// dozen characters. A cell is never printed either way; this only decides
// whether the platform's click is on record.
func isClickID(s string) bool {
	if len(s) < 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || c == '=') {
			return false
		}
	}
	return true
}
