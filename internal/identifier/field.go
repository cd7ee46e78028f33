package identifier

import "github.com/hashgate/hashgate/internal/platform"

// Platform and Field live in package platform, with each platform's rules
// (platform.Spec). They are re-exported here so the normalisers, which
// branch on them on every value, read as before; new code names package
// platform directly.
type (
	Platform = platform.Platform
	Field    = platform.Field
)

// The platforms and fields, re-exported from package platform.
const (
	Google = platform.Google
	Meta   = platform.Meta

	Email      = platform.Email
	Phone      = platform.Phone
	FirstName  = platform.FirstName
	LastName   = platform.LastName
	PostalCode = platform.PostalCode
	City       = platform.City
	State      = platform.State
	Country    = platform.Country
	ExternalID = platform.ExternalID
)

// Fields lists every field in output order (platform.Fields).
var Fields = platform.Fields

// ParseField reads a field's config name.
func ParseField(s string) (Field, error) { return platform.ParseField(s) }

// Platforms lists every platform in output order (platform.All).
var Platforms = platform.All

// ParsePlatform reads a platform's config and CLI name (platform.Parse).
func ParsePlatform(s string) (Platform, error) { return platform.Parse(s) }

// NormalizeE164 returns raw as an E.164 phone number ("+886912345678"),
// the form Google takes before hashing; tools that classify phone cells
// (inspect) use it without naming a platform.
func NormalizeE164(raw string, opt Options) (string, error) {
	return Normalize(Google, Phone, raw, opt)
}

// Canonical returns an email address or phone number in the one form that
// names its person whichever platform it is sent to: the phone in E.164,
// the address as Google's rule normalises it (trimmed, lower-cased, a
// Gmail or Googlemail address without its dots and +tag), which joins
// every spelling Meta's rule joins, and more. The withdrawal memory keeps
// a keyed digest of it (pipeline.ReasonIdentifierWithdrawn): it must not
// depend on the destinations a config enables. Other fields are refused.
func Canonical(f Field, raw string, opt Options) (string, error) {
	switch f {
	case Email:
		return canonicalEmail(raw, opt)
	case Phone:
		return NormalizeE164(raw, opt)
	}
	return "", reject(ReasonUnsupportedField)
}
