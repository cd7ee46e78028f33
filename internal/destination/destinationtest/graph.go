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
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Graph fakes Meta's Conversions API: POST /{version}/{dataset}/events.
// It decodes requests generically — never with the client's own types — so
// a misspelt field in the client is caught here. Each rule it enforces
// names its source; docs/contract.md lists them with the tests that rely
// on them.
//
// Events sent with test_event_code are kept apart (TestEvents): whether
// Meta counts them in production is undocumented (docs/research/contract-notes.md M9.2),
// and hashgate must behave as if it did not.
type Graph struct {
	Token      string
	AppSecret  string // when set, appsecret_proof is required
	APIVersion string
	DatasetID  string
	// OtherDatasets are more datasets the token may post to.
	OtherDatasets []string
	// ExpiredToken, when a request carries it, is answered 190/463 "Session
	// has expired" (Graph error-handling: access token subcodes).
	ExpiredToken string
	// Messages are returned in the messages of every success answer.
	Messages []string
	Now      func() time.Time
	MaxAge   time.Duration // physical_store window; default 62 days
	// Fault, when set, may answer request n (from 1) itself, before the
	// contract is checked; it returns true when it did.
	Fault func(n int, w http.ResponseWriter, r *http.Request) bool
	// AfterAccept, when set, runs after request n's events are recorded as
	// accepted and before the answer is written: a test can hold or kill
	// the client there, so the platform has the events but the client never
	// learns it.
	AfterAccept func(n int, r *http.Request)
	// ProcessedThen, when set, may answer request n itself after its
	// events were recorded as accepted (it returns true when it did),
	// as a Graph that processed the events and then failed: a 500 code
	// 1 or 2, a gateway's 502 or 504. Nothing Meta publishes says such
	// an answer means the events were not processed (docs/contract.md
	// M11); a public Instagram integration records media_publish
	// answering code 2 is_transient while it had created the post.
	ProcessedThen func(n int, w http.ResponseWriter) bool
	// AfterAnswer runs after request n's answer has been written and flushed.
	AfterAnswer func(n int)
	// QualityDenied makes the Dataset Quality API refuse the token
	// (quality.go).
	QualityDenied bool
	// OfflineBeta flags the dataset as admitted to the Dataset Quality
	// API's offline beta: it answers fields=offline{…} with
	// OfflineQuality; a dataset not flagged answers the offline fields with
	// error 2044055 (quality.go).
	OfflineBeta    bool
	OfflineQuality []map[string]any

	intake
	mu        sync.Mutex
	accepted  map[string]int            // event_id → accepted how many times (production)
	events    map[string]map[string]any // event_id → last accepted event
	byDataset map[string]map[string]int // dataset → event_id → times accepted (production)
	tested    map[string]int            // event_id → times received as a test event
	testCodes []string
	batches   []int
	// counted models Meta's deduplication of physical_store events
	// (offline-events page, "Set Up Deduplication"): "order_id based or
	// user based" on event_time, event_name and the key, and "the maximum
	// deduplication window is 7 days". An event whose (dataset,
	// event_name, event_time, order_id) was counted less than DedupWindow
	// ago is dropped as a duplicate; later, it counts again.
	counted     map[string]int       // event_id → times Meta counts it
	lastCounted map[string]time.Time // dedup key → when it last counted
}

// DedupWindow is Meta's maximum deduplication window for physical_store
// events (offline-events page, "Set Up Deduplication": "the maximum
// deduplication window is 7 days"). The fake's own copy of the rule, kept
// apart from platform.Spec on purpose: the fake is the platform.
const DedupWindow = 7 * 24 * time.Hour

// Start serves g on a loopback httptest server closed at the end of the test.
func (g *Graph) Start(t testing.TB) *httptest.Server {
	if g.MaxAge == 0 {
		g.MaxAge = 62 * 24 * time.Hour
	}
	if g.Now == nil {
		g.Now = time.Now
	}
	g.accepted, g.events = map[string]int{}, map[string]map[string]any{}
	g.byDataset, g.tested = map[string]map[string]int{}, map[string]int{}
	g.counted, g.lastCounted = map[string]int{}, map[string]time.Time{}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return srv
}

// count applies Meta's deduplication to one accepted production event,
// as the offline-events page says for physical_store events ("Set Up
// Deduplication", docs/contract.md M11): order_id based, on event_name,
// event_time and the order id, within 7 days. The key is order_id based
// (hashgate sends custom_data.order_id); an event without one falls back
// to its event_id here, which is stricter than Meta's user-based
// matching. The sources disagree: the browser/server rule is event_id and
// event_name within 48 hours (parameters/server-event), and the legacy
// offline-upload help keyed on the event set, timestamp, match keys'
// hash, event name, order id and item number for 4 days; the fake holds
// M11's, the one for events sent as hashgate sends them.
func (g *Graph) count(dataset, id string, ev map[string]any, now time.Time) {
	name, _ := ev["event_name"].(string)
	key := id
	if cd, ok := ev["custom_data"].(map[string]any); ok {
		if o, ok := cd["order_id"].(string); ok && o != "" {
			key = o
		}
	}
	k := fmt.Sprintf("%s\x1f%s\x1f%v\x1f%s", dataset, name, ev["event_time"], key)
	if last, ok := g.lastCounted[k]; ok && now.Sub(last) < DedupWindow {
		return // a duplicate inside the window: Meta keeps the first
	}
	g.lastCounted[k] = now
	g.counted[id]++
}

// Counted returns, per event_id, how many times Meta would count the
// event after its deduplication (count): more than once means a resend
// after the 7-day window, a double count in the advertiser's reports.
func (g *Graph) Counted() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return maps.Clone(g.counted)
}

// TestEvents returns, per event_id, how many times it came as a test event.
func (g *Graph) TestEvents() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return maps.Clone(g.tested)
}

// AcceptedIn returns the production events one dataset accepted.
func (g *Graph) AcceptedIn(dataset string) map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return maps.Clone(g.byDataset[dataset])
}

// Accepted returns, per event_id, how many times the event was accepted
// as a production (not test) event.
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

// TestEventCodes returns the test_event_code of every accepted request
// ("" for production ones).
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

// hashedUserKeys: em, ph, fn, ln, ge, db, ct, st, zp and country are
// "Hashing required", fbc, fbp, lead_id and madid "Do not hash"
// (conversions-api/parameters, customer information; confirmed
// 2026-12-05). external_id is only "Hashing recommended" there: the fake
// requires the hash because hashgate always sends one (keyed, then
// SHA-256), stricter than Meta.
var hashedUserKeys = map[string]bool{"em": true, "ph": true, "fn": true, "ln": true, "zp": true, "ct": true, "st": true, "country": true, "external_id": true, "db": true, "ge": true}
var plainUserKeys = map[string]bool{"client_ip_address": true, "client_user_agent": true, "fbc": true, "fbp": true, "lead_id": true, "madid": true}
var topKeys = map[string]bool{"data": true, "test_event_code": true, "partner_agent": true, "access_token": true, "appsecret_proof": true, "namespace_id": true, "upload_id": true, "upload_tag": true, "upload_source": true}

// topKeys, eventKeys and customKeys are narrower than Meta on purpose.
// Meta takes any custom property at custom_data's top level (the business
// SDK's custom_data.py merges custom_properties there) and more
// server-event fields (app_data, original_event_data, …); the fake refuses
// every key hashgate must not send — no content, no custom parameters
// (docs/contract.md H4, M16) — so a key added by mistake fails a test here
// instead of leaving the process.
var customKeys = map[string]bool{"value": true, "currency": true, "order_id": true, "content_ids": true, "content_type": true, "contents": true, "num_items": true}
var eventKeys = map[string]bool{"event_name": true, "event_time": true, "action_source": true, "event_id": true, "user_data": true, "custom_data": true,
	"data_processing_options": true, "data_processing_options_country": true, "data_processing_options_state": true, "opt_out": true, "event_source_url": true}

func (g *Graph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, body, answered := g.take(w, r, g.Fault)
	if answered {
		return
	}
	if r.Method == http.MethodGet && r.URL.Path == "/"+g.APIVersion+"/dataset_quality" {
		g.quality(w, r)
		return
	}
	// Request level — POST /{dataset}/events with data (required, ≤1000 events), access_token,
	// appsecret_proof = HMAC-SHA256(app secret, token), test_event_code: Meta
	// conversions-api/using-the-api (batch requests), parameters/main-body, and
	// facebook-python-business-sdk adobjects/serverside/event_request.py (docs/research/platform-apis.md
	// B.1, B.4). Error bodies follow graph-api/guides/error-handling (code 100 invalid
	// parameter, 190 invalid token). The JSON body form is the one the SDK and Gateway docs
	// use (B.1 notes it is not documented for graph.facebook.com).
	if r.Method != http.MethodPost {
		GraphErr(w, 400, 100, 0, "OAuthException", "Unsupported request method")
		return
	}
	dataset, ok := strings.CutPrefix(r.URL.Path, "/"+g.APIVersion+"/")
	dataset, ok2 := strings.CutSuffix(dataset, "/events")
	if !ok || !ok2 || dataset != g.DatasetID && !slices.Contains(g.OtherDatasets, dataset) {
		// A wrong dataset, or one the token cannot reach: code 100 subcode
		// 33 (Marketing API error reference; rudder-transformer aborts on
		// it). Not an event fault.
		GraphErr(w, 400, 100, 33, "GraphMethodException", fmt.Sprintf("Unsupported post request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api", dataset))
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
	if tok, _ := req["access_token"].(string); tok != "" && tok == g.ExpiredToken {
		// 190/463 "Access token has expired" (Graph error-handling,
		// authentication subcodes).
		GraphErr(w, 400, 190, 463, "OAuthException", "Error validating access token: Session has expired on Tuesday, 01-Dec-26 08:00:00 PST. The current time is Tuesday, 01-Dec-26 09:00:00 PST.")
		return
	} else if tok == "" || tok != g.Token {
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
	// "You can send up to 1,000 events in data" (conversions-api/
	// using-the-api, "Batch Requests"; confirmed 2026-12-05). The message
	// text is the fake's.
	if len(data) > 1000 {
		GraphErr(w, 400, 100, 0, "OAuthException", "(#100) param data must be an array of at most 1000 elements")
		return
	}
	now := g.Now()
	for i, item := range data {
		// Validation applies to test events too: the live 2804010 answer
		// came with test_event_code set (Adsmurai issue 7; M9.3). One bad
		// event rejects the whole request, and Meta does not say which
		// (using-the-api, batch requests).
		if f := g.checkEvent(item, now); f.msg != "" {
			graphErr(w, 400, 100, f.sub, "OAuthException", fmt.Sprintf("(#100) data[%d]: %s", i, f.msg), f.title, f.userMsg)
			return
		}
	}
	code, _ := req["test_event_code"].(string)
	g.mu.Lock()
	if g.byDataset[dataset] == nil {
		g.byDataset[dataset] = map[string]int{}
	}
	for _, item := range data {
		ev := item.(map[string]any)
		id, _ := ev["event_id"].(string)
		if code != "" {
			g.tested[id]++
			continue
		}
		g.accepted[id]++
		g.byDataset[dataset][id]++
		g.count(dataset, id, ev, now)
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
	if g.ProcessedThen != nil && g.ProcessedThen(n, w) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	msgs := g.Messages
	if msgs == nil {
		msgs = []string{}
	}
	// {"events_received", "messages", "fbtrace_id"} (Meta's business SDK
	// event_response.py).
	_ = json.NewEncoder(w).Encode(map[string]any{"events_received": len(data), "messages": msgs, "fbtrace_id": fmt.Sprintf("FAKE%06d", n)})
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	if g.AfterAnswer != nil {
		g.AfterAnswer(n)
	}
}

// fault is why the fake rejects an event: the message, Graph subcode and
// the user-facing title and text Meta sends with it.
type fault struct {
	msg            string
	sub            int
	title, userMsg string
}

func bad(msg string) fault { return fault{msg: msg} }

// checkEvent returns why an event is invalid, or a zero fault.
//
// Sources of the per-event rules: event_name, event_time (integer Unix seconds),
// action_source (enum of facebook-python-business-sdk action_source.py), event_id,
// user_data required — conversions-api/parameters/server-event; hashed keys as lower-case
// SHA-256 — parameters/customer-information-parameters and the SDK's normalize.py;
// custom_data value/currency/order_id — conversions-api/offline-events and
// parameters/custom-data (docs/research/platform-apis.md B.2). The allow-lists of keys are the SDK's
// server-event, user_data and custom_data fields (M-SDK). Future timestamps: rejected per
// a public report (Adsmurai conversions-api templates issue #3); the 1h tolerance and the
// subcode used are this fake's own (docs/research/contract-notes.md M8b.4). currency with any value, not
// only Purchase, is stricter than Meta documents.
func (g *Graph) checkEvent(item any, now time.Time) fault {
	ev, ok := item.(map[string]any)
	if !ok {
		return bad("event is not an object")
	}
	for k := range ev {
		if !eventKeys[k] {
			return bad("unknown event parameter " + k)
		}
	}
	name, _ := ev["event_name"].(string)
	if name == "" {
		return bad("event_name is required")
	}
	num, ok := ev["event_time"].(json.Number)
	if !ok {
		return bad("event_time must be an integer (unix seconds)")
	}
	secs, err := num.Int64()
	if err != nil {
		return bad("event_time must be an integer (unix seconds)")
	}
	src, _ := ev["action_source"].(string)
	if !actionSources[src] {
		return bad("action_source must be one of the documented values")
	}
	// "If any event_time in data is greater than 7 days in the past, we
	// return an error for the entire request and process no events"; for
	// physical_store, "you should upload transactions within 62 days of
	// the conversion" (conversions-api/using-the-api, "Upload Time versus
	// Event Transaction Time"; both confirmed 2026-12-05). That a
	// physical_store event older than 62 days is refused the same way
	// is our reading: the page says "should", not what happens. The
	// answer is 2804003 "Event Timestamp Too Old" (live answers in
	// rudder-transformer fixtures; the text comes localised: French here,
	// as in a live sample, so nothing may parse it).
	maxAge := 7 * 24 * time.Hour
	if src == "physical_store" {
		maxAge = g.MaxAge
	}
	t := time.Unix(secs, 0)
	if now.Sub(t) > maxAge {
		return fault{msg: "Invalid parameter", sub: 2804003, title: "Horodatage de l’événement trop ancien",
			userMsg: "Les événements doivent être envoyés depuis votre serveur dans les 7 jours suivant leur occurrence."}
	}
	if t.Sub(now) > time.Hour {
		return fault{msg: "event_time is in the future", sub: 2804004}
	}
	if id, present := ev["event_id"]; present {
		if s, ok := id.(string); !ok || s == "" {
			return bad("event_id must be a non-empty string")
		}
	}
	if f := checkLDU(ev); f.msg != "" {
		return f
	}
	ud, ok := ev["user_data"].(map[string]any)
	if !ok || len(ud) == 0 {
		return bad("user_data is required")
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
					// Hashing: customer-information-parameters (M-CIP). The
					// subcode 2804007 is the fake's own: no public answer
					// for a badly hashed key was found.
					return fault{msg: "user_data." + k + " must be a lower-case SHA-256 hex hash", sub: 2804007}
				}
			}
		case k == "fbc":
			if f := checkFBC(v, now); f.msg != "" {
				return f
			}
		case plainUserKeys[k]:
		default:
			return bad("unknown user_data parameter " + k)
		}
	}
	if weakUserData(ud) {
		// Best Practices - Conversions API, "Baseline Requirements for
		// Matching" (M-BP, contract M18): "An event is considered invalid
		// if it only includes customer information parameters that
		// consist of one of the following combinations, (or a subset
		// thereof)", and its example event "would be rejected". The
		// answer 100/2804050 is a live one ("This event has insufficient
		// customer information", Setono meta-conversions-api tests;
		// platform/errors.go); that Meta gives it for these combinations
		// is our reading.
		return fault{msg: "This event has insufficient customer information", sub: 2804050}
	}
	var value, currency any
	if cd, present := ev["custom_data"]; present {
		m, ok := cd.(map[string]any)
		if !ok {
			return bad("custom_data must be an object")
		}
		for k := range m {
			if !customKeys[k] {
				return bad("unknown custom_data parameter " + k)
			}
		}
		value, currency = m["value"], m["currency"]
		if value != nil {
			if _, isNum := value.(json.Number); !isNum {
				return bad("custom_data.value must be a number")
			}
			// A Purchase without a currency is answered 2804010 below, as
			// live (ADS7); for any other event, requiring a currency with a
			// value is the fake's own rule, stricter than Meta documents.
			if cur, _ := currency.(string); len(cur) != 3 && name != "Purchase" {
				return bad("custom_data.currency (ISO 4217) is required with a value")
			}
		}
		if id, present := m["order_id"]; present {
			if s, ok := id.(string); !ok || s == "" {
				return bad("custom_data.order_id must be a non-empty string")
			}
		}
	}
	if name == "Purchase" {
		// "Missing Currency for Purchase Event" (code 100, subcode
		// 2804010, a live answer: Adsmurai conversions-api-client issue 7);
		// the offline-events page marks value and currency "Required for
		// Purchase events". A missing value with a currency has no
		// published answer: the fake answers it the same way.
		if cur, _ := currency.(string); cur == "" || value == nil {
			return fault{msg: "Invalid parameter", sub: 2804010, title: "Missing Currency for Purchase Event",
				userMsg: "Your purchase event doesn’t include a currency parameter. Enter a currency parameter. For example: USD"}
		}
	}
	return fault{}
}

// GraphErr writes a Graph API error body (Graph error-handling guide).
func GraphErr(w http.ResponseWriter, status, code, subcode int, typ, msg string) {
	graphErr(w, status, code, subcode, typ, msg, "", "")
}

func graphErr(w http.ResponseWriter, status, code, subcode int, typ, msg, title, userMsg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	e := map[string]any{"message": msg, "type": typ, "code": code, "is_transient": false, "fbtrace_id": "FAKEERR"}
	if subcode != 0 {
		e["error_subcode"] = subcode
	}
	if title != "" {
		e["error_user_title"], e["error_user_msg"] = title, userMsg
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"error": e})
}

// PolicyBlock answers code 368, "temporarily blocked for policy
// violations" (Graph error-handling). Subcode 1390008 and its "going too
// fast" text are what public integrations meet on Page publishing (their
// code matches code 368 with subcode 1390008); no Conversions API report
// of it was found, so only the code is Meta's documented rule.
func PolicyBlock(w http.ResponseWriter) {
	graphErr(w, 400, 368, 1390008, "OAuthException", "It looks like you were misusing this feature by going too fast. You’ve been temporarily blocked from using it.",
		"You're Temporarily Blocked", "It looks like you were misusing this feature.")
}

// Throttle answers with Graph's rate-limit error (code 4 app limit, 17 user
// limit, 613 custom limit: Graph error-handling). The HTTP status 400 and
// the X-Business-Use-Case-Usage body are the fake's rendering of Meta's
// rate-limiting page; hashgate reads the code, not the status.
func Throttle(w http.ResponseWriter, code int) {
	w.Header().Set("X-Business-Use-Case-Usage", `{"1":[{"type":"ads_management","call_count":100,"estimated_time_to_regain_access":1}]}`)
	GraphErr(w, 400, code, 0, "OAuthException", "(#"+fmt.Sprint(code)+") Application request limit reached")
}

// Throttle implements Fake: Graph code 17 (user request limit) with the
// business-use-case header saying one minute (Graph rate-limiting docs).
func (g *Graph) Throttle(w http.ResponseWriter) time.Duration {
	Throttle(w, 17)
	return time.Minute
}

// Unavailable implements Fake: a transient Graph error, code 2 with HTTP
// 500 ("An unexpected error has occurred. Please retry your request
// later.") and is_transient true, as live Graph answers carry it (public
// integrations' logs and tests found with the search tool, 2026-12-07:
// 500 / OAuthException / code 2 / is_transient true).
func (g *Graph) Unavailable(w http.ResponseWriter) { GraphUnavailable(w) }

// GraphUnavailable writes Graph's transient 500, code 2, is_transient true
// (Unavailable).
func GraphUnavailable(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(500)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": "An unexpected error has occurred. Please retry your request later.",
		"type": "OAuthException", "code": 2, "is_transient": true, "fbtrace_id": "FAKEERR"}})
}

var _ Fake = (*Graph)(nil)
