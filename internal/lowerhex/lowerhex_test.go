package lowerhex

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// TestEveryByte: each byte value, in each position, is spelled as
// encoding/hex spells it, after whatever dst held.
func TestEveryByte(t *testing.T) {
	for v := range 256 {
		var b32 [32]byte
		var b16 [16]byte
		for i := range b32 {
			b32[i] = byte(v + i)
		}
		copy(b16[:], b32[8:])
		check(t, b32[:], b16[:], []byte("prefix,"))
	}
}

// FuzzAppendIsEncodingHex: Append32 and Append16 append what
// hex.AppendEncode appends, to any dst.
func FuzzAppendIsEncodingHex(f *testing.F) {
	f.Add(bytes.Repeat([]byte{0xff}, 32), []byte(""))
	f.Add([]byte("0123456789abcdef0123456789ABCDEF"), []byte("x,"))
	f.Fuzz(func(t *testing.T, src, dst []byte) {
		var b32 [32]byte
		var b16 [16]byte
		copy(b32[:], src)
		copy(b16[:], src)
		check(t, b32[:], b16[:], dst)
	})
}

func check(t *testing.T, b32, b16, dst []byte) {
	t.Helper()
	want := hex.AppendEncode(bytes.Clone(dst), b32)
	if got := Append32(bytes.Clone(dst), (*[32]byte)(b32)); !bytes.Equal(got, want) {
		t.Fatalf("Append32(%q, %x) = %q, encoding/hex %q", dst, b32, got, want)
	}
	want = hex.AppendEncode(bytes.Clone(dst), b16)
	if got := Append16(bytes.Clone(dst), (*[16]byte)(b16)); !bytes.Equal(got, want) {
		t.Fatalf("Append16(%q, %x) = %q, encoding/hex %q", dst, b16, got, want)
	}
}

func BenchmarkAppend32(b *testing.B) {
	var d [32]byte
	for i := range d {
		d[i] = byte(i * 37)
	}
	out := make([]byte, 0, 64)
	b.Run("lowerhex", func(b *testing.B) {
		for b.Loop() {
			out = Append32(out[:0], &d)
		}
	})
	b.Run("encoding/hex", func(b *testing.B) {
		for b.Loop() {
			out = hex.AppendEncode(out[:0], d[:])
		}
	})
}
