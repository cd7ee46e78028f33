package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// One read of the truth (issue 29). The export is opened once and read
// once; the pipeline decides every row as it goes, collects what later
// rows withdraw (patients, orders) and holds everything until the end of
// the export. At that end, before the pipeline settles a single row, the
// verified reader checks that the file is still what it was when opened:
// its size and modification time, its change time (ctime, which every
// write and every touch sets and no program can set back), and that the
// bytes read are as many as its size. A file rewritten while it is read —
// a revocation appended, rows changed in place with the modification time
// put back — stops the run with nothing written or sent.
//
// The SHA-256 of what was read is the run report's input_sha256 and the
// ledger's (source.sha256): with one read there is no second digest to
// compare it with, so the change time is what proves the bytes did not
// change under the reader. Where the system keeps no change time
// (Windows), size and modification time remain. Another file renamed into
// the export's place while it is read changes nothing read: the reader
// holds the file it opened, whole.

// duringRead, when set, is called after each read before the end: tests
// rewrite the file there. Each verified reader takes its own copy when
// the export is opened and production code never writes the variable:
// runs read in parallel (the cli tests) must not race on it.
var duringRead func(name string)

// openFile opens an export file, and readHook, when set, wraps what the
// verified reader reads it through: seams for the test that counts opens
// and bytes read.
var (
	openFile = os.Open
	readHook func(io.Reader) io.Reader
)

// ErrExportChanged is the run stopping because the export changed while
// it was read.
var ErrExportChanged = errors.New("the export changed while hashgate read it")

// openVerified opens the export: standard input as it is, a file behind
// the verified reader.
func openVerified(ctx context.Context, env *Env, input string) (io.ReadCloser, string, error) {
	in, name, err := OpenInput(ctx, env, input)
	if err != nil {
		return nil, "", err
	}
	fh, ok := in.(*os.File)
	if !ok {
		return in, name, nil
	}
	before, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, "", err
	}
	v := &verified{f: fh, r: fh, name: name, before: before, ctime: changeTime(before), during: duringRead}
	if readHook != nil {
		v.r = readHook(fh)
	}
	return v, name, nil
}

// verified reads the export once and, at its end, returns
// ErrExportChanged instead of io.EOF when the file is not what it was
// when opened.
type verified struct {
	f      *os.File
	r      io.Reader // f, or what a test wraps it in
	name   string
	before os.FileInfo
	ctime  time.Time // zero where the system keeps none
	n      int64
	during func(name string) // duringRead as it was at open; nil after the end
}

func (v *verified) Read(b []byte) (int, error) {
	n, err := v.r.Read(b)
	v.n += int64(n)
	if errors.Is(err, io.EOF) {
		if cerr := v.check(); cerr != nil {
			return n, cerr
		}
		v.during = nil
	}
	if v.during != nil && err == nil {
		v.during(v.name)
	}
	return n, err
}

func (v *verified) check() error {
	now, err := v.f.Stat()
	changed := err != nil || now.Size() != v.before.Size() || !now.ModTime().Equal(v.before.ModTime()) ||
		v.n != v.before.Size()
	if !changed && !changeTime(now).Equal(v.ctime) {
		// The change time moved while nothing else did. Linux sets it on
		// the opened file when its last name goes — removed, or another
		// file renamed into its place (cp new.csv; mv new.csv export.csv),
		// which README promises changes nothing read. So a file with no
		// name left, of the same size and modification time and read to
		// that size, is taken as unchanged. The limit: a write that kept
		// the size and put the modification time back, followed by the
		// removal of the file's last name within the same read, is not
		// seen — the removal's change time hides the write's. A file
		// that still has a name, or had another link removed, stops the
		// run as before.
		changed = linkCount(now) != 0
	}
	if changed {
		return fmt.Errorf("%s: %w (it was written to while it was read); nothing was written or sent: run again once the export is complete", v.name, ErrExportChanged)
	}
	return nil
}

func (v *verified) Close() error { return v.f.Close() }
