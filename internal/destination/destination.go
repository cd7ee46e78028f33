// Package destination sends hashed conversions to an ad platform.
//
// A platform is a Client: it knows its batch limit, its pre-flight rules and
// how to send one batch. Everything the platforms have in common — batching,
// a client-side rate limit, retries with jittered exponential backoff that
// honour Retry-After, isolating the events that make a platform reject a
// whole request, and a clean stop on SIGINT — is the Sender's, written once.
//
// # Contract for a Client
//
//   - Send either accepts the whole batch (returns a Receipt whose Accepted
//     equals len(batch)) or returns an *Error. Both platforms reject a whole
//     request when one event is invalid; there is no partial success.
//   - Errors are classified by the platform's error table (package
//     platform, errors.go) into an Action: Retry (the same request may be
//     sent again), Quarantine (the platform named the events at fault:
//     Error.Events), Bisect (some event is at fault but the platform does
//     not say which), StopDestination or StopRun (account, configuration
//     or credentials: a person must act, and Error.Fix says what).
//   - A Receipt with Test set (Google validateOnly, Meta test_event_code)
//     means the platform checked the events without counting them: the
//     Sender reports them Validated, never Accepted.
//   - Sending the same batch again is how a lost answer is recovered. It
//     is harmless because every event carries its deterministic event id:
//     Meta deduplicates on the order id (the event id), event_time and
//     event_name within 7 days (platform.Spec.DedupWindow; package run
//     resends to it only inside that window); Google treats a known
//     transactionId of the same conversion action as an adjustment, which
//     restates value and currency to what was sent — the same values, so
//     nothing changes (developers.google.com/data-manager/api/devguides/
//     events/google-ads/conversion-adjustments).
//   - Nothing a Client returns or logs contains a raw identifier or a
//     credential.
package destination

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Error is a classified failure of one Send. Message, UserTitle and
// UserMsg are the platform's words, scrubbed of anything that looks like a
// credential and truncated (Scrub); no field ever holds a cell value.
type Error struct {
	Action     platform.Action
	Status     int           // HTTP status; 0 for a network or token failure
	Code       string        // google.rpc status, Graph code/subcode, "oauth"
	Reason     string        // the platform's most specific reason (ErrorInfo, field violation, OAuth error)
	Field      string        // the request field a request-level reason is about
	Message    string        // the platform's message
	UserTitle  string        // Meta error_user_title
	UserMsg    string        // Meta error_user_msg
	Fix        string        // what a person does about it, naming the key or credential
	RetryAfter time.Duration // the platform's Retry-After, if any
	TraceID    string        // Google request id or Meta fbtrace_id, kept for support
	// Events are the events the platform named, by position in the batch.
	Events []EventFault
	Err    error // the underlying error, if any
	// arrived: an earlier attempt of the request this answers may have
	// reached the platform (it timed out). Set by the Sender on a refusal
	// it isolates: such a request is never answered refused.
	arrived bool
}

// EventFault is one event a platform named as the reason a request failed.
type EventFault struct {
	Index  int    // position in the batch
	Reason string // the platform's reason (INVALID_SHA256_FORMAT)
	Field  string // the field inside the event (user_data.user_identifiers[1])
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Reason != "":
		b.WriteString(e.Reason)
	case e.Code != "":
		b.WriteString(e.Code)
	default:
		b.WriteString(e.Action.String())
	}
	var in []string
	if e.Status != 0 {
		in = append(in, fmt.Sprintf("HTTP %d", e.Status))
	}
	if e.Code != "" && e.Reason != "" && e.Code != e.Reason {
		in = append(in, e.Code)
	}
	if len(in) > 0 {
		b.WriteString(" (" + strings.Join(in, " ") + ")")
	}
	if e.Field != "" {
		b.WriteString(" at " + e.Field)
	}
	switch {
	case e.UserTitle != "" || e.UserMsg != "":
		b.WriteString(": " + strings.TrimSpace(e.UserTitle+" "+e.UserMsg))
	case e.Message != "":
		b.WriteString(": " + e.Message)
	case e.Err != nil:
		b.WriteString(": " + Scrub(e.Err.Error()))
	}
	if e.Fix != "" {
		b.WriteString(" — " + e.Fix)
	}
	if e.TraceID != "" {
		b.WriteString(" [request " + e.TraceID + "]")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// signature is what the systemic guard compares: the same reason at the
// same field is a configuration problem, not data.
func (e *Error) signature() string {
	if len(e.Events) > 0 {
		return e.Events[0].Reason + "@" + e.Events[0].Field
	}
	return e.Code + "/" + e.Reason + "@" + e.Field
}

// Receipt is a platform's answer to an accepted batch.
type Receipt struct {
	// RequestID is Google's request id or Meta's fbtrace_id.
	RequestID string
	// Accepted is how many events the platform says it received.
	Accepted int
	// Test: the platform validated the events without counting them
	// (Google validateOnly, Meta test_event_code).
	Test bool
	// Messages are what the platform said besides yes (Google
	// fieldWarnings, Meta messages), each already reduced to a reason
	// without any value and scrubbed; the Sender counts them.
	Messages []string
}

// Client is one platform's API.
type Client interface {
	Platform() identifier.Platform
	// MaxBatch is the platform's limit of events per request.
	MaxBatch() int
	// Preflight returns "" when c may be sent, or the quarantine reason the
	// platform would reject it for (too old, in the future, ...). It mirrors
	// the platform's own rules so one bad event never sinks a batch.
	Preflight(c *conversion.Conversion, now time.Time) string
	// Send sends one batch; see the package contract.
	Send(ctx context.Context, batch []*conversion.Conversion) (Receipt, error)
}
