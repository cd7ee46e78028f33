//go:build linux || openbsd

package run

import (
	"os"
	"syscall"
	"time"
)

// changeTime is the file's status change time (ctime): set by the kernel
// on every write, truncation and touch, and by no system call to a value
// of the caller's choosing.
func changeTime(fi os.FileInfo) time.Time {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec)) // int32 fields on 32-bit systems
	}
	return time.Time{}
}

// linkCount is the file's number of names (hard links), -1 where the
// system does not say.
func linkCount(fi os.FileInfo) int64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int64(st.Nlink) // uint16, uint32 or uint64 by system
	}
	return -1
}
