//go:build !linux

package outfile

import "os"

// openPinned: without O_PATH, the path is looked at, opened, and the
// file opened checked to be the one looked at (openChecked).
func openPinned(path string, viaLink bool) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := vet(path, st, viaLink); err != nil {
		return nil, err
	}
	return openChecked(path, viaLink, st)
}
