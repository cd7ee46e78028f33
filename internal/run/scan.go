package run

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/report"
)

// One read of the truth. The pre-scan (pipeline.Prescan: patients and
// orders another row withdraws) and the run proper must see the same
// bytes: a file replaced between the two would let a revoked patient's
// earlier visit through. So the export is opened once; the pre-scan reads
// that descriptor and hashes what it read; the descriptor is rewound, and
// the run stops before anything is written or sent if the file changed
// (size or modification time through the descriptor) or if its path now
// names another file; at the end of the run proper the bytes read must
// hash the same, or the run fails.

// betweenPasses, when set, is called after the pre-scan and before the
// checks that follow it: tests replace the file there.
var betweenPasses func(path string)

// duringRead, when set, is called after each read of the run proper
// before its end: tests rewrite the file there.
var duringRead func(name string)

// ErrExportChanged is the run stopping because the export changed between
// or during its two reads.
var ErrExportChanged = errors.New("the export changed while hashgate read it")

// openScanned opens the export and pre-scans it. From standard input,
// which cannot be read twice, there is no pre-scan: w is nil, and a
// warning says what that costs when a patient key is configured.
func openScanned(ctx context.Context, env *Env, cfg *config.Config, input, key string, columns map[export.Column][]string) (in io.ReadCloser, name string, w *pipeline.Withdrawals, err error) {
	in, name, err = OpenInput(env, input)
	if err != nil {
		return nil, "", nil, err
	}
	fh, ok := in.(*os.File)
	if !ok {
		if cfg.Input.Columns.PatientKey != "" {
			env.Logger.Warn("a revocation on one row of a patient is not applied to the patient's other rows when the export comes from standard input; give it as a file", "key", "input.columns.patient_key")
		}
		return in, name, nil, nil
	}
	fail := func(err error) (io.ReadCloser, string, *pipeline.Withdrawals, error) {
		in.Close()
		w.Close()
		return nil, "", nil, err
	}
	before, err := fh.Stat()
	if err != nil {
		return fail(err)
	}
	h := sha256.New()
	w, err = pipeline.Prescan(ctx, pipeline.Options{Config: cfg, Key: key, Input: io.TeeReader(fh, h), InputName: name, Columns: columns})
	if err != nil {
		return fail(err)
	}
	if _, err := io.Copy(h, fh); err != nil { // what the scan left unread (a footer it skipped)
		return fail(err)
	}
	if betweenPasses != nil {
		betweenPasses(input)
	}
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		return fail(fmt.Errorf("%s: cannot read it twice (%v); give a regular file, or standard input (-)", name, err))
	}
	after, err := fh.Stat()
	if err != nil {
		return fail(err)
	}
	now, err := os.Stat(input)
	switch {
	case after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()):
		return fail(fmt.Errorf("%s: %w (it was rewritten between the revocation scan and the run); nothing was written or sent: run again once the export is complete", name, ErrExportChanged))
	case err != nil || !os.SameFile(now, after):
		return fail(fmt.Errorf("%s: %w (another file took its place between the revocation scan and the run); nothing was written or sent: run again once the export is complete", name, ErrExportChanged))
	}
	return &verified{f: fh, name: name, h: sha256.New(), want: h.Sum(nil), before: before}, name, w, nil
}

// verified reads the export a second time and, at its end, checks that
// the bytes hash as they did in the pre-scan and that the file's size and
// modification time are still those it had before the pre-scan. An upload
// holds every conversion until then (hold), so a rewrite during the run
// sends nothing.
type verified struct {
	f      *os.File
	name   string
	h      hash.Hash
	want   []byte
	before os.FileInfo
}

func (v *verified) Read(b []byte) (int, error) {
	n, err := v.f.Read(b)
	v.h.Write(b[:n])
	if errors.Is(err, io.EOF) {
		if !bytes.Equal(v.h.Sum(nil), v.want) {
			return n, fmt.Errorf("%s: %w (it was rewritten during the run); nothing was written or sent: run again once the export is complete", v.name, ErrExportChanged)
		}
		now, serr := v.f.Stat()
		if serr != nil || now.Size() != v.before.Size() || !now.ModTime().Equal(v.before.ModTime()) {
			return n, fmt.Errorf("%s: %w (it was written to during the run); nothing was written or sent: run again once the export is complete", v.name, ErrExportChanged)
		}
		if duringRead != nil {
			duringRead = nil
		}
	}
	if duringRead != nil && err == nil {
		duringRead(v.name)
	}
	return n, err
}

func (v *verified) Close() error { return v.f.Close() }

// warnRefusedAfterSent says on stderr when a row refused consent for an
// order an earlier row had already converted: the strictest consent of an
// order wins only when the export can be pre-scanned, so from standard
// input the earlier row went out.
func warnRefusedAfterSent(env *Env, sum *report.Summary) {
	if n := sum.Notes[pipeline.NoteRefusedAfterSent]; n > 0 {
		env.Logger.Warn("a later row refused consent for an order an earlier row had already converted; from standard input the earlier row cannot be held back: give the export as a file", "orders", n)
	}
}
