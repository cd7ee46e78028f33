package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/run"
)

// stateDir is $XDG_STATE_HOME/hashgate (default ~/.local/state/hashgate).
func stateDir(f *Factory) (string, error) {
	return xdgDir(f, "XDG_STATE_HOME", ".local", "state")
}

// xdgDir is $env/hashgate, or ~/<fallback…>/hashgate when env is unset,
// read through the Factory so tests never touch the real home.
func xdgDir(f *Factory, env string, fallback ...string) (string, error) {
	dir := f.Getenv(env)
	if dir != "" && !filepath.IsAbs(dir) {
		// The XDG Base Directory spec: "All paths set in these environment
		// variables must be absolute". Read from the working directory, a
		// cron job started elsewhere opened another, empty ledger and sent
		// every visit again (a review); ignoring it, as the spec allows,
		// would switch a running setup to another ledger as silently.
		return "", &run.UsageError{Err: fmt.Errorf("%s is a relative path (%s): it must be absolute (the XDG Base Directory spec), or a run started in another directory would use another ledger and send every visit again", env, run.DisplayPath(dir))}
	}
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

func readLastRun(f *Factory) (run.LastRun, error) { return run.ReadLastRun(f.env(nil)) }

// writeFileAtomic writes b (mode 0600) under a temporary name and renames
// it into place (run.WriteFileAtomic).
func writeFileAtomic(path string, b []byte) error { return run.WriteFileAtomic(path, b) }

// ledgerPath is ledger.path, or $XDG_STATE_HOME/hashgate/ledger.db.
func ledgerPath(f *Factory, cfg *config.Config) (string, error) {
	return run.LedgerPath(f.env(nil), cfg)
}
