//go:build darwin || freebsd || netbsd

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
		return time.Unix(int64(st.Ctimespec.Sec), int64(st.Ctimespec.Nsec)) // int32 fields on 32-bit systems
	}
	return time.Time{}
}
