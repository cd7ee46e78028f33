package destination

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendJSONString appends s as a JSON string, byte for byte as
// encoding/json's Marshal writes a string (Go 1.26, encode.go appendString
// with HTML escaping on): <, > and & as \u003c…, \b \f \n \r \t by name,
// other control bytes as \u00XX, invalid UTF-8 as \ufffd, U+2028 and
// U+2029 escaped. The clients write their request bodies with it instead
// of marshalling structs by reflection (profiled by make bench-upload,
// the reflection was the largest part of an upload's own CPU); each
// client's test holds its body equal to encoding/json's.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := safeWords(s); i < len(s); {
		c := s[i]
		if jsonSafe[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			i += safeWords(s[i:])
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// safeWords is how many leading bytes of s are jsonSafe, counted eight
// at a time in a few operations on one 64-bit word rather than eight
// lookups; it stops at the first word holding a byte to escape (or
// fewer than eight left), from where AppendJSONString goes byte by byte.
// The strings of an upload's bodies are mostly hex (event ids twice per
// Meta event, the transaction id, click ids), so most words are skipped
// whole (TestAppendJSONStringEveryPlace, FuzzAppendJSONString).
//
// A byte is safe when it is ASCII (top bit clear), not a control byte
// (below 0x20) and none of '"', '\\', '<', '>', '&'. The tests are the
// "has a byte below n" and "has a zero byte" tricks, (v - n·ones) &^ v:
// their borrows can mark a byte wrongly only above one that truly
// matches, so whether any byte of the word matches is exact.
func safeWords(s string) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		bad := x | (x-ones*0x20)&^x
		v := x ^ ones*'"'
		bad |= (v - ones) &^ v
		v = x ^ ones*'\\'
		bad |= (v - ones) &^ v
		v = x ^ ones*'<'
		bad |= (v - ones) &^ v
		v = x ^ ones*'>'
		bad |= (v - ones) &^ v
		v = x ^ ones*'&'
		bad |= (v - ones) &^ v
		if bad&highs != 0 {
			break
		}
	}
	return i
}

// jsonSafe marks the bytes written as they are: ASCII from space up, but
// for '"', '\\' and encoding/json's HTML escapes. One lookup a byte, not
// six comparisons (the strings of an upload's bodies are mostly hex).
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// AppendJSONFloat appends f as encoding/json writes a float64 (ES6 number
// rules: 'f' format, 'e' below 1e-6 and from 1e21 with e-09 cleaned to
// e-9). ok is false, and b unchanged, for NaN and ±Inf, which JSON cannot
// hold (encoding/json returns an UnsupportedValueError).
func AppendJSONFloat(b []byte, f float64) (_ []byte, ok bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, false
	}
	if f == math.Trunc(f) && f != 0 && math.Abs(f) < 1<<53 {
		// A whole amount (most fees): below 2^53 a float's shortest
		// decimal is its integer, so strconv's 'f' -1 writes these digits
		// (FuzzAppendJSONFloat holds it; 0 and -0 take the general path).
		return strconv.AppendInt(b, int64(f), 10), true
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, true
}
