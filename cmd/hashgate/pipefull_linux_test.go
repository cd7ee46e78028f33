package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// pipeFull reports whether the pipe whose read end is r holds as much as
// it can (FIONREAD against F_GETPIPE_SZ): its writer is then blocked, or
// about to be. ok is false where the kernel will not say.
func pipeFull(r *os.File) (full, ok bool) {
	fd := int(r.Fd())
	size, err := unix.FcntlInt(uintptr(fd), unix.F_GETPIPE_SZ, 0)
	if err != nil {
		return false, false
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCINQ) // FIONREAD
	if err != nil {
		return false, false
	}
	return n >= size, true
}
