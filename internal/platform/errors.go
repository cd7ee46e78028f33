package platform

import (
	"slices"
	"strings"
)

// Action is what the sending side does about one failed request.
type Action uint8

// The actions an ErrorRule may name. Only Quarantine and Bisect treat an
// answer as the fault of some events; every other answer is about the
// request, the account or the credentials, and splitting the batch would
// only repeat it.
const (
	Retry           Action = iota + 1 // send the same request again after backoff, within the retry budget
	Bisect                            // the platform did not say which events: split the batch to find them
	Quarantine                        // the platform named the events at fault: set exactly those aside, send the rest
	StopDestination                   // stop sending to this platform for this run; the rest is "not sent"
	StopRun                           // stop every destination: credentials or set-up a person must fix
)

func (a Action) String() string {
	switch a {
	case Retry:
		return "retry"
	case Bisect:
		return "bisect"
	case Quarantine:
		return "quarantine"
	case StopDestination:
		return "stop destination"
	case StopRun:
		return "stop run"
	}
	return "unknown"
}

// Stops reports whether a stops sending (to one destination or all).
func (a Action) Stops() bool { return a == StopDestination || a == StopRun }

// When narrows an ErrorRule to answers of one shape.
type When uint8

// Conditions of an ErrorRule.
const (
	Always      When = iota
	NamesEvents      // every field violation points into events.events[N] (Google)
	Transient        // the answer says is_transient (Meta)
)

// ErrorRule is one row of a platform's error table: what the platform
// answered and what hashgate does about it. A client reduces an answer to
// an ErrorKey and takes the first matching row (Spec.Rule); the last row
// of every table matches anything, so an answer nobody foresaw stops the
// destination with the platform's own words instead of being hammered or
// blamed on the events.
type ErrorRule struct {
	Status int    // HTTP status; 0 matches any
	Code   string // google.rpc status ("FAILED_PRECONDITION"), Graph code ("100"), or "oauth"; "" matches any
	// Reason is Google's ErrorInfo.reason, a field violation's reason or a
	// quota_limit; Meta's error_subcode; an OAuth error code. "" matches any.
	Reason string
	When   When
	Action Action
	// Fix tells a person what to do, naming the config key or credential.
	// Empty for answers nobody needs to act on (retries, event faults).
	Fix string
	// Source is where the row comes from: API reference, Google's or Meta's
	// samples, or a live behaviour reported in a public issue.
	Source string
}

// ErrorKey is a platform's answer reduced to what the tables match on.
type ErrorKey struct {
	Status int
	Code   string
	// Reasons are the answer's reasons, most specific first: request-level
	// field violations, then ErrorInfo.reason, then quota_limit (Google);
	// the subcode (Meta).
	Reasons     []string
	NamesEvents bool
	Transient   bool
}

// Rule returns the first row of s's error table that matches k.
func (s *Spec) Rule(k ErrorKey) ErrorRule {
	for _, r := range s.Errors {
		if r.matches(k) {
			return r
		}
	}
	return ErrorRule{Action: StopDestination, Fix: "an answer hashgate does not know; report it with the request id"}
}

func (r ErrorRule) matches(k ErrorKey) bool {
	switch {
	case r.Status != 0 && r.Status != k.Status:
		return false
	case r.Code != "" && r.Code != k.Code:
		return false
	case r.Reason != "" && !slices.Contains(k.Reasons, r.Reason):
		return false
	case r.When == NamesEvents && !k.NamesEvents:
		return false
	case r.When == Transient && !k.Transient:
		return false
	}
	return true
}

// Sources of the error tables, cited by every row. The full text of each
// is quoted in docs/contract.md.
const (
	srcDMErrors = "developers.google.com/data-manager/api/devguides/concepts/understand-errors"
	srcDMLimits = "developers.google.com/data-manager/api/devguides/limits (quota_limit names the per-minute or per-day quota)"
	srcDMProto  = "googleapis/googleapis google/ads/datamanager/v1/error.proto (ErrorReason comments)"
	srcRPCCode  = "googleapis/googleapis google/rpc/code.proto (HTTP mapping)"
	srcRFC6749  = "RFC 6749 §5.2 token error response; golang.org/x/oauth2 RetrieveError"
	srcGraphErr = "developers.facebook.com/docs/graph-api/guides/error-handling"
	srcMetaRef  = "Marketing API error reference (code 100 subcode 33); rudder-transformer facebook_pixel networkHandler aborts on it"
)

// Config keys (under destinations.google) of the conversion actions a
// Google request may name: the visits' — the one every fix below names —
// and the bookings' (conversion.bookings), which a request holding
// bookings names too (internal/destination/google, references.go).
const (
	GoogleVisitAction   = "conversion_action_id"
	GoogleBookingAction = "booking_conversion_action_id"
)

// GoogleActionFix is fix naming, where it names the visits' conversion
// action, the action Google's answer is about: keys are GoogleVisitAction
// or GoogleBookingAction, several when the answer does not say which
// (they are joined by "or"). A stop names the key to fix (docs/contract.md
// G5): a wrong bookings' action blamed on the visits' key sends a person
// to fix a setting that is right.
func GoogleActionFix(fix string, keys ...string) string {
	if len(keys) == 0 || len(keys) == 1 && keys[0] == GoogleVisitAction || strings.Contains(fix, GoogleBookingAction) {
		return fix
	}
	return strings.ReplaceAll(fix, GoogleVisitAction, strings.Join(keys, " or "))
}

// Request-level Data Manager reasons: the account, conversion action or
// terms, the same for every event of every request. Each stops Google for
// the run with what to fix. Classified from each value's comment in
// error.proto; CONVERSION_ACTION_TOO_RECENTLY_CREATED appears only in
// third-party code (kept: it would otherwise be read as an event fault).
var googleRequestLevel = []ErrorRule{
	{Reason: "INVALID_CONVERSION_ACTION_ID", Fix: "destinations.google.conversion_action_id is not a conversion action of destinations.google.operating_account: copy the numeric id from Google Ads → Goals → Conversions (not the AW-…/label tag)"},
	{Reason: "INVALID_CONVERSION_ACTION_TYPE", Fix: "destinations.google.conversion_action_id must be an offline conversion action of type Import → CRM (UPLOAD_CLICKS)"},
	{Reason: "CONVERSION_ACTION_TOO_RECENTLY_CREATED", Fix: "the conversion action was created too recently; the next run sends these events"},
	{Reason: "OPERATING_ACCOUNT_LOGIN_ACCOUNT_MISMATCH", Fix: "destinations.google.login_account does not manage destinations.google.operating_account: fix one of them, or remove login_account"},
	{Reason: "INVALID_DESTINATION", Fix: "check destinations.google.operating_account, login_account and conversion_action_id"},
	{Reason: "DESTINATION_ACCOUNT_TYPE_MISMATCH", Fix: "destinations.google.operating_account must be a Google Ads customer id"},
	{Reason: "EVENT_SOURCE_AND_DESTINATION_MISMATCH", Fix: "destinations.google.event_source does not fit this conversion action: an Import → clicks (UPLOAD_CLICKS) action takes WEB, the default and what Google's samples send; if you set IN_STORE (store sales) or another value, remove it or set WEB; if WEB itself is refused, try OTHER"},
	{Reason: "TERMS_AND_CONDITIONS_NOT_SIGNED", Fix: "accept the customer data terms in Google Ads (Goals → Settings) for destinations.google.operating_account"},
	{Reason: "DESTINATION_ACCOUNT_NOT_ENABLED_ENHANCED_CONVERSIONS_FOR_LEADS", Fix: "turn on enhanced conversions for leads in Google Ads (Goals → Settings)"},
	{Reason: "DESTINATION_ACCOUNT_DATA_POLICY_PROHIBITS_ENHANCED_CONVERSIONS", Fix: "Google's customer data policy bars enhanced conversions for this account, as it does for health advertisers (" + GooglePolicyURL + "): send click ids only — set destinations.google.identifiers: [] (remove email, phone and the address fields)"},
	{Reason: "DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED", Fix: "accept the enhanced conversions terms in Google Ads (Goals → Settings)"},
	{Reason: "NOT_ALLOWLISTED", Fix: "this account is not allowed to use the Data Manager API for this destination yet: contact Google"},
	{Reason: "EU_POLITICAL_ADVERTISING_DECLARATION_REQUIRED", Fix: "make the EU political advertising declaration in Google Ads"},
	{Reason: "ACCOUNT_INELIGIBLE_FOR_STORE_SALES", Fix: "use a conversion action of type Import → CRM (UPLOAD_CLICKS), not store sales"},
	{Reason: "PERMISSION_DENIED", Fix: "the Google account behind the credentials is not a user of destinations.google.operating_account: add it in Google Ads → Admin → Access and security, or set login_account to the manager it reaches it through"},
	{Reason: "NOT_FOUND", Fix: "check destinations.google.operating_account and conversion_action_id"},
}

func init() {
	var rows []ErrorRule
	rows = append(rows,
		// Credentials: the token endpoint's own errors, before any request.
		ErrorRule{Code: "oauth", Reason: "invalid_grant", Action: StopRun,
			Fix:    "Google refused the refresh token or key (expired, revoked, or the key was deleted; OAuth apps left in \"Testing\" status get 7-day tokens)",
			Source: srcRFC6749 + "; 7-day Testing tokens reported live (docs/research/contract-notes.md G6.7)"},
		ErrorRule{Code: "oauth", Action: StopRun, Fix: "Google's token endpoint refused the credentials", Source: srcRFC6749},
		ErrorRule{Status: 401, Action: StopRun, Fix: "Google did not accept the access token", Source: srcRPCCode + " (401 UNAUTHENTICATED)"},
		ErrorRule{Reason: "SERVICE_DISABLED", Action: StopRun, Fix: "enable the Data Manager API in the Google Cloud project of the credentials (console → APIs & Services)", Source: srcDMErrors + " (403 SERVICE_DISABLED example)"},
		ErrorRule{Reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT", Action: StopRun, Fix: "the credentials lack the https://www.googleapis.com/auth/datamanager scope: run `hashgate auth google` again", Source: "Google-wide ErrorInfo reason; seen in third-party Data Manager code (docs/research/contract-notes.md, not found again)"},
		// Quota: the per-day quota does not come back this run.
		ErrorRule{Status: 429, Reason: "IngestionMutateRequestsPerDayPerProject", Action: StopDestination, Fix: "the Cloud project's daily Data Manager quota (100,000 requests) is used up; the next run sends the rest", Source: srcDMLimits},
		ErrorRule{Status: 429, Action: Retry, Source: srcDMLimits + " (per-minute: back off and retry)"},
	)
	for _, code := range []string{"UNAVAILABLE", "DEADLINE_EXCEEDED", "INTERNAL", "UNKNOWN", "ABORTED"} {
		src := srcDMErrors + " (\"Retry only for transient server errors such as UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, and ABORTED\")"
		if code == "ABORTED" {
			// The sources disagree: code.proto says "retry at a higher
			// level", AIP-194 not to retry it for an individual request,
			// and the service config's retryableStatusCodes leave it out.
			// Data Manager's own page is the most specific; an ingest has
			// no level above the request. Never read as a refusal
			// (destination answerUnproven).
			src += "; disagreeing: " + srcRPCCode + " (\"retry at a higher level\"), google.aip.dev/194"
		}
		rows = append(rows, ErrorRule{Code: code, Action: Retry, Source: src})
	}
	for _, r := range googleRequestLevel {
		r.Action, r.Source = StopDestination, srcDMProto
		rows = append(rows, r)
	}
	rows = append(rows,
		ErrorRule{Code: "PERMISSION_DENIED", Action: StopDestination,
			Fix:    "the Google account behind the credentials has no access to destinations.google.operating_account: add it as a user in Google Ads → Admin → Access and security, or set login_account",
			Source: srcRPCCode + " (403); " + srcDMErrors},
		// Event faults: Google names every bad event in one answer
		// (events.events[N] field paths), so they are quarantined without
		// bisecting.
		ErrorRule{Code: "INVALID_ARGUMENT", When: NamesEvents, Action: Quarantine, Source: srcDMErrors + " (BadRequest.fieldViolations[].field events.events[N]…, reason per violation)"},
		// A 400 that is not INVALID_ARGUMENT, or one about the request
		// itself: the Go client reports all of them as InvalidArgument
		// (gax-go derives the code from HTTP 400), so the client reads
		// error.status from the body.
		ErrorRule{Code: "FAILED_PRECONDITION", Action: StopDestination, Fix: "Google refused the request in the account's current state", Source: srcRPCCode},
		ErrorRule{Code: "OUT_OF_RANGE", Action: StopDestination, Fix: "Google refused a value of the request itself", Source: srcRPCCode},
		ErrorRule{Code: "NOT_FOUND", Action: StopDestination, Fix: "check destinations.google.operating_account and conversion_action_id", Source: srcRPCCode},
		ErrorRule{Code: "INVALID_ARGUMENT", Action: StopDestination, Fix: "Google refused the request itself, not an event: check destinations.google.operating_account, login_account and conversion_action_id", Source: srcDMErrors},
	)
	for _, st := range []int{500, 502, 503, 504} {
		rows = append(rows, ErrorRule{Status: st, Action: Retry, Source: srcRPCCode})
	}
	rows = append(rows, ErrorRule{Action: StopDestination, Fix: "an answer hashgate does not know; report it with the request id", Source: "hashgate: never hammer or blame events for an unknown answer"})
	specs[Google].Errors = rows

	metaPermission := "the token's system user has no permission on destinations.meta.dataset_id, or lost it (a Business Manager change, or Meta restricting a health-and-wellness dataset): give the system user access to the dataset in Business Settings → Data sources → Datasets; the next run sends what waited"
	metaToken := "generate a new system-user token (Business Settings → System users → Generate token, with access to the dataset) and set HASHGATE_META_ACCESS_TOKEN or the file named by destinations.meta.access_token_file"
	rows = []ErrorRule{
		{Code: "190", Action: StopRun, Fix: "the Meta access token expired or is invalid: " + metaToken, Source: srcGraphErr + " (190 Access token has expired; subcodes 458–467, 492)"},
		{Code: "102", Action: StopRun, Fix: "the Meta session expired: " + metaToken, Source: srcGraphErr + " (102 API Session)"},
		{Code: "100", Reason: "appsecret_proof", Action: StopRun, Fix: "the app secret in destinations.meta.app_secret_file does not belong to the token's app", Source: "Graph answer \"Invalid appsecret_proof provided in the API argument\" (code 100)"},
		// Codes 10 ("API Permission Denied") and 200–299 ("API
		// Permission"): "Permission is either not granted or has been
		// removed" (Graph error-handling, Error Codes). A permission on one
		// dataset — taken away by a Business Manager change, or by Meta's
		// health-and-wellness restrictions — says nothing of Google's
		// credentials, so it stops Meta only, as PERMISSION_DENIED stops
		// Google only; 190 and 102, the token itself, still stop the run.
		{Code: "10", Action: StopDestination, Fix: metaPermission, Source: srcGraphErr + " (10 API Permission Denied: permission not granted or removed)"},
		{Code: "200-299", Action: StopDestination, Fix: metaPermission, Source: srcGraphErr + " (200–299 API Permission: permission not granted or removed)"},
		{Code: "100", Reason: "33", Action: StopDestination, Fix: "destinations.meta.dataset_id does not exist or the token cannot reach it: check the dataset id in Events Manager, and that the token's system user was given the dataset", Source: srcMetaRef},
		{Code: "100", Reason: "2804010", Action: StopDestination, Fix: "Meta requires custom_data.value and currency on Purchase: set conversion.value (fixed or bucket) and conversion.currency, or choose another conversion.event_name", Source: "live answer \"Missing Currency for Purchase Event\" (Adsmurai conversions-api-client issue 7); Meta offline-events page: value and currency \"Required for Purchase events\""},
		{Code: "368", Action: StopDestination, Fix: "Meta temporarily blocked the app or dataset for a policy violation; the next run tries again. Check Business Support Home", Source: srcGraphErr + " (368: \"Wait and retry\"; blocks last hours to days, so no retry within the run)"},
		{Code: "3", Action: StopDestination, Fix: "the app lacks the capability to post events to this dataset", Source: srcGraphErr + " (3 API Method)"},
	}
	for _, code := range []string{"1", "2", "4", "17", "32", "341", "613", "80000-80014"} {
		rows = append(rows, ErrorRule{Code: code, Action: Retry, Source: srcGraphErr + " (temporary or throttling: wait and retry)"})
	}
	rows = append(rows,
		ErrorRule{When: Transient, Action: Retry, Source: "is_transient in live CAPI answers (facebookarchive/offline-conversion-file-uploader#26); read by Meta's SDK"},
		ErrorRule{Status: 429, Action: Retry, Source: srcGraphErr},
		// Event faults: one bad event fails the whole batch and Meta does
		// not say which, so the Sender bisects (with the systemic guard).
		ErrorRule{Code: "100", Reason: "2804003", Action: Bisect, Source: "live answer \"Event Timestamp Too Old\" (rudder-transformer fixtures); Meta server-event parameters"},
		ErrorRule{Code: "100", Reason: "2804050", Action: Bisect, Source: "live answer \"This event has insufficient customer information\" (Setono meta-conversions-api tests)"},
		ErrorRule{Code: "100", Action: Bisect, Source: srcGraphErr + " (100 Invalid parameter); Meta: one invalid event rejects the whole batch (using-the-api, batch requests)"},
	)
	for _, st := range []int{500, 502, 503, 504} {
		rows = append(rows, ErrorRule{Status: st, Action: Retry, Source: "developers.facebook.com/documentation/ads-commerce/conversions-api/support (server errors: retry)"})
	}
	rows = append(rows, ErrorRule{Action: StopDestination, Fix: "an answer hashgate does not know; report it with the fbtrace_id", Source: "hashgate: never hammer or blame events for an unknown answer"})
	specs[Meta].Errors = rows
}

// MetaCode is the table code of a Graph error code: ranges Meta documents
// as one class share a row ("200-299", "80000-80014").
func MetaCode(code int) string {
	switch {
	case code >= 200 && code <= 299:
		return "200-299"
	case code >= 80000 && code <= 80014:
		return "80000-80014"
	}
	return itoa(code)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// GoogleTransactionID is the transactionId hashgate sends for an event id.
//
// Data Manager rejects an all-digit transactionId at real ingest, and
// validateOnly does not catch it (reported live: superdesigndev/treg
// src/treg/adsconv.py, 2026-08-18). A 32-hex event id is all digits about
// once in 3.4 million ((10/16)^32); such an id could never have been
// accepted, so giving it — and only it — a letter prefix changes no id
// Google already holds, while prefixing every id would make every past
// conversion look new (Google would count it again rather than treat the
// resend as an adjustment). Ids shorter than 8 characters get the prefix
// too: the failing live ids were one character long, so length is an
// equally good explanation (docs/research/contract-notes.md G4.4). Meta's event_id is
// never changed: Meta deduplicates on it as the order id (with event_time
// and event_name, for 7 days: Spec.DedupWindow).
func GoogleTransactionID(eventID string) string {
	if len(eventID) >= 8 && !allDigits(eventID) {
		return eventID
	}
	if len(eventID) < 6 {
		return "hgevent-" + eventID
	}
	return "hg" + eventID
}

// allDigits reports whether s is ASCII digits only: what
// strings.Trim(s, "0123456789") == "" said, without building Trim's
// character set for every event of an upload (profiled by make
// bench-upload: 0.12 CPU-s at 1M rows). TestGoogleTransactionID… holds
// the rule.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
