package ledger

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
)

// TestIDKeyIsTheFirstEightBytes: an id's set key is key64 of its packed
// bytes, as the ledger's reads make it from what pack stored (confirm,
// marks, newids), in either case; an id that is not 32 hex characters has
// none (0, false), whatever the salt.
func TestIDKeyIsTheFirstEightBytes(t *testing.T) {
	const s = 0x9e3779b97f4a7c15
	for _, id := range []string{"0123456789abcdef0123456789abcdef", "ffffffffffffffffffffffffffffffff", "00000000000000000000000000000000",
		"0123456789ABCDEF0123456789abcdef", "d5037398b5f7ac69eac21a6d70190675"} {
		packed, err := pack(nil, []eventid.ID{eventid.ID(id)})
		if err != nil {
			t.Fatalf("pack(%s): %v", id, err)
		}
		raw, _ := hex.DecodeString(id)
		if string(packed) != string(raw) {
			t.Fatalf("pack(%s) = %x, want %x", id, packed, raw)
		}
		if k, ok := idKey(eventid.ID(id), s); !ok || k != key64(packed, s) {
			t.Fatalf("idKey(%s) = %x, %v; want %x", id, k, ok, key64(packed, s))
		}
	}
	for _, id := range []string{"", "0123456789abcdef", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0",
		"0123456789abcdeg0123456789abcdef", "g123456789abcdef0123456789abcdef", "+123456789abcdef0123456789abcdef"} {
		if k, ok := idKey(eventid.ID(id), s); ok || k != 0 {
			t.Fatalf("idKey(%q) = %x, %v; want 0, false", id, k, ok)
		}
	}
	// Past the key's 16 characters only pack looks: it refuses there too.
	bad := strings.Repeat("a", 31) + "z"
	if _, err := pack(nil, []eventid.ID{eventid.ID(bad)}); err == nil {
		t.Fatalf("pack(%s) took an id that is not hex", bad)
	}
}
