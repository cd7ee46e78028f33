package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/report"
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

With --dry-run it writes the hashed CSV that would be sent, one row per
conversion per enabled destination, to stdout or --out, and makes no network
call. A short summary goes to stderr: rows read, conversions per
destination, exclusions per reason.

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
	fl.StringVarP(&opts.Out, "out", "o", "", "write the review CSV to FILE (mode 0600, replaced only on success) instead of stdout")
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
	if !o.DryRun {
		if o.Out != "" {
			return &UsageError{Err: errors.New("--out goes with --dry-run: an upload writes no file")}
		}
		if err := cfg.ValidateUpload(); err != nil {
			return err
		}
	}
	// Without a secret a dry-run still runs, on the public demo key; the
	// summary says so. Uploads refuse it (ValidateUpload).
	key, demo := cfg.Secret, cfg.Secret == ""
	if demo {
		key = eventid.DemoKey
	}

	rev, err := loadRevocations(cfg)
	if err != nil {
		return err
	}
	if o.Out != "" {
		if err := cfg.PHIGuard().Check("--out", filepath.Base(o.Out)); err != nil {
			return &UsageError{Err: err}
		}
	}
	in, name, err := openInput(f, o.Input)
	if err != nil {
		return err
	}
	defer in.Close()
	if o.Out != "" && o.Input != "-" && sameFile(o.Out, o.Input) {
		return &UsageError{Err: errors.New("--out names the input export; refusing to overwrite it")}
	}

	if !o.DryRun {
		return upload(ctx, f, o, cfg, rev, in, name)
	}
	out, commit, abort, err := openOutput(f, o.Out)
	if err != nil {
		return err
	}
	defer abort()
	bw := bufio.NewWriterSize(out, 1<<16)
	snk, err := reviewcsv.New(bw, layout(cfg))
	if err != nil {
		return err
	}
	sum := report.New(name)
	sum.DemoKey = demo
	f.Logger.Debug("dry-run started", "input", name, "destinations", len(cfg.Enabled()))
	err = pipeline.Run(ctx, pipeline.Options{Config: cfg, Key: key, Input: in, InputName: name, Sink: snk, Revocations: rev}, sum)
	if err != nil {
		return err
	}
	if err := snk.Close(); err != nil {
		return fmt.Errorf("write review CSV: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write review CSV: %w", err)
	}
	if err := commit(); err != nil {
		return err
	}
	if !o.root.Quiet {
		return sum.WriteText(f.IO.ErrOut)
	}
	return nil
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

// loadRevocations reads consent.revocations_file, when set.
func loadRevocations(cfg *config.Config) (consent.Revocations, error) {
	path := cfg.Consent.RevocationsFile
	if path == "" {
		return nil, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &config.Error{Key: "consent.revocations_file", Problem: fmt.Sprintf("%s: %v", path, err)}
	}
	defer fh.Close()
	return consent.ReadRevocations(fh, path)
}

// upload sends every enabled destination its conversions. It always prints
// the summary, even after an interruption or a fatal error, so the analyst
// sees what was and was not sent.
func upload(ctx context.Context, f *Factory, o *UploadOptions, cfg *config.Config, rev consent.Revocations, in io.Reader, name string) error {
	senders, err := newSenders(ctx, f, cfg)
	if err != nil {
		return err
	}
	sum := report.New(name)
	runErr := pipeline.Run(ctx, pipeline.Options{Config: cfg, Key: cfg.Secret, Input: in, InputName: name, Sink: senders, Revocations: rev}, sum)
	if runErr != nil {
		senders.Stop() // an interrupted or broken export: send nothing more
	}
	_ = senders.Close() // fatal errors are in the results
	sum.Uploads = uploadResults(senders, cfg.Destinations.Google.ValidateOnly)
	if err := writeLastRun(f, sum.Uploads); err != nil {
		f.Logger.Warn("could not record the run's request ids for hashgate status", "error", err)
	}
	if !o.root.Quiet {
		if err := sum.WriteText(f.IO.ErrOut); err != nil {
			return err
		}
	}
	if runErr != nil {
		return runErr
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return uploadOutcome(sum.Uploads)
}
