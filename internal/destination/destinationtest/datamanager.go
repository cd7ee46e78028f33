package destinationtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// DataManager fakes Google's Data Manager API (events:ingest and
// requestStatus:retrieve). Requests are validated against the discovery
// document shipped inside the google.golang.org/api datamanager/v1 module —
// field names, types and enum values — and against the documented limits,
// and a request with any invalid event is rejected whole, with a
// google.rpc.Status body naming the field, as the real API does.
type DataManager struct {
	Token string // the bearer token it accepts
	Now   func() time.Time
	// MaxAge is the oldest eventTimestamp accepted (the conversion action's
	// click-through window); default 90 days.
	MaxAge time.Duration
	// Fault may answer request n (from 1) itself; it returns true when it did.
	Fault func(n int, w http.ResponseWriter, r *http.Request) bool

	schemas map[string]schema

	intake
	mu           sync.Mutex
	accepted     map[string]int // transactionId → times accepted
	events       map[string]map[string]any
	statuses     map[string]status // requestId → status to report
	validateOnly int
	batches      []int
}

type schema struct {
	Type                 string            `json:"type"`
	Ref                  string            `json:"$ref"`
	Format               string            `json:"format"`
	Enum                 []string          `json:"enum"`
	Items                *schema           `json:"items"`
	Properties           map[string]schema `json:"properties"`
	AdditionalProperties *schema           `json:"additionalProperties"`
}

type status struct {
	records    int
	duplicates int
}

// Start loads the discovery document and serves the fake on loopback.
func (d *DataManager) Start(t testing.TB) *httptest.Server {
	t.Helper()
	d.schemas = loadDiscovery(t)
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.MaxAge == 0 {
		d.MaxAge = 90 * 24 * time.Hour
	}
	d.accepted, d.events, d.statuses = map[string]int{}, map[string]map[string]any{}, map[string]status{}
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	return srv
}

var (
	discoveryOnce    sync.Once
	discoverySchemas map[string]schema
)

// loadDiscovery reads datamanager-api.json from the module the client is
// built with, so the fake and the client always describe one API version.
// It is read once per test binary.
func loadDiscovery(t testing.TB) map[string]schema {
	t.Helper()
	discoveryOnce.Do(func() { discoverySchemas = readDiscovery(t) })
	if discoverySchemas == nil {
		t.Fatal("discovery document not loaded")
	}
	return discoverySchemas
}

func readDiscovery(t testing.TB) map[string]schema {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "google.golang.org/api").Output()
	if err != nil {
		t.Errorf("locate google.golang.org/api: %v", err)
		return nil
	}
	raw, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "datamanager", "v1", "datamanager-api.json"))
	if err != nil {
		t.Error(err)
		return nil
	}
	var doc struct {
		Schemas map[string]schema `json:"schemas"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Error(err)
		return nil
	}
	if _, ok := doc.Schemas["IngestEventsRequest"]; !ok {
		t.Error("discovery document has no IngestEventsRequest")
		return nil
	}
	return doc.Schemas
}

// Accepted returns, per transactionId, how many times it was ingested.
func (d *DataManager) Accepted() map[string]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]int, len(d.accepted))
	for k, v := range d.accepted {
		out[k] = v
	}
	return out
}

// Event returns the last ingested copy of an event.
func (d *DataManager) Event(transactionID string) map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.events[transactionID]
}

// Bodies returns every request body.
func (d *DataManager) Bodies() [][]byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([][]byte(nil), d.bodies...)
}

// ValidateOnlyRequests counts requests that asked for validation only.
func (d *DataManager) ValidateOnlyRequests() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.validateOnly
}

// AcceptedBatches returns the size of every ingested request.
func (d *DataManager) AcceptedBatches() []int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]int(nil), d.batches...)
}

func (d *DataManager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, body, answered := d.take(w, r, d.Fault)
	if answered {
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+d.Token {
		RPCError(w, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token.", nil)
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/events:ingest":
		d.ingest(w, body, n)
	case r.Method == http.MethodGet && r.URL.Path == "/v1/requestStatus:retrieve":
		d.retrieve(w, r.URL.Query().Get("requestId"))
	default:
		RPCError(w, 404, "NOT_FOUND", "Method not found.", nil)
	}
}

// violation is a google.rpc.BadRequest field violation.
type violation struct {
	Field       string `json:"field"`
	Description string `json:"description"`
}

func (d *DataManager) ingest(w http.ResponseWriter, body []byte, n int) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var req map[string]any
	if err := dec.Decode(&req); err != nil {
		RPCError(w, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.", nil)
		return
	}
	var vs []violation
	d.validate(req, schema{Ref: "IngestEventsRequest"}, "", &vs)
	if len(vs) == 0 {
		vs = d.rules(req)
	}
	if len(vs) > 0 {
		RPCError(w, 400, "INVALID_ARGUMENT", "Request contains an invalid argument.", vs)
		return
	}
	events := req["events"].([]any)
	if v, _ := req["validateOnly"].(bool); v {
		d.mu.Lock()
		d.validateOnly++
		d.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "{}")
		return
	}
	id := fmt.Sprintf("fake-request-%06d", n)
	st := status{records: len(events)}
	d.mu.Lock()
	for _, e := range events {
		ev := e.(map[string]any)
		tx, _ := ev["transactionId"].(string)
		if d.accepted[tx] > 0 {
			st.duplicates++ // reported asynchronously, as DUPLICATE_TRANSACTION_ID
		}
		d.accepted[tx]++
		if !d.Lean {
			d.events[tx] = ev
		}
	}
	d.statuses[id] = st
	d.batches = append(d.batches, len(events))
	d.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"requestId":%q}`, id)
}

// validate checks v against the discovery schema s: known fields only,
// JSON types, enum values, RFC 3339 timestamps.
func (d *DataManager) validate(v any, s schema, path string, vs *[]violation) {
	if s.Ref != "" {
		s = d.schemas[s.Ref]
	}
	bad := func(msg string) { *vs = append(*vs, violation{Field: path, Description: msg}) }
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("must be an object")
			return
		}
		for k, x := range m {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if ps, ok := s.Properties[k]; ok {
				d.validate(x, ps, p, vs)
			} else if s.AdditionalProperties != nil {
				d.validate(x, *s.AdditionalProperties, p, vs)
			} else {
				*vs = append(*vs, violation{Field: p, Description: fmt.Sprintf("Cannot find field %q.", k)})
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("must be an array")
			return
		}
		for i, x := range a {
			d.validate(x, *s.Items, fmt.Sprintf("%s[%d]", path, i), vs)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("must be a string")
			return
		}
		if len(s.Enum) > 0 && !contains(s.Enum, str) {
			bad(fmt.Sprintf("invalid enum value %q", str))
		}
		switch s.Format {
		case "google-datetime":
			if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
				bad("must be an RFC 3339 timestamp")
			}
		case "int64":
			if strings.Trim(str, "-0123456789") != "" {
				bad("must be an integer string")
			}
		}
	case "number", "integer":
		if _, ok := v.(json.Number); !ok {
			bad("must be a number")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("must be a boolean")
		}
	}
}

// rules checks what the schema cannot say: required fields, limits, hash
// encoding, the age window.
func (d *DataManager) rules(req map[string]any) []violation {
	var vs []violation
	bad := func(field, msg string) { vs = append(vs, violation{field, msg}) }
	dests, _ := req["destinations"].([]any)
	if len(dests) == 0 {
		bad("destinations", "required")
	}
	for i, x := range dests {
		dst := x.(map[string]any)
		op, _ := dst["operatingAccount"].(map[string]any)
		if op == nil || op["accountId"] == nil || op["accountType"] != "GOOGLE_ADS" {
			bad(fmt.Sprintf("destinations[%d].operatingAccount", i), "a GOOGLE_ADS operating account is required")
		} else if id, _ := op["accountId"].(string); len(id) != 10 || strings.Trim(id, "0123456789") != "" {
			bad(fmt.Sprintf("destinations[%d].operatingAccount.accountId", i), "must be 10 digits without dashes")
		}
		if id, _ := dst["productDestinationId"].(string); id == "" {
			bad(fmt.Sprintf("destinations[%d].productDestinationId", i), "required")
		}
	}
	events, _ := req["events"].([]any)
	switch {
	case len(events) == 0:
		bad("events", "required")
	case len(events) > 2000:
		bad("events", "at most 2000 events per request")
	}
	encoding, _ := req["encoding"].(string)
	now := d.Now()
	for i, x := range events {
		ev := x.(map[string]any)
		p := fmt.Sprintf("events[%d]", i)
		ts, _ := ev["eventTimestamp"].(string)
		t, err := time.Parse(time.RFC3339Nano, ts)
		switch {
		case err != nil:
			bad(p+".eventTimestamp", "required")
		case now.Sub(t) > d.MaxAge:
			bad(p+".eventTimestamp", "EVENT_TIME_INVALID: not within the acceptable time window")
		case t.Sub(now) > time.Hour:
			bad(p+".eventTimestamp", "EVENT_TIME_INVALID: in the future")
		}
		if tx, _ := ev["transactionId"].(string); tx == "" {
			bad(p+".transactionId", "required for offline conversions")
		}
		if _, has := ev["conversionValue"]; has {
			if cur, _ := ev["currency"].(string); len(cur) != 3 {
				bad(p+".currency", "INVALID_CURRENCY_CODE")
			}
		}
		kinds := 0
		if ad, ok := ev["adIdentifiers"].(map[string]any); ok {
			for _, k := range []string{"gclid", "gbraid", "wbraid"} {
				if s, _ := ad[k].(string); s != "" {
					kinds++
				}
			}
		}
		if kinds > 1 {
			bad(p+".adIdentifiers", "at most one of gclid, gbraid, wbraid")
		}
		ud, _ := ev["userData"].(map[string]any)
		ids, _ := ud["userIdentifiers"].([]any)
		if len(ids) > 10 {
			bad(p+".userData.userIdentifiers", "at most 10 user identifiers")
		}
		if len(ids) > 0 && encoding != "HEX" && encoding != "BASE64" {
			bad("encoding", "required when user data is sent")
		}
		if len(ids) == 0 && kinds == 0 {
			bad(p, "an event needs user data or an ad identifier")
		}
		for j, y := range ids {
			id := y.(map[string]any)
			q := fmt.Sprintf("%s.userData.userIdentifiers[%d]", p, j)
			if len(id) != 1 {
				bad(q, "exactly one of emailAddress, phoneNumber, address")
			}
			for _, k := range []string{"emailAddress", "phoneNumber"} {
				if s, ok := id[k].(string); ok && encoding == "HEX" && !isSHA256Hex(strings.ToLower(s)) {
					bad(q+"."+k, "INVALID_SHA256_FORMAT")
				}
			}
			if a, ok := id["address"].(map[string]any); ok {
				for _, k := range []string{"givenName", "familyName"} {
					if s, _ := a[k].(string); !isSHA256Hex(strings.ToLower(s)) {
						bad(q+".address."+k, "required, SHA-256 hashed")
					}
				}
				if rc, _ := a["regionCode"].(string); len(rc) != 2 || strings.ToUpper(rc) != rc {
					bad(q+".address.regionCode", "required, ISO 3166-1 alpha-2, not hashed")
				}
				if pc, _ := a["postalCode"].(string); pc == "" || isSHA256Hex(pc) {
					bad(q+".address.postalCode", "required, not hashed")
				}
			}
		}
		if c, ok := ev["consent"].(map[string]any); ok {
			if c["adUserData"] != "CONSENT_GRANTED" {
				bad(p+".consent.adUserData", "test fake: hashgate only sends rows whose consent was granted")
			}
		}
	}
	return vs
}

func (d *DataManager) retrieve(w http.ResponseWriter, id string) {
	d.mu.Lock()
	st, ok := d.statuses[id]
	d.mu.Unlock()
	if !ok {
		RPCError(w, 404, "NOT_FOUND", "Request not found.", nil)
		return
	}
	result := "SUCCESS"
	errs := []map[string]any{}
	if st.duplicates > 0 {
		result = "PARTIAL_SUCCESS"
		errs = append(errs, map[string]any{"reason": "PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID", "recordCount": fmt.Sprint(st.duplicates)})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"requestStatusPerDestination": []any{map[string]any{
		"destination":           map[string]any{"operatingAccount": map[string]any{"accountType": "GOOGLE_ADS"}},
		"requestStatus":         result,
		"eventsIngestionStatus": map[string]any{"recordCount": fmt.Sprint(st.records)},
		"errorInfo":             map[string]any{"errorCounts": errs},
	}}})
}

// RPCError writes a google.rpc.Status error body.
func RPCError(w http.ResponseWriter, code int, status, msg string, vs []violation) {
	body := map[string]any{"code": code, "message": msg, "status": status}
	if len(vs) > 0 {
		body["details"] = []any{map[string]any{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": vs}}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": body})
}

// QuotaExceeded answers 429 RESOURCE_EXHAUSTED with Retry-After.
func QuotaExceeded(w http.ResponseWriter, retryAfterSeconds int) {
	w.Header().Set("Retry-After", fmt.Sprint(retryAfterSeconds))
	RPCError(w, 429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Requests' of service 'datamanager.googleapis.com'.", nil)
}

// Unavailable answers 503 UNAVAILABLE.
func Unavailable(w http.ResponseWriter) {
	RPCError(w, 503, "UNAVAILABLE", "The service is currently unavailable.", nil)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Throttle implements Fake: 429 RESOURCE_EXHAUSTED with Retry-After 30, the
// per-minute quota answer (DM-LIM; Cloud's guidance is at least 30 s).
func (d *DataManager) Throttle(w http.ResponseWriter) time.Duration {
	QuotaExceeded(w, 30)
	return 30 * time.Second
}

// Unavailable implements Fake: 503 UNAVAILABLE.
func (d *DataManager) Unavailable(w http.ResponseWriter) { Unavailable(w) }

var _ Fake = (*DataManager)(nil)
