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
	case sqliteCantOpen, sqliteReadOnly, sqlitePerm, sqliteIOErr:
		todo = access(path)
	case sqliteCorrupt, sqliteNotADB:
		todo = "the file is damaged or is not a hashgate ledger: restore it from a backup"
	}
	if todo == "" {
		return fmt.Errorf("ledger %s: %s: %w", path, doing, err)
	}
	return fmt.Errorf("ledger %s: %s: %w — %s", path, doing, err, todo)
}

// access names the first of the ledger's files (the database, its -wal
// and -shm, and the directory that holds them) this process cannot read
// and write, and says how to fix it; "" when it finds none.
func access(path string) string {
	dir := filepath.Dir(path)
	for _, p := range []string{dir, path, path + "-wal", path + "-shm"} {
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

// notMineOf is notMine; tests, which may run as root, replace it.
var notMineOf = notMine

// modeFor is the mode the ledger's files and directory are made with.
func modeFor(dir bool) string {
	if dir {
		return "0700"
	}
	return "0600"
}
