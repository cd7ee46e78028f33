package ledger

import (
	"encoding/binary"
	"errors"
	"slices"
	"unsafe"

	"github.com/hashgate/hashgate/internal/keyset"
)

// keySet is the set of accepted-event keys a Filter reads. It is built
// once, then only read, from one goroutine or several.
type keySet interface {
	Has(key uint64) (bool, error)
	Close() error
}

// maxSortedKeys is the most keys held as a sorted array (32 MiB). A
// window holding more — a hospital group sending over 20,000 conversions
// a night to each destination — goes to a keyset.Set, whose memory is
// bounded (8 MiB) but which writes a spill file at every run.
var maxSortedKeys int64 = 4 << 20 // a variable for tests

// sortedKeys is a sorted array of keys with a bucket index on their top
// bits: 8 bytes a key and no load factor, where a hash table sized for a
// year-full ledger's window cost three times as much while it grew. Keys
// are HMAC output mixed with a salt, so buckets fill evenly.
//
// From packMin keys up (ownSortedKeys) the index is on exactly the top 16
// bits and the array keeps only each key's low 48 (packed, 6 bytes a key):
// the same keys, exactly, in three quarters of the memory. A year-full
// ledger's window (970,000 acceptances: make bench-upload YEARFULL) is
// 5.8 MB instead of 7.8, and its index 256 KiB in the same mapping
// instead of 512 on the heap.
type sortedKeys struct {
	keys   []uint64
	packed []byte       // packed keys (nil: keys holds them whole)
	own    *keyset.Keys // keys' array, when it is one (nil: on the heap)
	start  []uint32     // start[b] is the first key whose top bits are >= b
	shift  uint
}

// packMin is the fewest keys ownSortedKeys packs: below it the 16-bit
// index (256 KiB) would outweigh the 2 bytes a key saved.
var packMin = 1 << 18 // a variable for tests

// packBits is how many low bits of a key a packed array keeps; the index
// holds the other 64 - packBits (its bucket is the key's top bits).
const packBits = 48

// ownSortedKeys sorts own's keys (taking it) and indexes them. The
// array lives outside the Go heap from 256 KiB up (keyset.Keys): a
// year-full window's 32 MiB on the heap would have let as much garbage
// again pile up beside it before a collection.
func ownSortedKeys(own *keyset.Keys) *sortedKeys {
	s := newSortedKeys(own.Slice())
	own.Truncate(len(s.keys))
	s.own = own
	if len(s.keys) >= packMin {
		s.pack()
	}
	return s
}

// pack rewrites s's sorted keys in place as their low packBits bits,
// indexes them on the rest, and returns the array's tail to the system.
// The index (256 KiB) moves into the array too, past the packed keys: on
// the heap it counted once more in the collector's headroom.
func (s *sortedKeys) pack() {
	const width = packBits / 8
	b := s.own.Bytes()
	start := make([]uint32, 1<<(64-packBits)+1)
	bucket := 0
	for i, k := range s.keys {
		for ; bucket <= int(k>>packBits); bucket++ {
			start[bucket] = uint32(i)
		}
		// Key i's bytes start at 8i >= width*i: the keys not yet read
		// are never written over.
		binary.LittleEndian.PutUint32(b[width*i:], uint32(k))
		binary.LittleEndian.PutUint16(b[width*i+4:], uint16(k>>32))
	}
	for ; bucket < len(start); bucket++ {
		start[bucket] = uint32(len(s.keys))
	}
	n := width * len(s.keys)
	keep := n
	if at := (n + 7) &^ 7; at+4*len(start) <= len(b) {
		moved := unsafe.Slice((*uint32)(unsafe.Pointer(&b[at])), len(start))
		copy(moved, start)
		start, keep = moved, at+4*len(start)
	}
	s.keys, s.start, s.shift = nil, start, packBits
	s.own.Shrink(keep)
	s.packed = b[:n:n]
}

// low48 reads a packed key's low bits.
func low48(b []byte) uint64 {
	return uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint16(b[4:]))<<32
}

// newSortedKeys sorts keys (taking the slice) and indexes them.
func newSortedKeys(keys []uint64) *sortedKeys {
	slices.Sort(keys)
	keys = slices.Compact(keys)
	bits := uint(4)
	for bits < 20 && 1<<bits < len(keys)/8 {
		bits++
	}
	s := &sortedKeys{keys: keys, shift: 64 - bits, start: make([]uint32, 1<<bits+1)}
	b := 0
	for i, k := range keys {
		for ; b <= int(k>>s.shift); b++ {
			s.start[b] = uint32(i)
		}
	}
	for ; b < len(s.start); b++ {
		s.start[b] = uint32(len(keys))
	}
	return s
}

// errSetClosed: a lookup after Close. The packed set's index lives in
// memory Close hands back to the system, so reading it then would be a
// fault no recover catches; it is an error instead (a review: no path
// does it today).
var errSetClosed = errors.New("ledger: a key set was asked after it was closed")

func (s *sortedKeys) Has(key uint64) (bool, error) {
	if s.start == nil {
		return false, errSetClosed
	}
	b := key >> s.shift
	if s.packed == nil {
		_, found := slices.BinarySearch(s.keys[s.start[b]:s.start[b+1]], key)
		return found, nil
	}
	const width = packBits / 8
	want := key & (1<<packBits - 1)
	lo, hi := int(s.start[b]), int(s.start[b+1])
	end := hi
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if low48(s.packed[width*m:]) < want {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < end && low48(s.packed[width*lo:]) == want, nil
}

// len is how many keys s holds.
func (s *sortedKeys) len() int {
	if s.packed != nil {
		return len(s.packed) / (packBits / 8)
	}
	return len(s.keys)
}

func (s *sortedKeys) Close() error {
	s.keys, s.packed, s.start = nil, nil, nil // start may point into what own releases
	s.own.Close()
	return nil
}

// bigSet adapts a keyset.Set.
type bigSet struct{ *keyset.Set }

func (s bigSet) Has(key uint64) (bool, error) { return s.Set.Has(key) }
