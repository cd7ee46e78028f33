package ledger

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrLedgerGone: the ledger a run records in is no longer the file at its
// path — deleted (rm -rf of the state directory), moved away or replaced —
// or its lock file was taken by another run. What the run records goes to
// a file no later run reads: the next upload, on a new ledger, would send
// everything again and forget the withdrawals remembered.
var ErrLedgerGone = errors.New("the run's ledger is no longer the file at its path")

// StoppedSending is in the message of every error that wraps ErrLedgerGone
// (an error that crossed a destination's Result keeps its text only).
const StoppedSending = "the run stopped sending"

// goneError is ErrLedgerGone in its own words: a destination's stop
// prints at most a few hundred bytes, and the path and what happened come
// first.
type goneError string

func (e goneError) Error() string        { return string(e) }
func (e goneError) Is(target error) bool { return target == ErrLedgerGone }

// hold opens the ledger's own file for the run, to tell later whether it is
// still the file at its path (Gone), and takes the lock of the ledger's own
// byte (anchor). It is closed only after SQLite's connection: closing a
// descriptor of a file drops every process-owned lock on it, SQLite's too.
func (l *Ledger) hold() error {
	f, err := openRW(l.path)
	if err != nil {
		return osFault(l.path, err)
	}
	if err := anchor(f); err != nil {
		f.Close()
		return err
	}
	l.file = f
	return nil
}

// Gone returns nil while the ledger is the file at its path and, for a run
// holding the lock, its lock file is the one it holds (or could be locked
// again). Otherwise an error wrapping ErrLedgerGone that names the path,
// what happened and what to do. An upload asks before recording each
// request (so before sending it) and before it reports its outcome.
func (l *Ledger) Gone() error {
	if l.file == nil {
		return nil
	}
	held, err := l.file.Stat()
	st, serr := os.Lstat(l.path)
	why := ""
	switch {
	case err != nil:
		why = fmt.Sprintf("could not be checked (%v)", err)
	case serr == nil && !os.SameFile(held, st):
		why = "was replaced by another file"
	case links(held) == 0:
		why = "was deleted"
	case errors.Is(serr, fs.ErrNotExist):
		why = "was moved away or deleted (the file this run has open has another name now)"
	case serr != nil:
		why = fmt.Sprintf("could not be checked (%v)", serr)
	}
	if why != "" {
		return goneError(fmt.Sprintf("ledger %s %s while this run had it open: %s; what it sent after that is recorded nowhere — put the ledger back from its backup before the next upload (a new one sends everything again and forgets the withdrawals)", l.path, why, StoppedSending))
	}
	if l.lock != nil {
		if why := l.lock.check(); why != "" {
			return goneError(fmt.Sprintf("ledger %s: %s: %s", l.path, why, StoppedSending))
		}
	}
	return nil
}
