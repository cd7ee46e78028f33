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
//   - Errors are classified: Retryable (429, 5xx, throttling codes, network
//     failures; the same request may be sent again), Invalid (the content was
//     rejected; the Sender bisects the batch to find the culprits), Fatal
//     (credentials, permissions, configuration; every send stops).
//   - Sending the same batch twice is harmless: every event carries its
//     deterministic event id (Google transactionId, Meta event_id), the
//     platforms' dedup key. The Sender relies on this when it retries a
//     request whose response was lost.
//   - Nothing a Client returns or logs contains a raw identifier or a
//     credential.
package destination

import (
	"context"
	"fmt"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
)

// Kind classifies a failed Send.
type Kind int

// The kinds of failure.
const (
	Retryable Kind = iota + 1
	Invalid
	Fatal
)

func (k Kind) String() string {
	switch k {
	case Retryable:
		return "retryable"
	case Invalid:
		return "invalid"
	case Fatal:
		return "fatal"
	}
	return "unknown"
}

// Error is a classified failure of one Send.
type Error struct {
	Kind       Kind
	Status     int           // HTTP status; 0 for a network failure
	Code       string        // the platform's code ("100", "INVALID_ARGUMENT")
	Message    string        // the platform's message
	RetryAfter time.Duration // the platform's Retry-After, if any
	TraceID    string        // Meta fbtrace_id, kept for support
	Err        error         // the underlying error, if any
}

func (e *Error) Error() string {
	s := e.Kind.String()
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Code != "" {
		s += " code " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.TraceID != "" {
		s += " [fbtrace_id " + e.TraceID + "]"
	}
	if e.Err != nil && e.Message == "" {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Receipt is a platform's answer to an accepted batch.
type Receipt struct {
	// RequestID is Google's request id or Meta's fbtrace_id.
	RequestID string
	// Accepted is how many events the platform says it received.
	Accepted int
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
