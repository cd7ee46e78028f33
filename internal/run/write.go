package run

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/sink/platformcsv"
)

// WriteRequest is one `hashgate write`.
type WriteRequest struct {
	Config *config.Config // loaded, not yet validated
	Format platformcsv.Format
	Out    string // "" is stdout
	Input  string // path, or "-" for stdin
	// Uploaded are files of this format (or directories of them) that a
	// person uploaded: the events they hold are left out (readUploaded).
	Uploaded []string
	// AcceptNewIDs passes the stops on ids that departed from those the
	// uploaded files were written from (writtenshape.go), as upload's
	// --accept-new-ids does.
	AcceptNewIDs bool
}

// Write runs the export through the same consent gate and hashing as an
// upload and writes the platform's own import file instead of calling its
// API. Only that platform's conversions are made, with its identifiers,
// whether or not its API upload is enabled.
func Write(ctx context.Context, env *Env, r WriteRequest) error {
	cfg := r.Config
	// The file's order id column is the event id, and the file is uploaded
	// by hand: its key must be as strong as an upload's.
	if err := cfg.ValidateSecret(); err != nil {
		return err
	}
	only := *cfg
	for _, p := range platform.All {
		only.SetEnabled(p, p == r.Format.Platform)
	}
	// The files carry visits only: Google's names one conversion action
	// per file's rows (conversion_name), and a booking is a second one;
	// bookings go by upload (conversion.bookings).
	only.Conversion.Bookings.Enabled = false
	var narrowed string
	if r.Format.Narrow != nil {
		narrowed = r.Format.Narrow(&only)
	}
	if err := only.Validate(); err != nil {
		return err
	}
	// A file the platform refuses as a whole is refused here, as the
	// upload refuses its requests (a Meta Purchase without a value).
	if err := only.ValueRequired(); err != nil {
		return err
	}
	// An exact fee in a file uploaded by hand leaves as an upload's does.
	if err := only.ActualValue(); err != nil {
		return err
	}
	// So does a mainland clinic's visit: PIPL's separate consents first.
	if err := only.PIPLConsents(); err != nil {
		return err
	}
	if r.Format.Check != nil {
		if err := r.Format.Check(cfg); err != nil {
			var ce *config.Error
			if errors.As(err, &ce) {
				return err
			}
			return &UsageError{Err: err}
		}
	}
	if r.Out != "" {
		if err := cfg.PHIGuard().Check("--out", filepath.Base(r.Out)); err != nil {
			return &UsageError{Err: err}
		}
	}
	if err := checkOutput(env, cfg, "--out", r.Out, false); err != nil {
		return err
	}
	var up *uploadedFiles
	if len(r.Uploaded) > 0 {
		var err error
		if up, err = readUploaded(r.Format, r.Uploaded, r.Out); err != nil {
			return err
		}
	}
	// The shape of the order ids the uploaded files were written from:
	// this export's are held to it, as an upload's are to the ledger's.
	var prior *pipeline.IDShape
	if up != nil {
		prior, up.newest = priorWritten(env, cfg.Input.Columns.OrderID, up.digests)
	}
	acc := &acceptance{asked: r.AcceptNewIDs}
	p, err := prepare(ctx, env, cfg, prepareRequest{
		Input: r.Input, Outs: []string{r.Out}, RunConfig: &only,
		SameFile: "--out names the input export; refusing to overwrite it",
		Begin: func(sum *report.Summary) {
			if narrowed != "" {
				sum.Notices = append(sum.Notices, narrowed)
			}
		},
	})
	if err != nil {
		return err
	}
	defer p.close()
	var file sink.Sink
	filter := &fileFilter{p: r.Format.Platform, up: up, window: r.Format.DedupWindow, now: p.now, sum: p.sum, accept: acc.pipeline()}
	newSink := func(w io.Writer) (sink.Sink, error) {
		var err error
		if file, err = r.Format.New(w, &only); err != nil {
			return nil, err
		}
		filter.next = file
		return newPreflightFilter(env, &only, p.sum, r.Format.Platform, filter), nil
	}
	// The file reaches the platform with no ledger in between: the
	// patients the uploads remember as withdrawn stay out of it.
	opt := p.options(env, nil)
	if err = rememberedWithdrawals(ctx, env, cfg, p.sum, p.key, p.demo, true, &opt); err != nil {
		return err
	}
	defer opt.Revoked.Close()
	var seen pipeline.IDShape
	opt.PriorIDs, opt.SeenIDs, opt.Accepted = prior, &seen, acc.pipeline()
	err = writeWords(p.stopped(ctx, runToFile(ctx, env, r.Out, p, opt, newSink)))
	if rf, ok := file.(interface{ Refusals() platformcsv.Refusals }); ok {
		countRefusals(p.sum, r.Format.Platform, rf.Refusals())
	}
	if err != nil {
		return err
	}
	p.sum.Notices = append(p.sum.Notices, filter.notices(r.Format)...)
	if shape, err := seen.MarshalText(); err == nil {
		keepWritten(env, r.Format, r.Out, writtenShape{OrderID: cfg.Input.Columns.OrderID, Shape: string(shape), Zone: seen.Zone,
			Accepted: r.AcceptNewIDs, Newest: filter.newest, Written: env.Now()})
	}
	acc.sayWrite(env, p.sum)
	if !env.Quiet {
		if err := p.summary().WriteText(env.ErrOut); err != nil {
			return err
		}
	}
	// The file reaches the platform as an upload's rows do, with the rows
	// a placeholder withdrew left out of it: it exits 3 on the alarm as
	// the upload does (it exited 0, and --quiet printed nothing of it: a
	// review). The file is written; the line is an error, said under
	// --quiet too.
	return fanOutOutcome(nil, p.sum.IdentifierFanOut)
}

// preflightFilter keeps out of a platform's file what an upload would hold
// back before sending (the clients' pre-flight: too old, in the future, a
// Purchase without a value or of value zero), counting each in the
// summary as not sent with its reason. A reviewer's file carried a visit
// 280 days old, one 14 days ahead and Purchases without a value, each of
// which the platform refuses, while the upload of the same export held
// them back.
type preflightFilter struct {
	next  sink.Sink
	check func(*conversion.Conversion, time.Time) string
	now   time.Time
	sum   *report.Summary
	p     platform.Platform
}

func newPreflightFilter(env *Env, cfg *config.Config, sum *report.Summary, p platform.Platform, next sink.Sink) sink.Sink {
	if env.Preflight == nil {
		return next
	}
	return &preflightFilter{next: next, check: env.Preflight(cfg, p), now: env.Now(), sum: sum, p: p}
}

// Write implements sink.Sink; the pipeline's settler calls it from one
// goroutine.
func (f *preflightFilter) Write(c *conversion.Conversion) error {
	if c.Platform == f.p && f.check != nil {
		if reason := f.check(c, f.now); reason != "" {
			f.sum.Conversions[f.p.String()]--
			f.sum.Skip(f.p.String(), reason)
			return nil
		}
	}
	return f.next.Write(c)
}

// Close implements sink.Sink.
func (f *preflightFilter) Close() error { return f.next.Close() }

// countRefusals adds what a platform file could not carry (platformcsv: a
// cell a spreadsheet would run, an identifier it has no column for) to the
// summary: cells with the identifiers dropped, and conversions left with
// nothing to match on, which are not in the file, as not sent to the
// platform with their reason.
func countRefusals(sum *report.Summary, p platform.Platform, rf platformcsv.Refusals) {
	for k, n := range rf.Cells {
		sum.Dropped[k] += n
	}
	for reason, n := range rf.Conversions {
		sum.Conversions[p.String()] -= n
		for range n {
			sum.Skip(p.String(), reason)
		}
	}
}

// writeWords says a stop of the order ids' shape (pipeline's, worded for
// an upload held to the last upload's) as write's: held to the ids the
// --uploaded files were written from, passed by `hashgate write
// --accept-new-ids`, nothing written.
func writeWords(err error) error {
	var ce *config.Error
	if !errors.As(err, &ce) {
		return err
	}
	ce.Problem = strings.NewReplacer(
		"the last upload's", "those the --uploaded files were written from",
		"the last upload wrote it under", "the --uploaded files were written under",
		"the last upload's zone", "the --uploaded files' zone",
		"hashgate upload --accept-new-ids", "hashgate write --accept-new-ids",
		"nothing was sent", "nothing was written",
	).Replace(ce.Problem)
	return err
}

// sayWrite says on stderr, with write's --accept-new-ids, the stops it
// passed (the run report's accepted_stops), or that it passed none: the
// flag is for one file, after a person checked the cause.
func (a *acceptance) sayWrite(env *Env, sum *report.Summary) {
	if a == nil || !a.asked {
		return
	}
	stops := []string{}
	for _, s := range report.AcceptableStops {
		if slices.Contains(a.passed, s) {
			stops = append(stops, s)
		}
	}
	sum.AcceptedStops = stops
	if len(stops) > 0 {
		env.Logger.Warn(acceptedSomeMsg, "stops", strings.Join(stops, ","))
		return
	}
	env.Logger.Warn("--accept-new-ids passed nothing: the order ids are shaped as those the --uploaded files were written from, and the file holds ids they hold or visits newer than theirs. " +
		"It is for one file; remove it from a script, where it would let spreadsheet-trimmed ids or another secret through unseen (every visit written again)")
}
