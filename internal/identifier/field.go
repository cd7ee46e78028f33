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
