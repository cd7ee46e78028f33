//go:build linux

package ledger

import (
	"errors"
	"math"
	"os"
	"syscall"
)

// fOFDSetLK is F_OFD_SETLK (Linux 3.15; asm-generic/fcntl.h, the same on
// every architecture): a record lock owned by the open file description,
// not the process, so that no close of another descriptor of the ledger
// (SQLite's) releases it, and SQLite's own process-owned locks, on other
// bytes, never meet it.
const fOFDSetLK = 37

// anchorByte is the byte of the ledger the run lock holds: far past
// anything SQLite locks (its lock bytes lie at 1 GiB, the "lock-byte page"
// of sqlite.org/fileformat2.html) and past any size a ledger reaches.
const anchorByte = math.MaxInt64 - 1

// anchor locks one byte of the ledger file itself for the run, beside the
// flock on "<ledger>.lock": a lock file removed while a run holds it no
// longer stops a second run, but the ledger's own byte does (ErrLocked).
// Where the system or filesystem has no such locks (EINVAL, ENOLCK), the
// lock file alone serves, as before.
func anchor(f *os.File) error {
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: anchorByte, Len: 1}
	err := syscall.FcntlFlock(f.Fd(), fOFDSetLK, &lk)
	if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EACCES) {
		return ErrLocked
	}
	return nil
}
