package destinationtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Hostile makes the fakes answer as the echoing or hostile endpoints of
// issue 22's second round did: every text field of an answer carries
// terminal escapes (ESC and the 8-bit CSI U+009B), a bidi override, a
// forged log line and the credentials the endpoint saw or was told
// (Echo); enumerations are made up; counts and record indices do not fit
// the request; some bodies are larger than any real answer. It is not a
// platform's rule: it is the attack a test proves hashgate survives.
//
// Use GoogleFault and GraphFault as the fakes' Fault, and GoogleStatus
// as the DataManager's Fault for `status`: each answers the first
// requests hostilely and leaves the rest to the fake's real rules, so a
// run still ends and what the platform did accept can be checked.
type Hostile struct {
	// Echo are credential values the endpoint echoes besides the bearer
	// token of each request (a client secret, a refresh token, the
	// event-id secret).
	Echo []string
	// Requests is how many requests (from the first) are answered
	// hostilely; the rest go to the fake. 0 means 3.
	Requests int

	mu    sync.Mutex
	reads int
}

// Canaries are the marks hostile answers carry that must never reach a
// terminal, a report or the ledger: a forged log line starting a line,
// the escapes (ESC, BEL, CSI), the bidi override, and the made-up
// enumeration values (which the fakes put only where an enumeration
// belongs: a reason, a field path, a status word). Hostile free text
// (messages) keeps its words once scrubbed; the credentials it echoes are
// the caller's to check.
var Canaries = []string{"\nlevel=ERROR", "\x1b", "\x07", "\u009b", "\u202e", "PWNED_REASON", "pwned_field", "PWNED_STATUS"}

// Text is the hostile text of an answer to r: escapes, a forged log line,
// a bidi override and every credential the endpoint saw or was told.
func (h *Hostile) Text(r *http.Request) string {
	parts := []string{"ZQHOSTILE \x1b[2J\x1b]0;pwned\x07 \u009b31m \u202egnp.exe", "\nlevel=ERROR msg=forged"}
	if r != nil {
		if auth := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "); auth != "" {
			parts = append(parts, "token="+auth)
		}
		if q := r.URL.Query().Get("access_token"); q != "" {
			parts = append(parts, q)
		}
		// Meta's token and proof travel in the JSON body.
		if r.Body != nil {
			raw, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(raw))
			var b struct {
				Token string `json:"access_token"`
				Proof string `json:"appsecret_proof"`
			}
			if json.Unmarshal(raw, &b) == nil && b.Token != "" {
				parts = append(parts, "access_token="+b.Token, b.Proof)
			}
			// A token request's form: the client secret, the refresh
			// token, the authorization code and its verifier.
			if form, err := url.ParseQuery(string(raw)); err == nil {
				for _, k := range []string{"client_secret", "refresh_token", "code", "code_verifier"} {
					if v := form.Get(k); v != "" {
						parts = append(parts, k+"="+v)
					}
				}
			}
		}
	}
	parts = append(parts, h.Echo...)
	return strings.Join(parts, " ")
}

func (h *Hostile) requests() int {
	if h.Requests == 0 {
		return 3
	}
	return h.Requests
}

// huge writes a 200 whose body is 2 MiB of a JSON string: larger than
// any answer hashgate reads (1 MiB).
func huge(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "application/json")
	var b bytes.Buffer
	b.WriteString(`{"requestId":"`)
	for b.Len() < 2<<20 {
		b.WriteString("A")
	}
	b.WriteString(`","message":` + fmt.Sprintf("%q", text) + `}`)
	_, _ = w.Write(b.Bytes())
}

// GoogleFault answers Data Manager's events:ingest hostilely: request 1
// with a 2 MiB body, request 2 with an INVALID_ARGUMENT naming events
// outside the batch and twice, with made-up reasons and field paths,
// request 3 with a 503 whose message, reason and request id are hostile
// text; later requests go to the fake.
func (h *Hostile) GoogleFault(n int, w http.ResponseWriter, r *http.Request) bool {
	if n > h.requests() || r.URL.Path != "/v1/events:ingest" {
		return false
	}
	text := h.Text(r)
	switch n % 3 {
	case 1:
		huge(w, text)
	case 2:
		vs := []violation{
			{Field: "events.events[999999].user_data", Description: text, Reason: "PWNED_REASON " + text},
			{Field: "events.events[0].pwned_field\x1b[2J", Description: text, Reason: "INVALID_SHA256_FORMAT"},
			{Field: "events.events[0].user_data", Description: text, Reason: "INVALID_SHA256_FORMAT"},
		}
		rpcError(w, 400, "INVALID_ARGUMENT", text, "PWNED_REASON\x1b[2J", map[string]string{"requestId": strings.Repeat("R", 4096) + text}, vs)
	default:
		rpcError(w, 503, "UNAVAILABLE", text, "PWNED_REASON "+text, map[string]string{"requestId": text}, nil)
	}
	return true
}

// DescriptionMark starts every description Hostile.WarnDescription
// writes: hashgate never prints a field warning's description, scrubbed or
// not, so the mark appears in no output.
const DescriptionMark = "ZQDESCRIPTION"

// WarnDescription is a DataManager.WarnDescription that quotes event i —
// its identifiers, click id and transaction id — with hostile text: a
// description Google's reference does not rule out ("The detailed warning
// message describing the issue").
func (h *Hostile) WarnDescription(i int, ev map[string]any, reason string) string {
	quoted, _ := json.Marshal(ev)
	return fmt.Sprintf("%s %s: events[%d] %s is not valid. %s", DescriptionMark, reason, i, quoted, h.Text(nil))
}

// GraphFault answers Meta's events endpoint hostilely: request 1 with a
// temporary Graph error (code 2) whose message, user title and message and
// fbtrace_id are hostile text, request 2 with a 200 acknowledging more
// events than were sent, request 3 with a 2 MiB body; later requests go to
// the fake.
func (h *Hostile) GraphFault(n int, w http.ResponseWriter, r *http.Request) bool {
	if n > h.requests() || r.Method != http.MethodPost {
		return false
	}
	text := h.Text(r)
	switch n % 3 {
	case 1:
		graphErr(w, 500, 2, 0, "OAuthException\x1b[2J", text, text, text)
	case 2:
		var body struct {
			Data []any `json:"data"`
		}
		raw, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(raw, &body)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"events_received": len(body.Data) + 5, "messages": []string{text}, "fbtrace_id": text})
	default:
		huge(w, text)
	}
	return true
}

// GoogleStatus answers requestStatus:retrieve hostilely, per read: a
// forged status word; counts below zero and above what was sent; 3 million
// record indices, most outside the request; an error answer whose every
// field is hostile; then a status whose counts fit but whose reasons are
// hostile text. Reads after those go to the fake.
func (h *Hostile) GoogleStatus(_ int, w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != "/v1/requestStatus:retrieve" {
		return false
	}
	h.mu.Lock()
	h.reads++
	read := h.reads
	h.mu.Unlock()
	text := h.Text(r)
	entry := map[string]any{"destination": map[string]any{}}
	switch read {
	case 1:
		entry["requestStatus"] = "PWNED_STATUS " + text
	case 2:
		entry["requestStatus"] = "PARTIAL_SUCCESS"
		entry["eventsIngestionStatus"] = map[string]any{"recordCount": "-7"}
		entry["errorInfo"] = map[string]any{"errorCounts": []any{map[string]any{"reason": "PROCESSING_ERROR_REASON_EVENT_TOO_OLD", "recordCount": "100000000"}}}
	case 3:
		ix := make([]int, 3_000_000)
		for i := range ix {
			ix[i] = i
		}
		entry["requestStatus"] = "PARTIAL_SUCCESS"
		entry["errorInfo"] = map[string]any{"errorCounts": []any{map[string]any{"reason": "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", "recordCount": "3000000", "recordIndices": ix}}}
	case 4:
		// An error answer to the read itself: hostile reason, field,
		// request id and message.
		rpcError(w, 400, "FAILED_PRECONDITION\x1b[2J", text, "PWNED_REASON "+text, map[string]string{"requestId": "r\x1b[2J" + text},
			[]violation{{Field: "request_id.pwned_field", Description: text, Reason: "PWNED_REASON"}})
		return true
	case 5:
		entry["requestStatus"] = "PARTIAL_SUCCESS"
		entry["eventsIngestionStatus"] = map[string]any{"recordCount": "1"}
		entry["errorInfo"] = map[string]any{"errorCounts": []any{map[string]any{"reason": "PWNED_REASON " + text, "recordCount": "1", "recordIndices": []int{0}}}}
		entry["warningInfo"] = map[string]any{"warningCounts": []any{map[string]any{"reason": "PROCESSING_WARNING_REASON_\x1b[2J" + text, "recordCount": "1"}}}
	default:
		return false
	}
	writeStatus(w, []any{entry})
	return true
}

// TokenFault answers a token request as a hostile OAuth endpoint: 400
// with an error code that is not one and an error_description echoing the
// client secret, the refresh token (or code) it was sent and the bearer,
// with escapes and a forged log line. Client credentials sent in the
// Authorization header (HTTP Basic) are echoed too.
func (h *Hostile) TokenFault(w http.ResponseWriter, r *http.Request) {
	text := h.Text(r)
	if user, pass, ok := r.BasicAuth(); ok {
		text += " basic=" + user + ":" + pass
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant PWNED_REASON\x1b[2J " + text, "error_description": text})
}
