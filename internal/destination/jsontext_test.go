package destination

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// FuzzAppendJSONString: any string is written as json.Marshal writes it.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "abc", "T\"W\\\n\b\f\r\t\x01\x1f<&>\u2028\u2029\xff é", "\xc3", "中文 💉", "\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendJSONString([]byte("x"), s); !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

// TestAppendJSONStringEveryPlace: each byte value, at each place of
// strings up to three 8-byte words long among safe bytes, is written as
// json.Marshal writes it — where AppendJSONString skips safe bytes eight
// at a time, a byte to escape in any place of a word must stop the skip.
func TestAppendJSONStringEveryPlace(t *testing.T) {
	for n := 1; n <= 24; n++ {
		for at := 0; at < n; at++ {
			for v := range 256 {
				s := []byte(strings.Repeat("0123456789abcdef", 2)[:n])
				s[at] = byte(v)
				want, _ := json.Marshal(string(s))
				if got := AppendJSONString(nil, string(s)); !bytes.Equal(got, want) {
					t.Fatalf("%q: got %s, want %s", s, got, want)
				}
			}
		}
	}
}

// FuzzAppendJSONFloat: any finite float64 is written as json.Marshal
// writes it; NaN and infinities are refused, as json.Marshal refuses them.
func FuzzAppendJSONFloat(f *testing.F) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -1, 45210, 1<<53 - 1, 1 << 53, -(1<<53 - 1), 9007199254740993, 1e15, 1e16, -1234.5, 1e21, 1e20, 1e-6, 9.99e-7, -3.25e-9, math.MaxFloat64,
		math.SmallestNonzeroFloat64, math.NaN(), math.Inf(1), math.Inf(-1)} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		want, err := json.Marshal(v)
		got, ok := AppendJSONFloat(nil, v)
		if ok != (err == nil) || ok && !bytes.Equal(got, want) {
			t.Fatalf("%v: got %s (%v), want %s (%v)", v, got, ok, want, err)
		}
	})
}

// BenchmarkAppendJSONString: an event id, the commonest string of a body.
func BenchmarkAppendJSONString(b *testing.B) {
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf = AppendJSONString(buf[:0], "d5037398b5f7ac69eac21a6d70190675")
	}
}

// BenchmarkAppendJSONFloat: a whole fee, the commonest value.
func BenchmarkAppendJSONFloat(b *testing.B) {
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf, _ = AppendJSONFloat(buf[:0], 45210)
	}
}

// FuzzAppendJSONFloatWhole: whole amounts, the fast path's inputs and its
// edges (2^53 and beyond), as json.Marshal writes them.
func FuzzAppendJSONFloatWhole(f *testing.F) {
	for _, n := range []int64{0, 1, -1, 45210, 1<<53 - 1, 1 << 53, 1<<53 + 1, -(1 << 53), math.MaxInt64, math.MinInt64} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		v := float64(n)
		want, _ := json.Marshal(v)
		if got, ok := AppendJSONFloat(nil, v); !ok || !bytes.Equal(got, want) {
			t.Fatalf("%v: got %s, want %s", v, got, want)
		}
	})
}
