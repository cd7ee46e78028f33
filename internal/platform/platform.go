// Package platform is the one home of each ad platform's rules: which
// identifier fields it takes and which of them hashed, how many identifiers
// an event may carry, which fields travel only together, batch size, event
// age window, rate and concurrency caps, the consent column it may have of
// its own and its click ids. Config validation and defaults, the pipeline's
// identifier shaping, the destination clients and their construction all
// read a Spec here instead of restating a limit.
//
// Adding a platform (LINE, Baidu, TikTok) takes these steps; the first
// three are enough for a dry-run (the review CSV), and
// TestAThirdPlatformDryRunsByItsOwnRules (internal/run) takes them for a
// platform that exists only in the test, to keep this list true:
//
//  1. Its rules: a Spec. For good, a constant after Meta, an entry in specs
//     (spec.go) and in All; to try it first, Register adds one at run time.
//     Its click ids and own consent column, if any, are Spec.ClickIDs,
//     AttributionClickIDs and ConsentKey, their keys spelled in columns.go
//     and nowhere else (internal/depcheck), with export's column table
//     (internal/export) holding each key.
//  2. Its normalisation rules: identifier.Register with one function per
//     field it takes. A field without one is refused
//     (no_normalisation_rules), never normalised by Google's or Meta's
//     rules.
//  3. Its config block: destinations.<name> in config's schema (Destinations
//     in internal/config/config.go, bound to the platform in blocks(),
//     internal/config/platforms.go, with checks of its own settings in
//     ownChecks). Until then config.AddDestination gives it one in code.
//  4. To upload: a client under internal/destination/<name>, its fake in
//     internal/destination/destinationtest with a test per refusal and the
//     rows of docs/contract.md it follows, and one line in each list of
//     internal/destination/clients (constructors, preflights, checks).
//     A click id of its own also needs a field of conversion.Conversion,
//     which carries Google's only today (Conversion.ClickIDs).
//  5. A manual-upload file, if the platform has one: internal/sink/platformcsv.
//
// platform imports nothing of hashgate: every other package may import it.
package platform

import (
	"fmt"
	"strings"
)

// Platform is an ad platform hashgate sends to.
type Platform uint8

// The platforms hashgate sends to, in the fixed order used for output.
const (
	Google Platform = iota + 1
	Meta
)

// All lists every platform in the fixed order used for output: Google,
// Meta, then any added by Register.
var All = []Platform{Google, Meta}

// Count bounds Platform values: arrays indexed by Platform have Count
// entries (index 0 is unused). It leaves room for platforms added by
// Register after Google and Meta.
const Count = 8

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

// Register adds a platform whose rules are spec, after those already
// known, and returns it with a function that removes it again. It is the
// first step of adding a platform (see the package comment); the tests use
// it to run a platform that exists only in the test
// (TestAThirdPlatformDryRunsByItsOwnRules). It is not safe to call while
// other goroutines read the platforms: register before a run starts.
//
// spec.Name must be new and lower-case, like the config names; Register
// panics otherwise, or when Count leaves no room: a programming error,
// not a user's.
func Register(spec Spec) (Platform, func()) {
	p := Platform(len(All) + 1)
	switch {
	case int(p) >= Count:
		panic(fmt.Sprintf("platform.Register: room for %d platforms only (raise Count)", Count-1))
	case spec.Name == "" || spec.Name != strings.ToLower(spec.Name):
		panic(fmt.Sprintf("platform.Register: name %q must be lower-case and not empty", spec.Name))
	}
	for _, q := range All {
		if q.Spec().Name == spec.Name {
			panic(fmt.Sprintf("platform.Register: %q is already a platform", spec.Name))
		}
	}
	spec.Platform = p
	specs[p] = &spec
	All = append(All[:len(All):len(All)], p)
	return p, func() {
		if len(All) > 0 && All[len(All)-1] == p {
			All = All[: len(All)-1 : len(All)-1]
			specs[p] = nil
		}
	}
}
