package ledger

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestAFullFilesystemIsNamedForAnyIOError (review of a month of cron
// nights): the state directory on a full filesystem failed with "open:
// disk I/O error (4874)" — SQLITE_IOERR_SHMSIZE, SQLite unable to grow
// the -shm — and no advice, while the README promises a full disk names
// the directory whose filesystem needs space. Any IOERR is now checked
// against the free space; one with room left is not called full.
func TestAFullFilesystemIsNamedForAnyIOError(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ledger.db")
	dir := filepath.Dir(p)
	defer func(f func(string) (uint64, bool)) { freeSpace = f }(freeSpace)
	for _, code := range []int{4874, 778, 10} { // IOERR_SHMSIZE, IOERR_WRITE, IOERR
		freeSpace = func(d string) (uint64, bool) {
			if d != dir {
				t.Errorf("free space asked of %s, want the ledger's directory %s", d, dir)
			}
			return 12 << 10, true
		}
		msg := faultAt(p, "open", codedError{"disk I/O error", code}).Error()
		if !strings.Contains(msg, "ledger "+p+": open: disk I/O error") || !strings.Contains(msg, "the filesystem holding "+dir+" is full (12 KiB free") || !strings.Contains(msg, "free space there") {
			t.Errorf("IOERR %d on a full filesystem: %s", code, msg)
		}
		freeSpace = func(string) (uint64, bool) { return 40 << 30, true }
		if msg := faultAt(p, "open", codedError{"disk I/O error", code}).Error(); strings.Contains(msg, "full") {
			t.Errorf("IOERR %d with 40 GiB free is called full: %s", code, msg)
		}
	}
}

// TestALedgerThisUserCannotOpenNamesItsModeAndTheFix (same review): a
// ledger of mode 0400 failed with "open …/ledger.db: permission denied"
// before SQLite saw it, naming neither owner, mode nor fix, where a
// read-only directory said all three. The OS's refusal now goes the same
// way; so does the lock file's in a read-only directory.
func TestALedgerThisUserCannotOpenNamesItsModeAndTheFix(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "ledger.db")
	l, err := Open(ctx, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	defer func(f func(string, os.FileInfo) string) { notMineOf = f }(notMineOf)
	notMineOf = func(q string, st os.FileInfo) string {
		if q == p {
			return "is not readable and writable by uid 1000 that runs hashgate (mode 0400)"
		}
		return ""
	}
	defer func(f func(string) (*os.File, error)) { openRW = f }(openRW)
	openRW = func(q string) (*os.File, error) {
		return nil, &fs.PathError{Op: "open", Path: q, Err: syscall.EACCES}
	}
	for _, o := range []Options{{}, {NoUpgrade: true, Existing: true}, {ReadOnly: true, Existing: true}} {
		_, err := Open(ctx, p, o)
		msg := err.Error()
		if !strings.Contains(msg, "ledger "+p+": open "+p+": permission denied") || !strings.Contains(msg, "the file "+p+" is not readable and writable by uid 1000 that runs hashgate (mode 0400)") || !strings.Contains(msg, "chown") || !strings.Contains(msg, "0600") {
			t.Errorf("a ledger of mode 0400 (%+v): %s", o, msg)
		}
	}
}
