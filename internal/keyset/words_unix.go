//go:build unix && !linux

package keyset

import (
	"syscall"
	"unsafe"
)

// offHeap: large arrays are mappings here.
const offHeap = true

// mapWords returns n zeroed words in an anonymous private mapping
// (mmap(2)), outside the Go heap, or nil when the system refuses one (a
// tight address-space limit): the caller then uses the heap.
func mapWords(n uint64) []uint64 {
	b, err := syscall.Mmap(-1, 0, int(n*8), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(b))), n)
}

// unmapWords returns a mapWords mapping to the system.
func unmapWords(w []uint64) {
	_ = syscall.Munmap(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(w))), len(w)*8))
}
