package destinationtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// What both fakes share: the intake of every request, the answers that
// are no platform's (a dropped connection), and the check every upload
// test makes. Split from graph.go and datamanager.go when they passed
// depcheck's 600 lines.

// intake is what both fakes do first with every request: count it, keep
// its body and its head (method, URL with its query string, headers), and
// let an injected fault answer it.
type intake struct {
	// Lean keeps counts only — no request bodies, no last event per id —
	// so a benchmark of a million events does not hold them all in
	// memory. Every rule is still checked.
	Lean bool

	mu       sync.Mutex
	requests int
	bodies   [][]byte
	heads    []string
}

func (in *intake) take(w http.ResponseWriter, r *http.Request, fault func(int, http.ResponseWriter, *http.Request) bool) (int, []byte, bool) {
	body, _ := io.ReadAll(r.Body)
	in.mu.Lock()
	in.requests++
	n := in.requests
	if !in.Lean {
		in.bodies = append(in.bodies, body)
		in.heads = append(in.heads, head(r))
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

// Sent returns every request received as text — its method, its URL with
// the query string, every header, then its body: each way a value can
// leave by HTTP. The canary tests look in these, not in Bodies alone, so a
// raw value put in a query parameter or a header is caught too.
func (in *intake) Sent() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make([]string, len(in.bodies))
	for i, b := range in.bodies {
		out[i] = in.heads[i] + "\n" + string(b)
	}
	return out
}

// head is a request's method, URL (r.URL.String(): the path and its query
// string) and headers, one a line. The URL is written twice, as sent and
// unescaped: an email in a query string travels as zq%40example.com, a
// phone's spaces as '+'.
func head(r *http.Request) string {
	var b strings.Builder
	u := r.URL.String()
	b.WriteString(r.Method + " " + u + "\n")
	if plain, err := url.QueryUnescape(u); err == nil && plain != u {
		b.WriteString(plain + "\n")
	}
	_ = r.Header.Write(&b)
	return b.String()
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

// writeJSON answers v as JSON.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// destKey is a request's first destination as "account/conversion action".
func destKey(req map[string]any) string {
	// Request shape — destinations required, operatingAccount {accountType GOOGLE_ADS,
	// accountId digits}, productDestinationId = conversion action id: PROTO destination.proto
	// and ingestion_service.proto (googleapis/googleapis google/ads/datamanager/v1); field
	// names and enums from the discovery document in google.golang.org/api datamanager/v1
	// (docs/research/platform-apis.md A.3, DISCO).
	dests, _ := req["destinations"].([]any)
	if len(dests) == 0 {
		return ""
	}
	dst, _ := dests[0].(map[string]any)
	op, _ := dst["operatingAccount"].(map[string]any)
	acct, _ := op["accountId"].(string)
	action, _ := dst["productDestinationId"].(string)
	return acct + "/" + action
}

// GatewayTimeout writes a 504 with a proxy's HTML body, as a load balancer
// in front of the platform answers when the backend is slower than its
// timeout — which says nothing of whether the backend went on to process
// the request (google/rpc/code.proto, DEADLINE_EXCEEDED, HTTP 504: "may
// be returned even if the operation has completed successfully").
func GatewayTimeout(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusGatewayTimeout)
	_, _ = w.Write([]byte("<html><body>504 Gateway Time-out</body></html>"))
}
