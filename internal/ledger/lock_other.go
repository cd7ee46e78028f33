//go:build !unix

package ledger

import (
	"errors"
	"fmt"
	"os"
)

// lockFile on systems without flock: an exclusively created file. Unlike
// flock it survives a killed process; remove "<ledger>.lock" by hand after
// making sure no run is active.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, ErrLocked
	}
	if err != nil {
		return nil, fmt.Errorf("ledger lock %s: %w", path, err)
	}
	return func() { f.Close(); os.Remove(path) }, nil
}

// noFollow: no O_NOFOLLOW here; the Lstat check in private is the guard.
const noFollow = 0
