package identifier

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"log/slog"

	"github.com/hashgate/hashgate/internal/lowerhex"
	"github.com/hashgate/hashgate/internal/platform"
)

// Hashed is a SHA-256 digest of a normalised identifier. It is a fixed array,
// not a string, so hashing allocates nothing and a raw value cannot be passed
// where a Hashed is expected.
type Hashed [sha256.Size]byte

// Hex returns the lower-case hex form both platforms accept.
func (h Hashed) Hex() string { return string(h.AppendHex(make([]byte, 0, 2*len(h)))) }

// AppendHex appends the lower-case hex form to dst without allocating.
func (h Hashed) AppendHex(dst []byte) []byte { return lowerhex.Append32(dst, (*[sha256.Size]byte)(&h)) }

// Sent is what leaves the process for one identifier on one platform: a
// hash, or for the fields a platform takes unhashed, the normalised plain
// value. Only this package can make one.
type Sent struct {
	field  Field
	hashed bool
	hash   Hashed
	plain  string
}

// Field returns the kind of identifier.
func (s Sent) Field() Field { return s.field }

// IsHashed reports whether the value is a SHA-256 hash.
func (s Sent) IsHashed() bool { return s.hashed }

// Hash returns the digest; it is the zero value when !IsHashed().
func (s Sent) Hash() Hashed { return s.hash }

// AppendHash appends the digest's 32 bytes to b: for a caller that keeps
// them (the review CSV's prepared lines), without the copy of the digest
// (and, through a value receiver, of the whole Sent) that Hash makes.
func (s *Sent) AppendHash(b []byte) []byte { return append(b, s.hash[:]...) }

// Text returns the value exactly as it is sent: 64 lower-case hex characters,
// or the plain normalised value for an unhashed field.
func (s Sent) Text() string {
	if s.hashed {
		return s.hash.Hex()
	}
	return s.plain
}

// AppendText appends Text() to dst.
func (s Sent) AppendText(dst []byte) []byte {
	if s.hashed {
		return s.hash.AppendHex(dst)
	}
	return append(dst, s.plain...)
}

// LogValue keeps identifiers out of logs even when someone logs one by
// accident: a hash is pseudonymous, not anonymous.
func (s Sent) LogValue() slog.Value { return slog.StringValue("[identifier]") }

// Rejection says why a value was dropped instead of hashed. It carries a
// reason code only, never the value, so it is safe in any message.
type Rejection struct {
	Reason string
}

func (r *Rejection) Error() string { return r.Reason }

// Reason codes for rejected values. They are stable: summaries, reports and
// tests match on them.
const (
	ReasonEmpty             = "empty"
	ReasonMD5               = "md5_not_accepted"
	ReasonInnerWhitespace   = "inner_whitespace"
	ReasonInvalidEmail      = "invalid_email"
	ReasonNoDigits          = "no_digits"
	ReasonNotPossible       = "not_possible_number"
	ReasonNoCountryCode     = "invalid_country_code"
	ReasonPrecisionLost     = "phone_precision_lost"
	ReasonLeadingZeroLost   = "phone_leading_zero_lost"
	ReasonOnlyAffix         = "only_prefix_or_suffix"
	ReasonInvalidCountry    = "invalid_country"
	ReasonUnsupportedField  = "unsupported_field"
	ReasonInvalidUTF8       = "invalid_utf8"
	ReasonInvalidPostalCode = "invalid_postal_code"
	// ReasonRegionNeeded: a phone number written the national way (trunk
	// 0, area code in brackets) with no region configured to read it.
	ReasonRegionNeeded = "phone_region_needed"
	// ReasonControlCharacter: a control character (C0, DEL, C1; white
	// space aside) inside a name, postal code or external id — export
	// damage no account's value holds (hasControl). At a cell's edges one
	// is trimmed instead; inside an e-mail address it is invalid_email.
	ReasonControlCharacter = "control_character"
)

func reject(reason string) error { return &Rejection{Reason: reason} }

// AppendBinary appends s in hashgate's own compact form, for conversions
// held on disk until the export has been read (conversion.Codec): the
// field, whether it is hashed, then the 32-byte digest or the plain text.
// Only ReadSent reads it, in the same process; it is no interchange format.
func (s Sent) AppendBinary(b []byte) ([]byte, error) {
	flag := byte(0)
	if s.hashed {
		flag = 1
	}
	b = append(b, byte(s.field), flag)
	if s.hashed {
		return append(b, s.hash[:]...), nil
	}
	b = binary.AppendUvarint(b, uint64(len(s.plain)))
	return append(b, s.plain...), nil
}

// errSentBinary: what ReadSent was given is not AppendBinary's.
var errSentBinary = errors.New("identifier: malformed held identifier")

// ReadSent reads one identifier written by AppendBinary from the front of
// b, returning the rest.
func ReadSent(b []byte) (Sent, []byte, error) {
	if len(b) < 2 || b[1] > 1 || b[0] == 0 || int(b[0]) >= platform.FieldCount {
		return Sent{}, nil, errSentBinary
	}
	s := Sent{field: Field(b[0]), hashed: b[1] == 1}
	b = b[2:]
	if s.hashed {
		if len(b) < len(s.hash) {
			return Sent{}, nil, errSentBinary
		}
		copy(s.hash[:], b)
		return s, b[len(s.hash):], nil
	}
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return Sent{}, nil, errSentBinary
	}
	s.plain = string(b[k : k+int(n)])
	return s, b[k+int(n):], nil
}
