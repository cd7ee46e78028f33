package ledger

import (
	"slices"

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
type sortedKeys struct {
	keys  []uint64
	own   *keyset.Keys // keys' array, when it is one (nil: on the heap)
	start []uint32     // start[b] is the first key whose top bits are >= b
	shift uint
}

// ownSortedKeys sorts own's keys (taking it) and indexes them. The
// array lives outside the Go heap from 256 KiB up (keyset.Keys): a
// year-full window's 32 MiB on the heap would have let as much garbage
// again pile up beside it before a collection.
func ownSortedKeys(own *keyset.Keys) *sortedKeys {
	s := newSortedKeys(own.Slice())
	own.Truncate(len(s.keys))
	s.own = own
	return s
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

func (s *sortedKeys) Has(key uint64) (bool, error) {
	b := key >> s.shift
	_, found := slices.BinarySearch(s.keys[s.start[b]:s.start[b+1]], key)
	return found, nil
}

func (s *sortedKeys) Close() error {
	s.own.Close()
	s.keys = nil
	return nil
}

// bigSet adapts a keyset.Set.
type bigSet struct{ *keyset.Set }

func (s bigSet) Has(key uint64) (bool, error) { return s.Set.Has(key) }
