package destination

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// A platform's answer is data, not text (issue 22): the request ids it
// returns reach the summary, the run report, the ledger and `status`; an
// echoing or hostile endpoint returned terminal escapes, forged log lines
// and a 200 MB request id that took 10 GB of memory and a 1.68 GB ledger.
// The Sender passes every Receipt and Error through answerIDs before
// anything else reads them, and every platform response body is read
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

// answerIDs holds a Receipt's and an Error's ids and free text to their
// grammar: the one gate between a Client's answer and the Sender's users.
func answerIDs(rec *Receipt, de *Error) {
	if rec != nil {
		rec.RequestID = RequestID(rec.RequestID)
		for i, m := range rec.Messages {
			rec.Messages[i] = Scrub(m)
		}
	}
	if de != nil {
		de.TraceID = RequestID(de.TraceID)
		de.Message, de.UserTitle, de.UserMsg = Scrub(de.Message), Scrub(de.UserTitle), Scrub(de.UserMsg)
		de.Reason, de.Code, de.Field = token(de.Reason), token(de.Code), token(de.Field)
		for i := range de.Events {
			de.Events[i].Reason, de.Events[i].Field = token(de.Events[i].Reason), token(de.Events[i].Field)
		}
	}
}

// token keeps a platform's code, reason or field path as it is when it is
// one printable token of at most 128 bytes (INVALID_SHA256_FORMAT,
// 100/2804010, events.events[3].user_data), else "unknown": they are
// matched against the error tables and printed, never free text.
func token(s string) string {
	if len(s) > maxRequestID {
		return "unknown"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return "unknown"
		}
	}
	return s
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
