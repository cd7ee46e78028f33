//go:build !unix

package keyset

// offHeap: no mappings here; every array is on the Go heap.
const offHeap = false

// mapWords: no anonymous mappings here; the caller uses the Go heap.
func mapWords(n uint64) []uint64 { return nil }

func unmapWords(w []uint64) {}
