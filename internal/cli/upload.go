package cli

import (
	"context"
	"errors"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/run"
	"github.com/hashgate/hashgate/internal/signals"
)

// UploadOptions are the inputs of `hashgate upload`.
type UploadOptions struct {
	f     *Factory
	root  *rootOptions
	flags *pflag.FlagSet

	DryRun   bool
	Validate bool
	Out      string
	Input    string // path, or "-" for stdin
	noInput  error  // why no export argument cannot mean stdin (noExport)
	Report   string // also write the JSON run report here
	JSON     bool   // print the JSON report on stdout instead of the summary on stderr

	Backfill          bool // the deliberate first upload of history to Meta
	ResendUnconfirmed bool // resend what was left unconfirmed past Meta's window
	SettingFixed      bool // send again to a destination stopped for a setting
	AcceptNewIDs      bool // pass the safety net against changed event ids
	AcceptMovedTimes  bool // pass the stop on known ids at other event times
	// AcceptRestoredLedger: pass the stop on a ledger older than its last run.
	AcceptRestoredLedger bool
	// LockWait: how long to wait for another run's ledger lock (0: exit 4 at once).
	LockWait time.Duration
}

// uploadBinds are the flags that override config keys.
var uploadBinds = []flagKey{{Flag: "timezone", Key: "timezone"}, {Flag: "region", Key: "region"}}

func newUploadCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &UploadOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "upload [--dry-run | --validate] [--out FILE] [EXPORT|-]",
		Short: "Send consented conversions, or with --dry-run write the hashed review CSV",
		Long: `upload reads EXPORT (or standard input when it is "-", or absent and
standard input is not a terminal), keeps consented, converted appointments,
and hashes their identifiers per platform. A first Ctrl-C while the export is
read stops at once: nothing is written or sent (exit 130).

Without --dry-run it sends them to every enabled destination. The ledger
(ledger.path) remembers what each platform accepted, so a rerun over an
overlapping export sends only what is new, and a run killed half-way is
completed by the next. One run at a time: a second one exits 4 at once,
naming the run that holds the ledger (pid, config, start), or with
--lock-wait waits up to that long for it first. The exit
code reflects tonight's new conversions: a row held back in an earlier run
for a reason that cannot change by itself (too old, a Purchase without a
value, an invalid identifier) is reported as "held back in earlier runs"
and exits 0 when nothing else is wrong.

Meta deduplicates a resent event only within 7 days (its offline-events
page, "Set Up Deduplication"). So the ledger records, per Meta dataset, its
horizon: when it first delivered there ('ledger stats' names it). On the
first night and every night after, events dated 6 days or more before the
horizon are kept back (before_first_upload) and the summary says how
many: --backfill is the deliberate upload of that history (if a ledger was
lost, restore it rather than backfill). Events
left unconfirmed — by a crash, a timeout, or a count Meta did not match —
are resent to Meta only while their request is younger than 6 days; beyond
that the run reports them and exits 3, and --resend-unconfirmed resends
them.

When Google's processing fails with the same account or conversion-action
setting (NO_CONSENT, UNKNOWN_CONSENT, DENIED_CONSENT, enhanced-conversions
terms not signed, EXTERNAL_ATTRIBUTION_DATA_MISSING, one-per-click with
braids) in three consecutive runs, upload stops Google with exit 1 and
names the setting to fix; after fixing it, --setting-fixed sends again.

With --validate it is the preflight of a new setup (credentials, accounts,
conversion action, dataset): Google gets validateOnly requests, Meta gets
the events as test events when destinations.meta.test_event_code is set
and nothing otherwise. Nothing is ingested, nothing is recorded as
accepted, and the next run without --validate sends everything.
destinations.google.validate_only and destinations.meta.test_event_code
apply only to --validate: a plain upload whose config holds either exits 2
naming the key. A refused run writes nothing to the ledger. Exit 0
when everything that could be validated passed.

A safety net guards against event ids that changed by mistake (a changed
input.columns.order_id): when more than half of a destination's
conversions (and at least 20, or fewer when the destination accepted
fewer within the export's dates) are dated on or before the newest event
already delivered there and carry ids the ledger has never seen, the run
stops before sending anything (exit 2) and says what to check. A changed
secret (HASHGATE_SECRET) is stopped by the fingerprint the ledger keeps of
it, whatever the export's size. --accept-new-ids proceeds once a person has
checked that the ids are new. To rotate the secret, keep the old one as
HASHGATE_PREVIOUS_SECRET: withdrawals are matched under both and re-keyed
to the new one. A second rotation while withdrawals still wait under an
older secret stops (exit 2) whatever --accept-new-ids says; 'ledger
unrevoke --under-previous-secret' forgets them knowingly.

When at least 5, and more than half, of the conversions the ledger holds
as accepted come back at another event time than they were sent with —
or at least 2 when none came back at its own time and they are half the
night — the run stops before sending (exit 2, ledger.path): a new clinic
system numbering its appointments from 1 again (keep this ledger and
secret, make input.columns.order_id composite with the appointment time);
another export sharing this ledger and secret (a second branch) takes
their event ids, and its visits would be skipped as already sent; or this
export's times moved (timezone, time format). --accept-new-ids does not
pass that stop: --accept-moved-times does, once, when the same visits'
times moved. Never for another export: give it its own ledger.path.

With --dry-run it writes the hashed CSV that would be sent, one row per
conversion per enabled destination, to stdout or --out, makes no network
call and changes no ledger (it reads the patients the uploads remember as
withdrawn, and leaves them out); the summary predicts what an upload would
hold back before sending, per platform and reason.

A short summary goes to stderr (nothing but errors with --quiet); --json
prints the JSON run report on stdout instead, and --report FILE writes it to
a file. Uploads also keep it in $XDG_STATE_HOME/hashgate/reports/.

` + exitCodesHelp,
		Example: `  # Review first: the hashed CSV that would be sent, no network.
  hashgate upload --dry-run --out review.csv export.csv
  # The nightly run: quiet unless something fails, a report for monitoring.
  hashgate upload --quiet --report /var/lib/hashgate/last-run.json export.csv
  # From standard input, with the JSON report on stdout.
  clinic-export | hashgate upload --json -`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Input = "-"
			if len(args) == 1 {
				opts.Input = args[0]
			}
			opts.noInput = f.noExport(args)
			opts.flags = c.Flags()
			return uploadRun(c.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.DryRun, "dry-run", false, "write the hashed review CSV instead of uploading; no network")
	fl.BoolVar(&opts.Validate, "validate", false, "ask the platforms to check the events without counting them (Google validateOnly, Meta test events); nothing is recorded as accepted")
	fl.BoolVar(&opts.Backfill, "backfill", false, "the deliberate first upload of history to a Meta dataset: send events dated 6 days or more before the ledger's first delivery to that dataset (its horizon, which ledger stats names), kept back as before_first_upload on every night without it (Meta deduplicates only within 7 days; if a ledger was lost, restore it instead)")
	fl.BoolVar(&opts.ResendUnconfirmed, "resend-unconfirmed", false, "resend to Meta events left unconfirmed 6 days ago or more — by a crash, a timeout or a count Meta did not match (past Meta's 7-day deduplication window a resend counts again if the first one arrived)")
	fl.BoolVar(&opts.AcceptNewIDs, "accept-new-ids", false, "send even when most conversions carry event ids the ledger has never seen though dated before what was delivered (the safety net's stop, new_event_ids): after checking input.columns.order_id and the secret; also passes the stops the run report names (accepted_stops) secret_fingerprint, order_id_leading_zeros, order_id_rounded (long order ids a spreadsheet rounded to 15 digits), order_id_timezone, patient_key_shape, withdrawal_fingerprint, consent_words and status_words (new rows' status words), not the moved-event-times stop, and says which it passed (README, Event ids)")
	fl.BoolVar(&opts.AcceptMovedTimes, "accept-moved-times", false, "send even when most conversions the ledger holds as accepted come back at another event time (the moved-times stop): once, when the same visits' times moved (a changed timezone or time format); never for another export sharing the ledger, which needs its own ledger.path (README, Known ids at other times)")
	fl.BoolVar(&opts.AcceptRestoredLedger, "accept-restored-ledger", false, "send even though the ledger lacks the last run or change this state directory recorded for it (a backup put back, or a ledger replaced on purpose): once, knowing that what it lacks is sent again and Meta counts what is older than 7 days twice, and that erasures (ledger erase), withdrawals remembered, unrevokes, requeues and forgets made since the backup are lost and must be made again (or the withdrawn patients listed in consent.revocations_file); restoring the newest backup is the fix (README, The nightly job)")
	fl.BoolVar(&opts.SettingFixed, "setting-fixed", false, "send again to Google after fixing the account or conversion-action setting its processing failed with in the last 3 runs (consent, enhanced-conversions terms, attribution, counting)")
	outVarP(fl, &opts.Out, "o", "with --dry-run: write the review CSV to FILE (mode 0600, replaced only on success); - or unset: standard output")
	fl.Var(filePath{&opts.Report, "use --json"}, "report", "also write the JSON run report to FILE")
	fl.BoolVar(&opts.JSON, "json", false, "print the JSON run report on stdout instead of the summary on stderr")
	fl.DurationVar(&opts.LockWait, "lock-wait", 0, "when another run holds the ledger lock, wait up to DURATION (e.g. 15m) for it instead of exiting 4 at once: configs sharing one ledger, started by cron at the same minute, then run one after another")
	fl.String("timezone", "", "IANA time zone of offset-less appointment times (config: timezone)")
	fl.String("region", "", "default phone region, ISO 3166-1 alpha-2 (config: region)")
	return cmd
}

func uploadRun(ctx context.Context, o *UploadOptions) error {
	f := o.f
	req := run.UploadRequest{Input: o.Input, DryRun: o.DryRun, Validate: o.Validate, Out: o.Out, Report: o.Report, JSON: o.JSON,
		Backfill: o.Backfill, ResendUnconfirmed: o.ResendUnconfirmed, AcceptNewIDs: o.AcceptNewIDs,
		AcceptMovedTimes: o.AcceptMovedTimes, AcceptRestoredLedger: o.AcceptRestoredLedger, SettingFixed: o.SettingFixed, LockWait: o.LockWait}
	if o.LockWait < 0 {
		return run.FailedUpload(f.env(o.root), req, &UsageError{Err: errors.New("--lock-wait: a duration of 0 or more (15m, 1h): how long to wait for another run's ledger lock")})
	}
	if o.Out == "" && o.flags != nil && o.flags.Changed("out") {
		// --out -: stdout asked for, which an upload writes no file to and
		// --json takes (a review: both went unsaid).
		req.Out = "-"
	}
	if o.noInput != nil {
		return run.FailedUpload(f.env(o.root), req, o.noInput)
	}
	if !o.DryRun {
		// A second signal says that requests in flight are resent.
		signals.Sending(ctx)
	}
	cfg, err := o.root.loadConfig(f, o.flags, uploadBinds)
	if err != nil {
		// Even a config that cannot load leaves a report saying so:
		// monitors read --report, not stderr.
		return run.FailedUpload(f.env(o.root), req, err)
	}
	f.Logger.Debug("config loaded", "destinations", len(cfg.Enabled()), "dry_run", o.DryRun)
	req.Config = cfg
	if err := o.root.checkConfigWritable(f, !o.DryRun); err != nil {
		return run.FailedUpload(f.env(o.root), req, err)
	}
	if !o.DryRun {
		if err := o.root.checkSecretFile(f, cfg); err != nil {
			return run.FailedUpload(f.env(o.root), req, err)
		}
	} else {
		o.root.warnSecretsDiffer(f)
	}
	return run.Upload(ctx, f.env(o.root), req)
}
