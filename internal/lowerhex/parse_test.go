package lowerhex

import (
	"encoding/hex"
	"strconv"
	"testing"
)

// TestParse16EveryByte: each byte value, in each of the 16 places, is
// read as strconv.ParseUint(s, 16, 64) reads it — accepted in either
// case, refused otherwise — and Decode16 as encoding/hex decodes it.
func TestParse16EveryByte(t *testing.T) {
	for v := range 256 {
		for i := range 32 {
			b := []byte("0123456789abcdefFEDCBA9876543210")
			b[i] = byte(v)
			checkParse(t, string(b))
		}
	}
}

// FuzzParse16IsStrconv: Uint64 is strconv.ParseUint of the first 16
// characters, Decode16 is encoding/hex of the first 32, for any string.
func FuzzParse16IsStrconv(f *testing.F) {
	f.Add("0123456789abcdef0123456789ABCDEF")
	f.Add("ffffffffffffffffffffffffffffffff")
	f.Add("0123456789abcdeg")
	f.Add("+123456789abcdef")
	f.Add("0x23456789abcdef")
	f.Add("0_23456789abcdef")
	f.Fuzz(func(t *testing.T, s string) { checkParse(t, s) })
}

func checkParse(t *testing.T, s string) {
	t.Helper()
	got, ok := Uint64(s)
	if len(s) >= 16 {
		want, err := strconv.ParseUint(s[:16], 16, 64)
		if ok != (err == nil) || got != want {
			t.Fatalf("Uint64(%q) = %x, %v; strconv %x, %v", s, got, ok, want, err)
		}
	} else if ok || got != 0 {
		t.Fatalf("Uint64(%q) = %x, true: shorter than 16", s, got)
	}
	var d [16]byte
	dok := Decode16(&d, s)
	if len(s) < 32 {
		if dok {
			t.Fatalf("Decode16(%q) = true: shorter than 32", s)
		}
		return
	}
	want, err := hex.DecodeString(s[:32])
	if dok != (err == nil) || dok && string(d[:]) != string(want) {
		t.Fatalf("Decode16(%q) = %x, %v; encoding/hex %x, %v", s, d, dok, want, err)
	}
}

func BenchmarkUint64(b *testing.B) {
	s := "0123456789abcdefFEDCBA9876543210"
	b.Run("lowerhex", func(b *testing.B) {
		for b.Loop() {
			Uint64(s)
		}
	})
	b.Run("strconv", func(b *testing.B) {
		for b.Loop() {
			strconv.ParseUint(s[:16], 16, 64)
		}
	})
}
