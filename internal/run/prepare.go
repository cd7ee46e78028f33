package run

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
	"log/slog"
	"os"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
)

// prepared is a run ready to stream: what it excludes besides each row's
// consent, the export opened with its layout and header read (a structural
// problem stops the run here, before any output or upload), and the
// summary begun.
type prepared struct {
	cfg  *config.Config
	key  string // event-id key
	demo bool   // key is the public demo key
	// refusedRun is the id of a run refused before sending, dropped from
	// the ledger: its report is kept under it (keepRefused).
	refusedRun string
	rev        *consent.Revocations
	log        *slog.Logger // env.Logger: what the revocations file did, when it looks wrong
	// whole is the config whose consent columns withdraw patients: wider
	// than cfg when write runs one platform of it.
	whole *config.Config
	in    io.ReadCloser
	name  string
	src   *source
	rd    *export.Reader
	sum   *report.Summary
	now   time.Time // the run's clock: fixes the year of a year-less date
	// weakKey brings keyWarning's verdict on the key, worked out beside
	// the run (summary puts it in the report).
	weakKey chan string
}

// prepareRequest says what prepare needs beyond the config.
type prepareRequest struct {
	Input string // path, or "-" for stdin
	// RunConfig, when set, is the config the export is run with, narrower
	// than the one the event-id key and withdrawals come from (write runs
	// one platform; a patient revoked in any consent column stays revoked).
	RunConfig *config.Config
	Outs      []string // files the run will write: none may be the input
	// SameFile is the refusal when one of Outs names the input.
	SameFile string
	// Digest: keep the input's SHA-256 for the report and ledger.
	Digest bool
	// Begin fills the summary before the export is opened (the header's
	// layout is recorded in it).
	Begin func(sum *report.Summary)
}

// prepare opens a run. Close the result when done.
func prepare(ctx context.Context, env *Env, cfg *config.Config, r prepareRequest) (_ *prepared, err error) {
	if err := consentHeaderErrors(cfg); err != nil {
		return nil, err
	}
	p := &prepared{cfg: cfg, now: env.Now(), log: env.Logger}
	if r.RunConfig != nil {
		p.cfg = r.RunConfig
	}
	p.key, p.demo = eventKey(cfg)
	if p.rev, err = loadRevocations(cfg, nil); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			p.close()
		}
	}()
	p.whole = cfg
	if p.in, p.name, err = openVerified(ctx, env, r.Input); err != nil {
		return nil, err
	}
	for _, out := range r.Outs {
		if out != "" && r.Input != "-" && sameFile(out, r.Input) {
			return nil, &UsageError{Err: errors.New(r.SameFile)}
		}
	}
	p.sum = report.New(p.name)
	// Said on every run, upload, dry-run and write alike (report.Age).
	p.sum.SetAgeJudged(p.cfg.MinAge() > 0)
	// Estimating the key's strength (zxcvbn) is about half of a dry-run's
	// start-up, 20 ms before the first row is read; the verdict is wanted
	// only in the report, so it is worked out beside the run. An upload's
	// key was estimated already (config.ValidateSecret), and the verdict
	// comes back at once.
	p.sum.DemoKey = p.demo
	p.weakKey = make(chan string, 1)
	go func(key string) { p.weakKey <- keyWarning(key) }(p.key)
	p.sum.Notices = p.cfg.Notices()
	if r.Begin != nil {
		r.Begin(p.sum)
	}
	p.src = newSource(p.in, r.Digest)
	if p.rd, err = openExport(pipeline.Options{Config: p.cfg, Input: p.src, InputName: p.name}, p.sum); err != nil {
		if err = p.stopped(ctx, err); p.sum.ReadInterrupted {
			return p, err // a signal, while the header was read: for the summary (closed by the defer)
		}
		return nil, err // structural: refused before any output or upload
	}
	if cfg.Input.Columns.Status == "" {
		p.sum.UnmappedOutcome = unmappedOutcome(cfg, p.rd.Layout().Header)
	}
	env.Logger.Debug("export opened", "input", p.name, "encoding", p.sum.Encoding, "delimiter", p.sum.Delimiter,
		"header_line", p.sum.HeaderLine, "demo_key", p.demo)
	return p, nil
}

// stopped turns the error of a run that the first signal stopped before
// the end of its export into *ReadInterrupted, and marks the summary so
// that it does not say "0 rows read" as of an empty export: rows are
// judged, written and sent only once the export has been read to its
// end. Other errors are returned as they are.
func (p *prepared) stopped(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || !errors.Is(err, context.Canceled) || p.src == nil || p.src.eof {
		return err
	}
	p.sum.ReadInterrupted, p.sum.InterruptedBy, p.sum.BytesRead = true, "signal", p.src.n.Load()
	p.sum.CountsPartial = true
	var ri *ReadInterrupted
	if errors.As(err, &ri) { // the reader's, under the export's "read failed"
		return ri
	}
	return &ReadInterrupted{Input: p.name}
}

// run is pipeline.Run over the prepared export. Any stop marks the
// summary as a signal's does (stopped): one before the export's end — a
// structural problem, a temporary directory that filled, an export that
// changed — as not read to its end, with the bytes read; one after, while
// the rows were settled (an output that failed while written, a check of
// the whole export), as partial counts. Rows read then is not rows used
// plus excluded (a review: "4317 rows read; 0 used, 0 excluded" of a
// 40k-row export whose spool filled, with nothing saying so).
func (p *prepared) run(ctx context.Context, opt pipeline.Options) error {
	err := pipeline.Run(ctx, opt, p.sum)
	noteRevocations(p.cfg, p.rev, p.sum, p.log)
	if err == nil {
		return nil
	}
	p.sum.CountsPartial = true
	if !p.src.eof {
		p.sum.ReadInterrupted, p.sum.BytesRead = true, p.src.n.Load()
		p.sum.InterruptedBy = "error"
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			p.sum.InterruptedBy = "signal"
		}
	}
	return err
}

func (p *prepared) close() {
	if p.in != nil {
		p.in.Close()
	}
	p.rev.Close() // its digests live outside the Go heap (nil: no file)
	p.summary()   // the key's check has ended before the run returns
}

// summary is the run's report, with the verdict on its key (waiting for
// it, the first time). Code that reads or writes the report out calls it.
func (p *prepared) summary() *report.Summary {
	if p.weakKey != nil {
		p.sum.WeakKey = <-p.weakKey
		p.weakKey = nil
	}
	return p.sum
}

// options are the pipeline options of the prepared run, writing into snk.
func (p *prepared) options(env *Env, snk sink.Sink) pipeline.Options {
	return pipeline.Options{
		Config: p.cfg, Whole: p.whole, Key: p.key, Input: p.src, Reader: p.rd, InputName: p.name, Sink: snk,
		Revocations: p.rev, Now: p.now, HoldMemory: holdLimit, InputSHA256: p.src.sha256,
		// A consent column none of whose rows is granted, where it does
		// not stop the run (a column that never worked, a dry run): one
		// line beside the summary's exclusion counts.
		ConsentWarn: func(err error) {
			env.Logger.Warn("no row of a consent column is granted; its words may have changed (nothing stops for it: no destination it gates accepted events before, or this run sends nothing)", "error", err)
		},
	}
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
func runToFile(ctx context.Context, env *Env, path string, p *prepared, opt pipeline.Options, newSink func(io.Writer) (sink.Sink, error)) error {
	out, commit, abort, err := openOutput(env, path)
	if err != nil {
		return err
	}
	defer abort()
	// A write that fails — a disk that fills — is an output failure, said
	// as such, whether it surfaces through the sink during the run or at
	// the end: the file an earlier run left is not left as this one's
	// (outputFailed).
	fw := &failWriter{w: out}
	bw := bufio.NewWriterSize(fw, 1<<16)
	snk, err := newSink(bw)
	if err != nil {
		return err
	}
	opt.Sink = snk
	failed := func(err error) error {
		abort()
		if path == "" {
			return fmt.Errorf("write output: %w", err)
		}
		return outputFailed("--out", path, bareErr(err))
	}
	if err := p.run(ctx, opt); err != nil {
		if fw.err != nil {
			return failed(fw.err)
		}
		return err
	}
	if err := snk.Close(); err != nil {
		// A sink's verdict over the whole file (write's fileFilter: a
		// file of only unknown ids) is a stop, not a write that failed.
		var ce *config.Error
		if errors.As(err, &ce) && fw.err == nil {
			abort()
			return err
		}
		return failed(err)
	}
	if err := bw.Flush(); err != nil {
		return failed(err)
	}
	if err := commit(); err != nil {
		return failed(err)
	}
	return nil
}

// source reads the export for the pipeline, counting bytes for the
// progress display and hashing them for the report, and notes whether the
// input was read to its end (only then is its digest meaningful).
type source struct {
	r      io.Reader
	n      atomicInt
	eof    bool
	size   int64
	digest hash.Hash // nil: not kept
}

func newSource(in io.Reader, digest bool) *source {
	s := &source{r: in}
	if digest {
		s.digest = sha256.New()
		s.r = io.TeeReader(in, s.digest)
	}
	return s
}

func (s *source) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	s.n.Add(int64(n))
	if errors.Is(err, io.EOF) {
		s.eof = true
	}
	return n, err
}

// sha256 is the input's digest in hex, or "" before the input was read to
// its end.
func (s *source) sha256() string {
	if !s.eof || s.digest == nil {
		return ""
	}
	return hex.EncodeToString(s.digest.Sum(nil))
}

// holdLimit is how many bytes of held rows a run keeps in memory before
// they spill to disk (pipeline.Options.HoldMemory); tests lower it to go
// through the spill file.
var holdLimit = 0

// eventKey returns the event-id key: the secret, or for runs that send
// nothing (dry-runs, check) the public demo key. demo is true whenever the
// key in use is the demo key, also when HASHGATE_SECRET spells it out.
func eventKey(cfg *config.Config) (key string, demo bool) {
	key = cfg.Secret
	if key == "" {
		key = eventid.DemoKey
	}
	return key, key == eventid.DemoKey
}

// keyWarning says, for a dry-run, why an upload would refuse its key; ""
// when it would not, or when it is the demo key (reported on its own).
func keyWarning(key string) string {
	err := eventid.CheckKey(key)
	if err == nil || errors.Is(err, eventid.ErrDemoKey) {
		return ""
	}
	return err.Error()
}

// loadRevocations reads consent.revocations_file, when set; each, when
// not nil, sees every id (consent.ReadRevocations). A file that cannot
// be read as a list of ids is a config problem found before anything is
// sent, as a missing one is: both exit 2 (Code maps *consent.ListError),
// where a malformed file exited 1 (review).
func loadRevocations(cfg *config.Config, each func(id string)) (*consent.Revocations, error) {
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
		return nil, &config.Error{Key: "consent.revocations_file", Problem: fmt.Sprintf("%s: %v", DisplayPath(path), err)}
	}
	defer fh.Close()
	rev, err := consent.ReadRevocations(fh, DisplayPath(path), each)
	if err != nil {
		return nil, fmt.Errorf("consent.revocations_file: %w", err)
	}
	return rev, nil
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
