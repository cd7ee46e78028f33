package binfield

import (
	"encoding/binary"
	"testing"
)

// TestRoundTrip: what the Append functions wrote reads back field by
// field, and a repeated string comes back as the caller's own value.
func TestRoundTrip(t *testing.T) {
	var b []byte
	b = append(b, 7)
	b = binary.AppendUvarint(b, 300)
	b = binary.AppendVarint(b, -5)
	b = binary.LittleEndian.AppendUint64(b, 1<<40)
	b = AppendString(b, "Purchase")
	b = AppendString(b, "")
	r := Reader{B: b}
	last := "Purchase"
	if v := r.Byte(); v != 7 {
		t.Errorf("byte %d", v)
	}
	if v := r.Uvarint(); v != 300 {
		t.Errorf("uvarint %d", v)
	}
	if v := r.Varint(); v != -5 {
		t.Errorf("varint %d", v)
	}
	if v := r.Uint64(); v != 1<<40 {
		t.Errorf("uint64 %d", v)
	}
	if s := r.String(last); s != last {
		t.Errorf("string %q", s)
	}
	if s := r.String("x"); s != "" {
		t.Errorf("empty string read as %q", s)
	}
	if r.Bad || len(r.B) != 0 {
		t.Errorf("bad %v, %d bytes left", r.Bad, len(r.B))
	}
}

// TestShortFieldsSetBad: every truncation of a record is caught, and
// reads after the first bad field return zero values.
func TestShortFieldsSetBad(t *testing.T) {
	var b []byte
	b = binary.AppendUvarint(b, 1<<20)
	b = binary.LittleEndian.AppendUint64(b, 9)
	b = AppendString(b, "hello")
	for cut := range len(b) {
		r := Reader{B: b[:cut]}
		u, w, s := r.Uvarint(), r.Uint64(), r.String("")
		if !r.Bad {
			t.Errorf("cut at %d: not bad (%d %d %q)", cut, u, w, s)
		}
		if s != "" {
			t.Errorf("cut at %d: a string %q read after a short field", cut, s)
		}
	}
	r := Reader{B: []byte{5, 'a'}} // a length past the end
	if s := r.String(""); s != "" || !r.Bad {
		t.Errorf("overlong string: %q bad %v", s, r.Bad)
	}
}

// TestBytes: AppendBytes reads back as the same bytes, a part of the
// record whose capacity ends with it (an append to it cannot overwrite
// the next field), and a short or overlong field sets Bad.
func TestBytes(t *testing.T) {
	b := AppendBytes(nil, []byte("line,1\n"))
	b = AppendBytes(b, nil)
	b = append(b, 9)
	r := Reader{B: b}
	p := r.Bytes()
	if string(p) != "line,1\n" || cap(p) != len(p) {
		t.Errorf("bytes %q cap %d", p, cap(p))
	}
	if e := r.Bytes(); len(e) != 0 {
		t.Errorf("empty bytes read as %q", e)
	}
	if v := r.Byte(); v != 9 || r.Bad {
		t.Errorf("after the bytes: %d bad %v", v, r.Bad)
	}
	for cut := range len(b) - 2 {
		r := Reader{B: b[:cut]}
		if p := r.Bytes(); !r.Bad && cut < 8 {
			t.Errorf("cut at %d: not bad (%q)", cut, p)
		}
	}
	r = Reader{B: []byte{5, 'a'}}
	if p := r.Bytes(); p != nil || !r.Bad {
		t.Errorf("overlong bytes: %q bad %v", p, r.Bad)
	}
}

// FuzzUvarintIsBinary: Uvarint reads what binary.Uvarint reads, leaves
// the rest, and sets Bad where it fails (n <= 0), for any bytes and any
// Bad before — the one-byte fast path included.
func FuzzUvarintIsBinary(f *testing.F) {
	f.Add([]byte{0x05, 0x01}, false)
	f.Add([]byte{0x7f}, true)
	f.Add([]byte{0x80, 0x01}, false)
	f.Add([]byte{}, false)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, false)
	f.Fuzz(func(t *testing.T, b []byte, bad bool) {
		r := Reader{B: b, Bad: bad}
		got := r.Uvarint()
		want, n := binary.Uvarint(b)
		switch {
		case bad:
			if got != 0 || !r.Bad || len(r.B) != len(b) {
				t.Fatalf("%x after Bad: %d, Bad %v, %d left", b, got, r.Bad, len(r.B))
			}
		case n <= 0:
			if got != 0 || !r.Bad || len(r.B) != len(b) {
				t.Fatalf("%x: %d, Bad %v, %d left; binary.Uvarint fails (%d)", b, got, r.Bad, len(r.B), n)
			}
		default:
			if got != want || r.Bad || len(r.B) != len(b)-n {
				t.Fatalf("%x: %d, Bad %v, %d left; binary.Uvarint %d, %d bytes", b, got, r.Bad, len(r.B), want, n)
			}
		}
	})
}
