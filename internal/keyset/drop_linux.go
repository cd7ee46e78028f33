package keyset

import (
	"syscall"
	"unsafe"
)

// dropPages returns a mapping's pages to the system, leaving the mapping
// (MADV_DONTNEED: anonymous private pages read as zeros afterwards). A
// part of a mapping cannot be unmapped through syscall.Munmap, which
// takes only whole mappings it made. Where madvise fails the pages stay.
func dropPages(w []uint64) {
	_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(w))), len(w)*8), syscall.MADV_DONTNEED)
}
