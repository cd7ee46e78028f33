//go:build unix

package ledger

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive, non-blocking flock. The kernel releases it
// when the process dies, however it dies: a SIGKILLed run never leaves a
// stale lock behind.
//
// A flock belongs to a file, not to its name: a lock file removed while a
// run holds it (an operator clearing a "stale lock", a tmp cleaner) lets
// the next run make a new file of that name and lock it too. So after
// locking, the file locked must still be the one at path (the standard
// fstat of the descriptor against stat of the path): when it is not — a
// run that unlocked and removed it meanwhile, a file removed between our
// open and flock — it tries again. And the lock's check, which the run
// makes before every batch (Ledger.Gone), finds its file gone: it locks a
// new one, or, when another run already holds that, says so and the run
// stops sending. The lock on the ledger itself (anchor_linux.go) makes the
// second run see the first even after the file is gone, where the system
// allows.
func lockFile(path string) (*fileLock, error) {
	for range 10 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|noFollow, 0o600)
		if err != nil {
			return nil, fmt.Errorf("ledger lock %s: %w", path, err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, ErrLocked
			}
			return nil, fmt.Errorf("ledger lock %s: %w", path, err)
		}
		if sameFile(f, path) {
			return &fileLock{path: path, f: f}, nil
		}
		f.Close() // locked a file no longer at path: the next run's would not see it
	}
	return nil, fmt.Errorf("ledger lock %s: the file kept being replaced while it was locked: is another program removing it?", path)
}

// release unlocks and closes the lock file; the file stays, emptied of
// its holder's note first, so that a run reading it in the instant a next
// run locks it finds no holder rather than one that has ended.
func (l *fileLock) release() {
	if l.holder != nil {
		_ = l.f.Truncate(0)
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	l.f.Close()
}

// check says, "" when the lock file is still the file at its path, and
// otherwise what happened; a lock file removed or replaced is locked anew
// when no other run holds the new one.
func (l *fileLock) check() string {
	if sameFile(l.f, l.path) {
		return ""
	}
	n, err := lockFile(l.path)
	if errors.Is(err, ErrLocked) {
		return fmt.Sprintf("its lock file %s was removed or replaced while this run held it, and another run has locked the new one: both may send the same events", l.path)
	}
	if err != nil {
		return fmt.Sprintf("its lock file %s was removed or replaced while this run held it, and could not be locked again (%v)", l.path, err)
	}
	l.release()
	l.f = n.f
	if l.holder != nil {
		l.tell(*l.holder)
	}
	return ""
}

// links is fi's link count; -1 when the system does not say.
func links(fi os.FileInfo) int64 {
	if s, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int64(s.Nlink)
	}
	return -1
}

// noFollow makes opening the ledger fail on a symlink planted after the check.
const noFollow = syscall.O_NOFOLLOW

// notMine says why this process cannot read and write p ("is owned by
// uid 0, not by uid 1000 that runs hashgate, and has mode 0600"), "" when
// it can.
func notMine(p string, st os.FileInfo) string {
	var mode uint32 = 6 // read, write
	if st.IsDir() {
		mode = 7 // and search
	}
	if syscall.Access(p, mode) == nil {
		return ""
	}
	uid := os.Geteuid()
	if s, ok := st.Sys().(*syscall.Stat_t); ok && int(s.Uid) != uid {
		return fmt.Sprintf("is owned by uid %d, not by uid %d that runs hashgate, and has mode %04o", s.Uid, uid, st.Mode().Perm())
	}
	return fmt.Sprintf("is not readable and writable by uid %d that runs hashgate (mode %04o)", uid, st.Mode().Perm())
}
