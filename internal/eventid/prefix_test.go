package eventid

import (
	"strings"
	"testing"
)

// TestPrefixIsTheFirstEightBytes: the prefix an upload keeps of a
// withdrawn row is the id's first 16 hex characters as a big-endian
// number, and an id that is not Len characters of hex has none.
func TestPrefixIsTheFirstEightBytes(t *testing.T) {
	id := ID("0123456789abcdef" + strings.Repeat("0", Len-16))
	if v, ok := id.Prefix(); !ok || v != 0x0123456789abcdef {
		t.Errorf("Prefix = %#x, %v", v, ok)
	}
	if v, ok := ID("FEDCBA9876543210" + strings.Repeat("f", Len-16)).Prefix(); !ok || v != 0xfedcba9876543210 {
		t.Errorf("upper case: %#x, %v", v, ok)
	}
	for _, bad := range []ID{"", ID(strings.Repeat("a", Len-1)), ID("+123456789abcdef" + strings.Repeat("0", Len-16)), ID("0123456789abcdeg" + strings.Repeat("0", Len-16))} {
		if v, ok := bad.Prefix(); ok || v != 0 {
			t.Errorf("%q: %#x, %v", bad, v, ok)
		}
	}
}
