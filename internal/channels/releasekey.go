package channels

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hashgate/hashgate/internal/outfile"
)

// KeyFile is the release key's name in hashgate's state directory.
const KeyFile = "channels.key"

// keySize is the release key's length in bytes (HMAC-SHA-256's block
// needs no more; 32 random bytes cannot be guessed).
const keySize = 32

// LoadKey returns the installation's release key from dir, generating it
// on first use: 32 random bytes in dir/channels.key, mode 0600, created
// exclusively so that two first reports running at once end up with the
// same key. A key readable by others is refused: whoever holds it can
// tell which draw each figure got, and so undo the perturbation.
func LoadKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, KeyFile)
	for range 2 {
		key, err := readKey(path)
		if !errors.Is(err, fs.ErrNotExist) {
			return key, err
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("release key: %w", err)
		}
		if err := createKey(path); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	}
	return readKey(path)
}

func readKey(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("release key %s: mode %v lets others read it; chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("release key: %w", err)
	}
	if len(key) != keySize {
		return nil, fmt.Errorf("release key %s: %d bytes, want %d (a key cut short would change every figure; restore it from backup, or remove it to start anew)", path, len(key), keySize)
	}
	return key, nil
}

// createKey writes a new key under a temporary name and links it into
// place (outfile's CommitNew), so a reader never sees a partial key and a
// second writer fails with ErrExist.
func createKey(path string) error {
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	o, err := outfile.Create(path)
	if err != nil {
		return fmt.Errorf("release key: %w", err)
	}
	if _, err := o.Write(key); err != nil {
		o.Abort()
		return fmt.Errorf("release key: %w", err)
	}
	return o.CommitNew()
}
