// Package outfile writes hashgate's output files — the review CSV, the
// manual-upload files, run reports, generated configs — so that a reader
// never finds half a file where a whole one is expected, and so that a run
// that is killed leaves nothing behind for long.
//
// A regular file (or a path that does not exist yet) is written under a
// temporary name beside it, mode 0600, and renamed into place by Commit.
// A character device such as /dev/stdout or /dev/null, a FIFO, or the
// process's own stdout or stderr cannot be replaced by a rename (and as
// root a rename would swap the device node for a regular file): it is
// opened and written directly, and Commit only closes it. What is opened
// is checked, not what the path named a moment before (vet, openInPlace):
//   - a FIFO only when this user owns it, opened without waiting for a
//     reader (none: an error naming the path, not a run hung in open);
//   - a character device at the path itself; through a link, only one
//     every user may write (/dev/null, /dev/tty) or stdout/stderr;
//   - a regular file only through a link naming /proc/self/fd/N or
//     /dev/fd/N exactly, and only when it is this process's stdout or
//     stderr (device and inode): the shell's "> file".
//
// Nothing is written through any other symlink: a link to a regular file
// is refused, naming the path. Following it would let whoever can write to
// the output's directory plant report.html -> ~/.bashrc and have the next
// run overwrite the target (issue 22); /proc/self/fd/../root/ANY/PATH is
// such a link, not a descriptor. A block device is refused too: a CSV is
// never meant for a disk.
//
// Temporary names follow one pattern, ".NAME.hashgate-PID-RANDOM.tmp". A
// run killed with SIGKILL cannot remove its file; the next run that writes
// into the same directory removes every such file whose process is gone,
// whatever its NAME (File.Stale counts them).
package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// File is an output being written.
type File struct {
	f      *os.File
	target string // the path renamed onto; "" when written in place
	done   bool
	stale  int // temporary files of killed runs Create removed
}

// Stale is how many temporary files of killed runs Create removed beside
// the output: the caller says so (they held hashed data nobody asked for).
func (o *File) Stale() int { return o.stale }

// Create opens path for writing (see the package comment).
func Create(path string) (*File, error) {
	target, direct, viaLink, err := resolve(path)
	if err != nil {
		return nil, err
	}
	if direct {
		fh, err := openInPlace(path, viaLink)
		if err != nil {
			return nil, err
		}
		return &File{f: fh}, nil
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	stale := RemoveStale(dir, base)
	fh, err := os.CreateTemp(dir, tempPrefix(base)+strconv.Itoa(os.Getpid())+"-*.tmp")
	if err != nil {
		return nil, err
	}
	if err := fh.Chmod(0o600); err != nil {
		fh.Close()
		os.Remove(fh.Name())
		return nil, err
	}
	return &File{f: fh, target: target, stale: stale}, nil
}

// beforeOpen runs between resolve and the open of a file written in place;
// a test swaps a link there, as another user racing the run would.
var beforeOpen = func() {}

// openInPlace opens a device, a FIFO or the process's own output for
// writing and checks what was opened, not what the path named a moment
// before: whoever can write to the output's directory can swap a link
// from a FIFO to a victim's file between the look and the open (a review
// overwrote a file that way in 15,573 swaps). The file opened must pass
// vet again and be the very file (device and inode) vet passed; on Linux
// it is pinned first by an O_PATH descriptor, which opens no device, and
// reopened through it (openPinned). A FIFO is opened non-blocking: with
// no reader the open fails (ENXIO) instead of waiting for ever, deaf to
// SIGTERM.
func openInPlace(path string, viaLink bool) (*os.File, error) {
	beforeOpen()
	return openPinned(path, viaLink)
}

// noDevice is the error of opening st, vetted at path, for writing when
// the open said ENXIO: a FIFO without a reader, or a character device
// with nothing behind it — /dev/tty in a process without a controlling
// terminal (cron, setsid), which was reported as a FIFO with no reader,
// the wrong kind and the wrong fix.
// The error wraps ENXIO, so a caller can tell it from others by
// errors.Is.
func noDevice(path string, st fs.FileInfo) error {
	if st.Mode()&fs.ModeNamedPipe != 0 {
		return fmt.Errorf("%s is a FIFO that no process is reading (%w): start its reader before hashgate", path, syscall.ENXIO)
	}
	return fmt.Errorf("%s is a device with nothing behind it (%w): /dev/tty is no terminal when hashgate runs without one, as under cron; name a file instead", path, syscall.ENXIO)
}

// vetOpened checks the file a descriptor holds against vet and, when want
// is not nil, that it is the same file as want.
func vetOpened(path string, fh *os.File, viaLink bool, want fs.FileInfo) error {
	st, err := fh.Stat()
	if err != nil {
		return err
	}
	if err := vet(path, st, viaLink); err != nil {
		return err
	}
	if want != nil && !os.SameFile(st, want) {
		return fmt.Errorf("%s changed while it was opened: hashgate does not write through links", path)
	}
	return nil
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
		}
		if err := vet(path, lst, false); err != nil {
			return "", false, false, err
		}
		return path, true, false, nil
	}
	st, err := os.Stat(path) // what the link points to
	switch {
	case err != nil:
		return "", false, false, fmt.Errorf("%s is a symbolic link that cannot be followed (%v): name the file itself", path, errors.Unwrap(err))
	case st.IsDir():
		return "", false, false, fmt.Errorf("%s is a directory", path)
	}
	if err := vet(path, st, true); err != nil {
		return "", false, false, err
	}
	return path, true, true, nil
}

// vet says whether st, what path names (through a link when viaLink), may
// be written in place:
//   - a FIFO only when this user owns it, or it is this process's stdout
//     or stderr: a FIFO another user planted at an output path would hand
//     them everything written (and, with no reader, hang the run);
//   - a character device found at the path itself (only root makes one);
//     through a link, only one anyone may write (/dev/null, /dev/tty) or
//     this process's stdout or stderr: a link planted to /dev/watchdog or
//     a serial line must not be written as root;
//   - a regular file only through a link that names this process's own
//     descriptor exactly (/dev/stdout -> /proc/self/fd/1) and only when it
//     is this process's stdout or stderr (device and inode): the shell's
//     "> file". /proc/self/fd/../root/etc/passwd starts like a descriptor
//     and is not one (a review overwrote any file with it), and
//     /proc/self/fd/7 may be the ledger hashgate itself has open.
//
// Anything else is refused, naming the path.
func vet(path string, st fs.FileInfo, viaLink bool) error {
	m := st.Mode()
	switch {
	case m&fs.ModeNamedPipe != 0:
		if uid, ok := owner(st); ok && uid != os.Geteuid() && !isStdStream(st) {
			return fmt.Errorf("%s is a FIFO owned by another user (uid %d): hashgate writes only to its user's own FIFOs", path, uid)
		}
		return nil
	case m&fs.ModeDevice != 0 && m&fs.ModeCharDevice != 0:
		if viaLink && m.Perm()&0o002 == 0 && !isStdStream(st) {
			return fmt.Errorf("%s is a symbolic link to a device that not every user may write (mode %04o): name the device itself", path, m.Perm())
		}
		return nil
	case m.IsRegular():
		if viaLink && ownDescriptor(path) && isStdStream(st) {
			return nil
		}
		if viaLink {
			return fmt.Errorf("%s is a symbolic link: hashgate does not write through links (name the file itself, or remove the link)", path)
		}
		return fmt.Errorf("%s became a file while it was opened: name it again", path)
	case m.IsDir():
		return fmt.Errorf("%s is a directory", path)
	}
	if viaLink {
		return fmt.Errorf("%s is a symbolic link to a %s: hashgate writes files, character devices and FIFOs only", path, kind(m))
	}
	return fmt.Errorf("%s is a %s: hashgate writes files, character devices and FIFOs only", path, kind(m))
}

// isStdStream reports whether st is the file this process's stdout or
// stderr is (device and inode).
func isStdStream(st fs.FileInfo) bool {
	for _, f := range []*os.File{os.Stdout, os.Stderr} {
		if f == nil {
			continue
		}
		if fst, err := f.Stat(); err == nil && os.SameFile(st, fst) {
			return true
		}
	}
	return false
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

// ownDescriptor reports whether path, or a link in the chain of links
// from it, names one of the process's own descriptors exactly:
// /proc/self/fd/N, /dev/fd/N or /proc/PID/fd/N of this process, N digits,
// after cleaning. A prefix is not enough: /proc/self/fd/../root/ANY/PATH
// starts with /proc/self/fd/ and names any file on the system.
func ownDescriptor(path string) bool {
	if abs, err := filepath.Abs(path); err == nil && ownFD(abs) {
		return true
	}
	for range 40 { // the kernel's own limit on a chain of links
		dest, err := os.Readlink(path)
		if err != nil {
			return false
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		dest = filepath.Clean(dest)
		if ownFD(dest) {
			return true
		}
		path = dest
	}
	return false
}

// ownFD: p, absolute and clean, is DIR/N for one of the process's own
// descriptor directories and N is digits only.
func ownFD(p string) bool {
	if p != filepath.Clean(p) {
		return false
	}
	for _, dir := range []string{"/proc/self/fd/", "/dev/fd/", "/proc/" + strconv.Itoa(os.Getpid()) + "/fd/"} {
		n, ok := strings.CutPrefix(p, dir)
		if ok && n != "" && strings.Trim(n, "0123456789") == "" {
			return true
		}
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
	return writeAll(b)(Create(path))
}

// writeAll returns what WriteFile and WriteSecretFile do with the File
// their constructor opened: write b whole and commit, or abort.
func writeAll(b []byte) func(*File, error) error {
	return func(o *File, err error) error {
		if err != nil {
			return err
		}
		if _, err := o.Write(b); err != nil {
			o.Abort()
			return err
		}
		return o.Commit()
	}
}

// RemoveStale removes the temporary files of earlier runs in dir whose
// process is gone (killed before they could clean up), and returns how
// many. Every output's, not base's alone: a dry-run killed with SIGKILL
// left .review-0.85.csv.hashgate-PID-N.tmp (0600, event ids and hashed
// e-mails and phones), and with dated output names no later run writes
// that name again, so it stayed for good (a privacy review). Files of a
// process that is still alive are left alone, and so is every name not of
// the pattern (tempPattern). Files of the pattern hashgate used before
// (".NAME.DIGITS.tmp", no process id) are removed for base alone, once
// they are a day old: nothing in them tells whose they are.
//
// A process id says whose a file is only on this host and in this pid
// namespace: a run on another NFS client, or in another container sharing
// the directory, looks dead here. So another output's file is removed only
// when this user owns it and nothing touched it for otherNameAge besides
// (a live run writes as it goes); before, when only base's were removed, a
// live run elsewhere could lose base's alone, and the day's diff review
// showed a run in another pid namespace removing a live run's file of
// another name.
func RemoveStale(dir, base string) int {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	removed := 0
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
		pid, ok := tempPID(name)
		if !ok || pid == os.Getpid() || alive(pid) {
			continue
		}
		if !strings.HasPrefix(name, tempPrefix(base)) {
			info, err := e.Info()
			if err != nil || time.Since(info.ModTime()) < otherNameAge {
				continue
			}
			if uid, known := owner(info); !known || uid != os.Getuid() {
				continue
			}
		}
		if os.Remove(filepath.Join(dir, name)) == nil {
			removed++
		}
	}
	return removed
}

// otherNameAge is how long another output's temporary file of a dead
// process must have gone untouched before RemoveStale takes it (see there).
const otherNameAge = 6 * time.Hour

// tempPID is the process id in a temporary name of the pattern
// ".NAME.hashgate-PID-RANDOM.tmp" (tempPrefix; RANDOM is os.CreateTemp's
// digits), of any NAME; ok is false for any other name.
func tempPID(name string) (pid int, ok bool) {
	const mark = ".hashgate-"
	at := strings.LastIndex(name, mark)
	if !strings.HasPrefix(name, ".") || at < 1 {
		return 0, false
	}
	pidText, random, ok := strings.Cut(strings.TrimSuffix(name[at+len(mark):], ".tmp"), "-")
	pid, err := strconv.Atoi(pidText)
	if !ok || err != nil || pid <= 0 || random == "" || strings.Trim(random, "0123456789") != "" {
		return 0, false
	}
	return pid, true
}

// writeFlags opens want for writing; a FIFO non-blocking (see openInPlace).
func writeFlags(want fs.FileInfo) int {
	if want.Mode()&fs.ModeNamedPipe != 0 {
		return os.O_WRONLY | nonBlock
	}
	return os.O_WRONLY
}

// openChecked opens path and checks that the file opened is want and
// still passes vet: a link swapped between the look and the open is
// refused before anything is written.
func openChecked(path string, viaLink bool, want fs.FileInfo) (*os.File, error) {
	flags := writeFlags(want)
	if !viaLink {
		flags |= noFollow
	}
	fh, err := os.OpenFile(path, flags, 0)
	if errors.Is(err, syscall.ENXIO) {
		return nil, noDevice(path, want)
	}
	if err != nil {
		return nil, err
	}
	if err := vetOpened(path, fh, viaLink, want); err != nil {
		fh.Close()
		return nil, err
	}
	return fh, nil
}
