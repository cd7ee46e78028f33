package identifier

import "fmt"

// Platform is an ad platform whose normalisation rules differ from the other's.
type Platform uint8

// The platforms hashgate sends to.
const (
	Google Platform = iota + 1
	Meta
)

// Platforms lists every platform in the fixed order used for output.
var Platforms = []Platform{Google, Meta}

// String returns the platform's config and CLI name.
func (p Platform) String() string {
	switch p {
	case Google:
		return "google"
	case Meta:
		return "meta"
	}
	return fmt.Sprintf("platform(%d)", uint8(p))
}

// ParsePlatform reads a platform's config and CLI name.
func ParsePlatform(s string) (Platform, error) {
	switch s {
	case "google":
		return Google, nil
	case "meta":
		return Meta, nil
	}
	return 0, fmt.Errorf("unknown platform %q (want google or meta)", s)
}

// Field is a kind of personal identifier.
type Field uint8

// The identifier fields, in the fixed order used for output columns.
const (
	Email Field = iota + 1
	Phone
	FirstName
	LastName
	PostalCode
	City
	State
	Country
	ExternalID
)

// Fields lists every field in output order.
var Fields = []Field{Email, Phone, FirstName, LastName, PostalCode, City, State, Country, ExternalID}

var fieldNames = map[Field]string{
	Email: "email", Phone: "phone", FirstName: "first_name", LastName: "last_name",
	PostalCode: "postal_code", City: "city", State: "state", Country: "country",
	ExternalID: "external_id",
}

// String returns the field's config name (e.g. "first_name").
func (f Field) String() string {
	if s, ok := fieldNames[f]; ok {
		return s
	}
	return fmt.Sprintf("field(%d)", uint8(f))
}

// ParseField reads a field's config name.
func ParseField(s string) (Field, error) {
	for f, name := range fieldNames {
		if name == s {
			return f, nil
		}
	}
	return 0, fmt.Errorf("unknown identifier field %q", s)
}

// Supports reports whether the platform accepts the field at all. Google's
// Data Manager API has city and state only for Google Analytics, not Google
// Ads, and no external id for offline conversions.
func (p Platform) Supports(f Field) bool {
	switch p {
	case Google:
		switch f {
		case Email, Phone, FirstName, LastName, PostalCode, Country:
			return true
		}
		return false
	case Meta:
		return f >= Email && f <= ExternalID
	}
	return false
}

// Hashes reports whether the platform takes the field as a SHA-256 hash.
// Google takes postal code and region code in plain text (AddressInfo);
// everything else on both platforms is hashed.
func (p Platform) Hashes(f Field) bool {
	return !(p == Google && (f == PostalCode || f == Country))
}
