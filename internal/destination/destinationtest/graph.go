// Package destinationtest holds in-process fakes of the platforms' APIs for
// tests: they enforce the real contracts (limits, required fields, enum
// values, hashed fields, whole-request rejection, real error shapes) and can
// inject the failures the platforms really produce. A fake that accepted
// anything would prove nothing.
package destinationtest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Graph fakes Meta's Conversions API: POST /{version}/{dataset}/events.
// It decodes requests generically — never with the client's own types — so
// a misspelt field in the client is caught here.
type Graph struct {
	Token      string
	AppSecret  string // when set, appsecret_proof is required
	APIVersion string
	DatasetID  string
	Now        func() time.Time
	MaxAge     time.Duration // default 62 days
	// Fault, when set, may answer request n (from 1) itself, before the
	// contract is checked; it returns true when it did.
	Fault func(n int, w http.ResponseWriter, r *http.Request) bool
	// AfterAccept, when set, runs after request n's events are recorded as
	// accepted and before the answer is written: a test can hold or kill
	// the client there, so the platform has the events but the client never
	// learns it.
	AfterAccept func(n int, r *http.Request)
	// AfterAnswer runs after request n's answer has been written and flushed.
	AfterAnswer func(n int)

	intake
	mu        sync.Mutex
	accepted  map[string]int            // event_id → accepted how many times
	events    map[string]map[string]any // event_id → last accepted event
	testCodes []string
	batches   []int
}

// Start serves g on a loopback httptest server closed at the end of the test.
func (g *Graph) Start(t testing.TB) *httptest.Server {
	if g.MaxAge == 0 {
		g.MaxAge = 62 * 24 * time.Hour
	}
	if g.Now == nil {
		g.Now = time.Now
	}
	g.accepted, g.events = map[string]int{}, map[string]map[string]any{}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return srv
}

// Accepted returns, per event_id, how many times the event was accepted.
func (g *Graph) Accepted() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make(map[string]int, len(g.accepted))
	for k, v := range g.accepted {
		out[k] = v
	}
	return out
}

// Event returns the last accepted copy of an event.
func (g *Graph) Event(id string) map[string]any {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.events[id]
}

// Bodies returns every request body received.
func (g *Graph) Bodies() [][]byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([][]byte(nil), g.bodies...)
}

// TestEventCodes returns the test_event_code of every accepted request.
func (g *Graph) TestEventCodes() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.testCodes...)
}

// AcceptedBatches returns the size of every accepted request, in order.
func (g *Graph) AcceptedBatches() []int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]int(nil), g.batches...)
}

var actionSources = map[string]bool{
	"email": true, "website": true, "app": true, "phone_call": true, "chat": true,
	"physical_store": true, "system_generated": true, "business_messaging": true, "other": true,
}

var hashedUserKeys = map[string]bool{"em": true, "ph": true, "fn": true, "ln": true, "zp": true, "ct": true, "st": true, "country": true, "external_id": true, "db": true, "ge": true}
var plainUserKeys = map[string]bool{"client_ip_address": true, "client_user_agent": true, "fbc": true, "fbp": true, "lead_id": true, "madid": true}
var topKeys = map[string]bool{"data": true, "test_event_code": true, "partner_agent": true, "access_token": true, "appsecret_proof": true, "namespace_id": true, "upload_id": true, "upload_tag": true, "upload_source": true}
var eventKeys = map[string]bool{"event_name": true, "event_time": true, "action_source": true, "event_id": true, "user_data": true, "custom_data": true,
	"data_processing_options": true, "data_processing_options_country": true, "data_processing_options_state": true, "opt_out": true, "event_source_url": true}

func (g *Graph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, body, answered := g.take(w, r, g.Fault)
	if answered {
		return
	}
	if r.Method != http.MethodPost {
		GraphErr(w, 400, 100, 0, "OAuthException", "Unsupported request method")
		return
	}
	if r.URL.Path != "/"+g.APIVersion+"/"+g.DatasetID+"/events" {
		GraphErr(w, 400, 803, 0, "OAuthException", "(#803) Some of the aliases you requested do not exist")
		return
	}
	if r.URL.Query().Get("access_token") != "" {
		GraphErr(w, 400, 100, 0, "OAuthException", "test fake: the access token must not travel in the URL")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		GraphErr(w, 400, 100, 0, "OAuthException", "(#100) expected a JSON body")
		return
	}
	var req map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		GraphErr(w, 400, 100, 0, "OAuthException", "(#100) malformed JSON")
		return
	}
	if tok, _ := req["access_token"].(string); tok == "" || tok != g.Token {
		GraphErr(w, 400, 190, 0, "OAuthException", "Invalid OAuth access token - Cannot parse access token")
		return
	}
	if g.AppSecret != "" {
		m := hmac.New(sha256.New, []byte(g.AppSecret))
		m.Write([]byte(g.Token))
		if proof, _ := req["appsecret_proof"].(string); proof != hex.EncodeToString(m.Sum(nil)) {
			GraphErr(w, 400, 100, 0, "GraphMethodException", "Invalid appsecret_proof provided in the API argument")
			return
		}
	}
	for k := range req {
		if !topKeys[k] {
			GraphErr(w, 400, 100, 0, "OAuthException", fmt.Sprintf("(#100) Param %s is not a valid parameter", k))
			return
		}
	}
	data, ok := req["data"].([]any)
	if !ok || len(data) == 0 {
		GraphErr(w, 400, 100, 0, "OAuthException", "(#100) The parameter data is required")
		return
	}
	if len(data) > 1000 {
		GraphErr(w, 400, 100, 0, "OAuthException", "(#100) param data must be an array of at most 1000 elements")
		return
	}
	now := g.Now()
	for i, item := range data {
		if msg, sub := g.checkEvent(item, now); msg != "" {
			GraphErr(w, 400, 100, sub, "OAuthException", fmt.Sprintf("(#100) data[%d]: %s", i, msg))
			return
		}
	}
	code, _ := req["test_event_code"].(string)
	g.mu.Lock()
	for _, item := range data {
		ev := item.(map[string]any)
		id, _ := ev["event_id"].(string)
		g.accepted[id]++
		if !g.Lean {
			g.events[id] = ev
		}
	}
	g.testCodes = append(g.testCodes, code)
	g.batches = append(g.batches, len(data))
	g.mu.Unlock()
	if g.AfterAccept != nil {
		g.AfterAccept(n, r)
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"events_received":%d,"messages":[],"fbtrace_id":"FAKE%06d"}`, len(data), n)
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	if g.AfterAnswer != nil {
		g.AfterAnswer(n)
	}
}

// checkEvent returns a message (and Graph subcode) for an invalid event.
func (g *Graph) checkEvent(item any, now time.Time) (string, int) {
	ev, ok := item.(map[string]any)
	if !ok {
		return "event is not an object", 0
	}
	for k := range ev {
		if !eventKeys[k] {
			return "unknown event parameter " + k, 0
		}
	}
	if name, _ := ev["event_name"].(string); name == "" {
		return "event_name is required", 0
	}
	num, ok := ev["event_time"].(json.Number)
	if !ok {
		return "event_time must be an integer (unix seconds)", 0
	}
	secs, err := num.Int64()
	if err != nil {
		return "event_time must be an integer (unix seconds)", 0
	}
	t := time.Unix(secs, 0)
	if now.Sub(t) > g.MaxAge {
		return "event_time is too far in the past", 2804003
	}
	if t.Sub(now) > time.Hour {
		return "event_time is in the future", 2804004
	}
	if src, _ := ev["action_source"].(string); !actionSources[src] {
		return "action_source must be one of the documented values", 0
	}
	if id, present := ev["event_id"]; present {
		if s, ok := id.(string); !ok || s == "" {
			return "event_id must be a non-empty string", 0
		}
	}
	ud, ok := ev["user_data"].(map[string]any)
	if !ok || len(ud) == 0 {
		return "user_data is required", 0
	}
	for k, v := range ud {
		switch {
		case hashedUserKeys[k]:
			vals := []any{v}
			if arr, isArr := v.([]any); isArr {
				vals = arr
			}
			for _, x := range vals {
				s, _ := x.(string)
				if !isSHA256Hex(s) {
					return "user_data." + k + " must be a lower-case SHA-256 hex hash", 2804007
				}
			}
		case plainUserKeys[k]:
		default:
			return "unknown user_data parameter " + k, 0
		}
	}
	if cd, present := ev["custom_data"]; present {
		m, ok := cd.(map[string]any)
		if !ok {
			return "custom_data must be an object", 0
		}
		if v, has := m["value"]; has {
			if _, isNum := v.(json.Number); !isNum {
				return "custom_data.value must be a number", 0
			}
			if cur, _ := m["currency"].(string); len(cur) != 3 {
				return "custom_data.currency (ISO 4217) is required with a value", 0
			}
		}
	}
	return "", 0
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// GraphErr writes a Graph API error body.
func GraphErr(w http.ResponseWriter, status, code, subcode int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	body := map[string]any{"error": map[string]any{
		"message": msg, "type": typ, "code": code, "is_transient": false, "fbtrace_id": "FAKEERR",
	}}
	if subcode != 0 {
		body["error"].(map[string]any)["error_subcode"] = subcode
	}
	_ = json.NewEncoder(w).Encode(body)
}

// Throttle answers with Graph's rate-limit error (code 4 app limit, 17 user
// limit, 613 custom limit), as Meta does with HTTP 400.
func Throttle(w http.ResponseWriter, code int) {
	w.Header().Set("X-Business-Use-Case-Usage", `{"1":[{"type":"ads_management","call_count":100,"estimated_time_to_regain_access":1}]}`)
	GraphErr(w, 400, code, 0, "OAuthException", "(#"+fmt.Sprint(code)+") Application request limit reached")
}

// Reset drops the connection without an answer, as a load balancer does.
func Reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("destinationtest: ResponseWriter is not a Hijacker")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}

// ExactlyOnce fails the test unless every event in accepted (event id →
// times accepted, as Graph.Accepted and DataManager.Accepted return) was
// accepted exactly once, and, when want > 0, there are want of them.
func ExactlyOnce(t testing.TB, accepted map[string]int, want int) {
	t.Helper()
	if want > 0 && len(accepted) != want {
		t.Fatalf("%d distinct events accepted, want %d", len(accepted), want)
	}
	for id, n := range accepted {
		if n != 1 {
			t.Fatalf("event %s accepted %d times", id, n)
		}
	}
}

// intake is what both fakes do first with every request: count it, keep
// its body, and let an injected fault answer it.
type intake struct {
	// Lean keeps counts only — no request bodies, no last event per id —
	// so a benchmark of a million events does not hold them all in
	// memory. Every rule is still checked.
	Lean bool

	mu       sync.Mutex
	requests int
	bodies   [][]byte
}

func (in *intake) take(w http.ResponseWriter, r *http.Request, fault func(int, http.ResponseWriter, *http.Request) bool) (int, []byte, bool) {
	body, _ := io.ReadAll(r.Body)
	in.mu.Lock()
	in.requests++
	n := in.requests
	if !in.Lean {
		in.bodies = append(in.bodies, body)
	}
	in.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	return n, body, fault != nil && fault(n, w, r)
}

// Requests is how many requests arrived, faulted ones included.
func (in *intake) Requests() int { in.mu.Lock(); defer in.mu.Unlock(); return in.requests }

// Bodies returns every request body received.
func (in *intake) Bodies() [][]byte {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([][]byte(nil), in.bodies...)
}

// Throttle implements Fake: Graph code 17 (user request limit) with the
// business-use-case header saying one minute (Graph rate-limiting docs).
func (g *Graph) Throttle(w http.ResponseWriter) time.Duration {
	Throttle(w, 17)
	return time.Minute
}

// Unavailable implements Fake: a transient Graph error, code 2 with HTTP
// 500 ("An unexpected error has occurred. Please retry your request later.").
func (g *Graph) Unavailable(w http.ResponseWriter) {
	GraphErr(w, 500, 2, 0, "OAuthException", "An unexpected error has occurred. Please retry your request later.")
}

var _ Fake = (*Graph)(nil)
