package destinationtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// The fakes are the judges of every upload test, so they are tested on
// their own: one request per refusal branch, built by hand (not by
// hashgate's client, which would only show that the two agree), each with
// the rule's source. A fake that let a bad request through would make
// every upload test downstream meaningless.

var selfNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

const selfHash = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"

// goodIngest is a request the fake accepts: one event with a gclid and a
// hashed e-mail, the shape of Google's own sample
// (googleads/data-manager-python sampledata/events_1.json).
func goodIngest() map[string]any {
	return map[string]any{
		"destinations": []any{map[string]any{
			"operatingAccount":     map[string]any{"accountType": "GOOGLE_ADS", "accountId": "1234567890"},
			"productDestinationId": "987654321",
		}},
		"encoding": "HEX",
		"events": []any{map[string]any{
			"transactionId":   "hgtest-0001",
			"eventTimestamp":  selfNow.Add(-24 * time.Hour).Format(time.RFC3339),
			"eventSource":     "WEB",
			"conversionValue": 1500.0,
			"currency":        "TWD",
			"adIdentifiers":   map[string]any{"gclid": "Cj0KCQiA0fr-BRDNARIsAAcBd2k"},
			"userData":        map[string]any{"userIdentifiers": []any{map[string]any{"emailAddress": selfHash}}},
			"consent":         map[string]any{"adUserData": "CONSENT_GRANTED"},
		}},
	}
}

// event returns the first event of a request built by goodIngest.
func event(req map[string]any) map[string]any { return req["events"].([]any)[0].(map[string]any) }

type rpcAnswer struct {
	code   int
	status string
	fields []string // field violations, "field reason"
}

func postIngest(t *testing.T, url, token string, body []byte) rpcAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/events:ingest", bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var got struct {
		Error struct {
			Status  string `json:"status"`
			Details []struct {
				Violations []struct{ Field, Reason string } `json:"fieldViolations"`
			} `json:"details"`
		} `json:"error"`
	}
	_ = json.Unmarshal(raw, &got)
	a := rpcAnswer{code: resp.StatusCode, status: got.Error.Status}
	for _, d := range got.Error.Details {
		for _, v := range d.Violations {
			a.fields = append(a.fields, strings.TrimSpace(v.Field+" "+v.Reason))
		}
	}
	return a
}

func TestDataManagerFakeRefusesWhatGoogleRefuses(t *testing.T) {
	cases := []struct {
		name, source string
		fake         func(*DataManager)
		edit         func(req map[string]any)
		raw          string // a body sent as is, instead of goodIngest edited
		token        string // default: the fake's token
		code         int
		status       string
		field        string // a violation that must be named ("" = none required)
	}{
		{name: "the good request", source: "the baseline", code: 200},
		// Transport and authentication.
		{name: "no bearer token", source: "DM-ERR: 401 UNAUTHENTICATED", token: "-", code: 401, status: "UNAUTHENTICATED"},
		{name: "bad JSON", source: "DM-ERR: Invalid JSON payload received", raw: `{"events": [`, code: 400, status: "INVALID_ARGUMENT"},
		// The discovery-schema walker (DISCO: google.golang.org/api datamanager/v1).
		{name: "unknown field", source: "DISCO: fields are the schema's (Cannot find field)",
			edit: func(r map[string]any) { event(r)["patientName"] = "x" }, code: 400, status: "INVALID_ARGUMENT", field: "events.events[0].patient_name"},
		{name: "wrong type", source: "DISCO: conversionValue is a number",
			edit: func(r map[string]any) { event(r)["conversionValue"] = "1500" }, code: 400, field: "events.events[0].conversion_value"},
		{name: "bad enum", source: "DISCO: eventSource enum",
			edit: func(r map[string]any) { event(r)["eventSource"] = "CLINIC" }, code: 400, field: "events.events[0].event_source"},
		{name: "bad timestamp", source: "DISCO: eventTimestamp is google-datetime (RFC 3339)",
			edit: func(r map[string]any) { event(r)["eventTimestamp"] = "2026-11-19 10:00" }, code: 400, field: "events.events[0].event_timestamp"},
		{name: "object where an array belongs", source: "DISCO: events is an array",
			edit: func(r map[string]any) { r["events"] = map[string]any{} }, code: 400, field: "events"},
		{name: "accountId not an int64 string", source: "google-ads/offline/send-events: 10-digit customer ID without hyphens",
			edit: func(r map[string]any) {
				r["destinations"].([]any)[0].(map[string]any)["operatingAccount"].(map[string]any)["accountId"] = "123-456-7890"
			}, code: 400, field: "destinations[0].operating_account.account_id"},
		// rules(): what the schema cannot say.
		{name: "no destinations", source: "PROTO ingestion_service.proto: destinations required",
			edit: func(r map[string]any) { delete(r, "destinations") }, code: 400, field: "destinations"},
		{name: "operating account not GOOGLE_ADS", source: "PROTO destination.proto; hashgate sends to Google Ads only",
			edit: func(r map[string]any) {
				r["destinations"].([]any)[0].(map[string]any)["operatingAccount"].(map[string]any)["accountType"] = "DISPLAY_VIDEO_ADVERTISER"
			}, code: 400, field: "destinations[0].operating_account"},
		{name: "no conversion action", source: "PROTO destination.proto: product_destination_id",
			edit: func(r map[string]any) { delete(r["destinations"].([]any)[0].(map[string]any), "productDestinationId") }, code: 400, field: "destinations[0].product_destination_id"},
		{name: "no events", source: "PROTO ingestion_service.proto: events required",
			edit: func(r map[string]any) { r["events"] = []any{} }, code: 400, field: "events"},
		{name: "2001 events", source: "DM-LIM: 2,000 events per request (error.proto's TOO_MANY_EVENTS comment says 10,000: the sources disagree; the fake holds the stricter)",
			edit: func(r map[string]any) {
				ev := event(r)
				evs := make([]any, 2001)
				for i := range evs {
					c := map[string]any{}
					for k, v := range ev {
						c[k] = v
					}
					c["transactionId"] = fmt.Sprintf("hgtest-%04d", i)
					evs[i] = c
				}
				r["events"] = evs
			}, code: 400, field: "events TOO_MANY_EVENTS"},
		{name: "no event time", source: "PROTO event.proto: event_timestamp required",
			edit: func(r map[string]any) { delete(event(r), "eventTimestamp") }, code: 400, field: "events.events[0].event_timestamp REQUIRED_FIELD_MISSING"},
		{name: "event older than the window", source: "error.proto EVENT_TIME_INVALID (window: the action's, 90 days here)",
			edit: func(r map[string]any) {
				event(r)["eventTimestamp"] = selfNow.Add(-91 * 24 * time.Hour).Format(time.RFC3339)
			},
			code: 400, field: "events.events[0].event_timestamp EVENT_TIME_INVALID"},
		{name: "event in the future", source: "the fake's own guard (1 h), not a documented rule",
			edit: func(r map[string]any) { event(r)["eventTimestamp"] = selfNow.Add(2 * time.Hour).Format(time.RFC3339) },
			code: 400, field: "events.events[0].event_timestamp EVENT_TIME_INVALID"},
		{name: "no transaction id", source: "the fake's own (event.proto: optional, required for multi-source conversions); hashgate's adjustment key",
			edit: func(r map[string]any) { delete(event(r), "transactionId") }, code: 400, field: "events.events[0].transaction_id REQUIRED_FIELD_MISSING"},
		{name: "no eventSource", source: "PHP9201 and three live reports (the reference says optional)",
			edit: func(r map[string]any) { delete(event(r), "eventSource") }, code: 400, field: "events.events[0].event_source REQUIRED_FIELD_MISSING"},
		{name: "value without currency", source: "our reading, unconfirmed (event.proto: currency optional); error.proto INVALID_CURRENCY_CODE",
			edit: func(r map[string]any) { delete(event(r), "currency") }, code: 400, field: "events.events[0].currency INVALID_CURRENCY_CODE"},
		{name: "a currency that is not ISO 4217", source: "error.proto INVALID_CURRENCY_CODE: NTD is a common spelling, TWD the code",
			edit: func(r map[string]any) { event(r)["currency"] = "NTD" }, code: 400, field: "events.events[0].currency INVALID_CURRENCY_CODE"},
		{name: "two click ids", source: "our reading, unconfirmed: event.proto's AdIdentifiers is no oneof; hashgate holds such a row back",
			edit: func(r map[string]any) { event(r)["adIdentifiers"].(map[string]any)["gbraid"] = "0AAAAA-gbraid" }, code: 400, field: "events.events[0].ad_identifiers"},
		{name: "eleven identifiers", source: "error.proto TOO_MANY_USER_IDENTIFIERS (10)",
			edit: func(r map[string]any) {
				ids := make([]any, 11)
				for i := range ids {
					ids[i] = map[string]any{"emailAddress": selfHash}
				}
				event(r)["userData"] = map[string]any{"userIdentifiers": ids}
			}, code: 400, field: "events.events[0].user_data.user_identifiers TOO_MANY_USER_IDENTIFIERS"},
		{name: "user data without encoding", source: "PROTO ingestion_service.proto: encoding required for user data",
			edit: func(r map[string]any) { delete(r, "encoding") }, code: 400, field: "encoding"},
		{name: "no identifier at all", source: "error.proto NO_IDENTIFIERS_PROVIDED",
			edit: func(r map[string]any) { delete(event(r), "adIdentifiers"); delete(event(r), "userData") }, code: 400, field: "events.events[0] NO_IDENTIFIERS_PROVIDED"},
		{name: "identifier with two fields", source: "PROTO UserIdentifier: a oneof",
			edit: func(r map[string]any) {
				event(r)["userData"] = map[string]any{"userIdentifiers": []any{map[string]any{"emailAddress": selfHash, "phoneNumber": selfHash}}}
			}, code: 400, field: "events.events[0].user_data.user_identifiers[0]"},
		{name: "a value not hex", source: "DM-ERR BadRequest example: INVALID_HEX_ENCODING",
			edit: func(r map[string]any) {
				event(r)["userData"] = map[string]any{"userIdentifiers": []any{map[string]any{"emailAddress": "patient@example.com"}}}
			}, code: 400, field: "events.events[0].user_data.user_identifiers[0] INVALID_HEX_ENCODING"},
		{name: "hex of another length", source: "error.proto INVALID_SHA256_FORMAT",
			edit: func(r map[string]any) {
				event(r)["userData"] = map[string]any{"userIdentifiers": []any{map[string]any{"emailAddress": selfHash[:40]}}}
			}, code: 400, field: "events.events[0].user_data.user_identifiers[0] INVALID_SHA256_FORMAT"},
		{name: "address name not hashed", source: "DM formatting guide: given/family name SHA-256",
			edit: func(r map[string]any) {
				event(r)["userData"] = map[string]any{"userIdentifiers": []any{map[string]any{"address": map[string]any{
					"givenName": "Mei", "familyName": selfHash, "regionCode": "TW", "postalCode": "100"}}}}
			}, code: 400, field: "events.events[0].user_data.user_identifiers[0].address.given_name"},
		{name: "address region lower case", source: "DM formatting guide: regionCode ISO 3166-1 alpha-2, not hashed; INVALID_REGION_CODE error.proto @ f8291d2b (for this case our reading)",
			edit: func(r map[string]any) {
				event(r)["userData"] = map[string]any{"userIdentifiers": []any{map[string]any{"address": map[string]any{
					"givenName": selfHash, "familyName": selfHash, "regionCode": "tw", "postalCode": "100"}}}}
			}, code: 400, field: "events.events[0].user_data.user_identifiers[0].address.region_code INVALID_REGION_CODE"},
		{name: "address postal code hashed", source: "DM formatting guide: postalCode not hashed",
			edit: func(r map[string]any) {
				event(r)["userData"] = map[string]any{"userIdentifiers": []any{map[string]any{"address": map[string]any{
					"givenName": selfHash, "familyName": selfHash, "regionCode": "TW", "postalCode": selfHash}}}}
			}, code: 400, field: "events.events[0].user_data.user_identifiers[0].address.postal_code"},
		// Destination rules (destinationRules), at real ingest.
		{name: "gtag label as the conversion action", source: "live report (G15): INVALID_NUMBER_FORMAT",
			edit: func(r map[string]any) {
				r["destinations"].([]any)[0].(map[string]any)["productDestinationId"] = "AW-123/abc"
			}, code: 400, field: "destinations[0].product_destination_id INVALID_NUMBER_FORMAT"},
		{name: "unknown conversion action", source: "error.proto INVALID_CONVERSION_ACTION_ID",
			fake: func(d *DataManager) { d.Destinations = []string{"1234567890/111"} }, code: 400, field: "destinations[0].product_destination_id INVALID_CONVERSION_ACTION_ID"},
		{name: "account out of reach", source: "DM-ERR, code.proto: 403 PERMISSION_DENIED",
			fake: func(d *DataManager) { d.Destinations = []string{"5555555555/987654321"} }, code: 403, status: "PERMISSION_DENIED"},
		{name: "a second destination out of reach", source: "every destination of a request is checked (hashgate sends one)",
			fake: func(d *DataManager) { d.Destinations = []string{"1234567890/987654321"} },
			edit: func(r map[string]any) {
				r["destinations"] = append(r["destinations"].([]any), map[string]any{
					"operatingAccount":     map[string]any{"accountType": "GOOGLE_ADS", "accountId": "5555555555"},
					"productDestinationId": "987654321", "reference": "second"})
			}, code: 403, status: "PERMISSION_DENIED"},
		{name: "two destinations with one reference", source: "error.proto DUPLICATE_DESTINATION_REFERENCE; destination.proto: reference unique within the request",
			edit: func(r map[string]any) {
				d0 := r["destinations"].([]any)[0].(map[string]any)
				d0["reference"] = "visit"
				r["destinations"] = append(r["destinations"].([]any), map[string]any{
					"operatingAccount":     map[string]any{"accountType": "GOOGLE_ADS", "accountId": "1234567890"},
					"productDestinationId": "987654322", "reference": "visit"})
			}, code: 400, field: "destinations[1].reference DUPLICATE_DESTINATION_REFERENCE"},
		{name: "an event naming no destination of the request", source: "event.proto destination_references; the reason is the fake's (INVALID_DESTINATION), the path Google's",
			edit: func(r map[string]any) {
				r["destinations"].([]any)[0].(map[string]any)["reference"] = "visit"
				event(r)["destinationReferences"] = []any{"booking"}
			}, code: 400, field: "events.events[0].destination_references[0] INVALID_DESTINATION"},
		{name: "eleven destinations", source: "error.proto TOO_MANY_DESTINATIONS (10)",
			edit: func(r map[string]any) {
				d := r["destinations"].([]any)[0]
				var ds []any
				for range 11 {
					ds = append(ds, d)
				}
				r["destinations"] = ds
			}, code: 400, field: "destinations TOO_MANY_DESTINATIONS"},
		{name: "IN_STORE to an action imported from clicks", source: "error.proto EVENT_SOURCE_AND_DESTINATION_MISMATCH (mode: G2)",
			fake: func(d *DataManager) { d.ClickActions = true },
			edit: func(r map[string]any) { event(r)["eventSource"] = "IN_STORE" }, code: 400, field: "events.events[0].event_source EVENT_SOURCE_AND_DESTINATION_MISMATCH"},
		{name: "user data to an account without the enhanced conversions terms", source: "live validateOnly answer (markegge/gtfsx oci.ts); error.proto DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED",
			fake: func(d *DataManager) { d.ECTermsUnsigned = true }, code: 400, status: "INVALID_ARGUMENT",
			field: "events.events[0].destination_references[0] DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED"},
		{name: "validateOnly user data to an account without the terms", source: "the live answer was a validateOnly probe (markegge/gtfsx oci.ts)",
			fake: func(d *DataManager) { d.ECTermsUnsigned = true }, edit: func(r map[string]any) { r["validateOnly"] = true }, code: 400,
			field: "events.events[0].destination_references[0] DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED"},
		{name: "click id only to an account without the terms", source: "the same event without userData passes (markegge/gtfsx oci.ts: \"the identical event without userData is perfectly acceptable\")",
			fake: func(d *DataManager) { d.ECTermsUnsigned = true }, edit: func(r map[string]any) { delete(event(r), "userData"); delete(r, "encoding") }, code: 200},
		{name: "all-digit transaction id", source: "TREG (live): refused at real ingest",
			edit: func(r map[string]any) { event(r)["transactionId"] = "12345678901234" }, code: 400, field: "events.events[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &DataManager{Token: "tok", Now: func() time.Time { return selfNow }}
			if c.fake != nil {
				c.fake(d)
			}
			srv := d.Start(t)
			body := []byte(c.raw)
			if c.raw == "" {
				req := goodIngest()
				if c.edit != nil {
					c.edit(req)
				}
				body, _ = json.Marshal(req)
			}
			token := "tok"
			if c.token != "" {
				token = strings.TrimPrefix(c.token, "-")
			}
			got := postIngest(t, srv.URL, token, body)
			if got.code != c.code || c.status != "" && got.status != c.status {
				t.Fatalf("%s: got %d %s %q, want %d %s", c.source, got.code, got.status, got.fields, c.code, c.status)
			}
			if c.field != "" && !slices.Contains(got.fields, c.field) {
				t.Fatalf("%s: violations %q do not name %q", c.source, got.fields, c.field)
			}
			if c.code != 200 && len(d.Accepted()) != 0 {
				t.Fatalf("%s: a refused request was ingested: %v", c.source, d.Accepted())
			}
			if c.code == 200 && len(d.Accepted()) != 1 {
				t.Fatalf("the good request was not ingested: %v", d.Accepted())
			}
		})
	}
}

// TestDataManagerFakeValidateOnlySkipsIngestRules: validateOnly checks the
// request but ingests nothing and skips the rules only the real ingest
// applies (the all-digit id: TREG; destination rules: issue 21).
func TestDataManagerFakeValidateOnlySkipsIngestRules(t *testing.T) {
	d := &DataManager{Token: "tok", Now: func() time.Time { return selfNow }}
	srv := d.Start(t)
	req := goodIngest()
	req["validateOnly"] = true
	event(req)["transactionId"] = "12345678901234"
	body, _ := json.Marshal(req)
	if got := postIngest(t, srv.URL, "tok", body); got.code != 200 {
		t.Fatalf("validateOnly: got %d %q", got.code, got.fields)
	}
	if len(d.Accepted()) != 0 || d.ValidateOnlyRequests() != 1 {
		t.Fatalf("validateOnly ingested %v (validate-only requests %d)", d.Accepted(), d.ValidateOnlyRequests())
	}
}

// TestDataManagerFakeAppliesAdjustments: a second ingest of a
// transactionId for the same conversion action restates value and
// currency and nothing else, adds no conversion, and still needs an
// identifier; for another action it is a new conversion (the
// conversion-adjustments devguide's rules, quoted in datamanager.go).
func TestDataManagerFakeAppliesAdjustments(t *testing.T) {
	d := &DataManager{Token: "tok", Now: func() time.Time { return selfNow }}
	url := d.Start(t).URL
	post := func(edit func(map[string]any)) rpcAnswer {
		req := goodIngest()
		edit(req)
		body, _ := json.Marshal(req)
		return postIngest(t, url, "tok", body)
	}
	if a := post(func(map[string]any) {}); a.code != 200 {
		t.Fatalf("original: %+v", a)
	}
	// Restated: a refund to 0, another gclid and a later timestamp.
	if a := post(func(r map[string]any) {
		e := event(r)
		e["conversionValue"], e["currency"] = 0.0, "USD"
		e["adIdentifiers"] = map[string]any{"gclid": "Cj0KCQiA0fr-OTHERCLICK"}
		e["eventTimestamp"] = selfNow.Add(-time.Hour).Format(time.RFC3339)
	}); a.code != 200 {
		t.Fatalf("adjustment: %+v", a)
	}
	got := d.Event("hgtest-0001")
	if fmt.Sprint(got["conversionValue"]) != "0" || got["currency"] != "USD" {
		t.Errorf("value and currency not overwritten: %v %v", got["conversionValue"], got["currency"])
	}
	if got["adIdentifiers"].(map[string]any)["gclid"] != "Cj0KCQiA0fr-BRDNARIsAAcBd2k" || got["eventTimestamp"] != selfNow.Add(-24*time.Hour).Format(time.RFC3339) {
		t.Errorf("fields other than value and currency changed: %v", got)
	}
	if n := d.Conversions("1234567890/987654321"); n != 1 || d.Accepted()["hgtest-0001"] != 2 {
		t.Errorf("%d conversions, %d ingests; want 1 conversion, ingested twice", n, d.Accepted()["hgtest-0001"])
	}
	// An adjustment without a value leaves the value as it was.
	if a := post(func(r map[string]any) {
		e := event(r)
		delete(e, "conversionValue")
		delete(e, "currency")
	}); a.code != 200 || fmt.Sprint(d.Event("hgtest-0001")["conversionValue"]) != "0" || d.Event("hgtest-0001")["currency"] != "USD" {
		t.Errorf("an adjustment without a value changed it: %+v %v", a, d.Event("hgtest-0001"))
	}
	// An adjustment without any identifier is refused like any event.
	if a := post(func(r map[string]any) {
		e := event(r)
		delete(e, "adIdentifiers")
		delete(e, "userData")
		e["conversionValue"] = 900.0
	}); a.code != 400 || fmt.Sprint(d.Event("hgtest-0001")["conversionValue"]) != "0" {
		t.Errorf("an adjustment without identifiers: %+v, value %v", a, d.Event("hgtest-0001")["conversionValue"])
	}
	// The same transactionId for another conversion action: a new one.
	if a := post(func(r map[string]any) {
		r["destinations"].([]any)[0].(map[string]any)["productDestinationId"] = "987654322"
	}); a.code != 200 || d.Conversions("1234567890/987654322") != 1 || d.Conversions("1234567890/987654321") != 1 {
		t.Errorf("another action: %+v", a)
	}
}

// TestDataManagerFakeRoutesEventsByReference: an event naming a
// destination's reference lands in that conversion action only; one naming
// none lands in every destination of the request (event.proto
// destination_references: "If empty, the event will be sent to all
// destinations in the request").
func TestDataManagerFakeRoutesEventsByReference(t *testing.T) {
	d := &DataManager{Token: "tok", Now: func() time.Time { return selfNow }}
	srv := d.Start(t)
	req := goodIngest()
	req["destinations"] = []any{
		map[string]any{"operatingAccount": map[string]any{"accountType": "GOOGLE_ADS", "accountId": "1234567890"}, "productDestinationId": "111", "reference": "visit"},
		map[string]any{"operatingAccount": map[string]any{"accountType": "GOOGLE_ADS", "accountId": "1234567890"}, "productDestinationId": "222", "reference": "booking"},
	}
	visit := event(req)
	visit["destinationReferences"] = []any{"visit"}
	booking := map[string]any{}
	for k, v := range visit {
		booking[k] = v
	}
	booking["transactionId"], booking["destinationReferences"] = "hgtest-0002", []any{"booking"}
	both := map[string]any{}
	for k, v := range visit {
		both[k] = v
	}
	delete(both, "destinationReferences")
	both["transactionId"] = "hgtest-0003"
	req["events"] = []any{visit, booking, both}
	body, _ := json.Marshal(req)
	if got := postIngest(t, srv.URL, "tok", body); got.code != 200 {
		t.Fatalf("got %d %q", got.code, got.fields)
	}
	v, b := d.AcceptedAt("1234567890/111"), d.AcceptedAt("1234567890/222")
	if v["hgtest-0001"] != 1 || v["hgtest-0002"] != 0 || b["hgtest-0002"] != 1 || b["hgtest-0001"] != 0 || v["hgtest-0003"] != 1 || b["hgtest-0003"] != 1 {
		t.Fatalf("visit action %v, booking action %v", v, b)
	}
}

// TestDataManagerFakeAdjustsPerConversionAction: one event naming two
// conversion actions is matched by transactionId in each action on its
// own — "Within the same conversion action, Google Ads matches events
// using transactionId" (conversion-adjustments devguide, "How adjustments
// work"). Where the action holds the id it is an adjustment (value and
// currency overwritten, the click and the time kept); where it does not,
// a new conversion with every field the event carries. An adjustment at
// one action leaves the other action's conversion as it was.
func TestDataManagerFakeAdjustsPerConversionAction(t *testing.T) {
	d := &DataManager{Token: "tok", Now: func() time.Time { return selfNow }}
	url := d.Start(t).URL
	const visit, booking = "1234567890/111", "1234567890/222"
	dest := func(action, ref string) map[string]any {
		return map[string]any{"operatingAccount": map[string]any{"accountType": "GOOGLE_ADS", "accountId": "1234567890"},
			"productDestinationId": action, "reference": ref}
	}
	post := func(dests []any, edit func(ev map[string]any)) {
		t.Helper()
		req := goodIngest()
		req["destinations"] = dests
		edit(event(req))
		body, _ := json.Marshal(req)
		if a := postIngest(t, url, "tok", body); a.code != 200 {
			t.Fatalf("got %+v", a)
		}
	}
	const firstClick, laterClick = "Cj0KCQiA0fr-BRDNARIsAAcBd2k", "Cj0KCQiA0fr-LATERCLICK"
	firstTime := selfNow.Add(-24 * time.Hour).Format(time.RFC3339)
	laterTime := selfNow.Add(-time.Hour).Format(time.RFC3339)
	// The visit action records hgtest-0001 first.
	post([]any{dest("111", "")}, func(map[string]any) {})
	// Then one event without references goes to both actions (event.proto:
	// "If empty, the event will be sent to all destinations in the request").
	post([]any{dest("111", "visit"), dest("222", "booking")}, func(ev map[string]any) {
		ev["conversionValue"], ev["currency"] = 900.0, "USD"
		ev["adIdentifiers"] = map[string]any{"gclid": laterClick}
		ev["eventTimestamp"] = laterTime
	})
	v, b := d.EventAt(visit, "hgtest-0001"), d.EventAt(booking, "hgtest-0001")
	if v == nil || b == nil {
		t.Fatalf("visit action holds %v, booking action %v", v, b)
	}
	if fmt.Sprint(v["conversionValue"]) != "900" || v["currency"] != "USD" ||
		v["adIdentifiers"].(map[string]any)["gclid"] != firstClick || v["eventTimestamp"] != firstTime {
		t.Errorf("the visit action held the id: an adjustment of value and currency only, got %v", v)
	}
	if fmt.Sprint(b["conversionValue"]) != "900" || b["adIdentifiers"].(map[string]any)["gclid"] != laterClick || b["eventTimestamp"] != laterTime {
		t.Errorf("the booking action did not hold the id: a new conversion as sent, got %v", b)
	}
	if d.Conversions(visit) != 1 || d.Conversions(booking) != 1 {
		t.Errorf("conversions: visit %d, booking %d; want 1 and 1", d.Conversions(visit), d.Conversions(booking))
	}
	// An adjustment at the booking action alone leaves the visit's as it was.
	post([]any{dest("222", "")}, func(ev map[string]any) { ev["conversionValue"] = 50.0 })
	if got := d.EventAt(booking, "hgtest-0001")["conversionValue"]; fmt.Sprint(got) != "50" {
		t.Errorf("booking action's value %v, want 50", got)
	}
	if got := d.EventAt(visit, "hgtest-0001")["conversionValue"]; fmt.Sprint(got) != "900" {
		t.Errorf("the visit action's value changed with the booking action's adjustment: %v", got)
	}
	if d.Conversions(visit) != 1 || d.Conversions(booking) != 1 || d.AcceptedAt(booking)["hgtest-0001"] != 2 {
		t.Errorf("conversions: visit %d, booking %d (booking ingests %d)", d.Conversions(visit), d.Conversions(booking), d.AcceptedAt(booking)["hgtest-0001"])
	}
}

// TestDataManagerFakeAnswersAStatusPerDestination: requestStatus:retrieve
// answers one status per destination of the ingested request, "in the
// order of the destinations in the original request"
// (ingestion_service.proto RetrieveRequestStatusResponse), each over the
// events sent to that destination; recordCount is that destination's
// count, or the whole request's in the RecordCountIsTheRequest mode (the
// proto comment's literal wording; which one Google answers is not
// documented).
func TestDataManagerFakeAnswersAStatusPerDestination(t *testing.T) {
	for _, whole := range []bool{false, true} {
		clk := selfNow
		d := &DataManager{Token: "tok", Now: func() time.Time { return clk }, Processing: Processing{
			RecordCountIsTheRequest: whole,
			Event: func(i int, _ map[string]any) (string, string) {
				if i == 1 {
					return "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND", ""
				}
				return "", ""
			}}}
		srv := d.Start(t)
		req := goodIngest()
		req["destinations"] = []any{
			map[string]any{"operatingAccount": map[string]any{"accountType": "GOOGLE_ADS", "accountId": "1234567890"}, "productDestinationId": "111", "reference": "visit"},
			map[string]any{"operatingAccount": map[string]any{"accountType": "GOOGLE_ADS", "accountId": "1234567890"}, "productDestinationId": "222", "reference": "booking"},
		}
		var evs []any
		for i, refs := range [][]any{{"visit"}, {"booking"}, nil} { // the third goes to both
			ev := maps.Clone(event(req))
			ev["transactionId"] = fmt.Sprintf("hgtest-%04d", i)
			if refs != nil {
				ev["destinationReferences"] = refs
			}
			evs = append(evs, ev)
		}
		req["events"] = evs
		body, _ := json.Marshal(req)
		hr, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/events:ingest", bytes.NewReader(body))
		hr.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		var ing struct{ RequestID string }
		_ = json.NewDecoder(resp.Body).Decode(&ing)
		resp.Body.Close()
		clk = clk.Add(30 * time.Minute)
		sr, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/requestStatus:retrieve?requestId="+ing.RequestID, nil)
		sr.Header.Set("Authorization", "Bearer tok")
		resp, err = http.DefaultClient.Do(sr)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			RequestStatusPerDestination []struct {
				Destination struct {
					ProductDestinationID string `json:"productDestinationId"`
				}
				RequestStatus         string
				EventsIngestionStatus struct{ RecordCount string }
				ErrorInfo             struct {
					ErrorCounts []struct {
						Reason        string
						RecordIndices []int
					}
				}
			}
		}
		_ = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		st := got.RequestStatusPerDestination
		if len(st) != 2 || st[0].Destination.ProductDestinationID != "111" || st[1].Destination.ProductDestinationID != "222" {
			t.Fatalf("whole=%v: statuses %+v, want one per destination in the request's order", whole, st)
		}
		wantRecords := []string{"2", "2"}
		if whole {
			wantRecords = []string{"3", "3"}
		}
		if st[0].RequestStatus != "SUCCESS" || st[0].EventsIngestionStatus.RecordCount != wantRecords[0] || len(st[0].ErrorInfo.ErrorCounts) != 0 {
			t.Errorf("whole=%v: the visit action's status %+v", whole, st[0])
		}
		if st[1].RequestStatus != "PARTIAL_SUCCESS" || st[1].EventsIngestionStatus.RecordCount != wantRecords[1] ||
			len(st[1].ErrorInfo.ErrorCounts) != 1 || fmt.Sprint(st[1].ErrorInfo.ErrorCounts[0].RecordIndices) != "[1]" {
			t.Errorf("whole=%v: the booking action's status %+v", whole, st[1])
		}
	}
}

// TestDataManagerFakeReadQuota: requestStatus:retrieve has its own quota,
// 300 reads a minute per project (IngestionReadRequestsPerMinutePerProject,
// DM-LIM "Quota names"): the 301st read within a minute is 429
// RESOURCE_EXHAUSTED naming the read quota in ErrorInfo.metadata.quota_limit,
// and a minute later reads are answered again.
func TestDataManagerFakeReadQuota(t *testing.T) {
	clk := selfNow
	d := &DataManager{Token: "tok", Now: func() time.Time { return clk }}
	srv := d.Start(t)
	read := func() (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/requestStatus:retrieve?requestId=unknown", nil)
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Error struct {
				Details []struct {
					Metadata map[string]string `json:"metadata"`
				} `json:"details"`
			} `json:"error"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		limit := ""
		for _, d := range body.Error.Details {
			if d.Metadata["quota_limit"] != "" {
				limit = d.Metadata["quota_limit"]
			}
		}
		return resp.StatusCode, limit
	}
	for i := range 300 {
		if code, _ := read(); code == 429 {
			t.Fatalf("read %d refused inside the quota", i+1)
		}
		clk = clk.Add(100 * time.Millisecond)
	}
	if code, limit := read(); code != 429 || limit != "IngestionReadRequestsPerMinutePerProject" {
		t.Fatalf("read 301 within a minute: %d %q, want 429 naming the read quota", code, limit)
	}
	clk = clk.Add(time.Minute)
	if code, _ := read(); code == 429 {
		t.Fatal("a minute later the read is still refused")
	}
}
