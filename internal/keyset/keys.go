package keyset

import "unsafe"

// Keys is an array of keys that is appended to, then only read: the
// ledger's sets of accepted events, sorted once built (8 bytes a key, up
// to 32 MiB for a year-full window). From mapWordsMin keys up it is an
// anonymous mapping outside the Go heap, like a Set's table (words.go),
// so the collector's headroom does not grow with it.
type Keys struct {
	s   []uint64
	mem *words
}

// NewKeys returns an empty Keys with room for n keys; Append grows it
// past that.
func NewKeys(n int) *Keys {
	k := &Keys{}
	k.mem = newWords(k)
	if n > 0 {
		k.s, _ = k.mem.alloc(tableWords, uint64(n))
		k.s = k.s[:0]
	}
	return k
}

// Append adds key at the end.
func (k *Keys) Append(key uint64) {
	if len(k.s) == cap(k.s) {
		grown, prev := k.mem.alloc(tableWords, max(2*uint64(cap(k.s)), 1024))
		grown = append(grown[:0], k.s...)
		if prev != nil {
			unmapWords(prev)
		}
		k.s = grown
	}
	k.s = append(k.s, key)
}

// Slice returns the keys, to sort and read in place. It is valid until
// Close or the next Append.
func (k *Keys) Slice() []uint64 { return k.s }

// Truncate keeps the first n keys (after slices.Compact, say).
func (k *Keys) Truncate(n int) { k.s = k.s[:n] }

// Close releases the array; k must not be used afterwards. A nil Keys
// may be closed, and so may a closed one.
func (k *Keys) Close() {
	if k == nil {
		return
	}
	k.mem.release()
	k.s = nil
}

// Bytes returns the keys' array as bytes, for a caller that rewrites the
// keys in place in a denser form (the ledger's 6-byte keys) and then
// calls Shrink. It is valid until Close, the next Append or Shrink.
func (k *Keys) Bytes() []byte {
	if cap(k.s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(k.s))), cap(k.s)*8)
}

// Shrink keeps the first n bytes of the array (Bytes) and, for a
// mapping, returns the whole pages past them to the system (on Linux);
// an array on the heap is kept whole. The keys are no longer readable as
// keys (Slice is empty); Bytes still holds the first n bytes.
func (k *Keys) Shrink(n int) {
	k.mem.dropTail(tableWords, n)
	k.s = k.s[:0]
}
