// Package report counts what a run did, by stage and reason, and renders the
// human summary. It holds numbers and reason codes only: no identifier, no
// cell value, no order id.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/diagnostics"
	"github.com/hashgate/hashgate/internal/export"
)

// Summary is the outcome of one run. Its JSON form is the run report
// (--report, --json, and the copy kept in the state directory); the field
// names are a stable interface for monitoring.
type Summary struct {
	RunID        string    `json:"run_id,omitempty"`
	ToolVersion  string    `json:"tool_version,omitempty"`
	DryRun       bool      `json:"dry_run"`
	StartedAt    time.Time `json:"started_at"`
	FinishedAt   time.Time `json:"finished_at"`
	Seconds      float64   `json:"duration_seconds"`
	InputSHA256  string    `json:"input_sha256,omitempty"`
	ConfigSHA256 string    `json:"config_sha256,omitempty"`
	Config       string    `json:"config,omitempty"` // the config file's absolute path: whose run ("" with settings from the environment alone)
	ExitCode     int       `json:"exit_code"`
	// Cause is why the run failed (exit code not 0), in the words of the
	// error printed on stderr: a missing export, an empty one, a config
	// key, a credential, a network failure. Errors never hold a cell value.
	Cause string `json:"cause,omitempty"`
	// Input names the export ("stdin" for standard input).
	Input string `json:"input"`
	// Encoding, Delimiter and HeaderLine say how the export was read (a Big5 file as Big5).
	Encoding   string `json:"encoding,omitempty"`
	Delimiter  string `json:"delimiter,omitempty"`
	HeaderLine int    `json:"header_line,omitempty"`
	// HeaderRepeated counts records below the header that repeated it (two
	// exports joined into one file), skipped; HeaderRepeatedLine, the first's line.
	HeaderRepeated     int `json:"header_repeated,omitempty"`
	HeaderRepeatedLine int `json:"header_repeated_first_line,omitempty"`
	// RowsRead counts data rows (header and title lines excluded).
	RowsRead int `json:"rows_read"`
	// ReadInterrupted: the run stopped before the end of its export — the
	// first signal (exit 130), or an error: a structural problem, a
	// temporary directory or disk that filled, an export that changed
	// (InterruptedBy says which; Cause says what). Rows are judged,
	// written and sent only once the export has been read to its end:
	// nothing was written or sent, the counts below are of no whole
	// export, and RowsRead (the rows read before the stop, or 0) is not
	// its size. BytesRead is how much of it was read.
	ReadInterrupted bool   `json:"interrupted_while_reading,omitempty"`
	InterruptedBy   string `json:"interrupted_by,omitempty"` // "signal" or "error"
	BytesRead       int64  `json:"bytes_read,omitempty"`
	// CountsPartial: the run stopped before every row it read was
	// counted — while reading (ReadInterrupted), or after, while the rows
	// were settled (an output that failed while written, a check of the
	// whole export that stopped it): rows read is not rows used plus
	// excluded, and the counts are of no whole export.
	CountsPartial bool `json:"counts_partial,omitempty"`
	// RowsUsed counts rows that became at least one conversion.
	RowsUsed int `json:"rows_used"`
	// Excluded counts rows used for no platform, by reason.
	Excluded map[string]int `json:"excluded"`
	// Conversions counts conversions per platform; Valueless, those without a value.
	Conversions map[string]int `json:"conversions"`
	Valueless
	// Bookings counts conversion.bookings when they are on (bookings.go).
	Bookings *Bookings `json:"bookings,omitempty"`
	// Skipped counts rows used for some platform but not this one, by
	// platform and reason.
	Skipped map[string]map[string]int `json:"not_sent_to"`
	// LeftOut counts, per destination, every row that destination left
	// out, by its own reason (leftout.go): the excluded rows and its
	// Skipped ones. Excluded names an excluded row once, by the first
	// destination's reason; here a row Google excludes as no_click_id and
	// Meta as weak_identifiers is under each. A destination's total is
	// ExcludedTotal plus its Skipped total; it is absent when it left
	// nothing out.
	LeftOut map[string]map[string]int `json:"left_out_of"`
	// Dropped counts identifier values not sent, by "platform field reason".
	Dropped map[string]int `json:"identifiers_dropped"`
	// DroppedColumns names, by the same key as Dropped, the configured
	// export columns (header names, never a cell) the dropped values were
	// read from, sorted; a key without one (an address group spans
	// several columns, a platform file's own refusal) is absent.
	DroppedColumns map[string][]string `json:"identifiers_dropped_columns"`
	// Notes counts row-level facts that did not exclude the row, such as a
	// fee that is not a number (the conversion goes without a value).
	Notes     map[string]int `json:"notes"`
	NoteCells                // where each note's first cell is (notecells.go)
	// Refused lists, value-free, where the first records the reader refused
	// (record_too_large) begin: "file:line: reason", at most MaxRefused.
	Refused []string `json:"records_refused,omitempty"`
	// Notices are what the config chooses against a platform's
	// health-data rules, said on every run (config.Notices): Google sent
	// hashed customer data despite its customer data policy, or the
	// click-ids-only default applied to a config that never chose; and
	// bookings judged without the consent time.
	Notices []string `json:"notices,omitempty"`
	// DemoKey is true when event ids were made with the public demo key.
	DemoKey bool `json:"demo_key"`
	// WeakKey, on a dry-run, says why its secret would be refused by an
	// upload (too short, low entropy); empty when it would not. The upload
	// itself says so on stderr; a dry-run's summary stays as it was.
	WeakKey string `json:"weak_key,omitempty"`
	// StatusRows counts rows with a status cell (input.columns.status),
	// StatusMatched those whose status is one of conversion.statuses,
	// whether or not something else excluded the row.
	StatusRows    int `json:"status_rows,omitempty"`
	StatusMatched int `json:"status_matched,omitempty"`
	// EveryRowCounts: no status column is mapped; every row, no-shows too, counts as a visit.
	EveryRowCounts   bool `json:"every_row_counts,omitempty"`
	EveryRowDeclared bool `json:"every_row_is_a_visit,omitempty"` // conversion.every_row_is_a_visit (everyRowLine)
	// UnmappedOutcome is, when EveryRowCounts, the export's first header naming an
	// outcome (did_not_arrive, 爽約): its no-shows count as visits. Never a cell.
	UnmappedOutcome string `json:"unmapped_outcome,omitempty"`
	Age                    // whether age was judged (age.go)
	FeeOnly                // orders held whose rows differ in the fee alone (feeonly.go)
	// TooOld counts, for a dry-run, the conversions each platform would
	// refuse as older than its max_event_age_days (an upload quarantines
	// them as event_too_old); TooOldDays is each platform's limit.
	TooOld     map[string]int `json:"would_be_too_old,omitempty"`
	TooOldDays map[string]int `json:"max_event_age_days,omitempty"`
	// Uploads holds what each destination did, in platform order; empty for
	// a dry-run.
	Uploads []Upload `json:"destinations,omitempty"`
	// Validation: an `upload --validate` run. Nothing was ingested and no
	// conversion is recorded as accepted.
	Validation bool `json:"validation_run,omitempty"`
	// NotRead says why no row of the export was read (a --validate with
	// nothing to validate): "0 rows read" claimed a read of an empty file.
	NotRead string `json:"rows_not_read,omitempty"`
	// HeldBack predicts, in a dry-run, what an upload would hold back
	// before sending, by platform and reason (the clients' pre-flight
	// rules: too old, a Purchase without a value, …).
	HeldBack map[string]map[string]int `json:"would_hold_back,omitempty"`
	// Processing is what the platforms did with earlier runs' events, as
	// reconciled at the start of this upload (the morning report);
	// ProcessingNote says why it is missing or partial.
	Processing     []ProcessingRun `json:"processing_of_earlier_runs,omitempty"`
	ProcessingNote string          `json:"processing_note,omitempty"`
	// FailuresFound are the events of earlier runs whose processing
	// failed in verdicts first read since the upload before this one
	// (found.go): they make this night exit 3, once.
	FailuresFound []FoundFailure `json:"processing_failures_found,omitempty"`
	// WithdrawalsRemembered counts the patients this upload's records in
	// the ledger's memory name (first, or first to read again: ledger.
	// AddRevokedPatients), so a run that remembered too many — a consent
	// column mapped wrong — can be undone (`ledger unrevoke --run ID`).
	WithdrawalsRemembered int `json:"withdrawals_remembered,omitempty"`
	FanOut                    // the identifier rule withdrew too many others (fanout.go)
	// WithdrawalsKnown counts, for a dry-run or `write`, the patients the
	// uploads remember as withdrawn (the ledger's memory), left out here
	// as an upload leaves them out; WithdrawalsUnknown says why that
	// memory could not be applied (no ledger where write looked, the ledger
	// unreadable, another secret, no patient-key column), "" when it was
	// or there is none.
	WithdrawalsKnown   int    `json:"withdrawals_known,omitempty"`
	WithdrawalsUnknown string `json:"withdrawals_unknown,omitempty"`
	// Revocations is what consent.revocations_file did (revocations.go);
	// nil when no file is configured.
	Revocations *Revocations `json:"revocations_file,omitempty"`
	// LedgerRetention says, for an upload, when ledger.retention_days was
	// not measured from the clock: the clock ran ahead of the newest event
	// a platform accepted, or nothing accepted told the time (nothing was
	// pruned). "" when retention went by the clock.
	LedgerRetention string `json:"ledger_retention,omitempty"`
	// AcceptedStops: an upload with --accept-new-ids, the stops it passed (accepted.go); [] none, absent without it.
	AcceptedStops []string `json:"accepted_stops,omitzero"`
}

// Upload is one destination's outcome. Conversions = Accepted + Validated
// + QuarantinedTotal + RejectedTotal + Unsent + SkippedAlreadyAccepted +
// HeldEarlier + KeptBeforeFirstUpload + UnconfirmedPastWindow.
//
// Accepted means ingested — the platform took the request — and nothing
// more: Google still processes each event and may fail it later (see
// `hashgate status` and the Processing section). So the JSON and the
// summary say "ingested".
type Upload struct {
	Destination            string         `json:"destination"`
	Conversions            int            `json:"conversions"`
	SkippedAlreadyAccepted int            `json:"skipped_already_ingested"`
	Accepted               int            `json:"ingested"`
	Requests               int            `json:"requests"`
	Retries                int            `json:"retries"`
	Quarantined            map[string]int `json:"quarantined"`
	Rejected               map[string]int `json:"rejected"`
	Unsent                 int            `json:"not_sent"`
	// HeldEarlier counts conversions held back tonight for a reason that
	// cannot change by itself (too old, a Purchase without a value, an
	// identifier that cannot be sent) that an earlier run held back too.
	// They are not tonight's problems: they never set the exit code.
	HeldEarlier int `json:"held_back_in_earlier_runs"`
	// KeptBeforeFirstUpload counts conversions kept back because this
	// ledger never delivered to a destination whose platform deduplicates
	// only within a window (Meta: 7 days), and they are DedupSafeDays old
	// or older: `upload --backfill` sends them deliberately.
	KeptBeforeFirstUpload int `json:"kept_back_before_first_upload,omitempty"`
	// UnconfirmedPastWindow counts conversions left sent — by a crash, a
	// timeout, a count not matched — and unconfirmed longer than
	// DedupSafeDays ago: not resent (the platform
	// would count them again if they had arrived); the run exits 3 until
	// `upload --resend-unconfirmed` or the platform's own view decides.
	UnconfirmedPastWindow int `json:"unconfirmed_past_dedup_window,omitempty"`
	DedupSafeDays         int `json:"dedup_safe_days,omitempty"`
	// UnconfirmedEarlier counts those of UnconfirmedPastWindow an earlier
	// run kept back so too: said, never the exit code again.
	UnconfirmedEarlier int `json:"unconfirmed_kept_back_in_earlier_runs,omitempty"`
	// Restated counts conversions ingested in an earlier run and sent
	// again tonight because their value or currency changed
	// (destinations.google.restate: Google's conversion adjustment by
	// transactionId), in requests the platform accepted: they are among
	// Accepted. One held back or refused is counted where any conversion
	// is (Quarantined, Rejected, Unsent), never here.
	Restated int `json:"restated,omitempty"`
	// NotCompared counts, with restate on, conversions ingested before
	// the ledger recorded values (schema 7): a changed fee cannot be told,
	// so they are skipped as already ingested, never restated on a guess.
	NotCompared int `json:"restate_not_compared,omitempty"`
	// ValueGone counts, with restate on, conversions ingested with a
	// value whose row has none now (an emptied fee cell): not restated,
	// since an adjustment without a value changes nothing.
	ValueGone int `json:"restate_value_removed,omitempty"`
	// Vanished counts, with restate on, events the platform holds, dated
	// within this export's span, that are no longer among its conversions
	// (the row was deleted, or is now excluded). Reported, never
	// retracted: neither API hashgate uses offers a retraction.
	Vanished int `json:"ingested_not_in_export,omitempty"`
	// WithdrawnAfterSent counts, by reason, rows a consent decision kept
	// from this destination tonight whose event it already accepted: it
	// keeps them: neither API hashgate uses retracts one (withdrawn.go).
	WithdrawnAfterSent map[string]int `json:"withdrawn_after_sent,omitempty"`
	// KeptSentTime counts conversions an earlier request may have
	// delivered (left unanswered, within the platform's deduplication
	// window) whose time the export has changed since: passed on dated as that request
	// sent them — the time the platform deduplicates a resend on (Meta,
	// contract M11) — not as the export dates them now. Whether each was
	// then sent or held back is counted where every conversion is.
	KeptSentTime int `json:"kept_sent_time,omitempty"`
	// SentTimeNotRecorded counts such conversions whose earlier request
	// was recorded before the ledger kept sent times (schema 12): passed
	// on with tonight's time, which may not be the one sent.
	SentTimeNotRecorded int `json:"sent_time_not_recorded,omitempty"`
	// KnownAtOtherTimes counts those accepted before at another time.
	KnownAtOtherTimes
	// Notes say what the analyst should know and do about the counts
	// above, in words.
	Notes      []string `json:"notes,omitempty"`
	RequestIDs []string `json:"request_ids"`
	Fatal      string   `json:"fatal_error,omitempty"`
	// Outage: the destination stopped because this run's retry budget was
	// spent (an outage, not a setting): its unsent events go with the next
	// run, and the run exits as for events not sent (3), or 1 when nothing
	// new got through anywhere.
	Outage bool `json:"stopped_by_outage,omitempty"`
	// Cause says why requests failed: "connection refused (…)", "DNS: no
	// such host …", "TLS: …", "timeout", "HTTP 503", with the attempts.
	Cause string `json:"cause,omitempty"`
	// BadAnswers counts platform answers hashgate refused as inconsistent
	// with the request (a count outside it, events named outside it or
	// twice): nothing was recorded as ingested from them.
	BadAnswers   int  `json:"bad_answers,omitempty"`
	ValidateOnly bool `json:"validate_only,omitempty"`
	// TestMode is "validate_only" or "test_event_code" when the platform
	// checked the events without counting them; Validated counts those.
	TestMode  string `json:"test_mode,omitempty"`
	Validated int    `json:"validated"`
	// Messages counts what the platform said besides yes or no — Google
	// field warnings, Meta messages and error_user_title/msg — by reason,
	// scrubbed of anything like a credential and never with a cell value.
	Messages map[string]int `json:"platform_messages,omitempty"`
	// Skipped says why the destination was not sent to at all.
	Skipped string `json:"skipped,omitempty"`
	// Coverage: identifier coverage of the events ingested (package
	// diagnostics), small cells withheld.
	Coverage *diagnostics.Figures `json:"identifier_coverage,omitempty"`
}

// JSON renders the run report.
func (s *Summary) JSON() ([]byte, error) { return json.MarshalIndent(s, "", "  ") }

// New returns an empty summary.
func New(input string) *Summary {
	return &Summary{
		Input:          input,
		Excluded:       map[string]int{},
		Conversions:    map[string]int{},
		Skipped:        map[string]map[string]int{},
		LeftOut:        map[string]map[string]int{},
		Dropped:        map[string]int{},
		DroppedColumns: map[string][]string{},
		Notes:          map[string]int{},
	}
}

// MaxRefused bounds Summary.Refused: the count is in Excluded.
const MaxRefused = 10

// Refuse notes a record the reader refused, by its positioned error.
func (s *Summary) Refuse(at string) {
	if len(s.Refused) < MaxRefused {
		s.Refused = append(s.Refused, at)
	}
}

// ExcludedTotal is the number of rows excluded for every platform.
func (s *Summary) ExcludedTotal() int {
	n := 0
	for _, v := range s.Excluded {
		n += v
	}
	return n
}

// Skip counts a row not used for one platform, which that platform left
// out.
func (s *Summary) Skip(platform, reason string) {
	countSkip(s.Skipped, platform, reason)
	s.LeaveOut(platform, reason)
}

// countSkip adds one to skipped[platform][reason], making the platform's
// map on its first skip: the summary's rows and its bookings count alike.
func countSkip(skipped map[string]map[string]int, platform, reason string) {
	countSkipN(skipped, platform, reason, 1)
}

// countSkipN counts n under skipped[platform][reason].
func countSkipN(skipped map[string]map[string]int, platform, reason string, n int) {
	m := skipped[platform]
	if m == nil {
		m = map[string]int{}
		skipped[platform] = m
	}
	m[reason] += n
}

// Drop counts an identifier value that was not sent.
func (s *Summary) Drop(platform, field, reason string) {
	s.Dropped[platform+" "+field+" "+reason]++
}

// WriteText renders the summary for people: short, aligned, stable order.
func (s *Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	switch {
	case s.NotRead != "":
		fmt.Fprintf(&b, "hashgate: %s: rows not read: %s\n", s.Input, s.NotRead)
	case s.ReadInterrupted:
		// Not "0 rows read": the export was not empty, its end was never reached.
		by, partial := "", ""
		if s.InterruptedBy == "error" {
			by, partial = ", stopped by an error", "; the counts below are of no whole export"
		}
		fmt.Fprintf(&b, "hashgate: %s not read to its end (%d bytes read%s): nothing written or sent%s\n",
			s.Input, s.BytesRead, by, partial)
	case s.CountsPartial:
		// Not "3500 rows read; 1025 used, 0 excluded" as if they added up.
		fmt.Fprintf(&b, "hashgate: %d rows read from %s; the run stopped before every row was counted: %d used, %d excluded so far (partial counts)\n",
			s.RowsRead, s.Input, s.RowsUsed, s.ExcludedTotal())
	default:
		fmt.Fprintf(&b, "hashgate: %d rows read from %s; %d used, %d excluded\n",
			s.RowsRead, s.Input, s.RowsUsed, s.ExcludedTotal())
	}
	if s.Encoding != "" {
		fmt.Fprintf(&b, "  read as: %s, %s-separated, header on line %d\n", s.Encoding, s.Delimiter, s.HeaderLine)
		if s.HeaderRepeated > 0 {
			b.WriteString("  " + export.RepeatedHeaderNote(s.HeaderRepeated, s.HeaderRepeatedLine) + "\n")
		}
		if s.WithdrawalsRemembered > 0 {
			fmt.Fprintf(&b, "  withdrawals remembered: %d patient(s) kept out of later uploads too (a wrong consent mapping? hashgate ledger unrevoke --run %s)\n", s.WithdrawalsRemembered, s.RunID)
		}
	}
	s.IdentifierFanOut.writeText(&b)
	if line := s.withdrawnAfterSent(); line != "" {
		b.WriteString("  " + line + "\n")
	}
	var conv []string
	for _, p := range slices.Sorted(maps.Keys(s.Conversions)) {
		conv = append(conv, fmt.Sprintf("%s %d", p, s.Conversions[p]))
	}
	if len(conv) > 0 {
		fmt.Fprintf(&b, "  conversions: %s\n", strings.Join(conv, ", "))
		s.writeValueless(&b)
	}
	s.Bookings.writeText(&b)
	section(&b, "excluded rows", s.Excluded)
	for _, at := range s.Refused {
		fmt.Fprintf(&b, "    %s\n", at)
	}
	for _, p := range slices.Sorted(maps.Keys(s.Skipped)) {
		section(&b, "not sent to "+p, s.Skipped[p])
	}
	s.writeLeftOut(&b)
	s.writeDropped(&b)
	s.writeNotes(&b)
	for _, h := range s.SettingHints() {
		fmt.Fprintf(&b, "  hint: %s\n", h)
	}
	for _, n := range s.Notices {
		fmt.Fprintf(&b, "  %s\n", n)
	}
	if s.WithdrawalsKnown > 0 {
		fmt.Fprintf(&b, "  withdrawals the uploads remember: %d patient(s); their rows here are left out as an upload leaves them out (consent_revoked_patient)\n", s.WithdrawalsKnown)
	}
	if s.WithdrawalsUnknown != "" {
		fmt.Fprintf(&b, "  withdrawals the uploads remember, not applied: %s\n", s.WithdrawalsUnknown)
	}
	s.Revocations.writeText(&b)
	if s.LedgerRetention != "" {
		fmt.Fprintf(&b, "  ledger retention: %s\n", s.LedgerRetention)
	}
	if s.EveryRowCounts {
		b.WriteString(everyRowLine[s.EveryRowDeclared])
		if s.UnmappedOutcome != "" {
			fmt.Fprintf(&b, "  warning: the column %q names an outcome and is not mapped: its no-shows and cancellations are being sent as visits (map it as input.columns.status, with conversion.statuses)\n", s.UnmappedOutcome)
		}
	}
	b.WriteString(s.feeOnlyLine() + s.ageLine())
	var old []string
	for _, p := range slices.Sorted(maps.Keys(s.TooOld)) {
		if n := s.TooOld[p]; n > 0 {
			what := fmt.Sprintf("%s %d of %d (over %d days)", p, n, s.Conversions[p], s.TooOldDays[p])
			if n == s.Conversions[p] {
				what += ", all of them"
			}
			old = append(old, what)
		}
	}
	if len(old) > 0 {
		fmt.Fprintf(&b, "  too old for the platform, an upload would quarantine them (event_too_old): %s\n", strings.Join(old, "; "))
	}
	for _, p := range slices.Sorted(maps.Keys(s.HeldBack)) {
		section(&b, "an upload would hold back from "+p+" before sending", s.HeldBack[p])
	}
	if s.Validation {
		b.WriteString("  validation run: nothing was ingested, and no conversion is recorded as accepted\n")
	}
	for _, u := range s.Uploads {
		if u.Skipped != "" {
			fmt.Fprintf(&b, "  %s: %s\n", u.Destination, u.Skipped)
			continue
		}
		n, verb := u.Accepted, "ingested"
		switch u.TestMode {
		case "validate_only":
			n, verb = u.Validated, "validated (validate_only: nothing ingested)"
		case "test_event_code":
			n, verb = u.Validated, "sent as test events (test_event_code: not counted as delivered)"
		}
		unanswered := u.Rejected[UnansweredReason]
		fmt.Fprintf(&b, "  %s: %d of %d conversions %s in %d requests (%d retries); %d quarantined, %d rejected, %d not sent",
			u.Destination, n, u.Tonight(), verb, u.Requests, u.Retries, total(u.Quarantined), total(u.Rejected)-unanswered, u.Unsent)
		switch {
		case unanswered > 0 && u.TestMode != "":
			// Nothing of a validation counts, arrived or not, and the
			// ledger never resends it as one (ledger/testrequests.go).
			fmt.Fprintf(&b, ", %d unanswered (%s)", unanswered, TestUnansweredWords)
		case unanswered > 0:
			fmt.Fprintf(&b, ", %d unanswered (their requests may have arrived: the next run resends them under the same event ids, which the platform deduplicates)", unanswered)
		}
		b.WriteString("\n")
		if u.SkippedAlreadyAccepted > 0 {
			fmt.Fprintf(&b, "    %d already ingested in earlier runs: not sent again\n", u.SkippedAlreadyAccepted)
		}
		if u.Restated > 0 {
			fmt.Fprintf(&b, "    %d restated: ingested before, their value or currency changed since, sent again with the same transactionId (Google overwrites the value; nothing counted twice)\n", u.Restated)
		}
		if u.NotCompared > 0 {
			fmt.Fprintf(&b, "    %d ingested before hashgate recorded values: not compared, not restated\n", u.NotCompared)
		}
		if u.ValueGone > 0 {
			fmt.Fprintf(&b, "    %d ingested with a value that their row no longer has: not restated (Google keeps the value it holds; write a refund as 0)\n", u.ValueGone)
		}
		timeLines(&b, u)
		if u.Vanished > 0 {
			fmt.Fprintf(&b, "    %d ingested events dated within this export are no longer among its conversions (row deleted, or now excluded): hashgate does not guess why, and cannot retract them (README, \"When a visit changes after upload\")\n", u.Vanished)
		}
		if u.HeldEarlier > 0 {
			fmt.Fprintf(&b, "    held back in earlier runs: %d (for a reason that cannot change by itself — too old, a Purchase without a value, an identifier that cannot be sent, refused by the platform on its own, or kept back before the first upload to this destination; nothing changed since, and they do not set the exit code)\n", u.HeldEarlier)
		}
		for _, n := range u.Notes {
			fmt.Fprintf(&b, "    %s\n", n)
		}
		if u.Coverage != nil {
			fmt.Fprintf(&b, "    identifier coverage of the ingested: %s\n", u.Coverage.Text())
		}
		if u.BadAnswers > 0 {
			fmt.Fprintf(&b, "    %d answers refused as inconsistent with their request (a count or event position outside it): nothing recorded as ingested from them\n", u.BadAnswers)
		}
		section(&b, u.Destination+" quarantined", u.Quarantined)
		rejectedSections(&b, u)
		section(&b, u.Destination+" said", u.Messages)
		if len(u.RequestIDs) > 0 {
			ids := u.RequestIDs
			more := ""
			if len(ids) > 5 {
				ids, more = ids[:5], fmt.Sprintf(", … (%d in all)", len(u.RequestIDs))
			}
			fmt.Fprintf(&b, "    request ids: %s%s\n", strings.Join(ids, ", "), more)
		}
		if u.Fatal != "" {
			fmt.Fprintf(&b, "    stopped: %s\n", u.Fatal)
		} else if u.Cause != "" {
			fmt.Fprintf(&b, "    cause: %s\n", u.Cause)
		}
	}
	if len(s.Processing) > 0 || s.ProcessingNote != "" {
		b.WriteString("  processing of earlier runs (what the platforms did with what they ingested):\n")
		var pb strings.Builder
		_ = WriteProcessing(&pb, s.Processing)
		for _, line := range strings.SplitAfter(pb.String(), "\n") {
			if line != "" {
				b.WriteString("    " + line)
			}
		}
		if s.ProcessingNote != "" {
			fmt.Fprintf(&b, "    %s\n", s.ProcessingNote)
		}
	}
	if s.RunID != "" {
		fmt.Fprintf(&b, "  run %s\n", s.RunID)
	}
	if s.DemoKey {
		// The demo key is public: anyone can derive the event id of a
		// guessed order id, or Meta's external id of a guessed chart
		// number, and match a review CSV's rows to appointments (a privacy
		// officer's review recovered 60 of 60 from sequential order ids).
		b.WriteString("  event ids use the public demo key: anyone can match them (and external ids) to guessed order ids and chart numbers — share no review CSV made so; set secret (or HASHGATE_SECRET) before any upload\n")
	}
	if s.WeakKey != "" {
		// Only in the JSON report before: a dry-run's reader learnt that
		// the secret would be refused at the first upload.
		b.WriteString("  an upload would refuse this secret: " + s.WeakKey + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// settingHints name, for a row exclusion or identifier drop reason that a
// setting would cure, the config key and what to set it to.
var settingHints = []struct{ reason, hint string }{
	{"date_year_needed", "rows with dates printed without a year, outside the upload window, were excluded (date_year_needed): set input.default_year to read them"},
	{"date_order_needed", "rows with dates such as 5/8/2024 were excluded (date_order_needed): set input.date_order (mdy, dmy or ymd) to read them"},
	{"phone_region_needed", "phone numbers written the national way (leading 0, area code in brackets) were dropped (phone_region_needed): set region to the clinic's country (e.g. region: TW) to read them"},
}

// SettingHints returns one line per setting that would have read rows or
// identifiers this run excluded or dropped, so the summary says which key to
// set rather than leaving a reason code to look up.
func (s *Summary) SettingHints() []string {
	var out []string
	for _, h := range settingHints {
		found := s.Excluded[h.reason] > 0
		for k, n := range s.Dropped {
			if n > 0 && strings.HasSuffix(k, " "+h.reason) {
				found = true
			}
		}
		for _, m := range s.Skipped {
			if m[h.reason] > 0 {
				found = true
			}
		}
		if found {
			out = append(out, h.hint)
		}
	}
	return out
}

func section(b *strings.Builder, title string, m map[string]int) {
	if len(m) == 0 {
		return
	}
	fmt.Fprintf(b, "  %s:\n", title)
	keys := slices.Sorted(maps.Keys(m))
	width := 0
	for _, k := range keys {
		width = max(width, len(k))
	}
	for _, k := range keys {
		fmt.Fprintf(b, "    %-*s %d\n", width, k, m[k])
	}
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
