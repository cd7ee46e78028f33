package destination

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestRequestIDGrammar: an id an answer returns is kept only when it is
// shaped like one; escapes, forged log lines and huge ids become "invalid".
func TestRequestIDGrammar(t *testing.T) {
	for _, id := range []string{"FAKE000001", "AbC123xYz_-", "v-1a2b3c4d-0000-1111-2222-333344445555", "ABcdEF12:3/4=+"} {
		if RequestID(id) != id {
			t.Errorf("RequestID(%q) = %q", id, RequestID(id))
		}
	}
	for _, id := range []string{"\x1b[2J\x1b[31mFAKE", "id\nlevel=ERROR msg=forged", strings.Repeat("A", 129), "a b", "王"} {
		if RequestID(id) != "invalid" {
			t.Errorf("RequestID(%q) = %q", id, RequestID(id))
		}
	}
}

// TestAnswerGate: every field of an answer passes the gate — ids by
// grammar, enumerations by the platform's set (else "unknown"), text
// scrubbed of escapes and of every credential the process holds, events
// named by position only inside the batch, once.
func TestAnswerGate(t *testing.T) {
	const refresh = "1//0gHeldRefreshTokenForTheGateTest"
	HoldSecret(refresh, "GOCSPX-heldClientSecretForGate")
	g, m := platform.Google.Spec(), platform.Meta.Spec()
	rec := Receipt{RequestID: "x\x1b]0;pwned\x07", Accepted: 2, Messages: []string{"warn \x1b[31m EAAB1234567890abcdef " + refresh}}
	de := &Error{TraceID: strings.Repeat("z", 1000), Reason: "BAD\nREASON", Code: "INVALID_ARGUMENT", Field: "events.events[3].user_data",
		Message: "ok\x1b[2J GOCSPX-heldClientSecretForGate \u202etxt.exe\u009b2J", Action: platform.Quarantine,
		Events: []EventFault{{Index: 1, Reason: "INVALID_SHA256_FORMAT", Field: "x\ny"}, {Index: 0, Reason: "PWNED_" + refresh, Field: "user_data"}}}
	if gateAnswer(g, 2, &rec, de) {
		t.Error("a consistent answer was called bad")
	}
	if rec.RequestID != "invalid" || strings.ContainsAny(rec.Messages[0], "\x1b") || strings.Contains(rec.Messages[0], "EAAB") || strings.Contains(rec.Messages[0], refresh) {
		t.Errorf("receipt %+v", rec)
	}
	if de.TraceID != "invalid" || de.Reason != "unknown" || de.Code != "INVALID_ARGUMENT" || de.Field != "events.events[3].user_data" ||
		strings.ContainsAny(de.Message, "\x1b\u202e\u009b") || strings.Contains(de.Message, "GOCSPX") ||
		de.Events[0].Reason != "INVALID_SHA256_FORMAT" || de.Events[0].Field != "unknown" || de.Events[1].Reason != "unknown" || de.Events[1].Field != "user_data" {
		t.Errorf("error %+v", de)
	}

	// Meta: a Graph code is a number; anything else is unknown.
	me := &Error{Code: "190\x1b[2J", Reason: "redirect"}
	gateAnswer(m, 1, nil, me)
	if me.Code != "unknown" || me.Reason != "redirect" {
		t.Errorf("meta error %+v", me)
	}
	me = &Error{Code: "100/2804010"}
	gateAnswer(m, 1, nil, me)
	if me.Code != "100/2804010" {
		t.Errorf("meta code %q", me.Code)
	}
	// OAuth: the RFC's codes only.
	oe := &Error{Code: "oauth", Reason: "invalid_grant"}
	gateAnswer(g, 1, nil, oe)
	fe := &Error{Code: "oauth", Reason: "invalid_grant " + refresh}
	gateAnswer(g, 1, nil, fe)
	if oe.Reason != "invalid_grant" || fe.Reason != "unknown" {
		t.Errorf("oauth %q %q", oe.Reason, fe.Reason)
	}
}

// TestAnswerGateRefusesBadPositionsAndCounts: events named outside the
// batch or twice are not trusted (the batch is bisected instead), and an
// acknowledged count outside the batch is a bad answer.
func TestAnswerGateRefusesBadPositionsAndCounts(t *testing.T) {
	g := platform.Google.Spec()
	for _, events := range [][]EventFault{{{Index: 5}}, {{Index: -1}}, {{Index: 0}, {Index: 0}}} {
		de := &Error{Code: "INVALID_ARGUMENT", Action: platform.Quarantine, Events: events}
		if !gateAnswer(g, 3, nil, de) || de.Events != nil || de.Action != platform.Bisect {
			t.Errorf("events %+v passed: %+v", events, de)
		}
	}
	for _, n := range []int{-1, 4, 1 << 30} {
		if rec := (Receipt{Accepted: n}); !gateAnswer(g, 3, &rec, nil) {
			t.Errorf("accepted %d of 3 passed", n)
		}
	}
}

// TestGateProcessing: a verdict's status and reasons against Google's
// sets; counts and record indices against the request; an unknown reason
// is counted as "unknown" (final), merged with other unknown ones.
func TestGateProcessing(t *testing.T) {
	g := platform.Google.Spec()
	ok := Processing{Status: "PARTIAL_SUCCESS", Final: true, Records: 3,
		Errors: []ReasonCount{{Reason: "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK", Records: 1, Indices: []int{2}, Retry: true},
			{Reason: "PROCESSING_ERROR_REASON_SOMETHING_NEW", Records: 1, Indices: []int{0}, Retry: true},
			{Reason: "x\x1b[2J level=ERROR", Records: 1, Indices: []int{1}}},
		Warnings: []ReasonCount{{Reason: "PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED", Records: 3}}}
	v, err := GateProcessing(g, ok, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Errors) != 2 || v.Errors[1].Reason != "unknown" || v.Errors[1].Records != 2 || v.Errors[1].Retry || len(v.Errors[1].Indices) != 2 || !v.Errors[0].Retry {
		t.Errorf("gated %+v", v.Errors)
	}
	bad := []Processing{
		{Status: "SUCCESS\n"},
		{Status: "SUCCESS", Records: 4},
		{Status: "SUCCESS", Records: -5},
		{Status: "FAILED", Errors: []ReasonCount{{Reason: "PROCESSING_ERROR_REASON_EVENT_TOO_OLD", Records: -2}}},
		{Status: "FAILED", Errors: []ReasonCount{{Reason: "PROCESSING_ERROR_REASON_EVENT_TOO_OLD", Records: 4}}},
		{Status: "FAILED", Errors: []ReasonCount{{Reason: "PROCESSING_ERROR_REASON_EVENT_TOO_OLD", Records: 2, Indices: []int{0, 3}}}},
		{Status: "FAILED", Errors: []ReasonCount{{Reason: "PROCESSING_ERROR_REASON_EVENT_TOO_OLD", Records: 2, Indices: []int{1, 1}}}},
		{Status: "FAILED", Errors: []ReasonCount{{Reason: "PROCESSING_ERROR_REASON_EVENT_TOO_OLD", Records: 1, Indices: []int{0, 1}}}},
		{Status: "FAILED", Errors: []ReasonCount{{Reason: "PROCESSING_ERROR_REASON_EVENT_TOO_OLD", Records: 2}},
			Recorded: []ReasonCount{{Reason: "PROCESSING_ERROR_REASON_DUPLICATE_GCLID", Records: 2}}},
	}
	for _, b := range bad {
		if _, err := GateProcessing(g, b, 3); !errors.Is(err, ErrBadAnswer) {
			t.Errorf("%+v passed the gate: %v", b, err)
		}
	}
	// Without the request's size, the answer's own arithmetic still holds.
	if _, err := GateProcessing(g, Processing{Status: "FAILED", Errors: []ReasonCount{{Reason: "PROCESSING_ERROR_REASON_EVENT_TOO_OLD", Records: 1, Indices: []int{0, 1}}}}, -1); !errors.Is(err, ErrBadAnswer) {
		t.Errorf("more indices than records passed without a size: %v", err)
	}
	if _, err := GateProcessing(g, Processing{Status: "PROCESSING", Records: -1}, -1); err != nil {
		t.Errorf("a pending verdict: %v", err)
	}
}

// TestAnswersAreReadThroughALimit: a 3 MiB answer fails with
// ErrAnswerTooLarge after 1 MiB, whoever reads it; one of exactly 1 MiB
// is read whole.
func TestAnswersAreReadThroughALimit(t *testing.T) {
	for _, n := range []int{MaxAnswer, 3 * MaxAnswer} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write(bytes.Repeat([]byte("A"), n))
		}))
		hc := NoRedirects(http.DefaultClient)
		resp, err := hc.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		switch {
		case n == MaxAnswer && (err != nil || len(b) != n):
			t.Errorf("%d bytes: read %d, %v", n, len(b), err)
		case n > MaxAnswer && (!errors.Is(err, ErrAnswerTooLarge) || len(b) > MaxAnswer):
			t.Errorf("%d bytes: read %d, %v", n, len(b), err)
		}
	}
}

// FuzzAnswer: whatever a platform returns, what passes the gate is a
// request id of the grammar (or "invalid"); codes, reasons and fields of
// the platform's sets (or "unknown"); messages without control, bidi or
// zero-width characters and without any credential the process holds;
// events only at positions inside the batch; processing verdicts whose
// counts and indices fit the request.
func FuzzAnswer(f *testing.F) {
	const held = "EAAHeldMetaTokenForTheFuzzTarget0001"
	HoldSecret(held)
	f.Add("FAKE000001", "INVALID_SHA256_FORMAT", "events.events[3].user_data", "msg", 3, 1, int64(1))
	f.Add("\x1b[2J", "a\nb", strings.Repeat("x", 300), "EAAB1234567890abcdef token "+held, 2, 5, int64(-3))
	f.Add("id", "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", "destinations", "\u202e\u009b[2J", 1, -1, int64(9))
	f.Fuzz(func(t *testing.T, id, reason, field, msg string, n, index int, count int64) {
		n = n & 0xff
		for _, spec := range []*platform.Spec{platform.Google.Spec(), platform.Meta.Spec()} {
			rec := Receipt{RequestID: id, Messages: []string{msg}, Accepted: index}
			de := &Error{TraceID: id, Reason: reason, Code: reason, Field: field, Message: msg + held, UserTitle: msg, UserMsg: msg,
				Action: platform.Quarantine, Events: []EventFault{{Index: index, Reason: reason, Field: field}}}
			gateAnswer(spec, n, &rec, de)
			for _, s := range []string{rec.RequestID, de.TraceID} {
				if s != "" && s != "invalid" && RequestID(s) != s {
					t.Fatalf("request id %q passed", s)
				}
			}
			if de.Code != "" && de.Code != platform.Unknown && !spec.Known(platform.AnswerCode, de.Code) {
				t.Fatalf("code %q passed", de.Code)
			}
			for _, e := range de.Events {
				if e.Index < 0 || e.Index >= n {
					t.Fatalf("event %d of %d passed", e.Index, n)
				}
			}
			for _, s := range []string{de.Reason, de.Code, de.Field, de.Message, de.UserTitle, de.UserMsg, rec.Messages[0]} {
				for _, r := range s {
					if Unprintable(r) {
						t.Fatalf("unprintable %U in %q", r, s)
					}
				}
				if strings.Contains(s, held) {
					t.Fatalf("a held credential passed: %q", s)
				}
				if len(s) > MaxMessage+len("…") {
					t.Fatalf("%d bytes passed", len(s))
				}
			}
			v, err := GateProcessing(spec, Processing{Status: reason, Records: count,
				Errors: []ReasonCount{{Reason: reason, Records: count, Indices: []int{index}}}}, n)
			if err == nil {
				if !spec.Known(platform.AnswerStatus, v.Status) || v.Records > int64(n) || v.Records < -1 {
					t.Fatalf("verdict %+v passed for %d events", v, n)
				}
				for _, c := range v.Errors {
					if c.Records > int64(n) || c.Reason != platform.Unknown && !spec.Known(platform.AnswerProcessingError, c.Reason) {
						t.Fatalf("count %+v passed for %d events", c, n)
					}
					for _, i := range c.Indices {
						if i < 0 || i >= n {
							t.Fatalf("index %d passed for %d events", i, n)
						}
					}
				}
			}
		}
	})
}

// TestGateErrorOutsideTheSender: an error from a status read passes the
// same gate before it is printed or logged; other errors pass unchanged.
func TestGateErrorOutsideTheSender(t *testing.T) {
	de := &Error{Code: "FAILED_PRECONDITION\x1b[2J", Reason: "PWNED", Field: "x.pwned", TraceID: "r\x1b", Message: "m\x1b[2J",
		Events: []EventFault{{Index: 0, Reason: "PWNED"}}}
	err := GateError(platform.Google.Spec(), fmt.Errorf("read: %w", de))
	if de.Code != "unknown" || de.Reason != "unknown" || de.Field != "unknown" || de.TraceID != "invalid" || strings.Contains(de.Message, "\x1b") || de.Events != nil {
		t.Errorf("%+v", de)
	}
	if !errors.Is(err, de) {
		t.Error("the gate lost the error")
	}
	plain := errors.New("plain")
	if GateError(platform.Google.Spec(), plain) != plain {
		t.Error("a plain error changed")
	}
}
