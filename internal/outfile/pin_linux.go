package outfile

import (
	"errors"
	"io/fs"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// openPinned pins what path names with an O_PATH descriptor — an open
// that opens no device and reads nothing, so a link swapped to
// /dev/watchdog just before it arms nothing — vets that file, and reopens
// that very file through /proc/self/fd for writing: a later swap of the
// link cannot change what is written. Without /proc it opens the path
// and checks the file opened is the one vetted (openChecked).
func openPinned(path string, viaLink bool) (*os.File, error) {
	flags := unix.O_PATH | unix.O_CLOEXEC
	if !viaLink {
		flags |= unix.O_NOFOLLOW // what was not a link when looked at must not be one now
	}
	fd, err := unix.Open(path, flags, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	pin := os.NewFile(uintptr(fd), path)
	defer pin.Close()
	st, err := pin.Stat()
	if err != nil {
		return nil, err
	}
	if err := vet(path, st, viaLink); err != nil {
		return nil, err
	}
	fh, err := os.OpenFile("/proc/self/fd/"+strconv.Itoa(fd), writeFlags(st), 0)
	if errors.Is(err, fs.ErrNotExist) {
		return openChecked(path, viaLink, st) // no /proc mounted
	}
	if errors.Is(err, unix.ENXIO) {
		return nil, noDevice(path, st)
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = &fs.PathError{Op: "open", Path: path, Err: pe.Err}
		}
		return nil, err
	}
	if err := vetOpened(path, fh, viaLink, st); err != nil {
		fh.Close()
		return nil, err
	}
	return fh, nil
}
