package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/hashgate/hashgate/internal/channels"
	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/diagnostics"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/sink/reviewcsv"
)

// UploadRequest is one `hashgate upload`.
type UploadRequest struct {
	Config *config.Config // loaded and validated
	Input  string         // path, or "-" for stdin
	DryRun bool
	Out    string // with DryRun: the review CSV's file ("" is stdout; "-" is stdout asked for)
	Report string // also write the JSON run report here
	JSON   bool   // print the JSON report on stdout instead of the summary on stderr
	// AcceptNewIDs disarms the safety net against event ids that changed
	// by mistake (see newIDsStop), for a run whose new ids a person has
	// checked, and the other stops a changed export or secret trips — not
	// the moved-times stop (AcceptMovedTimes).
	AcceptNewIDs bool
	// AcceptMovedTimes passes the moved-times stop, alone (armNetAndGuard).
	AcceptMovedTimes bool
	// AcceptRestoredLedger passes the stop on a ledger older than the
	// state directory's record of its last run, alone (ledgerbehind.go).
	AcceptRestoredLedger bool
	// Validate runs every destination in its test mode (Google
	// validateOnly, Meta test events when test_event_code is set; Meta is
	// skipped otherwise): the preflight of a new setup. Nothing is
	// ingested, and nothing is recorded as accepted.
	Validate bool
	// Backfill is the deliberate first upload of history to a platform
	// that deduplicates only within a window (Meta: 7 days): without it, a
	// ledger that never delivered to the destination sends only events
	// younger than the window's safe age (dedupWindow).
	Backfill bool
	// ResendUnconfirmed resends events left unconfirmed longer ago
	// than the window's safe age (dedupWindow).
	ResendUnconfirmed bool
	// SettingFixed: a person fixed the account or conversion-action
	// setting that failed the last runs' processing (settingStops); send
	// again, and the next verdicts tell.
	SettingFixed bool
	// LockWait is how long to wait for another run's ledger lock before
	// exiting 4 (openForUpload); 0: not at all.
	LockWait time.Duration
}

// keepsDigest says whether the run keeps the SHA-256 of the export it
// reads: for an upload, the ledger records it; for a dry-run, only the
// JSON report (--report, --json) prints it, so a dry-run without one does
// not hash the export — 150 MB at 1M rows, 3% of the dry-run's CPU on the
// reader's goroutine (issue 29).
func (r UploadRequest) keepsDigest() bool {
	return !r.DryRun || r.Report != "" || r.JSON
}

// Upload sends every enabled destination the consented conversions its
// platform has not accepted before or, with DryRun, writes the hashed
// review CSV without any network call. The report goes to stderr (or
// stdout with JSON, and Report), even after a failure half-way.
//
// Whatever the outcome — a usage mistake, a missing export or credential,
// an empty export, a network failure — the run report is written to Report
// (and to stdout with JSON) with the exit code and the cause, so a monitor
// reading it never sees the last successful night's report instead.
func Upload(ctx context.Context, env *Env, r UploadRequest) (err error) {
	reported := false
	defer func() {
		if err != nil && !reported {
			err = FailedUpload(env, r, err)
		}
	}()
	cfg := r.Config
	switch {
	case !r.DryRun && r.Out != "":
		return &UsageError{Err: errors.New("--out goes with --dry-run: an upload writes no file")}
	case r.DryRun && r.JSON && (r.Out == "" || r.Out == "-"):
		return &UsageError{Err: errors.New("--json with --dry-run needs --out FILE: stdout carries the review CSV")}
	case r.DryRun && r.Validate:
		return &UsageError{Err: errors.New("--validate asks the platforms to check the events; --dry-run sends nothing: choose one")}
	}
	if r.Out == "-" {
		r.Out = ""
	}
	var skipped map[platform.Platform]string
	if r.Validate {
		cfg, skipped = cfg.ForValidation()
		r.Config = cfg
	}
	// Before any credential is read or request made (prepare checks it
	// again for the runs that come without this one).
	if err := consentHeaderErrors(cfg); err != nil {
		return err
	}
	guard := cfg.PHIGuard()
	for flag, name := range map[string]string{"--out": r.Out, "--report": r.Report} {
		if name != "" {
			if err := guard.Check(flag, filepath.Base(name)); err != nil {
				return &UsageError{Err: err}
			}
		}
	}
	// Every output that can be checked is checked before the export is
	// read and anything sent (checkOutput), and before any credential is
	// read (preflight, newClients): a run refused for its --report reads
	// no token, key or secret file (a security review's leftover). What
	// still fails after is said beside the summary (finish).
	if err := checkOutput(env, cfg, "--out", r.Out, false); err != nil {
		return err
	}
	if err := checkOutput(env, cfg, "--report", r.Report, true); err != nil {
		return err
	}
	var clients uploadClients
	if !r.DryRun {
		// Everything an upload checks before its first request, before
		// the export is read or the ledger opened: a refused run writes
		// nothing there.
		if err := preflight(ctx, env, cfg, r.Validate); err != nil {
			return err
		}
		if clients, err = newClients(ctx, env, cfg); err != nil {
			return err
		}
	}
	// The demo key serves dry-runs only: uploads refused an empty secret above.
	p, err := prepare(ctx, env, cfg, prepareRequest{
		Input: r.Input, Outs: []string{r.Out, r.Report}, Digest: r.keepsDigest(),
		SameFile: "--out or --report names the input export; refusing to overwrite it",
		Begin: func(sum *report.Summary) {
			sum.DryRun, sum.StartedAt, sum.ToolVersion = r.DryRun, env.Now().UTC(), env.Version
			sum.ConfigSHA256, sum.Config = configDigest(cfg), env.ConfigAbs
			sum.EveryRowCounts = cfg.Input.Columns.Status == ""
			sum.EveryRowDeclared = sum.EveryRowCounts && cfg.Conversion.EveryRowIsAVisit
		},
	})
	if err != nil {
		if p != nil { // stopped by a signal while the header was read
			reported = true
			return finish(env, r, p.summary(), err)
		}
		return err
	}
	defer p.close()
	switch {
	case r.DryRun:
		err = dryRun(ctx, env, r, p)
	case len(cfg.Enabled()) == 0:
		// --validate with nothing to validate (Meta alone, no test code):
		// no row is read, and the summary says so, not "0 rows read".
		p.sum.Validation = true
		p.sum.NotRead = "nothing to validate (no destination has a test mode)"
		p.sum.Uploads = skippedUploads(skipped)
	default:
		p.sum.Validation = r.Validate
		err = upload(ctx, env, r, p, clients)
		p.sum.Uploads = append(p.sum.Uploads, skippedUploads(skipped)...)
	}
	err = p.stopped(ctx, err)
	if p.sum.InputSHA256 == "" { // upload() already set it for the ledger
		p.sum.InputSHA256 = p.src.sha256()
	}
	reported = true
	err = finish(env, r, p.summary(), err)
	keepRefused(env, p.refusedRun, p.sum)
	return err
}

// errEmptyExport fails a run over an export with no data rows, unless
// input.allow_empty says that is normal.
func emptyExport(cfg *config.Config, sum *report.Summary) error {
	if sum.RowsRead > 0 || cfg.Input.AllowEmpty {
		return nil
	}
	return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s has no data rows, only a header: a nightly export that is empty usually means the clinic system's export failed (set input.allow_empty: true if an empty export is normal)", sum.Input)}
}

// dryRun writes the review CSV; it makes no network call and keeps no state
// (it reads the ledger's remembered withdrawals, changing nothing:
// rememberedWithdrawals).
// Without a secret it runs on the public demo key (eventKey); the summary
// says so. Uploads refuse it (ValidateUpload).
func dryRun(ctx context.Context, env *Env, r UploadRequest, p *prepared) error {
	env.Logger.Debug("dry-run started", "input", p.name, "destinations", len(p.cfg.Enabled()))
	sayDryRunAccepts(env, r)
	ages := newAgeCounter(env, p.cfg, p.sum)
	sayEventKey(ctx, env, p.cfg, p.key)              // an upload's stop on its secret (eventkey.go)
	held, lpath := peekHeld(ctx, env, p.cfg, p.demo) // what an upload would skip (movedtimes.go)
	if held != nil {
		defer held.Close()
	}
	newSink := func(w io.Writer) (sink.Sink, error) {
		s, err := reviewcsv.New(w, layout(p.cfg))
		if err != nil || env.Preflight == nil {
			return newHeldSink(held, ages.wrap(s)), err
		}
		return newHeldSink(held, newPredictor(env, p.cfg, p.sum, ages.wrap(s))), nil
	}
	// What the review shows is what the upload would send: the patients
	// the uploads remember as withdrawn stay out of it too.
	opt := p.options(env, nil)
	var err error
	if err = rememberedWithdrawals(ctx, env, p.cfg, p.sum, p.key, p.demo, false, &opt); err != nil {
		return err
	}
	defer opt.Revoked.Close()
	if err := runToFile(ctx, env, r.Out, p, opt, newSink); err != nil {
		return err
	}
	ages.report()
	sayHeld(ctx, env, p.cfg, p.sum, held, lpath)
	sayBehind(ctx, env, p.cfg, p.sum, p.demo) // what an upload would stop for
	env.Logger.Debug("dry-run finished", "rows_read", p.sum.RowsRead, "rows_used", p.sum.RowsUsed)
	if err := statusMismatch(p.cfg, p.sum); err != nil {
		return err
	}
	return emptyExport(p.cfg, p.sum)
}

// statusMismatch refuses a status column none of whose values is one of
// conversion.statuses: every row would be excluded as status_not_converted,
// night after night, without an error. It names both keys. The rows new
// to the ledger are judged apart, before anything is sent (pipeline's
// freshpart.go).
func statusMismatch(cfg *config.Config, sum *report.Summary) error {
	if cfg.Input.Columns.Status == "" || sum.StatusRows == 0 || sum.StatusMatched > 0 {
		return nil
	}
	return pipeline.StatusMismatch(cfg, sum.StatusRows, 0, "")
}

// skippedUploads are the report lines of destinations a run left out.
func skippedUploads(skipped map[platform.Platform]string) []report.Upload {
	var out []report.Upload
	for _, p := range platform.All {
		if why, ok := skipped[p]; ok {
			out = append(out, report.Upload{Destination: p.String(), Skipped: why})
		}
	}
	return out
}

// upload sends every enabled destination the conversions its platform has
// not accepted before, recording each batch in the ledger. It fills the
// summary even after an interruption or a fatal error, so the analyst sees
// what was and was not sent.
func upload(ctx context.Context, env *Env, r UploadRequest, p *prepared, clients uploadClients) error {
	cfg, sum := p.cfg, p.summary()
	lpath, err := LedgerPath(env, cfg)
	if err != nil {
		return err
	}
	led, err := openForUpload(ctx, env, lpath, r.LockWait, p.name)
	if err != nil {
		return err
	}
	defer led.Close()
	// Before anything is sent or pruned: a ledger older than its last run
	// would send again all it lacks (ledgerbehind.go).
	behind, err := restoredLedgerStop(ctx, env, led, lpath, r.AcceptRestoredLedger)
	if err != nil {
		return err
	}
	if err := applyRetention(ctx, env, led, cfg, sum, behind); err != nil {
		return err
	}
	// The morning report: what the platforms did with earlier runs (none
	// read with ledger.reconcile_seconds 0), and a clock behind the ledger.
	sum.Processing, sum.ProcessingNote = reconcileEarlier(ctx, env, led, cfg, time.Duration(cfg.Ledger.ReconcileSeconds)*time.Second)
	found, foundCounts, ferr := failuresFound(ctx, led, cfg)
	if ferr != nil {
		env.Logger.Warn("could not count the processing failures found since the last upload", "error", ferr)
	}
	sum.FailuresFound = found
	runID, err := led.StartRun(ctx, ledger.RunInfo{ToolVersion: env.Version, ConfigSHA256: sum.ConfigSHA256})
	if err != nil {
		return &unreadError{fmt.Errorf("ledger: %w", err)}
	}
	sum.RunID = runID
	// Before any request leaves: the start's generation (bumped by
	// StartRun) in the state directory, so that a backup from before this
	// run, put back, stops the next upload however this run ends — killed
	// once it sent, it records nothing after.
	warnUnrecorded(env, RecordLedgerChange(ctx, env, led, lpath))
	env.Logger.Debug("run started", "run_id", runID, "ledger", lpath)
	dests := ledgerDestinations(cfg)
	for pl, c := range clients {
		// Each request's own destinations within the platform (Google: the
		// conversion actions it names) are recorded with it: its
		// processing status is judged against them, not against the
		// config of the night it is read (google.Client.SentTo).
		router, ok := c.(interface {
			SentTo([]*conversion.Conversion) []string
		})
		if d, mine := dests[pl]; ok && mine {
			d.SentTo = router.SentTo
			dests[pl] = d
		}
	}
	held, err := led.HeldBefore(ctx, dests, destination.Settled)
	if err != nil {
		return err
	}
	refusedBefore, err := led.HeldBefore(ctx, dests, destination.RejectedByPlatform)
	if err != nil {
		return err
	}
	rec := ledger.NewRecorder(ctx, led, runID, dests)
	cov := &diagnostics.Coverage{MinCell: cfg.Channels.MinCell}
	if cfg.Channels.MinCell > 1 {
		// Identifier coverage follows the channel report's release rule,
		// under the same key; without one it is printed suppressed only.
		if key, err := loadReleaseKey(env); err == nil {
			cov.Release = channels.NewReleaser(key)
		} else {
			env.Logger.Warn("identifier coverage is printed without the release rule's perturbation", "error", err)
		}
	}
	restated := newRestatedCounter(coverageObserver{cov: cov, next: rec})
	again := newReheld(restated, held)
	senders := newSenders(ctx, env, cfg, clients, again, refusedBefore)
	if !r.SettingFixed {
		if err := settingStops(ctx, led, dests, senders); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
	}
	win, err := newDedupWindow(ctx, led, dests, env.Now(), r, rec, senders)
	if err != nil {
		return err
	}
	filter, err := ledger.NewFilter(ctx, led, dests, win)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	defer filter.Close() // after senders.Close below: releases the accepted-id sets
	if len(cfg.Input.Columns.OrderID) > 1 {
		// Composite ids were made as written before schema 4: looked up under that id too.
		if err := filter.UseLegacyIDs(ctx); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
	} else if err := filter.UseUnfoldedIDs(ctx); err != nil { // ids made as written before schema 16 (ledger/unfolded.go)
		return fmt.Errorf("ledger: %w", err)
	}
	if err := armNetAndGuard(ctx, filter, r); err != nil {
		return err
	}
	shapes, err := loadIDShapes(ctx, env, led, cfg)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	// Patients who withdrew on a row an earlier night read stay withdrawn
	// when that row has left the export (pipeline.PatientRevocations).
	var revoked *pipeline.PatientRevocations
	var prev *previousSecret // HASHGATE_PREVIOUS_SECRET (prevsecret.go)
	var keyStop error
	acc := &acceptance{asked: r.AcceptNewIDs} // what --accept-new-ids passes tonight (acceptnewids.go)
	if cfg.Input.Columns.PatientKey != "" {
		if revoked, err = priorRevocations(ctx, led); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		defer revoked.Close()
		prev, keyStop = revokedUnderAnotherKey(ctx, env, led, p.key, cfg, acc)
	} else if all, err := led.RememberedRevoked(ctx); err == nil && all > 0 {
		env.Logger.Warn("the ledger remembers patients who withdrew consent, but input.columns.patient_key is not set: they are not recognised, and their visits are sent once their withdrawing rows have left the export", "patients", all)
	}
	keys, keyErr := checkEventKey(ctx, env, led, cfg, p.key, acc, keyStop != nil)
	if keyStop == nil {
		keyStop = prev.recordRotation(ctx, led, cfg, p.key, keys, keyErr) // a changed secret: stopped before the export is read (eventkey.go)
	}
	stopProgress := startProgress(env, r, p.src, senders)
	// Nothing leaves before the export has been read to its end and found
	// unchanged (the verified reader fails the run at its end otherwise):
	// until then the pipeline holds every row (pipeline.Run).
	opt := p.options(env, filter)
	// The consent columns' words stop the run only where a destination
	// they gate accepted events before; --accept-new-ids passes them, and
	// the order ids' shape, saying so. The rows dated after what was
	// delivered are judged on their own too (pipeline's freshpart.go).
	opt.ConsentWorked, opt.Accepted = filter.Delivered, acc.pipeline()
	opt.DeliveredThrough, _ = filter.NewestDelivered()
	shapes.apply(&opt)
	opt.Revoked = revoked
	prev.apply(&opt)
	left := &pipeline.LeftOut{}
	defer left.Close()
	opt.LeftOut = left
	if rel, ok := cov.Release.(*channels.Releaser); ok {
		opt.RecordKeyer = rel.RecordKeyer // the coverage's record keys, made on the workers
	}
	runErr := keyStop
	if runErr == nil {
		runErr = p.stopped(ctx, p.run(ctx, opt))
	}
	if runErr == nil && ctx.Err() == nil {
		runErr = filter.Finish() // the safety net decides, if it has not
	}
	runErr = movedTimesStop(lpath, newIDsStop(cfg, runErr))
	acc.say(env, sum, filter, runErr == nil && ctx.Err() == nil)
	if runErr != nil {
		senders.Stop() // an interrupted or broken export: send nothing more
	}
	_ = senders.Close() // fatal errors are in the results
	if err := rec.Flush(); err != nil {
		env.Logger.Warn("could not record the events quarantined before sending", "error", err)
	}
	stopProgress()
	env.Logger.Debug("export read and every batch settled", "rows_read", sum.RowsRead, "rows_used", sum.RowsUsed)
	sum.Uploads = uploadResults(senders, sum, filter, cfg)
	filter.WidenSpan(left.First, left.Last)
	var gone map[platform.Platform]map[string]int
	if runErr == nil && left.Withdrawals() > 0 {
		if gone, err = withdrawnAfterSent(context.WithoutCancel(ctx), led, dests, left); err != nil {
			env.Logger.Warn("could not count the withdrawn visits the platforms already hold", "error", err)
		}
	}
	for i := range sum.Uploads {
		p, err := platform.Parse(sum.Uploads[i].Destination)
		if err != nil {
			continue
		}
		if err := filterCounts(&sum.Uploads[i], filter, p); err != nil {
			env.Logger.Warn("could not count the events to restate", "destination", p.String(), "error", err)
		}
		sum.Uploads[i].KnownAtOtherTimes = report.KnownAtOtherTimes(filter.MovedCount(p))
		// Restated only where the platform accepted the adjustment.
		sum.Uploads[i].Restated = restated.accepted(p)
		sum.Uploads[i].WithdrawnAfterSent = gone[p]
	}
	again.apply(sum.Uploads)
	win.apply(sum.Uploads)
	for i := range sum.Uploads {
		if p, err := platform.Parse(sum.Uploads[i].Destination); err == nil {
			sum.Uploads[i].Coverage = cov.Figures(p)
		}
	}
	if err := writeLastRun(env, sum.Uploads); err != nil {
		env.Logger.Warn("could not record the run's request ids for hashgate status", "error", err)
	}
	switch {
	case runErr != nil:
		err = runErr
	case ctx.Err() != nil:
		err = ctx.Err()
	case statusMismatch(cfg, sum) != nil:
		err = statusMismatch(cfg, sum)
	case emptyExport(cfg, sum) != nil:
		err = emptyExport(cfg, sum)
	default:
		var said bool
		err, said = failuresOutcome(fanOutOutcome(uploadOutcome(sum.Uploads), sum.IdentifierFanOut), sum.FailuresFound)
		// Only a night that said the failures moves the mark past them:
		// one that ended early leaves them to the next.
		if said {
			if merr := led.MarkFailuresReported(context.WithoutCancel(ctx), foundCounts); merr != nil {
				env.Logger.Warn("could not record that the processing failures were reported; the next upload says them again", "error", merr)
			}
		}
	}
	err = ledgerStillThere(led, err)
	// The order ids' shape is kept for the next upload after a run that
	// read its export and went on to send (exit 0, or 3 for what a
	// platform refused): not after a stop, an interruption, an empty
	// export or a validation.
	if runErr == nil && ctx.Err() == nil && Code(err) != ExitUsage && sum.RowsRead > 0 && !allTestRuns(cfg) {
		if err := shapes.record(ctx, led, r.AcceptNewIDs, p.src.sha256()); err != nil {
			env.Logger.Warn("could not record the shape of the order ids for the next upload", "error", err)
		}
		if err := keys.save(ctx, led); err != nil {
			env.Logger.Warn("could not record the fingerprint of the secret for the next upload", "error", err)
		}
		movedTimesAccepted(ctx, env, led, filter, runID, true, r.AcceptMovedTimes)
	}
	// A withdrawal is remembered after any run that read its export —
	// interrupted, or stopped by a check of the export itself (the safety
	// net, the zeros, a date setting: a withdrawal seen on a stopped night
	// would otherwise be lost when its row rolls out) — but not after a
	// validation, where a person tries new mappings, nor when the secret
	// stop kept the export unread — nor when the export is another
	// clinic's (the clinic guard): its withdrawals are another business's
	// patients, and remembered here they would keep this clinic's patients
	// of the same chart numbers out for good.
	var (
		cfgStop *config.Error
		other   *pipeline.OtherClinicError
	)
	readIt := (runErr == nil || errors.As(runErr, &cfgStop) && keyStop == nil) && !errors.As(runErr, &other)
	if revoked != nil && readIt && !allTestRuns(cfg) {
		if n, err := rememberRevocations(context.WithoutCancel(ctx), led, runID, revoked); err != nil {
			env.Logger.Warn("could not remember the patients who withdrew; the next upload knows only those its export shows", "error", err)
		} else {
			sum.WithdrawalsRemembered = n
		}
		prev.rekey(context.WithoutCancel(ctx), env, led, revoked)
	}
	if (runErr != nil || Code(err) == ExitUsage) && dropRefusedRun(ctx, env, led, lpath, runID) {
		sum.RunID, p.refusedRun = "", runID
		return err
	}
	// The ledger keeps the report with the run; written after the outcome
	// so it carries the exit code and the input digest.
	sum.InputSHA256 = p.src.sha256()
	sum.FinishedAt = env.Now().UTC()
	sum.ExitCode = Code(err)
	if rep, jerr := sum.JSON(); jerr == nil {
		if ferr := led.FinishRun(context.WithoutCancel(ctx), runID, sum.ExitCode, sum.InputSHA256, string(rep)); ferr != nil {
			env.Logger.Warn("could not record the run's end in the ledger", "error", ferr)
		}
	}
	if rerr := recordLedgerRun(context.WithoutCancel(ctx), env, led, lpath, runID, sum.StartedAt); rerr != nil {
		env.Logger.Warn("could not record the run in the state directory; a ledger restored from a backup taken before it is not noticed", "error", rerr)
	}
	return err
}

// filterCounter is what filterCounts reads of the ledger's Filter.
type filterCounter interface {
	SentTimes(p platform.Platform) ledger.SentTimeCounts
	Restated(p platform.Platform) (ledger.RestateCounts, error)
}

// filterCounts gives u the Filter's counts for p: the sent times first,
// which are known whatever the restatement counts' error (a scan of the
// seen values).
func filterCounts(u *report.Upload, f filterCounter, p platform.Platform) error {
	st := f.SentTimes(p)
	u.KeptSentTime, u.SentTimeNotRecorded = st.Kept, st.Unrecorded
	rc, err := f.Restated(p)
	if err != nil {
		return err
	}
	u.NotCompared, u.ValueGone, u.Vanished = rc.NoValueRecord, rc.ValueGone, rc.Vanished
	return nil
}

// ledgerDestinations are the identities the ledger keys acceptance by,
// with whether the run can make events count and the platform's window.
func ledgerDestinations(cfg *config.Config) map[platform.Platform]ledger.Destination {
	out := map[platform.Platform]ledger.Destination{}
	var values *eventid.ValueKeyer
	for _, p := range cfg.Enabled() {
		d := ledger.Destination{
			Key:    ledger.DestinationKey(p.String(), cfg.DestinationIdentity(p)),
			Test:   cfg.TestRun(p),
			MaxAge: time.Duration(cfg.Sending(p).MaxEventAgeDays) * 24 * time.Hour,
			// A resend goes with the time it was sent with where the
			// time is part of the platform's deduplication (Meta).
			KeepSentTime: p.Spec() != nil && p.Spec().DedupOnTime,
		}
		if d.KeepSentTime {
			// Past the platform's window a kept time spares nothing.
			d.DedupWindow = p.Spec().DedupWindow
		}
		if spec := p.Spec(); spec != nil && spec.Restatement != "" {
			// Every accepted event's value key is recorded, restate or
			// not, so that turning restate on later has something to
			// compare with (ledger/values.go).
			if values == nil {
				key, _ := eventKey(cfg)
				values = eventid.NewValueKeyer(key)
			}
			d.ValueKey = func(c *conversion.Conversion) uint64 { return values.Key(c.HasValue, c.Value, c.Currency) }
			d.Restate = cfg.Restate(p)
		}
		out[p] = d
	}
	return out
}

// layout is the review CSV's columns for the enabled platforms.
func layout(cfg *config.Config) reviewcsv.Layout {
	l := reviewcsv.Layout{Fields: map[platform.Platform][]platform.Field{}}
	col := cfg.Input.Columns
	braids := col.ByKey(platform.KeyGBRAID) != "" || col.ByKey(platform.KeyWBRAID) != ""
	for _, p := range cfg.Enabled() {
		l.Fields[p] = cfg.IdentifierFields(p)
		spec := p.Spec()
		l.BRAIDs = l.BRAIDs || len(spec.ClickIDs) > 0 && braids
		if spec.Formatted != nil && col.ByKey(spec.Formatted.Column) != "" {
			l.Formatted = spec.Formatted.Field
		}
	}
	return l
}
