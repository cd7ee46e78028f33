package destination

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
	rec := Receipt{RequestID: "x\x1b]0;pwned\x07", Messages: []string{"warn \x1b[31m EAAB1234567890abcdef"}}
	de := &Error{TraceID: strings.Repeat("z", 1000), Reason: "BAD\nREASON", Code: "100/2804010", Field: "events.events[3].user_data",
		Message: "ok\x1b[2J", Events: []EventFault{{Index: 1, Reason: "INVALID_SHA256_FORMAT", Field: "x\ny"}}}
	answerIDs(&rec, de)
	if rec.RequestID != "invalid" || strings.ContainsAny(rec.Messages[0], "\x1b") || strings.Contains(rec.Messages[0], "EAAB") {
		t.Errorf("receipt %+v", rec)
	}
	if de.TraceID != "invalid" || de.Reason != "unknown" || de.Code != "100/2804010" || de.Field != "events.events[3].user_data" ||
		strings.Contains(de.Message, "\x1b") || de.Events[0].Reason != "INVALID_SHA256_FORMAT" || de.Events[0].Field != "unknown" {
		t.Errorf("error %+v", de)
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
// request id of the grammar (or "invalid"), and codes, reasons, fields and
// messages without control characters or the credential given.
func FuzzAnswer(f *testing.F) {
	f.Add("FAKE000001", "INVALID_SHA256_FORMAT", "events.events[3].user_data", "msg")
	f.Add("\x1b[2J", "a\nb", strings.Repeat("x", 300), "EAAB1234567890abcdef token")
	f.Fuzz(func(t *testing.T, id, reason, field, msg string) {
		rec := Receipt{RequestID: id, Messages: []string{msg}}
		de := &Error{TraceID: id, Reason: reason, Code: reason, Field: field, Message: msg, UserTitle: msg, UserMsg: msg,
			Events: []EventFault{{Reason: reason, Field: field}}}
		answerIDs(&rec, de)
		for _, s := range []string{rec.RequestID, de.TraceID} {
			if s != "" && s != "invalid" && RequestID(s) != s {
				t.Fatalf("request id %q passed", s)
			}
		}
		for _, s := range []string{de.Reason, de.Code, de.Field, de.Events[0].Reason, de.Events[0].Field, de.Message, de.UserTitle, de.UserMsg, rec.Messages[0]} {
			for _, r := range s {
				if r < 0x20 || r == 0x7f {
					t.Fatalf("control character in %q", s)
				}
			}
			if len(s) > MaxMessage+len("…") {
				t.Fatalf("%d bytes passed", len(s))
			}
		}
	})
}
