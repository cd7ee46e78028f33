// Package channels answers the question clinics ask of their ad spend —
// per channel, how many patients booked, how many came in, and what each
// cost — from the clinic's own export and the platforms' spend downloads,
// in aggregates released under the release rule (release.go).
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
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/printable"
)

// Attributor decides the channel of one appointment:
//
//  1. a click id of an ad platform (platform.Spec.AttributionClickIDs:
//     gclid, gbraid or wbraid for Google, fbclid for Meta) puts it in the
//     channel whose platform that is — a click id is what the platform
//     itself recorded, so it beats a source word that says otherwise;
//  2. otherwise its source value, trimmed, NFKC-normalised and
//     case-folded, picks the first channel that lists it — or, when no
//     channel lists it so, the first that lists it up to spaces,
//     punctuation and script (printable.Key: "Google-Ads" and "GoogleAds"
//     for "google ads", "google 广告" for "google 廣告"), as config init
//     counted it;
//  3. otherwise it is Unattributed.
type Attributor struct {
	names []string
	words map[string]int
	keys  map[string]int // printable.Key of each word → channel
	// channel is the index of each platform's channel, -1 when none.
	channel [platform.Count]int
}

// NewAttributor builds the rules of list. Channel i of list is index i;
// Unattributed is index len(list).
func NewAttributor(list []config.Channel) *Attributor {
	a := &Attributor{words: map[string]int{}, keys: map[string]int{}}
	for i := range a.channel {
		a.channel[i] = -1
	}
	for i, ch := range list {
		a.names = append(a.names, strings.TrimSpace(ch.Name))
		if p := ch.AdPlatform(); p != 0 {
			a.channel[p] = i
		}
		for _, w := range ch.Sources {
			k := consent.Fold(w)
			if _, taken := a.words[k]; !taken && k != "" {
				a.words[k] = i // the first channel listing a word keeps it
			}
			if pk := printable.Key(w); pk != "" {
				if _, taken := a.keys[pk]; !taken {
					a.keys[pk] = i
				}
			}
		}
	}
	return a
}

// Unattributed is the index of the Unattributed row.
func (a *Attributor) Unattributed() int { return len(a.names) }

// Channel returns the channel index of a row with the given source cell;
// clicked reports whether the row carries a click id of platform p (see
// IsClickID), asked in platform.All order.
func (a *Attributor) Channel(source string, clicked func(p platform.Platform) bool) int {
	for _, p := range platform.All {
		if a.channel[p] >= 0 && clicked(p) {
			return a.channel[p]
		}
	}
	if source != "" {
		if i, ok := a.words[consent.Fold(source)]; ok {
			return i
		}
		if i, ok := a.keys[printable.Key(source)]; ok {
			return i
		}
	}
	return len(a.names)
}

// IsClickID tells a click id from the placeholders exports put in empty
// cells ("-", "N/A", "none", "0"). Click ids are long URL-safe tokens:
// Google's gclid and Meta's fbclid are base64url-like strings of several
// dozen characters. A cell is never printed either way; this only decides
// whether the platform's click is on record.
func IsClickID(s string) bool {
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

// Matches reports whether a source cell names a channel, or is empty:
// the cells it returns false for are the unmatched source words.
func (a *Attributor) Matches(source string) bool {
	k := consent.Fold(source)
	if k == "" {
		return true
	}
	_, ok := a.words[k]
	return ok
}
