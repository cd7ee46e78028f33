package run

// The run's outputs other than the platforms: the JSON run report
// (--report, --json, the state directory's copy), the summary, and what
// an output that cannot be written does to a run — checked before the
// export is read and anything sent, and said beside the summary when it
// still fails after.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/outfile"
	"github.com/hashgate/hashgate/internal/phi"
	"github.com/hashgate/hashgate/internal/report"
)

// FailedUpload reports an upload that failed before its run began — the
// config could not be loaded, the export could not be opened, a credential
// is missing — to Report (atomically replaced) and, with JSON, stdout: the
// exit code and the cause, nothing else. It returns err. A Report path that
// is itself the problem (it names the input, or a health term) is left
// alone.
func FailedUpload(env *Env, r UploadRequest, err error) error {
	name := r.Input
	if name == "-" || name == "" {
		name = "stdin"
	}
	sum := report.New(name)
	now := env.Now().UTC()
	sum.DryRun, sum.StartedAt, sum.FinishedAt, sum.ToolVersion = r.DryRun, now, now, env.Version
	sum.ExitCode, sum.Cause, sum.Config = Code(err), err.Error(), env.ConfigAbs
	rep, jerr := sum.JSON()
	if jerr != nil {
		return errors.Join(err, jerr)
	}
	rep = append(rep, '\n')
	var oe *OutputError
	if reportWritable(env, r) && !(errors.As(err, &oe) && oe.Flag == "--report") {
		if werr := WriteFileAtomic(r.Report, rep); werr != nil {
			err = errors.Join(err, outputFailed("--report", r.Report, bareErr(werr)))
		}
	}
	if r.JSON {
		if _, werr := env.Out.Write(rep); werr != nil {
			return errors.Join(err, werr)
		}
	}
	return err
}

// reportWritable: Report is set, does not name the input export or one of
// hashgate's own files (ownFile: a config that failed to load is still
// the config) and names no health term (the checks Upload makes before
// writing it).
func reportWritable(env *Env, r UploadRequest) bool {
	if r.Report == "" || (r.Input != "-" && sameFile(r.Report, r.Input)) || ownFile(env, r.Config, r.Report) != "" {
		return false
	}
	guard := phi.New(nil, nil)
	if r.Config != nil {
		guard = r.Config.PHIGuard()
	}
	return guard.Check("--report", filepath.Base(r.Report)) == nil
}

// unreadError is an upload's failure to open or write its ledger before
// the export's rows were read. Its summary said "0 rows read from …; 0
// used, 0 excluded" of an export of 15 rows, as if the night were empty:
// finish shows none, and the error says the rows were not read.
type unreadError struct{ err error }

func (e *unreadError) Error() string {
	return e.err.Error() + " (the export's rows were not read; nothing was sent)"
}
func (e *unreadError) Unwrap() error { return e.err }

// finish completes the report and shows it: the JSON report on stdout
// (JSON) or the summary on stderr (unless quiet), a Report file, and for
// uploads a copy in the state directory.
func finish(env *Env, r UploadRequest, sum *report.Summary, runErr error) error {
	var ce *config.Error
	var ue *UsageError
	var unread *unreadError
	// A refused run (config, usage, lock, a ledger that cannot be opened)
	// shows no summary — the error says it all — but its report is
	// written like any other.
	refused := errors.As(runErr, &ce) || errors.As(runErr, &ue) || isLocked(runErr) || errors.As(runErr, &unread)
	sum.FinishedAt = env.Now().UTC()
	sum.Seconds = sum.FinishedAt.Sub(sum.StartedAt).Seconds()
	sum.ExitCode = Code(runErr)
	if runErr != nil {
		sum.Cause = runErr.Error()
	}
	rep, err := sum.JSON()
	if err != nil {
		return errors.Join(runErr, err)
	}
	rep = append(rep, '\n')
	if reportWritable(env, r) { // not when the --report path itself was refused
		if err := WriteFileAtomic(r.Report, rep); err != nil {
			// Checked before anything was sent (checkOutput), and still
			// failing: a disk that filled during the run. The summary,
			// --json and the state directory's copy still say what was
			// sent, with the exit code and cause of the whole run.
			runErr = withOutputFailure(runErr, outputFailed("--report", r.Report, bareErr(err)))
			sum.ExitCode, sum.Cause = Code(runErr), runErr.Error()
			if rep, err = sum.JSON(); err != nil {
				return errors.Join(runErr, err)
			}
			recordLateExit(env, r, sum, rep)
			rep = append(rep, '\n')
		}
	}
	if sum.RunID != "" {
		if dir, err := env.StateDir(); err == nil {
			if err := WriteFileAtomic(filepath.Join(dir, "reports", sum.RunID+".json"), rep); err != nil {
				env.Logger.Warn("could not keep the run report", "error", err)
			}
		}
	}
	switch {
	case r.JSON:
		if _, err := env.Out.Write(rep); err != nil {
			return errors.Join(runErr, err)
		}
	case !env.Quiet && !refused:
		full := sum.Notices // the JSON report, written above, keeps them in full
		var remember func()
		sum.Notices, remember = seenNotices(env, r, sum)
		err := sum.WriteText(env.ErrOut)
		sum.Notices = full
		if err != nil {
			return errors.Join(runErr, err)
		}
		if remember != nil {
			remember()
		}
	}
	return runErr
}

// recordLateExit gives the ledger's record of the run the exit code and
// report it ends with after an output failed: the ledger recorded the
// run's end before its outputs were written, and `ledger list` showed the
// sending's 0 for a night that exited 1, cron's alert with no trace in the
// ledger (TestALateReportFailureIsTheLedgersExitCode). A ledger that
// cannot be opened again (another run took it) is warned of: the exit
// code, the summary and the state directory's copy still say it.
func recordLateExit(env *Env, r UploadRequest, sum *report.Summary, rep []byte) {
	if sum.RunID == "" || sum.DryRun || r.Config == nil {
		return
	}
	warn := func(err error) {
		env.Logger.Warn("could not record the run's exit code in the ledger after --report failed; ledger list shows the sending's", "run_id", sum.RunID, "error", err)
	}
	lpath, err := LedgerPath(env, r.Config)
	if err != nil {
		warn(err)
		return
	}
	ctx := context.Background()
	led, err := ledger.Open(ctx, lpath, ledger.Options{Existing: true, NoUpgrade: true, Now: env.Now, Warn: func(m string) { env.Logger.Warn(m) }, Config: env.ConfigAbs})
	if err != nil {
		warn(err)
		return
	}
	defer led.Close()
	if err := led.FinishRun(ctx, sum.RunID, sum.ExitCode, sum.InputSHA256, string(rep)); err != nil {
		warn(err)
	}
}

// withOutputFailure is the run's error once an output failed after the
// run: the exit code still tells what was sent (3 partial, 1 nothing new
// ingested, 130 interrupted, …), and a run whose sending alone would have
// exited 0 exits 1, so that cron alerts on an output that is missing.
func withOutputFailure(runErr error, oe *OutputError) error {
	code := Code(runErr)
	if code == ExitOK {
		code = ExitFailure
	}
	return &ExitError{Code: code, Err: errors.Join(runErr, oe)}
}

// OutputError is an output (--report, --out, --html) that cannot be
// written, or could not be.
type OutputError struct {
	Flag, Path string
	Err        error
	// Stale says what became of the file an earlier run left at Path.
	Stale string
}

func (e *OutputError) Error() string {
	msg := fmt.Sprintf("%s: %s: %v", e.Flag, DisplayPath(e.Path), e.Err)
	if e.Stale != "" {
		msg += "; " + e.Stale
	}
	return msg
}

func (e *OutputError) Unwrap() error { return e.Err }

// outputFailed is the error of an output that cannot be written. The
// regular file an earlier run left at path is removed, so that no monitor
// or reviewer reads last night's report as tonight's (README: never left
// from an earlier night); where that fails too the error says it is stale.
// Nothing else is removed: not a link, whatever it points to, nor a device.
func outputFailed(flag, path string, err error) *OutputError {
	oe := &OutputError{Flag: flag, Path: path, Err: err}
	if path == "" {
		return oe
	}
	if st, lerr := os.Lstat(path); lerr == nil && st.Mode().IsRegular() {
		if rerr := os.Remove(path); rerr != nil {
			oe.Stale = fmt.Sprintf("the file there is STALE, from an earlier run, and could not be removed (%v): do not read it as this run's", bareErr(rerr))
		} else {
			oe.Stale = "the file an earlier run left there was removed"
		}
	}
	return oe
}

// checkOutput checks, before the run reads its export or sends anything,
// that path names none of hashgate's own files (ownFile: the config in
// use, the ledger, the state directory) and can be written (outfile.Check; mkdir: the directory is made
// as WriteFileAtomic makes it). A path that cannot be an output — a link
// to a file, a directory, a directory that does not exist or is a file — is a usage
// error (exit 2: the flag is to fix); a place that cannot be written now
// (read-only, no permission, full) exits 1. Either way nothing was sent.
// A problem found only here once cost a whole upload its summary and its
// report (a review: a --report link refused after the events had gone).
func checkOutput(env *Env, cfg *config.Config, flag, path string, mkdir bool) error {
	if path == "" {
		return nil
	}
	if err := ownFileError(env, cfg, flag, path); err != nil {
		return err
	}
	var err error
	if mkdir {
		if merr := os.MkdirAll(filepath.Dir(path), 0o700); merr != nil {
			err = &outfile.PlaceError{Err: bareErr(merr)}
		}
	}
	if err == nil {
		err = outfile.Check(path)
	}
	if err == nil {
		return nil
	}
	// Nothing is removed here: the path may name the export itself (its
	// own refusal comes later, in prepare), and a check that failed on a
	// full disk or a name too long for the temporary file deleted the
	// clinic's export (a review of the session's diff). A file an earlier
	// run left there is only said to be stale.
	oe := &OutputError{Flag: flag, Path: path, Err: fmt.Errorf("%w; nothing was read or sent", err)}
	if st, lerr := os.Lstat(path); lerr == nil && st.Mode().IsRegular() {
		oe.Stale = "the file there is from an earlier run or another file, left as it was: do not read it as this run's"
	}
	var pe *outfile.PlaceError
	if errors.As(err, &pe) && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		return &ExitError{Code: ExitFailure, Err: oe}
	}
	return &UsageError{Err: oe}
}

// bareErr is a *PathError's cause: messages name the output by its flag
// and path already.
func bareErr(err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// failWriter keeps the first error of the writer it wraps.
type failWriter struct {
	w   io.Writer
	err error
}

func (f *failWriter) Write(b []byte) (int, error) {
	n, err := f.w.Write(b)
	if err != nil && f.err == nil {
		f.err = err
	}
	return n, err
}
