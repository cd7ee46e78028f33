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
	e.mu.Unlock()
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
