// Package binfield reads and writes the fields of hashgate's held records:
// the in-process binary form in which a run keeps its decided rows and
// conversions (in memory, then in an unlinked temporary file) until the
// export has been read to its end. One reader serves the pipeline's row
// records and the conversion codec, so a short or malformed field is
// caught the same way in both.
//
// It is no interchange format: nothing outside the process reads it.
package binfield

import "encoding/binary"

// Reader takes fields off the front of B. A short or malformed field sets
// Bad, and every read after that returns a zero value: callers read a
// whole record and check Bad once.
type Reader struct {
	B   []byte
	Bad bool
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if len(r.B) < 1 {
		r.Bad = true
		return 0
	}
	v := r.B[0]
	r.B = r.B[1:]
	return v
}

// Uvarint reads an unsigned varint (binary.AppendUvarint).
//
// A value below 128 — nearly every length, count and line of a held record
// — is its one byte, read here where the call is inlined; binary.Uvarint's
// loop, behind a call, was 1.9% of an upload's instructions (callgrind,
// make bench-upload's export). FuzzUvarintIsBinary holds both to
// binary.Uvarint.
func (r *Reader) Uvarint() uint64 {
	if b := r.B; len(b) > 0 && b[0] < 0x80 && !r.Bad {
		r.B = b[1:]
		return uint64(b[0])
	}
	return r.uvarint()
}

// uvarint is Uvarint's general case.
func (r *Reader) uvarint() uint64 {
	if r.Bad {
		return 0
	}
	v, n := binary.Uvarint(r.B)
	if n <= 0 {
		r.Bad = true
		return 0
	}
	r.B = r.B[n:]
	return v
}

// Varint reads a signed varint (binary.AppendVarint).
func (r *Reader) Varint() int64 {
	if r.Bad {
		return 0
	}
	v, n := binary.Varint(r.B)
	if n <= 0 {
		r.Bad = true
		return 0
	}
	r.B = r.B[n:]
	return v
}

// Uint64 reads eight little-endian bytes.
func (r *Reader) Uint64() uint64 {
	if r.Bad || len(r.B) < 8 {
		r.Bad = true
		return 0
	}
	v := binary.LittleEndian.Uint64(r.B)
	r.B = r.B[8:]
	return v
}

// String reads a string written by AppendString. It returns last itself
// when the bytes spell it, so a value that repeats from record to record
// (an event name, a currency) is not copied again.
func (r *Reader) String(last string) string {
	n := r.Uvarint()
	if r.Bad || n > uint64(len(r.B)) {
		r.Bad = true
		return ""
	}
	b := r.B[:n]
	r.B = r.B[n:]
	if string(b) == last {
		return last
	}
	return string(b)
}

// Bytes reads bytes written by AppendBytes. The result is part of B, not
// a copy (its capacity ends with it): valid as long as B is.
func (r *Reader) Bytes() []byte {
	n := r.Uvarint()
	if r.Bad || n > uint64(len(r.B)) {
		r.Bad = true
		return nil
	}
	b := r.B[:n:n]
	r.B = r.B[n:]
	return b
}

// AppendBytes appends p with its length first.
func AppendBytes(b, p []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(p)))
	return append(b, p...)
}

// AppendString appends s with its length first.
func AppendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
