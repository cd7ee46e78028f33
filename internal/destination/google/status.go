package google

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	datamanager "google.golang.org/api/datamanager/v1"
	"google.golang.org/api/googleapi"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// Request statuses of requestStatus:retrieve
// (request_status_per_destination.proto; discovery rev 20261106).
const (
	StatusProcessing     = "PROCESSING"
	StatusSuccess        = "SUCCESS"
	StatusPartialSuccess = "PARTIAL_SUCCESS"
	StatusFailed         = "FAILED"
	StatusUnknown        = "REQUEST_STATUS_UNKNOWN"
)

// ReasonFailedNoDetail stands for the records of a FAILED request whose
// status carries no error counts. errorInfo "may not be populated in all
// cases" (processing_errors.proto, message ErrorInfo), and a FAILED
// request without counts is still failed, not a success.
const ReasonFailedNoDetail = platform.ReasonFailedNoDetail

// Processing asks Data Manager how it processed an ingested request
// (GET /v1/requestStatus:retrieve?requestId=…) and returns its verdict,
// with each error reason classified as one a resend can overcome or not
// (RetryableProcessingError). sentTo are the conversion actions the
// request named, in its order, as the ledger recorded them when it was
// sent (SentTo); nil when not recorded (see verdict).
//
// A request the API cannot report on — a validateOnly request ("Status can
// only be retrieved for requests that succeed and don't have
// validate_only=true", error.proto INVALID_REQUEST_ID) or an unknown id —
// returns an error wrapping destination.ErrNoVerdict; an answer that does
// not fit the actions the request named, one wrapping
// destination.ErrBadAnswer. Other failures are classified as for
// events:ingest.
func (c *Client) Processing(ctx context.Context, requestID string, sentTo []string) (destination.Processing, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	resp, err := c.svc.RequestStatus.Retrieve().RequestId(requestID).Context(ctx).Do()
	if err != nil {
		var ge *googleapi.Error
		if errors.As(err, &ge) && (ge.Code == http.StatusNotFound || strings.Contains(ge.Body, "INVALID_REQUEST_ID")) {
			return destination.Processing{}, fmt.Errorf("google: request %s: %w", requestID, destination.ErrNoVerdict)
		}
		return destination.Processing{}, c.classify(err)
	}
	return verdict(resp, sentTo)
}

// verdict judges a status response against the conversion actions the
// request was sent to — never against tonight's config, which may name
// other actions by the time the status is read (a changed
// booking_conversion_action_id, conversion_action_id, or bookings turned
// off: the status of the action no longer configured was dropped and its
// failures read as processed ok, never resent).
//
// Google answers one status per destination of the request: "A list of
// request statuses per destination. The order of the statuses matches the
// order of the destinations in the original request" (googleapis
// google/ads/datamanager/v1 ingestion_service.proto,
// RetrieveRequestStatusResponse.request_status_per_destination; the same
// words in the REST reference of requestStatus.retrieve), each carrying
// "A destination within a DM API request" (request_status_per_
// destination.proto), and a request is done when "the destination status
// for each destination reaches SUCCESS, PARTIAL_SUCCESS, or FAILURE"
// (developers.google.com/data-manager/api/devguides/diagnostics). So
// status i is the request's action sentTo[i]: one status too many or too
// few, none at a position, or one naming another action there is an
// answer about something the request was not sent to, ErrBadAnswer —
// nothing of it is recorded, and the request is read again until
// Google's window ends (reconcile), never taken as processed ok. A
// status that names no action is taken by its position. The statuses
// are merged (mergeVerdicts).
//
// Without sentTo (a request recorded before the ledger kept it, or a
// request id asked about on the command line) every status of the answer
// is the request's, by the same proto comment, and all are merged: none
// is dropped for naming an action tonight's config does not.
func verdict(resp *datamanager.RetrieveRequestStatusResponse, sentTo []string) (destination.Processing, error) {
	entries := resp.RequestStatusPerDestination
	if len(entries) == 0 {
		// Nothing said yet: not final, read again.
		return Verdict(nil), nil
	}
	if len(sentTo) > 0 && len(entries) != len(sentTo) {
		return destination.Processing{}, fmt.Errorf("%w: %d statuses for a request sent to %d conversion actions (%s)",
			destination.ErrBadAnswer, len(entries), len(sentTo), strings.Join(sentTo, ", "))
	}
	vs := make([]destination.Processing, 0, len(entries))
	for i, x := range entries {
		switch {
		case x == nil && len(sentTo) > 0:
			return destination.Processing{}, fmt.Errorf("%w: no status for conversion action %s, destination %d of the request", destination.ErrBadAnswer, sentTo[i], i)
		case x == nil:
			continue
		case len(sentTo) > 0 && x.Destination != nil && x.Destination.ProductDestinationId != "" && x.Destination.ProductDestinationId != sentTo[i]:
			// Google's value is not printed: an answer's text is not
			// shown unchecked (README "What the platforms' answers may
			// put on your screen").
			return destination.Processing{}, fmt.Errorf("%w: the status of destination %d of the request names another conversion action than %s, the one the request named there", destination.ErrBadAnswer, i, sentTo[i])
		}
		vs = append(vs, Verdict(x))
	}
	if len(vs) == 0 {
		return Verdict(nil), nil
	}
	return mergeVerdicts(vs), nil
}

// mergeVerdicts joins the statuses of one request's destinations (visits'
// and bookings' actions). How Google counts records and indexes errors
// per destination of a two-destination request is not documented; the
// merge assumes each destination reports its own events, with indices
// into the request: errors and warnings are listed together, and the
// request is final only when every destination is — SUCCESS or FAILED
// when all agree, PARTIAL_SUCCESS otherwise.
//
// Records add up when the destinations report different counts. Equal
// counts may be each destination's own or, as IngestEventsStatus.
// record_count's comment reads literally, the whole request's ("The
// total count of events sent in the upload request. Includes all events
// in the request", request_status_per_destination.proto): adding those
// up would double the request and the answer gate would refuse the
// verdict, so the merged count is unknown (-1) instead. The count is
// informational; errors and their indices are what the ledger records.
func mergeVerdicts(vs []destination.Processing) destination.Processing {
	if len(vs) == 1 {
		return vs[0]
	}
	same := true
	for _, v := range vs[1:] {
		same = same && v.Records == vs[0].Records
	}
	m := vs[0]
	for _, v := range vs[1:] {
		switch {
		case !v.Final || !m.Final:
			if !v.Final {
				m.Status = v.Status
			}
			m.Final = false
		case v.Status != m.Status:
			m.Status = StatusPartialSuccess
		}
		if m.Records >= 0 && v.Records >= 0 {
			m.Records += v.Records
		} else {
			m.Records = -1
		}
		m.Errors = append(m.Errors, v.Errors...)
		m.Recorded = append(m.Recorded, v.Recorded...)
		m.Warnings = append(m.Warnings, v.Warnings...)
	}
	if same {
		m.Records = -1
		// Two destinations FAILED without counts, each "counting" the same
		// number: under either reading every event of the request failed,
		// and adding the counts up would again double the request. One
		// entry without a count (-1) stands for all of them; the reader
		// (reconcile) puts the request's size on it.
		var errs []destination.ReasonCount
		n := 0
		for _, e := range m.Errors {
			if e.Reason == ReasonFailedNoDetail {
				n++
				continue
			}
			errs = append(errs, e)
		}
		if n > 1 {
			m.Errors = append(errs, destination.ReasonCount{Reason: ReasonFailedNoDetail, Records: -1})
		}
	}
	return m
}

// Verdict translates one destination's status. A nil status is
// REQUEST_STATUS_UNKNOWN, not final.
func Verdict(d *datamanager.RequestStatusPerDestination) destination.Processing {
	p := destination.Processing{Status: StatusUnknown, Records: -1}
	if d == nil {
		return p
	}
	if d.RequestStatus != "" {
		p.Status = d.RequestStatus
	}
	switch p.Status {
	case StatusSuccess, StatusPartialSuccess, StatusFailed:
		p.Final = true
	}
	if d.EventsIngestionStatus != nil {
		// recordCount counts every event "regardless of whether they were
		// successfully ingested or not" (request_status_per_destination.proto).
		p.Records = d.EventsIngestionStatus.RecordCount
	}
	if d.ErrorInfo != nil {
		for _, e := range d.ErrorInfo.ErrorCounts {
			if e == nil {
				continue
			}
			rc := destination.ReasonCount{Reason: e.Reason, Records: e.RecordCount,
				Indices: indices(e.RecordIndices), Retry: RetryableProcessingError(e.Reason)}
			if alreadyRecorded[e.Reason] {
				rc.Retry = false
				p.Recorded = append(p.Recorded, rc)
				continue
			}
			p.Errors = append(p.Errors, rc)
		}
	}
	if d.WarningInfo != nil {
		for _, w := range d.WarningInfo.WarningCounts {
			if w == nil {
				continue
			}
			p.Warnings = append(p.Warnings, destination.ReasonCount{Reason: w.Reason, Records: w.RecordCount, Indices: indices(w.RecordIndices)})
		}
	}
	if p.Status == StatusFailed && len(p.Errors) == 0 && len(p.Recorded) == 0 {
		// Every record of a FAILED request failed; only the reason is
		// unknown. Not resent: nothing says a resend would fare better.
		rc := destination.ReasonCount{Reason: ReasonFailedNoDetail, Records: p.Records}
		p.Errors = []destination.ReasonCount{rc}
	}
	return p
}

// indices converts the client's []int64 (the discovery document declares
// int32 items: JSON numbers) to ints; nil stays nil, which is how the
// client presents "not sent" (omitempty cannot tell it from empty).
func indices(in []int64) []int {
	if in == nil {
		return nil
	}
	out := make([]int, 0, len(in))
	for _, i := range in {
		if i >= 0 && i <= 1<<31 {
			out = append(out, int(i))
		}
	}
	return out
}

// retryableProcessing lists the processing error reasons
// (ProcessingErrorReason, discovery rev 20261106 in google.golang.org/api
// v0.315.0; meanings from processing_errors.proto @ f8291d2b) that a later
// resend of the same events can overcome. Google publishes no retry
// policy per reason; this is our reading of each reason's comment
// (docs/research/processing-reasons.md). Every other reason —
// including any Google adds later — is final: the event is counted under
// its reason and never resent, because a resend would only repeat it.
//
// Final, and why (a selection; the rest are click-id, encryption, store
// sales, Floodlight or call reasons that a resend cannot change):
//   - EVENT_TOO_OLD ("older than max supported age"), EXPIRED_CLICK: time
//     only makes these worse.
//   - CLICK_NOT_FOUND ("a corresponding click can't be found that matches
//     the provided attributes"): the same data finds the same nothing.
//     Google's enhanced conversions for leads help says unknown clicks are
//     expected and can generally be ignored (support.google.com/google-ads/
//     answer/13321563): counted, not alarmed about.
//   - CONVERSION_PRECEDES_CLICK: the timestamp is wrong at the source.
//   - INVALID_GCLID/GBRAID/WBRAID/CLICK, INVALID_AD_IDENTIFIERS,
//     INVALID_OPERATING_ACCOUNT_FOR_CLICK,
//     PROCESSING_ERROR_OPERATING_ACCOUNT_MISMATCH_FOR_AD_IDENTIFIER (sic: no
//     _REASON_ in Google's name): the click id is unusable or belongs to
//     another account.
//   - INVALID_EVENT, INVALID_FORMAT, custom variable and merchant reasons:
//     the data is wrong until its source changes.
var retryableProcessing = map[string]bool{
	// "Internal error." — Google's side.
	"PROCESSING_ERROR_REASON_INTERNAL_ERROR": true,
	// "The click occurred too recently." — the next run is later.
	"PROCESSING_ERROR_REASON_TOO_RECENT_CLICK": true,
	// No comment in any source; by its name the conversion action or
	// account is too new. The next run is later.
	"PROCESSING_ERROR_REASON_DESTINATION_TOO_RECENTLY_CREATED": true,
	// "The advertiser did not give 3P consent for the Ads core platform
	// services." — account settings; once fixed, a resend counts.
	"PROCESSING_ERROR_REASON_NO_CONSENT": true,
	// "Overall consent could not be determined." — as NO_CONSENT.
	"PROCESSING_ERROR_REASON_UNKNOWN_CONSENT": true,
	// Consent was denied — by the event's own consent or, since hashgate
	// sends only granted consent, by the account's default for ad user
	// data: an account setting, like NO_CONSENT; once fixed, a resend
	// counts. In the ErrorCount reason enum of google.golang.org/api
	// v0.315.0 datamanager/v1 (datamanager-gen.go, ErrorCount.Reason).
	"PROCESSING_ERROR_REASON_DENIED_CONSENT": true,
	// "Enhanced conversions terms are not signed in the destination
	// account." — once signed, a resend counts.
	"PROCESSING_ERROR_REASON_DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED": true,
}

// alreadyRecorded are the error reasons that, by their names in the
// ErrorCount reason enum (google.golang.org/api v0.315.0 datamanager/v1:
// DUPLICATE_TRANSACTION_ID, DUPLICATE_GCLID), mean Google already holds a
// conversion with this transaction id or click id: nothing is lost and
// nothing failed — a resend after a crash or a lost answer meets them. Verdict reports them as Processing.Recorded, shown and stored as
// already_recorded.
var alreadyRecorded = map[string]bool{
	"PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID": true,
	"PROCESSING_ERROR_REASON_DUPLICATE_GCLID":          true,
}

// RetryableProcessingError reports whether events that failed processing
// with reason may be sent again: true only for the reasons a later
// attempt can overcome (see retryableProcessing).
func RetryableProcessingError(reason string) bool { return retryableProcessing[reason] }

// StatusSchedule is Google's polling schedule for requestStatus:retrieve
// (developers.google.com/data-manager/api/devguides/diagnostics: wait 30
// minutes before the first diagnostics request, backoff factor 1.3,
// longest single wait 60 minutes, longest total time 1,440 minutes — reads
// at 0:30, 1:09, 1:59, 2:59, then hourly), within the read quota of 300
// requests per minute and project (IngestionReadRequestsPerMinutePerProject,
// developers.google.com/data-manager/api/limits).
var StatusSchedule = destination.PollSchedule{
	First:          30 * time.Minute,
	Factor:         1.3,
	MaxWait:        60 * time.Minute,
	GiveUp:         24 * time.Hour,
	ReadsPerMinute: 300,
}

// PollSchedule is when to read a request's status (StatusSchedule).
func (c *Client) PollSchedule() destination.PollSchedule { return StatusSchedule }

// OAuthCode gates a Google token endpoint's error code: one of the OAuth
// codes (RFC 6749, platform.AnswerOAuth), else "unknown" — what `hashgate
// auth google` prints of a refused exchange.
func OAuthCode(code string) string { return spec.Enum(platform.AnswerOAuth, code) }
