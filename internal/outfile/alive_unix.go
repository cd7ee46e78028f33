//go:build unix

package outfile

import (
	"errors"
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
