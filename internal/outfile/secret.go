package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// CheckSecret says whether path may hold a secret (auth google's refresh
// token): nothing is there yet, or a regular file, which CreateSecret
// replaces by a rename and never writes through. A symbolic link — to a
// file, to /dev/stdout, to /dev/null — a FIFO or a device is refused,
// naming the path: Create writes those in place, so a link planted at the
// token's path sent the refresh token into whatever stdout was (a cron
// log), a FIFO to its reader, /dev/null nowhere while "token stored" was
// printed (a security review's leftover).
func CheckSecret(path string) error {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case st.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link: a file holding a secret is never written through a link (remove the link)", path)
	case st.IsDir():
		return fmt.Errorf("%s is a directory", path)
	case !st.Mode().IsRegular():
		return fmt.Errorf("%s is a %s: a file holding a secret is written as a regular file only (remove it)", path, secretKind(st.Mode()))
	}
	return nil
}

func secretKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "FIFO"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	}
	return kind(m)
}

// CreateSecret opens a file that will hold a secret: checked by
// CheckSecret, always written under a temporary name beside path and
// renamed into place by Commit, never in place. The temporary file is
// created mode 0600 by the open itself (O_CREAT|O_EXCL, os.CreateTemp):
// the umask can only take bits away, so there is no moment it is more
// open, whatever the umask. A link or FIFO planted at path after the
// check is replaced by the rename, not written through.
func CreateSecret(path string) (*File, error) {
	if err := CheckSecret(path); err != nil {
		return nil, err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	RemoveStale(dir, base)
	fh, err := os.CreateTemp(dir, tempPrefix(base)+strconv.Itoa(os.Getpid())+"-*.tmp")
	if err != nil {
		return nil, err
	}
	return &File{f: fh, target: path}, nil
}

// WriteSecretFile writes b to path through CreateSecret.
func WriteSecretFile(path string, b []byte) error {
	return writeAll(b)(CreateSecret(path))
}
