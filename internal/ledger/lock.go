package ledger

import "os"

// fileLock is a lock file held (lock_unix.go, lock_other.go).
type fileLock struct {
	path string
	f    *os.File
	// holder is the note written into the file (tell), written again
	// into a lock file locked anew (check); nil: none written.
	holder *Holder
}

// sameFile: f is the file at path (and not a link there).
func sameFile(f *os.File, path string) bool {
	held, err := f.Stat()
	if err != nil {
		return false
	}
	st, err := os.Lstat(path)
	return err == nil && os.SameFile(held, st)
}
