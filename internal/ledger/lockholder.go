package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// Holder is what a run writes into the lock file it holds: its process
// id, the config it runs (absolute path) and when it took the lock. An
// agency running many clinics' configs as one user, from one crontab, on
// one default ledger got "another hashgate run holds the ledger lock
// (…/ledger.db)" and could not tell which clinic's run held it (a review,
// D3). Paths and a pid are not personal data; nothing of an export is
// written.
type Holder struct {
	PID     int       `json:"pid"`
	Config  string    `json:"config,omitempty"`
	Started time.Time `json:"started"`
}

// maxHolder bounds what is read of a lock file: a note is one short line.
const maxHolder = 4096

// note is h as the lock file holds it: one JSON line.
func (h Holder) note() []byte {
	b, _ := json.Marshal(h) // a struct of a string, an int and a time: cannot fail
	return append(b, '\n')
}

// String says who holds the lock, for the run that found it held.
func (h Holder) String() string {
	cfg := h.Config
	if cfg == "" {
		cfg = "unknown"
	}
	return fmt.Sprintf("pid %d, config %s, started %s", h.PID, cfg, h.Started.UTC().Format(time.RFC3339))
}

// readHolder is the holder a lock file names, nil when it names none: a
// lock file of an older hashgate (empty), one read in the instant between
// a run's lock and its note, or not a note. Best-effort: it never fails
// the caller, whose answer is ErrLocked whatever it reads.
func readHolder(path string) *Holder {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxHolder))
	if err != nil {
		return nil
	}
	line, _, ok := bytes.Cut(b, []byte("\n"))
	if !ok {
		return nil // empty, or a note still being written
	}
	var h Holder
	if json.Unmarshal(line, &h) != nil || h.PID <= 0 || h.Started.IsZero() {
		return nil
	}
	return &h
}

// tell writes the holder's note into the lock file held, best-effort: a
// note that cannot be written costs only the next run's "unknown". It
// overwrites from the start and then cuts the file to the note, so a run
// that reads meanwhile sees the old note, the new one or a line that does
// not parse — never an empty file called a holder.
func (l *fileLock) tell(h Holder) {
	l.holder = &h
	b := h.note()
	if _, err := l.f.WriteAt(b, 0); err == nil {
		_ = l.f.Truncate(int64(len(b)))
	}
}

// LockedError is ErrLocked with who holds the lock, as far as its lock
// file says (errors.Is(err, ErrLocked) holds).
type LockedError struct {
	// Ledger is the ledger's path.
	Ledger string
	// Holder is the run that holds it; nil when its lock file names none.
	Holder *Holder
	// Unknown says why the holder is not known, when Holder is nil.
	Unknown string
}

func (e *LockedError) Error() string {
	who := "holder unknown"
	switch {
	case e.Holder != nil:
		who = "held by " + e.Holder.String()
	case e.Unknown != "":
		who += " (" + e.Unknown + ")"
	}
	return fmt.Sprintf("%s (%s): %s", ErrLocked, e.Ledger, who)
}

func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// unknownHolder is why a lock file named no holder: written by a hashgate
// from before holders were written, or read in the instant the holder
// took it.
const unknownHolder = "its lock file names none: a hashgate older than this one, or a run that has just started"

// lockedBy is err, when it is ErrLocked, as a LockedError naming the
// holder its lock file names.
func lockedBy(ledger string, err error) error {
	if err != ErrLocked {
		return err
	}
	e := &LockedError{Ledger: ledger, Holder: readHolder(ledger + ".lock")}
	if e.Holder == nil {
		e.Unknown = unknownHolder
	}
	return e
}
