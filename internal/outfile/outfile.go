// Package outfile writes hashgate's output files — the review CSV, the
// manual-upload files, run reports, generated configs — so that a reader
// never finds half a file where a whole one is expected, and so that a run
// that is killed leaves nothing behind for long.
//
// A regular file (or a path that does not exist yet) is written under a
// temporary name beside it, mode 0600, and renamed into place by Commit; a
// symlink is followed and the file it points to is replaced, the link kept.
// Anything else — a device such as /dev/stdout or /dev/null, a FIFO, a
// symlink to /proc/self/fd/1 — cannot be replaced by a rename (and as root
// a rename would swap the device node for a regular file): it is opened and
// written directly, and Commit only closes it.
//
// Temporary names follow one pattern, ".NAME.hashgate-PID-RANDOM.tmp". A
// run killed with SIGKILL cannot remove its file; the next run that writes
// the same NAME removes every such file whose process is gone.
package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// File is an output being written.
type File struct {
	f      *os.File
	target string // the path renamed onto; "" when written in place
	done   bool
}

// Create opens path for writing (see the package comment).
func Create(path string) (*File, error) {
	target, direct, err := resolve(path)
	if err != nil {
		return nil, err
	}
	if direct {
		fh, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &File{f: fh}, nil
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	RemoveStale(dir, base)
	fh, err := os.CreateTemp(dir, tempPrefix(base)+strconv.Itoa(os.Getpid())+"-*.tmp")
	if err != nil {
		return nil, err
	}
	if err := fh.Chmod(0o600); err != nil {
		fh.Close()
		os.Remove(fh.Name())
		return nil, err
	}
	return &File{f: fh, target: target}, nil
}

// resolve follows symlinks and says whether the target must be written in
// place (it exists and is not a regular file).
func resolve(path string) (target string, direct bool, err error) {
	st, err := os.Stat(path) // follows links: what matters is what they point to
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if real, lerr := filepath.EvalSymlinks(filepath.Dir(path)); lerr == nil {
			return filepath.Join(real, filepath.Base(path)), false, nil
		}
		return path, false, nil
	case err != nil:
		return "", false, err
	case st.IsDir():
		return "", false, fmt.Errorf("%s is a directory", path)
	case !st.Mode().IsRegular():
		return path, true, nil
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", false, err
	}
	return real, false, nil
}

func tempPrefix(base string) string { return "." + base + ".hashgate-" }

// legacyTemp matches os.CreateTemp's ".NAME.*.tmp" with its digits.
func legacyTemp(name, base string) bool {
	mid, ok := strings.CutPrefix(name, "."+base+".")
	if !ok {
		return false
	}
	mid = strings.TrimSuffix(mid, ".tmp")
	return mid != "" && strings.Trim(mid, "0123456789") == ""
}

// Name is the path being written (the temporary one for a regular file).
func (o *File) Name() string { return o.f.Name() }

// Write writes to the file.
func (o *File) Write(p []byte) (int, error) { return o.f.Write(p) }

// Commit makes the output visible: it syncs and renames a temporary file
// into place, or closes a file written in place.
func (o *File) Commit() error {
	if o.done {
		return nil
	}
	o.done = true
	if o.target == "" {
		return o.f.Close()
	}
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.f.Name(), o.target)
	}
	if err != nil {
		os.Remove(o.f.Name())
	}
	return err
}

// Abort discards a temporary file; a file written in place is closed (what
// was written to a device cannot be taken back). It is safe after Commit.
func (o *File) Abort() {
	if o.done {
		return
	}
	o.done = true
	o.f.Close()
	if o.target != "" {
		os.Remove(o.f.Name())
	}
}

// WriteFile writes b to path through a File.
func WriteFile(path string, b []byte) error {
	o, err := Create(path)
	if err != nil {
		return err
	}
	if _, err := o.Write(b); err != nil {
		o.Abort()
		return err
	}
	return o.Commit()
}

// RemoveStale removes the temporary files of earlier runs that wrote
// dir/base and are no longer running (killed before they could clean up).
// Files of a process that is still alive are left alone. Files of the
// pattern hashgate used before (".NAME.DIGITS.tmp", no process id) are
// removed once they are a day old.
func RemoveStale(dir, base string) {
	prefix := tempPrefix(base)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".tmp") || !e.Type().IsRegular() {
			continue
		}
		if legacyTemp(name, base) {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > 24*time.Hour {
				os.Remove(filepath.Join(dir, name))
			}
			continue
		}
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		pidText, _, ok := strings.Cut(strings.TrimPrefix(name, prefix), "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() || alive(pid) {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}
