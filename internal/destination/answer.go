package destination

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/hashgate/hashgate/internal/platform"
)

// A platform's answer is data, not text (issue 22): the request ids it
// returns reach the summary, the run report, the ledger and `status`; an
// echoing or hostile endpoint returned terminal escapes, forged log lines
// and a 200 MB request id that took 10 GB of memory and a 1.68 GB ledger.
// The Sender passes every Receipt and Error through gateAnswer before
// anything else reads them, reconcile and `status` every processing
// verdict through GateProcessing, and every platform response body is read
// through MaxAnswer (LimitAnswers).

// MaxAnswer bounds every platform or token response body hashgate reads:
// Data Manager and Graph answers, error bodies and request-status answers
// are kilobytes; 1 MiB leaves room for the largest real one.
const MaxAnswer = 1 << 20

// maxRequestID bounds a request id or trace id: Google's are UUID-like,
// Meta's fbtrace_id about 11 characters.
const maxRequestID = 128

// ErrAnswerTooLarge: a platform answered with more than MaxAnswer bytes.
var ErrAnswerTooLarge = errors.New("the platform's answer is larger than 1 MiB; hashgate reads no more of it")

// RequestID returns id when it fits a request id's grammar — 1 to 128
// characters of letters, digits and "-_.:/=+" (Google's request ids,
// Meta's fbtrace_id, the fakes') — else "invalid". An id is printed,
// stored and sent back in `status`; an answer cannot use it to carry text.
func RequestID(id string) string {
	if id == "" {
		return ""
	}
	if len(id) > maxRequestID {
		return "invalid"
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '=' || c == '+') {
			return "invalid"
		}
	}
	return id
}

// ErrBadAnswer: a platform's answer broke its own arithmetic — a count
// below zero or above what was sent, a record index outside the request,
// the same index twice, a status word outside the known set. Nothing is
// recorded from it; the caller counts it and asks again later.
var ErrBadAnswer = errors.New("the platform's answer is not consistent with the request")

// gateAnswer is the one gate between a Client's answer to Send and the
// Sender's users (summary, report, ledger, logs): ids against their
// grammar, enumerations against the platform's known set (platform.Spec
// Answers; else "unknown"), free text scrubbed of control characters and
// of every credential the process holds (Scrub), event positions against
// the batch. It reports whether the answer was bad (an event named
// outside the batch or twice): such a naming is dropped, never trusted.
func gateAnswer(spec *platform.Spec, n int, rec *Receipt, de *Error) (bad bool) {
	if rec != nil {
		rec.RequestID = RequestID(rec.RequestID)
		for i, m := range rec.Messages {
			rec.Messages[i] = Scrub(m)
		}
		if rec.Accepted < 0 || rec.Accepted > n {
			// Counted as a mismatch by the Sender; never as accepted.
			bad = true
		}
	}
	if de != nil {
		de.TraceID = RequestID(de.TraceID)
		de.Message, de.UserTitle, de.UserMsg = Scrub(de.Message), Scrub(de.UserTitle), Scrub(de.UserMsg)
		de.Code = spec.Enum(platform.AnswerCode, de.Code)
		if de.Code == "oauth" {
			de.Reason = ownOr(spec, platform.AnswerOAuth, de.Reason)
		} else {
			de.Reason = ownOr(spec, platform.AnswerReason, de.Reason)
		}
		de.Field = spec.Enum(platform.AnswerField, de.Field)
		seen := make(map[int]bool, len(de.Events))
		for i := range de.Events {
			f := &de.Events[i]
			f.Reason, f.Field = spec.Enum(platform.AnswerReason, f.Reason), spec.Enum(platform.AnswerField, f.Field)
			if f.Index < 0 || f.Index >= n || seen[f.Index] {
				bad = true
			}
			seen[f.Index] = true
		}
		if bad {
			// The platform named events that are not in the request, or
			// one twice: its naming is not used. The batch is bisected
			// instead, which finds the bad events by the platform's own
			// verdicts on smaller requests.
			de.Events = nil
			if de.Action == platform.Quarantine {
				de.Action = platform.Bisect
			}
		}
	}
	return bad
}

// GateError passes an error a client returned outside the Sender — a
// status read, a token refresh during one — through the same gate before
// anyone prints or logs it. Errors that are not a *Error carry no
// platform text hashgate did not scrub (Error() scrubs Err) and are
// returned as they are.
func GateError(spec *platform.Spec, err error) error {
	var de *Error
	if errors.As(err, &de) {
		gateAnswer(spec, 0, nil, de)
		de.Events = nil
	}
	return err
}

// ownOr gates a reason: hashgate's own reasons (a refused redirect,
// credentials) pass, the platform's against its set.
func ownOr(spec *platform.Spec, k platform.AnswerKind, v string) string {
	if slices.Contains(platform.OwnReasons, v) {
		return v
	}
	return spec.Enum(k, v)
}

// GateProcessing is the gate for a processing verdict (`status`, the
// reconcile pass) before anything reads it: the status word and every
// reason against the platform's known sets (an unknown reason is counted
// under "unknown", never printed as the platform wrote it; reasons that
// became "unknown" are merged), and the arithmetic against the request —
// sent is how many events the request carried, or -1 when the caller does
// not know (status of ids given on the command line). A status outside the
// set, a count below zero (other than -1, "not said") or above sent, more
// failed or already-recorded records than sent, a record index outside
// [0, sent) or named twice under one reason: ErrBadAnswer, and nothing of
// the verdict is to be recorded.
func GateProcessing(spec *platform.Spec, v Processing, sent int) (Processing, error) {
	if !spec.Known(platform.AnswerStatus, v.Status) {
		return Processing{}, fmt.Errorf("%w: status %q is not one the platform defines", ErrBadAnswer, platform.Unknown)
	}
	limit := int64(sent)
	over := func(n int64) bool { return n < -1 || sent >= 0 && n > limit }
	if over(v.Records) {
		return Processing{}, fmt.Errorf("%w: %d records in a request of %d", ErrBadAnswer, v.Records, sent)
	}
	var failed int64
	gate := func(list []ReasonCount, k platform.AnswerKind, sumFailed bool) ([]ReasonCount, error) {
		var out []ReasonCount
		at := map[string]int{}
		for _, c := range list {
			if over(c.Records) {
				return nil, fmt.Errorf("%w: a count of %d in a request of %d", ErrBadAnswer, c.Records, sent)
			}
			if sent >= 0 && len(c.Indices) > sent || c.Records >= 0 && int64(len(c.Indices)) > c.Records {
				return nil, fmt.Errorf("%w: %d record indices for %d records in a request of %d", ErrBadAnswer, len(c.Indices), c.Records, sent)
			}
			seen := make(map[int]bool, len(c.Indices))
			for _, i := range c.Indices {
				if i < 0 || sent >= 0 && i >= sent || seen[i] {
					return nil, fmt.Errorf("%w: record index %d in a request of %d", ErrBadAnswer, i, sent)
				}
				seen[i] = true
			}
			if sumFailed && c.Records > 0 {
				failed += c.Records
			}
			c.Reason = spec.Enum(k, c.Reason)
			if c.Reason == platform.Unknown {
				c.Retry = false // nothing says a resend would fare better
			}
			if j, ok := at[c.Reason]; ok {
				m := &out[j]
				if m.Records >= 0 && c.Records >= 0 {
					m.Records += c.Records
				} else {
					m.Records = -1
				}
				if m.Indices != nil && c.Indices != nil {
					m.Indices = append(m.Indices, c.Indices...)
				} else {
					m.Indices = nil
				}
				continue
			}
			at[c.Reason] = len(out)
			out = append(out, c)
		}
		return out, nil
	}
	var err error
	if v.Errors, err = gate(v.Errors, platform.AnswerProcessingError, true); err != nil {
		return Processing{}, err
	}
	if v.Recorded, err = gate(v.Recorded, platform.AnswerProcessingError, true); err != nil {
		return Processing{}, err
	}
	if v.Warnings, err = gate(v.Warnings, platform.AnswerProcessingWarning, false); err != nil {
		return Processing{}, err
	}
	if sent >= 0 && failed > limit {
		return Processing{}, fmt.Errorf("%w: %d records failed or already held in a request of %d", ErrBadAnswer, failed, sent)
	}
	return v, nil
}

// LimitAnswers returns a copy of hc whose response bodies fail with
// ErrAnswerTooLarge past MaxAnswer bytes, whatever reads them (the
// generated Google client, x/oauth2, our decoders).
func LimitAnswers(hc *http.Client) *http.Client {
	c := *hc
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = limitTransport{next}
	return &c
}

type limitTransport struct{ next http.RoundTripper }

func (t limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err == nil && resp.Body != nil {
		resp.Body = &limitedBody{rc: resp.Body, left: MaxAnswer}
	}
	return resp, err
}

type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly MaxAnswer from a longer one.
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("%w", ErrAnswerTooLarge)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
