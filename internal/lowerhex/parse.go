package lowerhex

// Reading hex back. An upload turns each event id's hex into a number
// several times per conversion: the ledger's set key (the first 16
// characters: ledger.idKey, about twice per conversion), the withdrawn
// rows' prefix (eventid.ID.Prefix) and each request's packed ids (all 32:
// ledger.pack). strconv.ParseUint and encoding/hex take any base and any
// length; at these two fixed sizes one table lookup a character does it
// (callgrind, make bench-upload's export at 100k rows: about 1.9% of the
// upload's instructions, docs/performance.md Session 27).
// FuzzParse16IsStrconv holds Uint64 to strconv.ParseUint and Decode16 to
// encoding/hex.

// nibbles[c] is c's value as a hex digit (either case), or 0xff for a
// character that is none.
var nibbles = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = byte(c-'a') + 10
		t[c-'a'+'A'] = byte(c-'a') + 10
	}
	return t
}()

// Uint64 reads s's first 16 characters as a big-endian hex number, as
// strconv.ParseUint(s[:16], 16, 64) does; ok is false, and v 0, when s is
// shorter or one of them is not a hex digit.
func Uint64(s string) (v uint64, ok bool) {
	if len(s) < 16 {
		return 0, false
	}
	s = s[:16]
	var bad byte
	for i := 0; i < 16; i++ {
		d := nibbles[s[i]]
		bad |= d
		v = v<<4 | uint64(d&0xf)
	}
	if bad&0xf0 != 0 {
		return 0, false // as strconv returns 0 with its syntax error
	}
	return v, true
}

// Decode16 decodes s's first 32 characters into dst, as encoding/hex does;
// ok is false (dst then undefined) when s is shorter or one of them is not
// a hex digit.
func Decode16(dst *[16]byte, s string) bool {
	if len(s) < 32 {
		return false
	}
	s = s[:32]
	var bad byte
	for i := range dst {
		hi, lo := nibbles[s[2*i]], nibbles[s[2*i+1]]
		bad |= hi | lo
		dst[i] = hi<<4 | lo&0xf
	}
	return bad&0xf0 == 0
}
