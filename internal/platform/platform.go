// Package platform is the one home of each ad platform's rules: which
// identifier fields it takes and which of them hashed, how many identifiers
// an event may carry, which fields travel only together, batch size, event
// age window, rate and concurrency caps, the consent column it may have of
// its own and its click ids. Config validation and defaults, the pipeline's
// identifier shaping, the destination clients and their construction all
// read a Spec here instead of restating a limit.
//
// Adding a platform (LINE, Baidu, TikTok) starts with a Spec in spec.go, a
// client under internal/destination and one line in the explicit client
// list (internal/destination/clients); the config schema gains its
// destinations.<name> block (internal/config/platforms.go); and the
// normalisers in internal/identifier gain its rules, without which every
// value of the new platform is refused (no_normalisation_rules) rather than
// normalised by another platform's rules.
//
// platform imports nothing of hashgate: every other package may import it.
package platform

import "fmt"

// Platform is an ad platform hashgate sends to.
type Platform uint8

// The platforms hashgate sends to, in the fixed order used for output.
const (
	Google Platform = iota + 1
	Meta
)

// All lists every platform in the fixed order used for output.
var All = []Platform{Google, Meta}

// Count bounds Platform values: arrays indexed by Platform have Count
// entries (index 0 is unused).
const Count = int(Meta) + 1

// Spec returns p's rules; nil for a value that is no platform.
func (p Platform) Spec() *Spec {
	if int(p) < len(specs) {
		return specs[p]
	}
	return nil
}

// String returns the platform's config and CLI name.
func (p Platform) String() string {
	if s := p.Spec(); s != nil {
		return s.Name
	}
	return fmt.Sprintf("platform(%d)", uint8(p))
}

// Parse reads a platform's config and CLI name.
func Parse(s string) (Platform, error) {
	for _, p := range All {
		if p.Spec().Name == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("unknown platform %q (want %s)", s, namesOr())
}

func namesOr() string {
	out := ""
	for i, p := range All {
		switch {
		case i == 0:
		case i == len(All)-1:
			out += " or "
		default:
			out += ", "
		}
		out += p.Spec().Name
	}
	return out
}

// Supports reports whether the platform accepts the field at all.
func (p Platform) Supports(f Field) bool {
	s := p.Spec()
	return s != nil && s.Takes.Has(f)
}

// Hashes reports whether the platform takes the field as a SHA-256 hash;
// fields in Spec.Plain travel as normalised plain text.
func (p Platform) Hashes(f Field) bool {
	s := p.Spec()
	return s == nil || !s.Plain.Has(f)
}
