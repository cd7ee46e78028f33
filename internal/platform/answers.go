package platform

import (
	"strings"
	"sync"
)

// A platform's answer is data, not text (issue 22): every enumerated
// value it returns — a status word, an error code or reason, a processing
// reason, a field path, an OAuth error code — is checked against the set
// the platform's own definitions give (the protos, the generated client,
// the RFC) before it reaches a terminal, a report, a log or the ledger;
// anything else is "unknown". A set is a closed door: a value Google adds
// later reads "unknown" until it is added here, which is the price of a
// door that an echoing or hostile endpoint cannot open.

// AnswerKind names an enumerated field of a platform's answer.
type AnswerKind uint8

const (
	// AnswerCode is an error's code: Google's google.rpc status name,
	// Meta's Graph code or code/subcode, or "oauth" for a token error.
	AnswerCode AnswerKind = iota
	// AnswerReason is an error's most specific reason: Google's
	// ErrorInfo.reason, a field violation's reason or a quota_limit name.
	AnswerReason
	// AnswerOAuth is a token endpoint's error code.
	AnswerOAuth
	// AnswerField is the request field path an error names.
	AnswerField
	// AnswerStatus is a request's processing status word.
	AnswerStatus
	// AnswerProcessingError and AnswerProcessingWarning are processing
	// reasons of a request's status.
	AnswerProcessingError
	AnswerProcessingWarning
	// AnswerEventName is an event name a platform reports on (Meta's
	// Dataset Quality API).
	AnswerEventName
	answerKinds
)

// Unknown is what an answer's value outside its set is replaced with.
const Unknown = "unknown"

// Answers holds, per kind, the test of a platform's values; a nil test
// knows no value.
type Answers [answerKinds]func(string) bool

// Known reports whether v is a value of kind k that the platform can
// answer.
func (s *Spec) Known(k AnswerKind, v string) bool {
	if s == nil || int(k) >= len(s.Answers) || s.Answers[k] == nil || len(v) > 200 {
		return false
	}
	return s.Answers[k](v)
}

// Enum returns v when it is a known value of kind k, else Unknown; "" stays
// "" (the platform said nothing).
func (s *Spec) Enum(k AnswerKind, v string) string {
	if v == "" || s.Known(k, v) {
		return v
	}
	return Unknown
}

// ProcessingErrorReason resolves a reason a user names (hashgate ledger
// requeue --reason) to the processing error reason the platform reports:
// the reason as status prints it, or that reason without its prefix
// (CONVERSION_PRECEDES_CLICK for PROCESSING_ERROR_REASON_CONVERSION_PRECEDES_CLICK,
// OPERATING_ACCOUNT_MISMATCH_FOR_AD_IDENTIFIER for the one Google spells
// without _REASON_). ok is false for a word the platform does not report,
// so a typo is refused rather than answered "nothing requeued".
func (s *Spec) ProcessingErrorReason(word string) (reason string, ok bool) {
	if s.Known(AnswerProcessingError, word) {
		return word, true
	}
	for _, p := range googleProcessingErrorPrefixes {
		if s.Known(AnswerProcessingError, p+word) {
			return p + word, true
		}
	}
	return "", false
}

// ProcessingErrorReason resolves word (as Spec.ProcessingErrorReason does)
// against every platform that reports processing errors: the reason words
// of hashgate ledger requeue are checked here, in the platforms' home,
// rather than by a prefix spelled in the command.
func ProcessingErrorReason(word string) (reason string, ok bool) {
	for _, s := range specs {
		if r, ok := s.ProcessingErrorReason(word); ok {
			return r, true
		}
	}
	return "", false
}

// RequeueReason resolves the reason word of hashgate ledger requeue
// --reason: a processing error reason a platform reports
// (ProcessingErrorReason), or Unknown — what the answer gate records for
// an error reason outside the platform's set, final until classified. It
// is selectable like the others because it is one: the platform counted
// those records as failed, so a requeued one is sent again under its
// transactionId, which Google treats as an adjustment if it does hold the
// conversion after all ("If the transactionId matches an existing
// conversion for the same conversion action, Data Manager API treats the
// request as a conversion adjustment", conversion-adjustments devguide):
// never a second conversion. Event ids given by hand could always select
// them. Unknown is a word only for platforms that report processing
// errors.
func RequeueReason(word string) (reason string, ok bool) {
	if r, ok := ProcessingErrorReason(word); ok {
		return r, true
	}
	if word != Unknown {
		return "", false
	}
	for _, s := range specs {
		if s != nil && s.Answers[AnswerProcessingError] != nil {
			return Unknown, true
		}
	}
	return "", false
}

// ShortProcessingReason is reason without the prefix its platform gives
// every processing error reason: the word ProcessingErrorReason resolves.
func ShortProcessingReason(reason string) string {
	for _, p := range googleProcessingErrorPrefixes {
		if short, ok := strings.CutPrefix(reason, p); ok {
			return short
		}
	}
	return reason
}

// oneOf is a set of the lists' words, built on first use: the sets are
// made in this package's init, which every command pays, and only an
// upload reading an answer asks them (docs/performance.md, Start-up).
func oneOf(lists ...[]string) func(string) bool {
	set := sync.OnceValue(func() map[string]bool {
		set := map[string]bool{}
		for _, l := range lists {
			for _, v := range l {
				set[v] = true
			}
		}
		return set
	})
	return func(v string) bool { return set()[v] }
}

// Sources of the sets.
var (
	// google/rpc/code.proto: the canonical status names Google's JSON
	// errors carry in error.status.
	rpcCodes = []string{"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
		"ALREADY_EXISTS", "PERMISSION_DENIED", "UNAUTHENTICATED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
		"ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS"}
	// google.ads.datamanager.v1 ErrorReason ("This enum is not frozen and
	// new values may be added"): values 0–98 as Google's generated Python
	// client declares them (google/ads/datamanager_v1/types/error.py), and
	// 99–125 (no 121) from googleapis/googleapis google/ads/datamanager/v1/
	// error.proto @ f8291d2b (2026-08-22), which holds all 125 names;
	// TestGoogleErrorReasonsFollowTheProto compares them with the names
	// committed in testdata/dm-error-reasons.txt.
	// Reasons of hashgate's error table that no copy lists
	// (googleRequestLevel: CONVERSION_ACTION_TOO_RECENTLY_CREATED and
	// others from third-party code) are added in init.
	dmErrorReasons = []string{
		"ERROR_REASON_UNSPECIFIED", "INTERNAL_ERROR", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED",
		"NOT_FOUND", "PERMISSION_DENIED", "INVALID_ARGUMENT", "REQUIRED_FIELD_MISSING", "INVALID_FORMAT",
		"INVALID_HEX_ENCODING", "INVALID_BASE64_ENCODING", "INVALID_SHA256_FORMAT",
		"INVALID_POSTAL_CODE", "INVALID_COUNTRY_CODE", "INVALID_ENUM_VALUE", "INVALID_USER_LIST_TYPE",
		"INVALID_AUDIENCE_MEMBER", "TOO_MANY_AUDIENCE_MEMBERS", "TOO_MANY_USER_IDENTIFIERS",
		"TOO_MANY_DESTINATIONS", "INVALID_DESTINATION", "DATA_PARTNER_USER_LIST_MUTATE_NOT_ALLOWED",
		"INVALID_MOBILE_ID_FORMAT", "INVALID_USER_LIST_ID", "MULTIPLE_DATA_TYPES_NOT_ALLOWED",
		"DIFFERENT_LOGIN_ACCOUNTS_NOT_ALLOWED_FOR_DATA_PARTNER", "TERMS_AND_CONDITIONS_NOT_SIGNED",
		"INVALID_NUMBER_FORMAT", "INVALID_CONVERSION_ACTION_ID", "INVALID_CONVERSION_ACTION_TYPE",
		"INVALID_CURRENCY_CODE", "INVALID_EVENT", "TOO_MANY_EVENTS",
		"DESTINATION_ACCOUNT_NOT_ENABLED_ENHANCED_CONVERSIONS_FOR_LEADS",
		"DESTINATION_ACCOUNT_DATA_POLICY_PROHIBITS_ENHANCED_CONVERSIONS",
		"DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED", "DUPLICATE_DESTINATION_REFERENCE",
		"UNSUPPORTED_OPERATING_ACCOUNT_FOR_DATA_PARTNER", "UNSUPPORTED_LINKED_ACCOUNT_FOR_DATA_PARTNER",
		"NO_IDENTIFIERS_PROVIDED", "INVALID_PROPERTY_TYPE", "INVALID_STREAM_TYPE",
		"LINKED_ACCOUNT_ONLY_ALLOWED_WITH_DATA_PARTNER_LOGIN_ACCOUNT",
		"OPERATING_ACCOUNT_LOGIN_ACCOUNT_MISMATCH", "EVENT_TIME_INVALID", "RESERVED_NAME_USED",
		"INVALID_EVENT_NAME", "NOT_ALLOWLISTED", "INVALID_REQUEST_ID",
		"MULTIPLE_DESTINATIONS_FOR_GOOGLE_ANALYTICS_EVENT", "FIELD_VALUE_TOO_LONG", "TOO_MANY_ELEMENTS",
		"ALREADY_EXISTS", "IMMUTABLE_FIELD_FOR_UPDATE", "INVALID_RESOURCE_NAME", "INVALID_FILTER",
		"INVALID_UPDATE_MASK", "INVALID_PAGE_TOKEN", "CANNOT_UPDATE_DISABLED_LICENSE",
		"CANNOT_CREATE_LICENSE_FOR_SENSITIVE_USERLIST", "INSUFFICIENT_COST", "CANNOT_DISABLE_LICENSE",
		"INVALID_CLIENT_ACCOUNT_ID", "PRICING_ONLY_ZERO_COST_ALLOWED", "PRICE_TOO_HIGH",
		"CUSTOMER_NOT_ALLOWED_TO_CREATE_LICENSE", "INVALID_PRICING_END_DATE",
		"CANNOT_LICENSE_LOGICAL_LIST_WITH_LICENSED_OR_SHARED_SEGMENT", "MISMATCHED_ACCOUNT_TYPE",
		"MEDIA_SHARE_COST_NOT_ALLOWED_FOR_LICENSE_TYPE",
		"MEDIA_SHARE_COST_NOT_ALLOWED_FOR_CLIENT_CUSTOMER", "INVALID_MEDIA_SHARE_COST",
		"INVALID_COST_TYPE", "MEDIA_SHARE_COST_NOT_ALLOWED_FOR_NON_COMMERCE_USER_LIST",
		"MAX_COST_NOT_ALLOWED", "COMMERCE_AUDIENCE_CAN_ONLY_BE_DIRECTLY_LICENSED", "INVALID_DESCRIPTION",
		"INVALID_DISPLAY_NAME", "DISPLAY_NAME_ALREADY_USED", "OWNERSHIP_REQUIRED_FOR_UPDATE",
		"USER_LIST_MUTATION_NOT_SUPPORTED", "SENSITIVE_USER_LIST_IMMUTABLE",
		"BILLABLE_RECORD_COUNT_IMMUTABLE", "USER_LIST_NAME_RESERVED",
		"ADVERTISER_NOT_ALLOWLISTED_FOR_UPLOADED_DATA", "UNSUPPORTED_PARTNER_AUDIENCE_SOURCE",
		"COMMERCE_PARTNER_NOT_ALLOWED", "UNSUPPORTED_PARTNER_AUDIENCE_INFO",
		"PARTNER_MATCH_FOR_MANAGER_ACCOUNT_DISALLOWED",
		"DATA_PARTNER_NOT_ALLOWLISTED_FOR_THIRD_PARTY_PARTNER_DATA", "ADVERTISER_TOS_NOT_ACCEPTED",
		"ADVERTISER_NOT_ALLOWLISTED_FOR_THIRD_PARTY_PARTNER_DATA",
		"USER_LIST_TYPE_NOT_SUPPORTED_FOR_ACCOUNT", "INVALID_COMMERCE_PARTNER",
		"CUSTOMER_NOT_ALLOWLISTED_FOR_COMMERCE_AUDIENCE", "UNSUPPORTED_USER_LIST_UPLOAD_KEY_TYPES",
		"UNSUPPORTED_INGESTED_USER_LIST_INFO_CONFIG", "UNSUPPORTED_ACCOUNT_TYPES_FOR_USER_LIST_TYPE",
		"UNSUPPORTED_ACCOUNT_TYPE_FOR_PARTNER_LINK",
		// 99–125, error.proto @ f8291d2b.
		"MEMBERSHIP_DURATION_TOO_LONG", "INVALID_MERCHANT_ID", "EU_POLITICAL_ADVERTISING_DECLARATION_REQUIRED",
		"ACCOUNT_INELIGIBLE_FOR_STORE_SALES", "INVALID_MERCHANT_FEED_LANGUAGE_CODE", "INVALID_REGION_CODE",
		"TOO_FEW_ELEMENTS", "FIELD_VALUE_TOO_SHORT", "INVALID_SUBDIVISION_CODE", "INVALID_SUBCONTINENT_CODE",
		"INVALID_CONTINENT_CODE", "INVALID_DEVICE_CATEGORY", "BOTH_CLIENT_ID_AND_APP_INSTANCE_ID_NOT_ALLOWED",
		"GOOGLE_ANALYTICS_SUBPROPERTY_OR_ROLLUP_PROPERTY_NOT_ALLOWED", "THIRD_PARTY_USER_DATA_NOT_ALLOWED",
		"INVALID_COUPON_CODE", "EVENT_SOURCE_AND_DESTINATION_MISMATCH", "DESTINATION_ACCOUNT_TYPE_MISMATCH",
		"CUSTOM_VARIABLE_VALUE_CONTAINS_PII", "CUSTOM_VARIABLE_NOT_ENABLED", "INVALID_CUSTOM_VARIABLE_VALUE",
		"CUSTOM_VARIABLE_NOT_FOUND", "BASELINE_LOCATION_AUTO_DETECTION_FAILED", "INSIGHTS_MISSING_FOR_DIMENSION",
		"REQUIRED_PREREQUISITE_LINK_MISSING", "INVALID_REMOVE_AS_OF_TIME",
	}
	// Google-wide ErrorInfo reasons the error table reads (errors.go
	// rows and their sources) and the two a quota answer carries
	// (google/api/error_reason.proto @ f8291d2b: RATE_LIMIT_EXCEEDED,
	// RESOURCE_QUOTA_EXCEEDED, domain googleapis.com), and the quota_limit
	// names of the limits page (developers.google.com/data-manager/api/
	// devguides/limits). What a 429 does is keyed on quota_limit (G7).
	googleWideReasons = []string{"SERVICE_DISABLED", "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
		"RATE_LIMIT_EXCEEDED", "RESOURCE_QUOTA_EXCEEDED",
		"IngestionMutateRequestsPerMinutePerProject", "IngestionMutateRequestsPerDayPerProject",
		"IngestionReadRequestsPerMinutePerProject", "IngestionReadRequestsPerDayPerProject"}
	// Request statuses of requestStatus:retrieve
	// (RequestStatusPerDestination.RequestStatus in datamanager-gen.go).
	googleRequestStatuses = []string{"REQUEST_STATUS_UNKNOWN", "PROCESSING", "SUCCESS", "PARTIAL_SUCCESS", "FAILED"}
	// OAuth 2.0 error codes: RFC 6749 §5.2 (token endpoint) and §4.1.2.1
	// (authorization endpoint), as golang.org/x/oauth2's RetrieveError
	// carries them in ErrorCode.
	oauthCodes = []string{"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
		"unsupported_grant_type", "invalid_scope", "access_denied", "unsupported_response_type",
		"server_error", "temporarily_unavailable"}
	// OwnReasons are the reasons hashgate itself gives an error it makes
	// from an answer (a refused redirect, credentials that make no token,
	// a token refusal without a code); they pass every platform's gate.
	OwnReasons = []string{"redirect", "credentials", "token_refused"}
)

// ReasonFailedNoDetail stands for the records of a FAILED request whose
// status carries no error counts (google.Verdict): hashgate's own
// processing reason, known beside Google's.
const ReasonFailedNoDetail = "REQUEST_FAILED_WITHOUT_DETAIL"

// googleField reports whether path is a field path of Data Manager's
// messages: dot-separated names of the API (lowerCamel or snake_case),
// each optionally indexed ([0]–[99999]), at most 12 deep.
func googleField(known func(string) bool) func(string) bool {
	return func(path string) bool {
		parts := strings.Split(path, ".")
		if len(parts) > 12 {
			return false
		}
		for _, p := range parts {
			if i := strings.IndexByte(p, '['); i >= 0 {
				idx := p[i:]
				p = p[:i]
				if len(idx) < 3 || len(idx) > 7 || idx[len(idx)-1] != ']' || !digits(idx[1:len(idx)-1]) {
					return false
				}
			}
			if !known(p) && !known(camel(p)) {
				return false
			}
		}
		return true
	}
}

// camel turns snake_case into lowerCamel (user_data → userData).
func camel(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	up := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_':
			up = true
		case up && 'a' <= c && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
			up = false
		default:
			b.WriteByte(c)
			up = false
		}
	}
	return b.String()
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// graphCode reports whether s is a Graph error code or code/subcode:
// decimal integers of at most 9 digits. Graph codes and subcodes are
// numbers Meta documents by the hundred (error-handling page, the
// Marketing API's subcode reference); a number cannot carry text, so the
// grammar is the set.
func graphCode(s string) bool {
	code, sub, has := strings.Cut(s, "/")
	if len(code) > 9 || !digits(code) {
		return false
	}
	return !has || len(sub) <= 9 && digits(sub)
}

// metaEventName reports whether s can be a Meta event name as printed: 1
// to 50 letters, digits, spaces, "_" or "-" — the standard events
// (Purchase, Schedule, …) and custom names of that alphabet. Meta
// publishes no closed list (custom events are the advertiser's), so the
// grammar is the set; a name outside it is printed "unknown".
func metaEventName(s string) bool {
	if len(s) == 0 || len(s) > 50 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == ' ') {
			return false
		}
	}
	return true
}

func init() {
	var tableReasons []string
	for _, r := range googleRequestLevel {
		tableReasons = append(tableReasons, r.Reason)
	}
	specs[Google].Answers = Answers{
		AnswerCode:              oneOf(rpcCodes, []string{"oauth"}),
		AnswerReason:            oneOf(dmErrorReasons, tableReasons, googleWideReasons, OwnReasons, oauthCodes),
		AnswerOAuth:             oneOf(oauthCodes),
		AnswerField:             googleField(oneOf(googleFieldNames)),
		AnswerStatus:            oneOf(googleRequestStatuses),
		AnswerProcessingError:   oneOf(googleProcessingErrors, []string{ReasonFailedNoDetail}),
		AnswerProcessingWarning: oneOf(googleProcessingWarnings),
	}
	own := oneOf(OwnReasons)
	specs[Meta].Answers = Answers{
		AnswerCode:      graphCode,
		AnswerEventName: metaEventName,
		// The table's Meta reasons are error subcodes (numbers).
		AnswerReason: func(v string) bool { return own(v) || len(v) <= 9 && digits(v) },
	}
}
