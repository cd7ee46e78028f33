package keyset

import (
	"syscall"
	"unsafe"
)

// offHeap: large arrays are mappings here.
const offHeap = true

// hugePage is the size of an x86-64 or arm64 transparent huge page.
const hugePage = 2 << 20

// mapWords returns n zeroed words in an anonymous private mapping
// (mmap(2)), outside the Go heap, or nil when the system refuses one (a
// tight address-space limit): the caller then uses the heap.
//
// An array of 2 MiB or more starts at a 2 MiB boundary and asks for
// transparent huge pages (madvise MADV_HUGEPAGE; the kernel's default
// mode, "madvise", gives them to no one else). A lookup reads one random
// slot of the table (2 MiB) or seven words of the filter (up to 4 MiB):
// on 4 KiB pages nearly each one also missed the TLB — on a virtual
// machine a walk of two page tables — and the settler's one goroutine
// waited for both after the export's end (issue 29). The system may
// refuse huge pages (none free, THP off): the array is then as before.
//
// The mapping is made and unmapped by raw system calls: syscall.Mmap
// keeps its mappings by their first byte and unmaps only those, and the
// aligned array starts inside what was mapped.
func mapWords(n uint64) []uint64 {
	size := uintptr(n * 8)
	want := size
	if size >= hugePage {
		want = size + hugePage // room to move the start to a boundary
	}
	p, _, errno := syscall.Syscall6(syscall.SYS_MMAP, 0, want, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE, ^uintptr(0), 0)
	if errno != 0 {
		return nil
	}
	if want != size {
		start := (p + hugePage - 1) &^ (hugePage - 1)
		if head := start - p; head > 0 {
			syscall.Syscall(syscall.SYS_MUNMAP, p, head, 0)
		}
		if tail := p + want - (start + size); tail > 0 {
			syscall.Syscall(syscall.SYS_MUNMAP, start+size, tail, 0)
		}
		p = start
		syscall.Syscall(syscall.SYS_MADVISE, p, size, 14) // MADV_HUGEPAGE; refused is fine
	}
	return unsafe.Slice((*uint64)(*(*unsafe.Pointer)(unsafe.Pointer(&p))), n) // p is a mapping, not Go memory
}

// unmapWords returns a mapWords mapping to the system.
func unmapWords(w []uint64) {
	syscall.Syscall(syscall.SYS_MUNMAP, uintptr(unsafe.Pointer(unsafe.SliceData(w))), uintptr(len(w)*8), 0)
}
