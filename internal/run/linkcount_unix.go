//go:build linux || openbsd || darwin || freebsd || netbsd

package run

import (
	"os"
	"syscall"
)

// linkCount is the file's number of names (hard links), -1 where the
// system does not say (ctime_other.go).
func linkCount(fi os.FileInfo) int64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int64(st.Nlink) // uint16, uint32 or uint64 by system
	}
	return -1
}
