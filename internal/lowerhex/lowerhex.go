// Package lowerhex spells digests in lower-case hex, as both platforms
// take hashed identifiers and as event ids are written: the same bytes as
// encoding/hex, for the two fixed sizes hashgate writes on every row — a
// SHA-256 digest (32 bytes, 64 characters) and an event id (16 bytes,
// 32 characters).
//
// encoding/hex's Encode looks up two table entries per byte and checks the
// bounds of each store, since it takes slices of any length; here the sizes
// are the arrays' own, so the compiler drops the checks, and one lookup in
// a table of the 256 two-character spellings gives both characters. The
// review CSV spells two or three digests per line and every line's event
// id: encoding/hex was 4% of a dry-run's instructions (issue 29).
// FuzzAppendIsEncodingHex holds both functions to encoding/hex.
package lowerhex

import (
	"encoding/binary"
	"slices"
)

// pairs[b] is b's two hex characters, the first in the low byte (written
// little-endian, so it comes first in memory).
var pairs = func() (t [256]uint16) {
	const digits = "0123456789abcdef"
	for i := range t {
		t[i] = uint16(digits[i>>4]) | uint16(digits[i&15])<<8
	}
	return t
}()

// Append32 appends the 64 lower-case hex characters of b to dst.
func Append32(dst []byte, b *[32]byte) []byte {
	n := len(dst)
	dst = slices.Grow(dst, 64)[:n+64]
	out := (*[64]byte)(dst[n:])
	for i, v := range b {
		binary.LittleEndian.PutUint16(out[2*i:], pairs[v])
	}
	return dst
}

// Append16 appends the 32 lower-case hex characters of b to dst.
func Append16(dst []byte, b *[16]byte) []byte {
	n := len(dst)
	dst = slices.Grow(dst, 32)[:n+32]
	out := (*[32]byte)(dst[n:])
	for i, v := range b {
		binary.LittleEndian.PutUint16(out[2*i:], pairs[v])
	}
	return dst
}
