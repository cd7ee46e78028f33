//go:build unix

package outfile

import (
	"errors"
	"io/fs"
	"syscall"
)

// alive reports whether a process with this id exists. EPERM means it
// exists under another user: alive.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// noFollow makes an open fail on a symlink.
const noFollow = syscall.O_NOFOLLOW

// nonBlock opens a FIFO without waiting for its reader.
const nonBlock = syscall.O_NONBLOCK

// owner is the user id that owns st.
func owner(st fs.FileInfo) (int, bool) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return int(s.Uid), true
	}
	return 0, false
}
