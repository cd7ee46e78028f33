package ledger

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
)

const anID = eventid.ID("0123456789abcdef0123456789abcdef")

// TestARemovedLockFileLetsNoSecondRunIn (review of OS failures): removing
// ledger.db.lock while a run held it — an operator clearing a "stale
// lock" after kill -9, a tmp cleaner — let a second Open in, and both runs
// sent everything. The second run is refused (on Linux, by the lock on the
// ledger's own byte); the holder, at its next check, locks a new lock file
// or, when another run holds that, stops.
func TestARemovedLockFileLetsNoSecondRunIn(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "ledger.db")
	a, err := Open(ctx, p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := os.Remove(p + ".lock"); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "linux" {
		if b, err := Open(ctx, p, Options{}); !errors.Is(err, ErrLocked) {
			if b != nil {
				b.Close()
			}
			t.Fatalf("a second run while the first holds the ledger, its lock file removed: %v, want ErrLocked", err)
		}
	}
	if err := a.Gone(); err != nil {
		t.Fatalf("the holder could not lock its removed lock file again: %v", err)
	}
	if _, err := lockFile(p + ".lock"); !errors.Is(err, ErrLocked) {
		t.Fatalf("the lock file made again is not held: %v", err)
	}
	// Removed again, and another process locks the new file first.
	if err := os.Remove(p + ".lock"); err != nil {
		t.Fatal(err)
	}
	other, err := lockFile(p + ".lock")
	if err != nil {
		t.Fatal(err)
	}
	defer other.release()
	err = a.Gone()
	if !errors.Is(err, ErrLedgerGone) || !strings.Contains(err.Error(), "another run has locked the new one") {
		t.Fatalf("the holder whose lock another run took: %v", err)
	}
	if _, err := a.Sending(ctx, "r", Destination{Key: "meta:1"}, []eventid.ID{anID}); !errors.Is(err, ErrLedgerGone) {
		t.Fatalf("a request recorded (and so sent) without the lock: %v", err)
	}
}

// TestALedgerGoneMidRunIsNoticed (review of OS failures): the state
// directory removed while an upload ran went unnoticed; the next night
// began a new ledger and sent everything again. Before a request is
// recorded, and so before it is sent, the ledger must still be the file
// at its path: deleted, moved away or replaced, the run stops, naming the
// path and what happened.
func TestALedgerGoneMidRunIsNoticed(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name, why string
		do        func(dir, p string) error
	}{
		{"rm -rf", "was deleted", func(dir, _ string) error { return os.RemoveAll(dir) }},
		{"moved away", "was moved away or deleted", func(dir, p string) error { return os.Rename(p, filepath.Join(dir, "elsewhere.db")) }},
		{"replaced", "was replaced by another file", func(dir, p string) error {
			if err := os.WriteFile(p+".x", []byte("x"), 0o600); err != nil {
				return err
			}
			return os.Rename(p+".x", p)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "hashgate")
			p := filepath.Join(dir, "ledger.db")
			l, err := Open(ctx, p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			if _, err := l.Sending(ctx, "r", Destination{Key: "meta:1"}, []eventid.ID{anID}); err != nil {
				t.Fatal(err)
			}
			if err := l.Gone(); err != nil {
				t.Fatalf("a ledger in place: %v", err)
			}
			if err := c.do(dir, p); err != nil {
				t.Fatal(err)
			}
			_, err = l.Sending(ctx, "r", Destination{Key: "meta:1"}, []eventid.ID{anID})
			if !errors.Is(err, ErrLedgerGone) || !strings.Contains(err.Error(), "ledger "+p+" "+c.why) || !strings.Contains(err.Error(), "recorded nowhere") {
				t.Fatalf("a request recorded after the ledger %s: %v", c.why, err)
			}
		})
	}
}

// TestLedgerErrorsNameTheFileAndTheFix (review of OS failures): SQLite's
// "database or disk is full (13)" and "unable to open database file (14)"
// reached the cron mail as they were, naming neither the file nor what to
// do.
func TestLedgerErrorsNameTheFileAndTheFix(t *testing.T) {
	ctx := context.Background()
	t.Run("full", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "ledger.db")
		l, err := Open(ctx, p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		var pages int
		if err := l.db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
			t.Fatal(err)
		}
		if _, err := l.db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 100000 && err == nil; i++ {
			_, err = l.StartRun(ctx, RunInfo{ToolVersion: strings.Repeat("v", 200)})
		}
		msg := fmt.Sprint(err)
		if !strings.Contains(msg, "ledger "+p+": record the run's start") || !strings.Contains(msg, "(13)") || !strings.Contains(msg, "free space") || !strings.Contains(msg, filepath.Dir(p)) {
			t.Errorf("a full ledger: %s", msg)
		}
		if strings.Contains(msg, "vvvv") {
			t.Errorf("the error carries a cell: %s", msg)
		}
	})
	t.Run("a -wal of another user", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "ledger.db")
		if err := os.WriteFile(p+"-wal", nil, 0o600); err != nil {
			t.Fatal(err)
		}
		defer func(f func(string, os.FileInfo) string) { notMineOf = f }(notMineOf)
		notMineOf = func(q string, _ os.FileInfo) string {
			if q == p+"-wal" {
				return "is owned by uid 0, not by uid 1000 that runs hashgate, and has mode 0600"
			}
			return ""
		}
		msg := faultAt(p, "open", codedError{"unable to open database file (14)", 14}).Error()
		if !strings.Contains(msg, "ledger "+p+": open: unable to open database file (14)") || !strings.Contains(msg, "the file "+p+"-wal is owned by uid 0") || !strings.Contains(msg, "chown") {
			t.Errorf("a -wal this user cannot open: %s", msg)
		}
	})
	_ = time.Now
}

type codedError struct {
	msg  string
	code int
}

func (e codedError) Error() string { return e.msg }
func (e codedError) Code() int     { return e.code }
