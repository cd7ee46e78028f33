package destinationtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// TokenEndpoint fakes Google's OAuth 2.0 token endpoint for refresh-token
// grants. Refuse, when set, is the RFC 6749 §5.2 error it answers with
// (HTTP 400 {"error": Refuse, "error_description": …}): "invalid_grant" is
// what Google says for an expired or revoked refresh token — weekly for
// OAuth apps left in "Testing" status (docs/research/contract-notes.md G6).
type TokenEndpoint struct {
	AccessToken string // handed out on success
	Refuse      string
	// Throttled answers the first Throttled token requests as a rate
	// limit: 429 with Retry-After 1, or, with ThrottleAs403, the 403 with
	// a human-readable HTML body and no error code that Google's token
	// endpoint was reported to send when many clients refresh one token at
	// once (googleapis/google-oauth-java-client#57 and
	// GoogleCloudPlatform/gsutil#114, by a Google engineer: "further
	// requests will yield 403 without any computer-readable indication
	// that you've hit a rate limit (there is human-readable HTML in the
	// response that so indicates)"; they asked to treat it as a 429, RFC
	// 6585). The Retry-After is the fake's: no Google page names one.
	Throttled     int
	ThrottleAs403 bool

	mu       sync.Mutex
	requests int
}

// Start serves the endpoint on loopback.
func (e *TokenEndpoint) Start(t testing.TB) *httptest.Server {
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

// Requests is how many token requests arrived.
func (e *TokenEndpoint) Requests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.requests
}

func (e *TokenEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.requests++
	throttled := e.requests <= e.Throttled
	e.mu.Unlock()
	if throttled {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		status := http.StatusTooManyRequests
		if e.ThrottleAs403 {
			status = http.StatusForbidden
		} else {
			w.Header().Set("Retry-After", "1")
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<html><body>Rate limit exceeded. Try again later.</body></html>"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") == "" {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request"})
		return
	}
	if e.Refuse != "" {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": e.Refuse, "error_description": "Token has been expired or revoked."})
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": e.AccessToken, "token_type": "Bearer", "expires_in": 3599})
}
