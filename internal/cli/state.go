package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hashgate/hashgate/internal/report"
)

// lastRun is the small state file `hashgate status` reads when given no
// request ids. It holds request ids and counts only: nothing about a person.
type lastRun struct {
	Time       time.Time           `json:"time"`
	RequestIDs map[string][]string `json:"request_ids"`
}

// stateDir is $XDG_STATE_HOME/hashgate (default ~/.local/state/hashgate).
func stateDir(f *Factory) (string, error) {
	return xdgDir(f, "XDG_STATE_HOME", ".local", "state")
}

// xdgDir is $env/hashgate, or ~/<fallback…>/hashgate when env is unset,
// read through the Factory so tests never touch the real home.
func xdgDir(f *Factory, env string, fallback ...string) (string, error) {
	dir := f.Getenv(env)
	if dir == "" {
		home := f.Getenv("HOME")
		if home == "" {
			var err error
			if home, err = os.UserHomeDir(); err != nil {
				return "", err
			}
		}
		dir = filepath.Join(append([]string{home}, fallback...)...)
	}
	return filepath.Join(dir, "hashgate"), nil
}

func writeLastRun(f *Factory, ups []report.Upload) error {
	dir, err := stateDir(f)
	if err != nil {
		return err
	}
	lr := lastRun{Time: f.Now().UTC(), RequestIDs: map[string][]string{}}
	for _, u := range ups {
		lr.RequestIDs[u.Destination] = u.RequestIDs
	}
	b, err := json.MarshalIndent(lr, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, "last-run.json"), b)
}

func readLastRun(f *Factory) (lastRun, error) {
	var lr lastRun
	dir, err := stateDir(f)
	if err != nil {
		return lr, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "last-run.json"))
	if err != nil {
		return lr, fmt.Errorf("no request ids given and no previous run recorded (%w)", err)
	}
	return lr, json.Unmarshal(b, &lr)
}

// writeFileAtomic writes b (mode 0600) under a temporary name and renames
// it into place, creating the directory (0700) when needed.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
