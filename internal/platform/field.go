package platform

import "fmt"

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

// FieldCount bounds Field values: arrays indexed by Field have FieldCount
// entries (index 0 is unused).
const FieldCount = int(ExternalID) + 1

// Fields lists every field in output order.
var Fields = []Field{Email, Phone, FirstName, LastName, PostalCode, City, State, Country, ExternalID}

// fieldNames is an array, not a map: String runs for every dropped value.
var fieldNames = [FieldCount]string{
	Email: "email", Phone: "phone", FirstName: "first_name", LastName: "last_name",
	PostalCode: "postal_code", City: "city", State: "state", Country: "country",
	ExternalID: "external_id",
}

// String returns the field's config name (e.g. "first_name").
func (f Field) String() string {
	if int(f) < len(fieldNames) && fieldNames[f] != "" {
		return fieldNames[f]
	}
	return fmt.Sprintf("field(%d)", uint8(f))
}

// ParseField reads a field's config name.
func ParseField(s string) (Field, error) {
	for _, f := range Fields {
		if fieldNames[f] == s {
			return f, nil
		}
	}
	return 0, fmt.Errorf("unknown identifier field %q", s)
}

// FieldSet is a set of fields, one bit per Field.
type FieldSet uint16

// SetOf returns the set holding fs.
func SetOf(fs ...Field) FieldSet {
	var s FieldSet
	for _, f := range fs {
		s |= 1 << f
	}
	return s
}

// Has reports whether f is in the set.
func (s FieldSet) Has(f Field) bool { return s&(1<<f) != 0 }

// Fields lists the set's fields in output order.
func (s FieldSet) Fields() []Field {
	var out []Field
	for _, f := range Fields {
		if s.Has(f) {
			out = append(out, f)
		}
	}
	return out
}
