// Package outfile writes hashgate's output files — the review CSV, the
// manual-upload files, run reports, generated configs — so that a reader
// never finds half a file where a whole one is expected, and so that a run
// that is killed leaves nothing behind for long.
//
// A regular file (or a path that does not exist yet) is written under a
// temporary name beside it, mode 0600, and renamed into place by Commit.
// A character device such as /dev/stdout or /dev/null, a FIFO, or a
// symlink to one or to the process's own descriptors (/proc/self/fd/1,
// /dev/fd/1) cannot be replaced by a rename (and as root a rename would
// swap the device node for a regular file): it is opened and written
// directly, and Commit only closes it.
//
// Nothing is written through any other symlink: a link to a regular file
// is refused, naming the path. Following it would let whoever can write to
// the output's directory plant report.html -> ~/.bashrc and have the next
// run overwrite the target (issue 22). A block device is refused too: a CSV
// is never meant for a disk.
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
	target, direct, viaLink, err := resolve(path)
	if err != nil {
		return nil, err
	}
	if direct {
		flags := os.O_WRONLY
		if !viaLink {
			flags |= noFollow // what was not a link when looked at must not be one now
		}
		fh, err := os.OpenFile(target, flags, 0)
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

// PlaceError is Check failing to write beside the target — a read-only
// mount, a directory without write permission or that does not exist, a
// full disk — rather than refusing the path itself.
type PlaceError struct{ Err error }

func (e *PlaceError) Error() string { return e.Err.Error() }
func (e *PlaceError) Unwrap() error { return e.Err }

// Check says whether path can be written now, before a run does what it
// cannot take back (an upload sends): the path is resolved as Create
// resolves it — a link to a file, a directory, a block device are refused
// — and, for a file written under a temporary name, that temporary file is
// made beside it, a byte written to it, and removed (a *PlaceError when
// that fails). A device or FIFO is not opened: a FIFO would wait for its
// reader. It cannot promise room for the whole file later.
func Check(path string) error {
	target, direct, _, err := resolve(path)
	if err != nil || direct {
		return err
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	fh, err := os.CreateTemp(dir, tempPrefix(base)+strconv.Itoa(os.Getpid())+"-*.tmp")
	if err != nil {
		return &PlaceError{Err: bare(err)}
	}
	_, err = fh.Write([]byte{'\n'})
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	os.Remove(fh.Name())
	if err != nil {
		return &PlaceError{Err: bare(err)}
	}
	return nil
}

// bare is a *PathError's cause ("read-only file system"): the temporary
// name it carries means nothing to the person who named the output.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// resolve says where path is written and how: direct is true when it
// exists and is a character device or FIFO (written in place), viaLink when
// it is a symlink to one. A path that does not exist is created under its
// directory with the links of the directory resolved.
func resolve(path string) (target string, direct, viaLink bool, err error) {
	lst, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if real, lerr := filepath.EvalSymlinks(filepath.Dir(path)); lerr == nil {
			return filepath.Join(real, filepath.Base(path)), false, false, nil
		}
		return path, false, false, nil
	case err != nil:
		return "", false, false, err
	}
	if lst.Mode()&fs.ModeSymlink == 0 {
		switch {
		case lst.IsDir():
			return "", false, false, fmt.Errorf("%s is a directory", path)
		case lst.Mode().IsRegular():
			return path, false, false, nil
		case !writableInPlace(lst.Mode()):
			return "", false, false, fmt.Errorf("%s is a %s: hashgate writes files, character devices and FIFOs only", path, kind(lst.Mode()))
		}
		return path, true, false, nil
	}
	st, err := os.Stat(path) // what the link points to
	switch {
	case err != nil:
		return "", false, false, fmt.Errorf("%s is a symbolic link that cannot be followed (%v): name the file itself", path, errors.Unwrap(err))
	case st.IsDir():
		return "", false, false, fmt.Errorf("%s is a directory", path)
	case writableInPlace(st.Mode()):
		return path, true, true, nil
	case st.Mode().IsRegular() && ownDescriptor(path):
		// /dev/stdout -> /proc/self/fd/1 -> a file the shell opened with
		// "> file": the process's own output, chosen by whoever ran it.
		return path, true, true, nil
	case st.Mode().IsRegular():
		return "", false, false, fmt.Errorf("%s is a symbolic link: hashgate does not write through links (name the file itself, or remove the link)", path)
	}
	return "", false, false, fmt.Errorf("%s is a symbolic link to a %s: hashgate writes files, character devices and FIFOs only", path, kind(st.Mode()))
}

// writableInPlace: a character device (not a block device: a disk) or a FIFO.
func writableInPlace(m fs.FileMode) bool {
	return m&fs.ModeNamedPipe != 0 || m&fs.ModeDevice != 0 && m&fs.ModeCharDevice != 0
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeDevice != 0 && m&fs.ModeCharDevice == 0:
		return "block device"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}

// ownDescriptor reports whether the chain of links from path passes
// through the process's own descriptors (/proc/self/fd/N, /dev/fd/N,
// /proc/PID/fd/N of this process).
func ownDescriptor(path string) bool {
	own := []string{"/proc/self/fd/", "/dev/fd/", "/proc/" + strconv.Itoa(os.Getpid()) + "/fd/"}
	for range 40 { // the kernel's own limit on a chain of links
		dest, err := os.Readlink(path)
		if err != nil {
			return false
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		for _, p := range own {
			if strings.HasPrefix(dest, p) {
				return true
			}
		}
		path = dest
	}
	return false
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

// CommitNew makes the output visible only if nothing is at its path yet:
// it syncs the temporary file and links it into place, then removes the
// temporary name. When the path exists — a second writer came first — it
// fails with an error matching fs.ErrExist and leaves what is there, so
// two processes creating the same file at once end up with one of them,
// whole. A file written in place (a device) exists already: ErrExist.
func (o *File) CommitNew() error {
	if o.done {
		return nil
	}
	o.done = true
	if o.target == "" {
		o.f.Close()
		return &fs.PathError{Op: "create", Path: o.f.Name(), Err: fs.ErrExist}
	}
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(o.f.Name(), o.target)
	}
	os.Remove(o.f.Name())
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
