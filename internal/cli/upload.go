package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/orderset"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/sink/reviewcsv"
)

// UploadOptions are the inputs of `hashgate upload`.
type UploadOptions struct {
	f     *Factory
	root  *rootOptions
	flags *pflag.FlagSet

	DryRun bool
	Out    string
	Input  string // path, or "-" for stdin
	Report string // also write the JSON run report here
	JSON   bool   // print the JSON report on stdout instead of the summary on stderr
}

// uploadBinds are the flags that override config keys.
var uploadBinds = []flagKey{{Flag: "timezone", Key: "timezone"}, {Flag: "region", Key: "region"}}

func newUploadCmd(f *Factory, root *rootOptions, runF func(context.Context, *UploadOptions) error) *cobra.Command {
	opts := &UploadOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "upload [--dry-run] [--out FILE] [EXPORT|-]",
		Short: "Send consented conversions, or with --dry-run write the hashed review CSV",
		Long: `upload reads EXPORT (or standard input when it is "-" or absent), keeps
consented, converted appointments, and hashes their identifiers per platform.

Without --dry-run it sends them to every enabled destination. The ledger
(ledger.path) remembers what each platform accepted, so a rerun over an
overlapping export sends only what is new, and a run killed half-way is
completed by the next. One run at a time: a second one exits 4.

With --dry-run it writes the hashed CSV that would be sent, one row per
conversion per enabled destination, to stdout or --out, makes no network
call and touches no ledger.

A short summary goes to stderr (nothing but errors with --quiet); --json
prints the JSON run report on stdout instead, and --report FILE writes it to
a file. Uploads also keep it in $XDG_STATE_HOME/hashgate/reports/.

` + exitCodesHelp,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Input = "-"
			if len(args) == 1 {
				opts.Input = args[0]
			}
			opts.flags = c.Flags()
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return uploadRun(c.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.DryRun, "dry-run", false, "write the hashed review CSV instead of uploading; no network")
	fl.StringVarP(&opts.Out, "out", "o", "", "with --dry-run: write the review CSV to FILE (mode 0600, replaced only on success)")
	fl.StringVar(&opts.Report, "report", "", "also write the JSON run report to FILE")
	fl.BoolVar(&opts.JSON, "json", false, "print the JSON run report on stdout instead of the summary on stderr")
	fl.String("timezone", "", "IANA time zone of offset-less appointment times (config: timezone)")
	fl.String("region", "", "default phone region, ISO 3166-1 alpha-2 (config: region)")
	return cmd
}

func uploadRun(ctx context.Context, o *UploadOptions) error {
	f := o.f
	path, explicit := configPath(f, o.root.ConfigPath, o.root.configChanged)
	cfg, err := loadConfig(f, path, explicit, o.flags, uploadBinds)
	if err != nil {
		return err
	}
	switch {
	case !o.DryRun && o.Out != "":
		return &UsageError{Err: errors.New("--out goes with --dry-run: an upload writes no file")}
	case o.DryRun && o.JSON && o.Out == "":
		return &UsageError{Err: errors.New("--json with --dry-run needs --out: stdout carries the review CSV")}
	}
	if !o.DryRun {
		if err := cfg.ValidateUpload(); err != nil {
			return err
		}
	}
	guard := cfg.PHIGuard()
	for flag, name := range map[string]string{"--out": o.Out, "--report": o.Report} {
		if name != "" {
			if err := guard.Check(flag, filepath.Base(name)); err != nil {
				return &UsageError{Err: err}
			}
		}
	}
	key, demo := eventKey(cfg) // demo only for dry-runs: uploads refused an empty secret above
	rev, err := loadWithdrawn(ctx, f, cfg, o.Input, key)
	if err != nil {
		return err
	}
	defer rev.close()
	in, name, err := openInput(f, o.Input)
	if err != nil {
		return err
	}
	defer in.Close()
	for _, out := range []string{o.Out, o.Report} {
		if out != "" && o.Input != "-" && sameFile(out, o.Input) {
			return &UsageError{Err: errors.New("--out or --report names the input export; refusing to overwrite it")}
		}
	}

	sum := report.New(name)
	sum.DryRun, sum.StartedAt, sum.ToolVersion, sum.DemoKey = o.DryRun, f.Now().UTC(), version(), demo
	sum.ConfigSHA256 = configDigest(cfg)
	digest := sha256.New()
	src := &progressReader{r: io.TeeReader(in, digest)}
	rd, err := openExport(pipeline.Options{Config: cfg, Input: src, InputName: name}, sum)
	if err != nil {
		return err // structural: refused before any output or upload
	}
	if o.DryRun {
		err = dryRun(ctx, f, o, cfg, key, rev, src, rd, name, sum)
	} else {
		err = upload(ctx, f, o, cfg, rev, src, rd, name, sum, digest)
	}
	if src.eof && sum.InputSHA256 == "" { // upload() already set it for the ledger
		sum.InputSHA256 = hex.EncodeToString(digest.Sum(nil))
	}
	return finishRun(f, o, sum, err)
}

// dryRun writes the review CSV; it makes no network call and keeps no state.
// Without a secret it runs on the public demo key (eventKey); the summary
// says so. Uploads refuse it (ValidateUpload).
func dryRun(ctx context.Context, f *Factory, o *UploadOptions, cfg *config.Config, key string, rev withdrawn, in io.Reader, rd *export.Reader, name string, sum *report.Summary) error {
	f.Logger.Debug("dry-run started", "input", name, "destinations", len(cfg.Enabled()))
	newSink := func(w io.Writer) (sink.Sink, error) { return reviewcsv.New(w, layout(cfg)) }
	return runToFile(ctx, f, o.Out, pipeline.Options{Config: cfg, Key: key, Input: in, Reader: rd, InputName: name, Revocations: rev.list, RevokedPatients: rev.patients}, sum, newSink)
}

// openExport opens the export (pipeline.Open) and records how it was read.
func openExport(opt pipeline.Options, sum *report.Summary) (*export.Reader, error) {
	rd, err := pipeline.Open(opt)
	if err != nil {
		return nil, err
	}
	l := rd.Layout()
	sum.Encoding, sum.Delimiter, sum.HeaderLine = l.Encoding, export.DelimiterName(l.Delimiter), l.HeaderLine
	return rd, nil
}

// runToFile runs the pipeline into a sink that writes to stdout or, when
// path is set, to a file replaced only when the run succeeds (openOutput).
// Dry-runs and `write` share it.
func runToFile(ctx context.Context, f *Factory, path string, opt pipeline.Options, sum *report.Summary, newSink func(io.Writer) (sink.Sink, error)) error {
	out, commit, abort, err := openOutput(f, path)
	if err != nil {
		return err
	}
	defer abort()
	bw := bufio.NewWriterSize(out, 1<<16)
	snk, err := newSink(bw)
	if err != nil {
		return err
	}
	opt.Sink = snk
	if err := pipeline.Run(ctx, opt, sum); err != nil {
		return err
	}
	if err := snk.Close(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return commit()
}

// upload sends every enabled destination the conversions its platform has
// not accepted before, recording each batch in the ledger. It fills the
// summary even after an interruption or a fatal error, so the analyst sees
// what was and was not sent.
func upload(ctx context.Context, f *Factory, o *UploadOptions, cfg *config.Config, rev withdrawn, in io.Reader, rd *export.Reader, name string, sum *report.Summary, digest hash.Hash) error {
	lpath, err := ledgerPath(f, cfg)
	if err != nil {
		return err
	}
	led, err := ledger.Open(ctx, lpath, ledger.Options{Now: f.Now})
	if errors.Is(err, ledger.ErrLocked) {
		return &ExitError{Code: ExitLocked, Err: fmt.Errorf("%w (%s): another upload is running; this one sent nothing", err, lpath)}
	}
	if err != nil {
		return err
	}
	defer led.Close()
	if n, err := led.Forget(ctx, f.Now().AddDate(0, 0, -cfg.Ledger.RetentionDays)); err != nil {
		return fmt.Errorf("ledger retention: %w", err)
	} else if n > 0 {
		f.Logger.Info("ledger retention applied", "events_forgotten", n, "retention_days", cfg.Ledger.RetentionDays)
	}
	runID, err := led.StartRun(ctx, ledger.RunInfo{ToolVersion: version(), ConfigSHA256: sum.ConfigSHA256})
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	sum.RunID = runID
	senders, err := newSenders(ctx, f, cfg, &ledger.Recorder{Ctx: ctx, Ledger: led, RunID: runID})
	if err != nil {
		return err
	}
	filter := ledger.NewFilter(ctx, led, senders)
	var snk sink.Sink = filter
	stopProgress := startProgress(f, o, in, senders)
	runErr := pipeline.Run(ctx, pipeline.Options{Config: cfg, Key: cfg.Secret, Input: in, Reader: rd, InputName: name, Sink: snk, Revocations: rev.list, RevokedPatients: rev.patients}, sum)
	if runErr != nil {
		senders.Stop() // an interrupted or broken export: send nothing more
	}
	_ = senders.Close() // fatal errors are in the results
	stopProgress()
	sum.Uploads = uploadResults(senders, sum, filter, cfg.Destinations.Google.ValidateOnly)
	if err := writeLastRun(f, sum.Uploads); err != nil {
		f.Logger.Warn("could not record the run's request ids for hashgate status", "error", err)
	}
	switch {
	case runErr != nil:
		err = runErr
	case ctx.Err() != nil:
		err = ctx.Err()
	default:
		err = uploadOutcome(sum.Uploads)
	}
	// The ledger keeps the report with the run; written after the outcome
	// so it carries the exit code and the input digest.
	if pr, ok := in.(*progressReader); ok && pr.eof {
		sum.InputSHA256 = hex.EncodeToString(digest.Sum(nil))
	}
	sum.FinishedAt = f.Now().UTC()
	sum.ExitCode = exitCode(err)
	if rep, jerr := sum.JSON(); jerr == nil {
		if ferr := led.FinishRun(context.WithoutCancel(ctx), runID, sum.ExitCode, sum.InputSHA256, string(rep)); ferr != nil {
			f.Logger.Warn("could not record the run's end in the ledger", "error", ferr)
		}
	}
	return err
}

// finishRun completes the report and shows it: the JSON report on stdout
// (--json) or the summary on stderr (unless --quiet), a --report file, and
// for uploads a copy in the state directory.
func finishRun(f *Factory, o *UploadOptions, sum *report.Summary, runErr error) error {
	var ce *config.Error
	var ue *UsageError
	if errors.As(runErr, &ce) || errors.As(runErr, &ue) || isLocked(runErr) {
		return runErr // refused before any work: there is nothing to report
	}
	sum.FinishedAt = f.Now().UTC()
	sum.Seconds = sum.FinishedAt.Sub(sum.StartedAt).Seconds()
	sum.ExitCode = exitCode(runErr)
	rep, err := sum.JSON()
	if err != nil {
		return errors.Join(runErr, err)
	}
	rep = append(rep, '\n')
	if o.Report != "" {
		if err := writeFileAtomic(o.Report, rep); err != nil {
			return errors.Join(runErr, fmt.Errorf("--report: %w", err))
		}
	}
	if sum.RunID != "" {
		if dir, err := stateDir(f); err == nil {
			if err := writeFileAtomic(filepath.Join(dir, "reports", sum.RunID+".json"), rep); err != nil {
				f.Logger.Warn("could not keep the run report", "error", err)
			}
		}
	}
	switch {
	case o.JSON:
		if _, err := f.IO.Out.Write(rep); err != nil {
			return errors.Join(runErr, err)
		}
	case !o.root.Quiet:
		if err := sum.WriteText(f.IO.ErrOut); err != nil {
			return errors.Join(runErr, err)
		}
	}
	return runErr
}

func isLocked(err error) bool {
	var ee *ExitError
	return errors.As(err, &ee) && ee.Code == ExitLocked
}

// ledgerPath is ledger.path, or $XDG_STATE_HOME/hashgate/ledger.db.
func ledgerPath(f *Factory, cfg *config.Config) (string, error) {
	if cfg.Ledger.Path != "" {
		return cfg.Ledger.Path, nil
	}
	dir, err := stateDir(f)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "ledger.db"), nil
}

// configDigest identifies the configuration in reports without revealing
// the secret: the secret is blanked before hashing, because a digest over it
// would let anyone holding a report test guesses of the key.
func configDigest(cfg *config.Config) string {
	c := *cfg
	c.Secret = ""
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func layout(cfg *config.Config) reviewcsv.Layout {
	l := reviewcsv.Layout{Fields: map[identifier.Platform][]identifier.Field{}}
	for _, p := range cfg.Enabled() {
		l.Fields[p] = cfg.IdentifierFields(p)
	}
	l.BRAIDs = cfg.Destinations.Google.Enabled && (cfg.Input.Columns.GBRAID != "" || cfg.Input.Columns.WBRAID != "")
	l.GoogleConsent = cfg.Destinations.Google.Enabled
	return l
}

// openInput opens the export; "-" is standard input, named "stdin" in messages.
func openInput(f *Factory, path string) (io.ReadCloser, string, error) {
	if path == "-" {
		return io.NopCloser(f.IO.In), "stdin", nil
	}
	fh, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, "", fmt.Errorf("open export %s: %w", path, pe.Err)
		}
		return nil, "", err
	}
	return fh, path, nil
}

// openOutput returns the writer for the review CSV. A file is written under
// a temporary name beside its target, mode 0600 (hashes are pseudonymous,
// still personal data), and renamed into place only by commit: a failed run
// never leaves half a file where the reviewer expects a whole one.
func openOutput(f *Factory, path string) (w io.Writer, commit func() error, abort func(), err error) {
	if path == "" {
		return f.IO.Out, func() error { return nil }, func() {}, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("create %s: %w", path, err)
	}
	done := false
	abort = func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}
	commit = func() error {
		if err := tmp.Sync(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := tmp.Close(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		done = true
		return nil
	}
	if err := tmp.Chmod(0o600); err != nil {
		abort()
		return nil, nil, nil, fmt.Errorf("create %s: %w", path, err)
	}
	return tmp, commit, abort, nil
}

func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// withdrawn is what a run excludes besides each row's own consent: the
// revocations file and the patients revoked on another row.
type withdrawn struct {
	list     consent.Revocations
	patients *orderset.Set
}

func (w withdrawn) close() {
	if w.patients != nil {
		w.patients.Close()
	}
}

// scanRevokedPatients runs pipeline.RevokedPatients over the export at
// path when a patient key is configured, with the run's event-id key.
// Standard input cannot be read twice: the run goes on without the scan
// and says so on stderr.
func scanRevokedPatients(ctx context.Context, f *Factory, cfg *config.Config, path, key string) (*orderset.Set, error) {
	if cfg.Input.Columns.PatientKey == "" {
		return nil, nil
	}
	if path == "-" {
		f.Logger.Warn("a revocation on one row of a patient is not applied to the patient's other rows when the export comes from standard input; give it as a file", "key", "input.columns.patient_key")
		return nil, nil
	}
	in, name, err := openInput(f, path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	return pipeline.RevokedPatients(ctx, pipeline.Options{Config: cfg, Key: key, Input: in, InputName: name})
}

// eventKey returns the event-id key: the secret, or for runs that send
// nothing (dry-runs, write, check) the public demo key, with demo set.
func eventKey(cfg *config.Config) (key string, demo bool) {
	if cfg.Secret != "" {
		return cfg.Secret, false
	}
	return eventid.DemoKey, true
}

// loadWithdrawn gathers what a run excludes besides each row's own
// consent: the revocations file and the patients an export's rows revoke.
func loadWithdrawn(ctx context.Context, f *Factory, cfg *config.Config, input, key string) (withdrawn, error) {
	w, err := loadRevocations(cfg)
	if err != nil {
		return w, err
	}
	w.patients, err = scanRevokedPatients(ctx, f, cfg, input, key)
	return w, err
}

// loadRevocations reads consent.revocations_file, when set.
func loadRevocations(cfg *config.Config) (withdrawn, error) {
	path := cfg.Consent.RevocationsFile
	if path == "" {
		return withdrawn{}, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return withdrawn{}, &config.Error{Key: "consent.revocations_file", Problem: fmt.Sprintf("%s: %v", path, err)}
	}
	defer fh.Close()
	list, err := consent.ReadRevocations(fh, path)
	return withdrawn{list: list}, err
}

// progressReader counts bytes for the progress display and notes whether
// the input was read to its end (only then is its digest meaningful).
type progressReader struct {
	r    io.Reader
	n    atomicInt
	eof  bool
	size int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n.Add(int64(n))
	if errors.Is(err, io.EOF) {
		p.eof = true
	}
	return n, err
}
