package ledger

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestAnEmptyFileIsNotALedger (review, 2026-12-06): a 0-byte file at the
// ledger's path — a truncated copy or restore — was opened as a new
// ledger. `status` said "no run in the window had events ingested" and
// `ledger stats` "0 runs", and both turned the file into a database of the
// current schema with a lock file beside it; an upload would have started
// afresh, forgetting what each destination had accepted and which patients
// withdrew. Every Open refuses it and changes nothing, not even its mode.
func TestAnEmptyFileIsNotALedger(t *testing.T) {
	for name, o := range map[string]Options{
		"stats, list":             {ReadOnly: true, Existing: true},
		"status, forget, requeue": {Existing: true},
		"upload":                  {},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "ledger.db")
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, 0o644); err != nil {
				t.Fatal(err)
			}
			warned := ""
			o.Warn = func(m string) { warned += m }
			l, err := Open(context.Background(), path, o)
			if err == nil {
				l.Close()
				t.Fatal("opened a 0-byte file as a ledger")
			}
			if !errors.Is(err, ErrEmptyLedger) || !strings.Contains(err.Error(), "is empty (0 bytes)") || !strings.Contains(err.Error(), "backup") {
				t.Errorf("error %q: want ErrEmptyLedger, saying it is empty and to restore a backup", err)
			}
			st, err := os.Stat(path)
			if err != nil || st.Size() != 0 || st.Mode().Perm() != 0o644 {
				t.Errorf("the file changed: %v %v", st, err)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("files made beside it: %v", ents)
			}
			if warned != "" {
				t.Errorf("warned %q", warned)
			}
		})
	}
	t.Run("read for withdrawals", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ledger.db")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadWithdrawals(context.Background(), path); err == nil || !strings.Contains(err.Error(), "empty (0 bytes)") {
			t.Errorf("ReadWithdrawals of a 0-byte file: %v; want an error (it remembers no withdrawal, and `write` would send those patients)", err)
		}
	})
}

// TestANewLedgerIsNeverEmpty: an upload that creates the ledger makes it
// whole before it appears at its path, so a first upload killed as it
// began leaves no 0-byte file that the next one would refuse.
func TestANewLedgerIsNeverEmpty(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.db")
	// What a killed creation left: overwritten, never read.
	for _, f := range []string{path + ".new", path + ".new-wal"} {
		if err := os.WriteFile(f, []byte("left by a killed upload"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	l := open(t, path, Options{})
	l.Close()
	st, err := os.Stat(path)
	if err != nil || st.Size() == 0 || st.Mode().Perm() != 0o600 {
		t.Fatalf("new ledger: %v %v", st, err)
	}
	for _, f := range []string{path + ".new", path + ".new-wal", path + ".new-shm"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s left behind", filepath.Base(f))
		}
	}
	open(t, path, Options{ReadOnly: true, Existing: true}).Close()
}

// TestReadingDoesNotUpgrade (review, 2026-12-06): `ledger stats`, `ledger
// list` and `status` migrated a ledger of an older schema to this
// hashgate's, one way: the cron job's older hashgate then refused it. A
// reading Open (ReadOnly, NoUpgrade) now refuses an older schema, saying
// which, changing nothing; an Open that may change the ledger (an upload,
// forget, requeue, unrevoke) upgrades it and says so.
func TestReadingDoesNotUpgrade(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ledger", "main-ca6ab7a.db"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.db")
	if err := os.WriteFile(path, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, o := range map[string]Options{
		"stats, list": {ReadOnly: true, Existing: true},
		"status":      {NoUpgrade: true, Existing: true},
	} {
		warned := ""
		o.Warn = func(m string) { warned += m }
		l, err := Open(context.Background(), path, o)
		if err == nil {
			l.Close()
			t.Fatalf("%s: opened a schema-3 ledger", name)
		}
		for _, want := range []string{"schema 3", "hashgate (devel)", "this hashgate's " + strconv.Itoa(len(migrations)), "upload"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q lacks %q", name, err, want)
			}
		}
		if !errors.Is(err, ErrOlderSchema) {
			t.Errorf("%s: error %q is not ErrOlderSchema", name, err)
		}
		if b, _ := os.ReadFile(path); string(b) != string(orig) {
			t.Errorf("%s: the ledger changed", name)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%s: files made beside it: %v", name, ents)
		}
		if warned != "" {
			t.Errorf("%s: warned %q", name, warned)
		}
	}
	warned := ""
	l := open(t, path, Options{Existing: true, Warn: func(m string) { warned += m }})
	var v int
	if err := l.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != Current() {
		t.Errorf("forget's Open: schema %d (%v), want %d", v, err, Current())
	}
	l.Close()
	if !strings.Contains(warned, "upgraded from schema 3 to "+strconv.Itoa(len(migrations))) || !strings.Contains(warned, "older hashgate") {
		t.Errorf("the upgrade was not said: %q", warned)
	}
	open(t, path, Options{ReadOnly: true, Existing: true}).Close()
}
