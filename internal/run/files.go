package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/outfile"
	"github.com/hashgate/hashgate/internal/report"
)

// OpenInput opens the export; "-" is standard input, named "stdin" in
// messages, whose reads end when ctx does (openStdin).
func OpenInput(ctx context.Context, env *Env, path string) (io.ReadCloser, string, error) {
	if path == "-" {
		return io.NopCloser(openStdin(ctx, env)), "stdin", nil
	}
	fh, err := openFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, "", fmt.Errorf("open export %s: %w", DisplayPath(path), pe.Err)
		}
		return nil, "", err
	}
	return fh, DisplayPath(path), nil
}

// DisplayPath is a file name as messages show it: as given, unless it
// holds a control character, a bidirectional override or bytes that are
// not UTF-8 — a terminal would obey or reorder them (a name that clears
// the screen, or shows "exe.csv" for "vsc.exe") — and then Go-quoted,
// escapes visible. Every summary line, error and report names the export
// by it (OpenInput).
func DisplayPath(path string) string {
	if !utf8.ValidString(path) {
		return strconv.Quote(path)
	}
	for _, r := range path {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return strconv.Quote(path)
		}
	}
	return path
}

// openOutput returns the writer for the review CSV or a platform file
// (package outfile): a regular file is written under a temporary name
// beside its target, mode 0600 (hashes are pseudonymous, still personal
// data), and renamed into place only by commit, so a failed run never
// leaves half a file where the reviewer expects a whole one; a device, a
// FIFO or a link to /proc/self/fd/N is written in place, never replaced;
// temporary files of killed runs are removed, and counted on stderr.
func openOutput(env *Env, path string) (w io.Writer, commit func() error, abort func(), err error) {
	if path == "" {
		return env.Out, func() error { return nil }, func() {}, nil
	}
	o, err := outfile.Create(path)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("create %s: %w", path, err)
	}
	if n := o.Stale(); n > 0 {
		// Counted, never named: they held hashed data of a killed run.
		fmt.Fprintf(env.ErrOut, "hashgate: removed %d temporary file(s) that killed runs left beside %s (hashed data written before they were stopped)\n", n, DisplayPath(path))
	}
	commit = func() error {
		if err := o.Commit(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	return o, commit, o.Abort, nil
}

func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// WriteFileAtomic writes b (mode 0600) through package outfile — under a
// temporary name renamed into place, or in place for a device or FIFO —
// creating the directory (0700) when needed.
func WriteFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return writeFile(path, b)
}

// writeFile is outfile.WriteFile; tests make it fail as a disk that
// filled during the run does.
var writeFile = outfile.WriteFile

// LedgerPath is ledger.path, or <state dir>/ledger.db.
func LedgerPath(env *Env, cfg *config.Config) (string, error) {
	if cfg.Ledger.Path != "" {
		return cfg.Ledger.Path, nil
	}
	dir, err := env.StateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "ledger.db"), nil
}

// LastRun is the small state file `hashgate status` reads when given no
// request ids. It holds request ids and counts only: nothing about a person.
type LastRun struct {
	Time       time.Time           `json:"time"`
	RequestIDs map[string][]string `json:"request_ids"`
}

func writeLastRun(env *Env, ups []report.Upload) error {
	dir, err := env.StateDir()
	if err != nil {
		return err
	}
	lr := LastRun{Time: env.Now().UTC(), RequestIDs: map[string][]string{}}
	for _, u := range ups {
		if u.TestMode == "" { // a validateOnly request has no status to retrieve
			lr.RequestIDs[u.Destination] = u.RequestIDs
		}
	}
	b, err := json.MarshalIndent(lr, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, "last-run.json"), b)
}

// ReadLastRun reads what the last upload recorded for `hashgate status`.
func ReadLastRun(env *Env) (LastRun, error) {
	var lr LastRun
	dir, err := env.StateDir()
	if err != nil {
		return lr, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "last-run.json"))
	if err != nil {
		return lr, fmt.Errorf("no request ids given and no previous run recorded (%w)", err)
	}
	return lr, json.Unmarshal(b, &lr)
}
