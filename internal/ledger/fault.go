package ledger

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SQLite's primary result codes that a person, not hashgate, must fix
// (sqlite.org/rescode.html).
const (
	sqlitePerm     = 3
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteCorrupt  = 11
	sqliteFull     = 13
	sqliteCantOpen = 14
	sqliteNotADB   = 26
)

// fault turns an error of the ledger's database into one that names the
// ledger's path, the file at fault when it can tell (the ledger, its -wal
// or -shm, or its directory), the reason in words, and what to do. SQLite
// says only "database or disk is full (13)" or "unable to open database
// file (14)": read in a cron mail, neither says which file, nor that the
// fix is free space or an owner put right. SQLite's messages name no
// value a row holds, and neither does this.
func (l *Ledger) fault(doing string, err error) error {
	return faultAt(l.path, doing, err)
}

// faultAt is fault for the ledger at path.
func faultAt(path, doing string, err error) error {
	if err == nil {
		return nil
	}
	var coded interface{ Code() int }
	if !errors.As(err, &coded) {
		return fmt.Errorf("ledger %s: %s: %w", path, doing, err)
	}
	dir := filepath.Dir(path)
	var todo string
	switch coded.Code() & 0xff {
	case sqliteFull:
		todo = fmt.Sprintf("the disk holding %s is full (or the ledger reached a size limit): free space there, then run again", dir)
	case sqliteIOErr:
		// Any extended code: a full filesystem surfaces as SQLite failing
		// to grow the -shm (IOERR_SHMSIZE, 4874) or to write the -wal
		// (IOERR_WRITE), not as SQLITE_FULL, and access() finds no owner
		// or mode at fault.
		if todo = fullAt(dir); todo == "" {
			todo = access(path)
		}
	case sqliteCantOpen, sqliteReadOnly, sqlitePerm:
		todo = access(path)
	case sqliteCorrupt, sqliteNotADB:
		todo = "the file is damaged or is not a hashgate ledger: restore it from a backup"
	}
	if todo == "" {
		return fmt.Errorf("ledger %s: %s: %w", path, doing, err)
	}
	return fmt.Errorf("ledger %s: %s: %w — %s", path, doing, err, todo)
}

// osFault is faultAt for an error of the OS opening the ledger's file
// itself (before SQLite does): a ledger of mode 0400, or of another user,
// said only "open …/ledger.db: permission denied", with neither owner,
// mode nor fix, where SQLite's refusals of the same file named them.
func osFault(path string, err error) error {
	return withAccess(path, fmt.Errorf("ledger %s: %w", path, err))
}

// withAccess adds to a refused permission (err, naming its file) which of
// the ledger's files or directory is at fault and the fix (access).
func withAccess(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		if todo := access(path); todo != "" {
			return fmt.Errorf("%w — %s", err, todo)
		}
	}
	return err
}

// lowSpace is the free space under which the ledger's filesystem counts
// as full: SQLite grows the -wal to about 1000 pages (4 MiB) between
// checkpoints, and the -shm by 32 KiB at a time.
const lowSpace = 8 << 20

// fullAt says, when the filesystem holding dir has less than lowSpace free
// for this user, that it is full and what to do; "" otherwise, and when
// the system does not say.
func fullAt(dir string) string {
	free, ok := freeSpace(dir)
	if !ok || free >= lowSpace {
		return ""
	}
	return fmt.Sprintf("the filesystem holding %s is full (%d KiB free for this user): free space there, or move ledger.path to a filesystem with room, then run again", dir, free>>10)
}

// freeSpace is spaceFree; tests replace it, as no test can fill a
// filesystem.
var freeSpace = spaceFree

// access names the first of the ledger's files (the database, its -wal,
// -shm and lock file, and the directory that holds them) this process cannot read
// and write, and says how to fix it; "" when it finds none.
func access(path string) string {
	dir := filepath.Dir(path)
	for _, p := range []string{dir, path, path + "-wal", path + "-shm", path + ".lock"} {
		st, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Sprintf("%s cannot be read (%v): fix it or its directory's permissions", p, err)
		}
		if why := notMineOf(p, st); why != "" {
			what := "the file"
			if p == dir {
				what = "the directory"
			}
			return fmt.Sprintf("%s %s %s: give it to the user that runs hashgate (chown) with mode %s, or run hashgate as its owner", what, p, why, modeFor(p == dir))
		}
	}
	return ""
}

// openRW opens the ledger's file for reading and writing, never through a
// symbolic link; tests, which may run as root (whom no mode refuses),
// replace it.
var openRW = func(p string) (*os.File, error) { return os.OpenFile(p, os.O_RDWR|noFollow, 0o600) }

// notMineOf is notMine; tests, which may run as root, replace it.
var notMineOf = notMine

// modeFor is the mode the ledger's files and directory are made with.
func modeFor(dir bool) string {
	if dir {
		return "0700"
	}
	return "0600"
}
