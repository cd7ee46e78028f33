package destinationtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// goodEvent is a physical_store Purchase the Graph fake accepts: the shape
// of Meta's offline-events page (M-OFF) and the business SDK's server event.
func goodEvent() map[string]any {
	return map[string]any{
		"event_name":    "Purchase",
		"event_time":    selfNow.Add(-24 * time.Hour).Unix(),
		"action_source": "physical_store",
		"event_id":      "0123456789abcdef0123456789abcdef",
		"user_data":     map[string]any{"em": []any{selfHash}, "ph": []any{selfHash}},
		"custom_data":   map[string]any{"value": 1500, "currency": "TWD", "order_id": "0123456789abcdef0123456789abcdef"},
	}
}

type graphAnswer struct {
	status, code, sub int
	msg               string
}

func postGraph(t *testing.T, url, path, contentType string, body []byte) graphAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var got struct {
		Error struct {
			Message string `json:"message"`
			Code    int    `json:"code"`
			Sub     int    `json:"error_subcode"`
		} `json:"error"`
	}
	_ = json.Unmarshal(raw, &got)
	return graphAnswer{resp.StatusCode, got.Error.Code, got.Error.Sub, got.Error.Message}
}

func TestGraphFakeRefusesWhatMetaRefuses(t *testing.T) {
	cases := []struct {
		name, source string
		fake         func(*Graph)
		edit         func(body map[string]any, ev map[string]any)
		path         string // default /v99.0/111/events
		contentType  string // default application/json
		raw          string
		status       int
		code, sub    int
		msg          string // a part of the message
	}{
		{name: "the good request", source: "baseline", status: 200},
		{name: "a good fbc", source: "fbp-and-fbc: fb.1.<ms>.<fbclid>, Meta's own example fbclid", edit: func(_, ev map[string]any) {
			ev["user_data"].(map[string]any)["fbc"] = fmt.Sprintf("fb.1.%d.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk", selfNow.Add(-72*time.Hour).UnixMilli())
		}, status: 200},
		{name: "wrong dataset", source: "M-REF: 100/33", path: "/v99.0/222/events", status: 400, code: 100, sub: 33},
		{name: "token in the URL", source: "fake's own guard: tokens never travel in URLs (logs keep them)", path: "/v99.0/111/events?access_token=tok", status: 400, code: 100, msg: "URL"},
		{name: "not JSON", source: "the SDK's JSON body form (M-SDK)", contentType: "application/x-www-form-urlencoded", status: 400, code: 100},
		{name: "malformed JSON", source: "M-ERR 100", raw: `{"data": [`, status: 400, code: 100},
		{name: "no token", source: "M-ERR 190", edit: func(b, _ map[string]any) { delete(b, "access_token") }, status: 400, code: 190},
		{name: "expired token", source: "M-ERR 190/463", fake: func(g *Graph) { g.ExpiredToken = "tok" }, status: 400, code: 190, sub: 463},
		{name: "permission removed (200)", source: "M-ERR 200-299 API Permission", fake: func(g *Graph) { g.Fault = denyWith(200) }, status: 403, code: 200, msg: "Permissions"},
		{name: "permission denied (10)", source: "M-ERR 10 API Permission Denied", fake: func(g *Graph) { g.Fault = denyWith(10) }, status: 403, code: 10, msg: "permission"},
		{name: "bad appsecret_proof", source: "Graph securing requests: appsecret_proof", fake: func(g *Graph) { g.AppSecret = "s" }, status: 400, code: 100, msg: "appsecret_proof"},
		{name: "unknown top-level parameter", source: "main-body parameters", edit: func(b, _ map[string]any) { b["patient"] = "x" }, status: 400, code: 100, msg: "patient"},
		{name: "no data", source: "main-body: data required", edit: func(b, _ map[string]any) { b["data"] = []any{} }, status: 400, code: 100, msg: "data"},
		{name: "1001 events", source: "M-USE: at most 1,000 events per request", edit: func(b, ev map[string]any) {
			d := make([]any, 1001)
			for i := range d {
				d[i] = ev
			}
			b["data"] = d
		}, status: 400, code: 100, msg: "1000"},
		{name: "unknown event parameter", source: "server-event parameters (M-SDK allow-list)", edit: func(_, ev map[string]any) { ev["diagnosis"] = "x" }, status: 400, code: 100, msg: "diagnosis"},
		{name: "no event name", source: "server-event: event_name required", edit: func(_, ev map[string]any) { delete(ev, "event_name") }, status: 400, code: 100, msg: "event_name"},
		{name: "event time as text", source: "server-event: event_time integer", edit: func(_, ev map[string]any) { ev["event_time"] = "2026-11-19" }, status: 400, code: 100, msg: "event_time"},
		{name: "unknown action source", source: "SDK action_source.py enum", edit: func(_, ev map[string]any) { ev["action_source"] = "clinic" }, status: 400, code: 100, msg: "action_source"},
		{name: "store event older than 62 days", source: "M-USE: physical_store 'should' be within 62 days (the refusal our reading); 2804003 live",
			edit: func(_, ev map[string]any) { ev["event_time"] = selfNow.Add(-63 * 24 * time.Hour).Unix() }, status: 400, code: 100, sub: 2804003},
		{name: "website event older than 7 days", source: "M-USE: older than 7 days, \"an error for the entire request\"",
			edit: func(_, ev map[string]any) {
				ev["action_source"] = "website"
				ev["event_time"] = selfNow.Add(-8 * 24 * time.Hour).Unix()
			}, status: 400, code: 100, sub: 2804003},
		{name: "event in the future", source: "Adsmurai templates issue 3 (live); tolerance and subcode the fake's own",
			edit: func(_, ev map[string]any) { ev["event_time"] = selfNow.Add(2 * time.Hour).Unix() }, status: 400, code: 100, sub: 2804004},
		{name: "empty event id", source: "server-event: event_id a string", edit: func(_, ev map[string]any) { ev["event_id"] = "" }, status: 400, code: 100, msg: "event_id"},
		{name: "no user data", source: "server-event: user_data required", edit: func(_, ev map[string]any) { delete(ev, "user_data") }, status: 400, code: 100, msg: "user_data"},
		{name: "an unhashed e-mail", source: "customer-information: em hashing required (subcode 2804007 the fake's own)",
			edit: func(_, ev map[string]any) { ev["user_data"] = map[string]any{"em": "patient@example.com"} }, status: 400, code: 100, sub: 2804007},
		{name: "an upper-case hash", source: "customer-information / SDK normalize.py: lower-case hex",
			edit: func(_, ev map[string]any) { ev["user_data"] = map[string]any{"ph": strings.ToUpper(selfHash)} }, status: 400, code: 100, sub: 2804007},
		{name: "only a country and a city", source: "M-BP Baseline Requirements for Matching: a subset of ct+country+st+zp+ge+client_user_agent is invalid (2804050 live, for this rule our reading)",
			edit: func(_, ev map[string]any) { ev["user_data"] = map[string]any{"country": selfHash, "ct": selfHash} }, status: 400, code: 100, sub: 2804050},
		{name: "Meta's own example: ge, ct, st and country", source: "M-BP: \"would be rejected because those customer information parameters are a subset\"",
			edit: func(_, ev map[string]any) {
				ev["user_data"] = map[string]any{"ge": selfHash, "ct": selfHash, "st": selfHash, "country": selfHash}
			}, status: 400, code: 100, sub: 2804050},
		{name: "only a first name", source: "M-BP: fn + ge, or a subset", edit: func(_, ev map[string]any) { ev["user_data"] = map[string]any{"fn": selfHash} }, status: 400, code: 100, sub: 2804050},
		{name: "only a last name and a gender", source: "M-BP: ln + ge", edit: func(_, ev map[string]any) { ev["user_data"] = map[string]any{"ln": selfHash, "ge": selfHash} }, status: 400, code: 100, sub: 2804050},
		{name: "a birth date and a user agent", source: "M-BP: db + client_user_agent", edit: func(_, ev map[string]any) {
			ev["user_data"] = map[string]any{"db": selfHash, "client_user_agent": "Mozilla/5.0"}
		}, status: 400, code: 100, sub: 2804050},
		{name: "first and last name together", source: "M-BP: in no one combination, valid", edit: func(_, ev map[string]any) { ev["user_data"] = map[string]any{"fn": selfHash, "ln": selfHash} }, status: 200},
		{name: "a country beside an e-mail", source: "M-BP: em is in no combination, valid", edit: func(_, ev map[string]any) {
			ev["user_data"] = map[string]any{"country": selfHash, "em": []any{selfHash}}
		}, status: 200},
		{name: "LDU in California", source: "M-DPO: [LDU], 1, 1000", edit: func(_, ev map[string]any) {
			ev["data_processing_options"], ev["data_processing_options_country"], ev["data_processing_options_state"] = []any{"LDU"}, 1, 1000
		}, status: 200},
		{name: "LDU geolocated", source: "M-DPO: [LDU], 0, 0", edit: func(_, ev map[string]any) {
			ev["data_processing_options"], ev["data_processing_options_country"], ev["data_processing_options_state"] = []any{"LDU"}, 0, 0
		}, status: 200},
		{name: "LDU country not the US", source: "server-event: country 1 or 0 (the refusal our reading)", edit: func(_, ev map[string]any) {
			ev["data_processing_options"], ev["data_processing_options_country"], ev["data_processing_options_state"] = []any{"LDU"}, 886, 0
		}, status: 400, code: 100, msg: "data_processing_options_country"},
		{name: "LDU state without a code", source: "server-event: state 1000 or 0 (the refusal our reading)", edit: func(_, ev map[string]any) {
			ev["data_processing_options"], ev["data_processing_options_country"], ev["data_processing_options_state"] = []any{"LDU"}, 1, 6
		}, status: 400, code: 100, msg: "data_processing_options_state"},
		{name: "unknown user data key", source: "customer-information parameters", edit: func(_, ev map[string]any) { ev["user_data"].(map[string]any)["name"] = "x" }, status: 400, code: 100, msg: "name"},
		{name: "fbc creation time in seconds", source: "fbp-and-fbc: creationTime in milliseconds",
			edit: func(_, ev map[string]any) {
				ev["user_data"].(map[string]any)["fbc"] = "fb.1.1782900000.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"
			}, status: 400, code: 100, msg: "fbc"},
		{name: "fbc without its prefix", source: "fbp-and-fbc: version.subdomainIndex.creationTime.fbclid",
			edit: func(_, ev map[string]any) {
				ev["user_data"].(map[string]any)["fbc"] = "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"
			}, status: 400, code: 100, msg: "fbc"},
		{name: "fbc subdomain index 3", source: "fbp-and-fbc: subdomainIndex 0, 1 or 2",
			edit: func(_, ev map[string]any) {
				ev["user_data"].(map[string]any)["fbc"] = "fb.3.1782900000000.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk"
			}, status: 400, code: 100, msg: "fbc"},
		{name: "fbc whose fbclid holds a dot", source: "fbp-and-fbc: the fbclid unmodified, after three dot-separated fields (fake: stricter than Meta, graphuser.go)",
			edit: func(_, ev map[string]any) {
				ev["user_data"].(map[string]any)["fbc"] = "fb.1.1782900000000.IwAR2F4.dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB"
			}, status: 400, code: 100, msg: "fbc"},
		{name: "fbc whose fbclid holds a space", source: "fbp-and-fbc: the fbclid unmodified (fake: stricter than Meta, graphuser.go)",
			edit: func(_, ev map[string]any) {
				ev["user_data"].(map[string]any)["fbc"] = "fb.1.1782900000000.IwAR2F4 dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB"
			}, status: 400, code: 100, msg: "fbc"},
		{name: "fbc created after the request", source: "fbp-and-fbc: creationTime when the cookie was saved (fake: not in the future)",
			edit: func(_, ev map[string]any) {
				ev["user_data"].(map[string]any)["fbc"] = fmt.Sprintf("fb.1.%d.IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk", selfNow.Add(48*time.Hour).UnixMilli())
			}, status: 400, code: 100, msg: "fbc"},
		{name: "unknown custom data key", source: "custom-data parameters (SDK allow-list)", edit: func(_, ev map[string]any) { ev["custom_data"].(map[string]any)["treatment"] = "implant" }, status: 400, code: 100, msg: "treatment"},
		{name: "value as text", source: "custom-data: value is a number", edit: func(_, ev map[string]any) { ev["custom_data"].(map[string]any)["value"] = "1500" }, status: 400, code: 100, msg: "value"},
		{name: "Purchase value without currency", source: "ADS7 (live): 100/2804010 \"Missing Currency for Purchase Event\"", edit: func(_, ev map[string]any) { delete(ev["custom_data"].(map[string]any), "currency") }, status: 400, code: 100, sub: 2804010},
		{name: "Schedule value without currency", source: "the fake's own, stricter than Meta: a currency with any value", edit: func(_, ev map[string]any) {
			ev["event_name"] = "Schedule"
			delete(ev["custom_data"].(map[string]any), "currency")
		}, status: 400, code: 100, msg: "currency"},
		{name: "Purchase without value", source: "M-OFF: value and currency required for Purchase; 2804010 live (ADS7)",
			edit: func(_, ev map[string]any) { ev["custom_data"] = map[string]any{"order_id": "x1"} }, status: 400, code: 100, sub: 2804010},
		{name: "empty order id", source: "custom-data: order_id a string", edit: func(_, ev map[string]any) { ev["custom_data"].(map[string]any)["order_id"] = "" }, status: 400, code: 100, msg: "order_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := &Graph{Token: "tok", APIVersion: "v99.0", DatasetID: "111", Now: func() time.Time { return selfNow }}
			if c.fake != nil {
				c.fake(g)
			}
			srv := g.Start(t)
			ev := goodEvent()
			b := map[string]any{"data": []any{ev}, "access_token": "tok"}
			if c.edit != nil {
				c.edit(b, ev)
			}
			body, _ := json.Marshal(b)
			if c.raw != "" {
				body = []byte(c.raw)
			}
			path, ct := c.path, c.contentType
			if path == "" {
				path = "/v99.0/111/events"
			}
			if ct == "" {
				ct = "application/json"
			}
			got := postGraph(t, srv.URL, path, ct, body)
			if got.status != c.status || got.code != c.code || c.sub != 0 && got.sub != c.sub || !strings.Contains(got.msg, c.msg) {
				t.Fatalf("%s: got %+v, want status %d code %d sub %d message with %q", c.source, got, c.status, c.code, c.sub, c.msg)
			}
			if n := len(g.Accepted()); c.status == 200 && n != 1 || c.status != 200 && n != 0 {
				t.Fatalf("%s: %d events accepted", c.source, n)
			}
		})
	}
}

// TestGraphFakeKeepsTestEventsApart: events with a test_event_code are
// validated like any other (the live 2804010 came with one: ADS7) and never
// counted as production (M9).
func TestGraphFakeKeepsTestEventsApart(t *testing.T) {
	g := &Graph{Token: "tok", APIVersion: "v99.0", DatasetID: "111", Now: func() time.Time { return selfNow }}
	srv := g.Start(t)
	good, _ := json.Marshal(map[string]any{"data": []any{goodEvent()}, "access_token": "tok", "test_event_code": "TEST1"})
	if got := postGraph(t, srv.URL, "/v99.0/111/events", "application/json", good); got.status != 200 {
		t.Fatalf("test event refused: %+v", got)
	}
	bad := goodEvent()
	bad["custom_data"] = map[string]any{"order_id": "x"}
	body, _ := json.Marshal(map[string]any{"data": []any{bad}, "access_token": "tok", "test_event_code": "TEST1"})
	if got := postGraph(t, srv.URL, "/v99.0/111/events", "application/json", body); got.sub != 2804010 {
		t.Fatalf("an invalid test event passed: %+v", got)
	}
	if len(g.Accepted()) != 0 || len(g.TestEvents()) != 1 {
		t.Fatalf("accepted %v, test events %v", g.Accepted(), g.TestEvents())
	}
}

// denyWith is a Fault answering every request with GraphPermissionDenied(code).
func denyWith(code int) func(int, http.ResponseWriter, *http.Request) bool {
	return func(_ int, w http.ResponseWriter, _ *http.Request) bool { GraphPermissionDenied(w, code); return true }
}
