//go:build !unix

package ledger

import (
	"errors"
	"fmt"
	"os"
)

// lockFile on systems without flock: an exclusively created file. Unlike
// flock it survives a killed process; remove "<ledger>.lock" by hand after
// making sure no run is active. On Windows the file cannot be removed
// while a run holds it open (Go opens files without FILE_SHARE_DELETE), so
// the lock cannot be taken from under a run there; check still compares the
// file held with the file at the path, for the systems where it can.
func lockFile(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, fmt.Errorf("ledger lock %s: %w", path, err)
	}
	return &fileLock{path: path, f: f}, nil
}

// release closes and removes the lock file, if it is still ours.
func (l *fileLock) release() {
	mine := sameFile(l.f, l.path)
	l.f.Close()
	if mine {
		os.Remove(l.path)
	}
}

// check says, "" when the lock file is still the file at its path, and
// otherwise what happened.
func (l *fileLock) check() string {
	if sameFile(l.f, l.path) {
		return ""
	}
	return fmt.Sprintf("its lock file %s was removed or replaced while this run held it: another run may have started beside it and send the same events", l.path)
}

// links is fi's link count: the system does not say here.
func links(os.FileInfo) int64 { return -1 }

// noFollow: no O_NOFOLLOW here; the Lstat check in private is the guard.
const noFollow = 0

// notMine says why this process cannot write p, "" when it can as far as
// its mode tells (no owners here).
func notMine(p string, st os.FileInfo) string {
	if st.Mode().Perm()&0o200 == 0 {
		return "is read-only"
	}
	return ""
}
