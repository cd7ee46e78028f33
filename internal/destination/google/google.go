// Package google sends offline conversions to Google Ads through the Data
// Manager API (events:ingest), with the official datamanager/v1 client.
//
// Google closed offline click-conversion uploads in the Google Ads API to
// new users in 2026; Data Manager is the way in. Each event carries the
// deterministic event id as transactionId (platform.GoogleTransactionID),
// eventSource (required in practice, though the reference says optional),
// hashed identifiers under encoding HEX, click ids, and per-event consent:
// adUserData is CONSENT_GRANTED because only rows that passed the consent
// gate become conversions at all.
//
// A transactionId Google already holds for the same conversion action makes
// the event an adjustment, not a duplicate: value and currency are
// overwritten, user data added only if the original had none
// (devguides/events/google-ads/conversion-adjustments). hashgate resends an
// event only with what it sent before, so a resend restates nothing.
//
// Errors are read from the JSON body, not from the Go client's status: for
// REST errors gax-go derives the gRPC code from the HTTP status, so a 400
// FAILED_PRECONDITION would look like INVALID_ARGUMENT (gax-go
// apierror.go). platform's Google error table decides what each means.
package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/oauth2"

	datamanager "google.golang.org/api/datamanager/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Scope is the only OAuth scope hashgate asks for.
const Scope = datamanager.DatamanagerScope

// spec holds Google's limits: batch size, identifier cap, the AddressInfo
// group, event age (package platform).
var spec = platform.Google.Spec()

// Quarantine reasons of the pre-flight check.
const (
	ReasonTooOld         = "event_too_old"
	ReasonInFuture       = "event_in_future"
	ReasonNoIdentifier   = "no_identifier"
	ReasonClickIDs       = "more_than_one_click_id_kind"
	ReasonTooManyIDs     = "too_many_identifiers"
	ReasonBadCurrency    = "invalid_currency"
	ReasonBadTransaction = "invalid_transaction_id"
)

// Config is what the client needs.
type Config struct {
	Endpoint           string // API root, e.g. https://datamanager.googleapis.com/
	OperatingAccount   string // Google Ads customer id, digits only
	LoginAccount       string // manager account, digits only (optional)
	ConversionActionID string
	// BookingActionID is the conversion action of bookings
	// (conversion.bookings), "" when they are off; see references.go.
	BookingActionID string
	ValidateOnly    bool
	// EventSource is Event.eventSource [Spec.DefaultEventSource, WEB].
	EventSource string
	MaxEventAge time.Duration // [platform.Spec DefaultEventAge], at most MaxEventAge
	Timeout     time.Duration // [platform.Spec DefaultTimeout]
	// Credentials says which credential is in use and how to renew it; it
	// ends every authentication failure's message.
	Credentials string
}

// Client is Google's destination.Client.
type Client struct {
	cfg       Config
	svc       *datamanager.Service
	hc        *http.Client // authenticated
	ingestURL string
}

var _ destination.Client = (*Client)(nil)

// New returns a client; hc must already authenticate (oauth2 transport).
func New(ctx context.Context, cfg Config, hc *http.Client) (*Client, error) {
	if cfg.MaxEventAge <= 0 {
		cfg.MaxEventAge = spec.DefaultEventAge
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = spec.DefaultTimeout
	}
	if cfg.EventSource == "" {
		cfg.EventSource = spec.DefaultEventSource
	}
	opts := []option.ClientOption{option.WithHTTPClient(hc), option.WithUserAgent("hashgate")}
	if cfg.Endpoint != "" {
		opts = append(opts, option.WithEndpoint(cfg.Endpoint))
	}
	svc, err := datamanager.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("google: %w", err)
	}
	return &Client{cfg: cfg, svc: svc, hc: hc,
		ingestURL: googleapi.ResolveRelative(svc.BasePath, "v1/events:ingest") + "?alt=json&prettyPrint=false"}, nil
}

// Platform implements destination.Client.
func (c *Client) Platform() platform.Platform { return platform.Google }

// MaxBatch implements destination.Client.
func (c *Client) MaxBatch() int { return spec.MaxBatch }

// Preflight mirrors the API's rules so one bad event never sinks a batch.
func (c *Client) Preflight(cv *conversion.Conversion, now time.Time) string {
	return Preflight(cv, now, c.cfg.MaxEventAge)
}

// Preflight is the client's check without a client, for dry-runs: maxAge
// is destinations.google.max_event_age_days (0: the Spec's default).
func Preflight(cv *conversion.Conversion, now time.Time, maxAge time.Duration) string {
	if maxAge <= 0 || maxAge > spec.MaxEventAge {
		maxAge = spec.DefaultEventAge
	}
	kinds := 0
	for _, id := range []string{cv.GCLID, cv.GBRAID, cv.WBRAID} {
		if id != "" {
			kinds++
		}
	}
	switch {
	case cv.OlderThan(now, maxAge):
		return ReasonTooOld
	case cv.AheadBy(now, spec.FutureSlack):
		return ReasonInFuture
	case kinds > 1:
		return ReasonClickIDs
	case len(cv.Identifiers) == 0 && kinds == 0:
		return ReasonNoIdentifier
	case identifierCount(cv) > spec.MaxIdentifiers:
		return ReasonTooManyIDs
	case cv.HasValue && len(cv.Currency) != 3:
		return ReasonBadCurrency
	case cv.EventID == "":
		return ReasonBadTransaction
	}
	return ""
}

// identifierCount counts user identifiers as sent: the four address fields
// make one AddressInfo (Spec.Groups).
func identifierCount(cv *conversion.Conversion) int {
	var buf [16]platform.Field
	fields := buf[:0]
	for i := range cv.Identifiers { // by index: no copy of each Sent
		fields = append(fields, cv.Identifiers[i].Field())
	}
	return spec.CountIdentifiers(fields)
}

// Request builds the IngestEventsRequest for a batch with the generated
// types: the reference encode must match (Send uses encode).
func (c *Client) Request(batch []*conversion.Conversion) *datamanager.IngestEventsRequest {
	var dests []*datamanager.Destination
	routes := c.routes(batch)
	for _, r := range routes {
		dest := &datamanager.Destination{
			Reference:            r.ref,
			OperatingAccount:     &datamanager.ProductAccount{AccountType: "GOOGLE_ADS", AccountId: c.cfg.OperatingAccount},
			ProductDestinationId: r.action,
		}
		if c.cfg.LoginAccount != "" {
			dest.LoginAccount = &datamanager.ProductAccount{AccountType: "GOOGLE_ADS", AccountId: c.cfg.LoginAccount}
		}
		dests = append(dests, dest)
	}
	req := &datamanager.IngestEventsRequest{
		Destinations: dests,
		Encoding:     "HEX",
		ValidateOnly: c.cfg.ValidateOnly,
		Events:       make([]*datamanager.Event, len(batch)),
	}
	for i, cv := range batch {
		ev := &datamanager.Event{
			TransactionId:  platform.GoogleTransactionID(string(cv.EventID)),
			EventTimestamp: cv.Time.Format(time.RFC3339),
			EventSource:    c.cfg.EventSource,
			// adUserData only: ad personalisation consent is for audiences
			// (platform.GoogleAdPersonalizationNote).
			Consent: &datamanager.Consent{AdUserData: "CONSENT_GRANTED"},
		}
		if ref := eventRef(routes, cv); ref != "" {
			ev.DestinationReferences = []string{ref}
		}
		if cv.HasValue {
			ev.ConversionValue, ev.Currency = cv.Value, cv.Currency
			ev.ForceSendFields = []string{"ConversionValue"} // a 0 value is still a value
		}
		if cv.GCLID != "" || cv.GBRAID != "" || cv.WBRAID != "" {
			ev.AdIdentifiers = &datamanager.AdIdentifiers{Gclid: cv.GCLID, Gbraid: cv.GBRAID, Wbraid: cv.WBRAID}
		}
		var ids []*datamanager.UserIdentifier
		var addr *datamanager.AddressInfo
		for _, s := range cv.Identifiers {
			switch s.Field() {
			case identifier.Email:
				ids = append(ids, &datamanager.UserIdentifier{EmailAddress: s.Text()})
			case identifier.Phone:
				ids = append(ids, &datamanager.UserIdentifier{PhoneNumber: s.Text()})
			case identifier.FirstName, identifier.LastName, identifier.PostalCode, identifier.Country:
				if addr == nil {
					addr = &datamanager.AddressInfo{}
				}
				switch s.Field() {
				case identifier.FirstName:
					addr.GivenName = s.Text()
				case identifier.LastName:
					addr.FamilyName = s.Text()
				case identifier.PostalCode:
					addr.PostalCode = s.Text()
				case identifier.Country:
					addr.RegionCode = s.Text()
				}
			}
		}
		if addr != nil {
			ids = append(ids, &datamanager.UserIdentifier{Address: addr})
		}
		if len(ids) > 0 {
			ev.UserData = &datamanager.UserData{UserIdentifiers: ids}
		}
		req.Events[i] = ev
	}
	return req
}

// Send implements destination.Client.
func (c *Client) Send(ctx context.Context, batch []*conversion.Conversion) (destination.Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	resp, err := c.ingest(ctx, batch) // encode.go: Request's JSON without the generated types
	if err != nil {
		return destination.Receipt{}, nameAction(c.classify(err), c.routes(batch))
	}
	rec := destination.Receipt{RequestID: resp.RequestID, Accepted: len(batch), Test: c.cfg.ValidateOnly}
	for _, w := range resp.FieldWarnings {
		// Counted by reason and the field inside the event, never with
		// Google's description (which may quote a value).
		_, field, _ := eventField(w.Field)
		if field == "" {
			field = w.Field
		}
		rec.Messages = append(rec.Messages, destination.Scrub("field warning "+w.Reason+" at "+field))
	}
	return rec, nil
}

// rpcStatus is the google.rpc.Status error body, with the details Data
// Manager sends (developers.google.com/data-manager/api/devguides/concepts/
// understand-errors): ErrorInfo (a generic reason on 400, a specific one
// for platform errors such as SERVICE_DISABLED, metadata quota_limit on
// 429), RequestInfo, BadRequest (the specific ErrorReason per field).
type rpcStatus struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
		Details []struct {
			Type      string            `json:"@type"`
			Reason    string            `json:"reason"`
			Domain    string            `json:"domain"`
			Metadata  map[string]string `json:"metadata"`
			RequestID string            `json:"requestId"`
			// A violation's description is not decoded: like a field
			// warning's, it may quote the value (README "What the
			// platforms' answers may put on your screen").
			FieldViolations []struct {
				Field  string `json:"field"`
				Reason string `json:"reason"`
			} `json:"fieldViolations"`
		} `json:"details"`
	} `json:"error"`
}

// eventPath reads the event index from a field path. Google writes
// events.events[3].user_data… (snake_case, with the request field as
// prefix); its docs call it camel case, and older text wrote events[3]…,
// so both are read. Compiled on first use, not at package initialisation,
// which every hashgate command pays (docs/performance.md, Start-up).
var eventPath = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^events(?:\.events)?\[(\d+)\](?:\.(.*))?$`)
})

// eventField splits a field path into the event index and the field
// inside the event; ok is false when the path is not inside an event.
func eventField(path string) (index int, field string, ok bool) {
	m := eventPath().FindStringSubmatch(path)
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.Atoi(m[1])
	return n, m[2], err == nil
}

// classify maps a failure of the Go client, the transport or the token
// source to a destination.Error by Google's error table (package platform).
func (c *Client) classify(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	if rd := c.redirect(err); rd != nil {
		return rd.Classified()
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response != nil && re.Response.StatusCode >= 500 {
			return &destination.Error{Action: platform.Retry, Status: re.Response.StatusCode, Code: "oauth", Err: errors.New("Google's token endpoint is unavailable")}
		}
		if re.Response != nil && tokenThrottled(re) {
			return &destination.Error{Action: platform.Retry, Status: re.Response.StatusCode, Code: "oauth", Reason: "throttled",
				Message:    "Google's token endpoint throttled the token request (a rate limit, not a refusal of the credentials)",
				RetryAfter: retryAfter(re.Response.Header)}
		}
		reason := re.ErrorCode
		if reason == "" {
			reason = "token_refused"
		}
		rule := spec.Rule(platform.ErrorKey{Code: "oauth", Reasons: []string{reason}})
		return &destination.Error{Action: rule.Action, Code: "oauth", Reason: reason,
			Message: destination.Scrub(re.ErrorDescription), Fix: joinFix(rule.Fix, c.cfg.Credentials)}
	}
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return c.transportError(err)
	}
	// The top-level message is kept, scrubbed, though it may repeat a
	// violation's description: it is how Google says what a request-wide
	// error means, and what it could quote of an event is hashed before it
	// is sent (identifiers) or validated plain text (click ids, postal
	// codes); Scrub removes anything shaped like an address, a phone
	// number or a credential besides (TestHostilePlatformsReachNoOutput).
	e := &destination.Error{Status: ge.Code, Message: destination.Scrub(ge.Message), RetryAfter: retryAfter(ge.Header)}
	var st rpcStatus
	_ = json.Unmarshal([]byte(ge.Body), &st)
	e.Code = st.Error.Status
	key := platform.ErrorKey{Status: ge.Code, Code: st.Error.Status}
	var infoReason, quota string
	var requestLevel, eventReasons []string
	violations := 0
	for _, d := range st.Error.Details {
		switch {
		case strings.HasSuffix(d.Type, "google.rpc.ErrorInfo"):
			infoReason, quota = d.Reason, d.Metadata["quota_limit"]
			if e.TraceID == "" {
				e.TraceID = d.Metadata["requestId"]
			}
		case strings.HasSuffix(d.Type, "google.rpc.RequestInfo"):
			e.TraceID = d.RequestID
		}
		for _, v := range d.FieldViolations {
			violations++
			if i, field, ok := eventField(v.Field); ok {
				e.Events = append(e.Events, destination.EventFault{Index: i, Reason: orUnknown(v.Reason), Field: field})
				if v.Reason != "" && !slices.Contains(eventReasons, v.Reason) {
					eventReasons = append(eventReasons, v.Reason)
				}
				continue
			}
			if v.Reason != "" {
				requestLevel = append(requestLevel, v.Reason)
			}
			if e.Field == "" {
				e.Field = v.Field
			}
		}
	}
	key.NamesEvents = violations > 0 && len(e.Events) == violations
	// A configuration reason may be named on the events it concerns
	// (EVENT_SOURCE_AND_DESTINATION_MISMATCH on each event's event_source):
	// the table's row for that reason wins over quarantining the events.
	key.Reasons = append(append(append(requestLevel, eventReasons...), infoReason), quota)
	switch {
	case len(requestLevel) > 0:
		e.Reason = requestLevel[0]
	case key.NamesEvents:
		e.Reason = e.Events[0].Reason
	case infoReason != "" && infoReason != st.Error.Status:
		e.Reason = infoReason
	}
	if quota != "" {
		e.Reason = quota
	}
	rule := spec.Rule(key)
	if rule.Reason != "" && rule.Action != platform.Quarantine && slices.Contains(eventReasons, rule.Reason) {
		e.Reason, key.NamesEvents = rule.Reason, false
	}
	e.Action, e.Fix = rule.Action, rule.Fix
	if rule.Action == platform.StopRun {
		e.Fix = joinFix(rule.Fix, c.cfg.Credentials)
	}
	if !key.NamesEvents {
		e.Events = nil
	}
	return e
}

// redirect finds a refused redirect (destination.NoRedirects) in err: of
// an ingest request (encode.go), of the generated client's status request
// (a googleapi.Error with a 3xx code) or of a token request (an
// oauth2.RetrieveError whose answer was a 3xx).
func (c *Client) redirect(err error) *destination.RedirectError {
	var rd *destination.RedirectError
	if errors.As(err, &rd) {
		return rd
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return destination.Redirected(ge.Code, c.host(), ge.Header)
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		host := "the token endpoint"
		if re.Response.Request != nil && re.Response.Request.URL != nil {
			host = re.Response.Request.URL.Host
		}
		return destination.Redirected(re.Response.StatusCode, host, re.Response.Header)
	}
	return nil
}

// host is the API host requests go to.
func (c *Client) host() string {
	if u, err := url.Parse(c.svc.BasePath); err == nil && u.Host != "" {
		return u.Host
	}
	return "the Data Manager API"
}

// tokenThrottled says whether the token endpoint's answer is a rate limit,
// retried with backoff rather than read as refused credentials: a 429
// (RFC 6585), or a 403 without an OAuth error code — Google's token
// endpoint was reported to answer a burst of refreshes of one token with
// a 403 and an HTML body, "without any computer-readable indication that
// you've hit a rate limit" (googleapis/google-oauth-java-client#57,
// GoogleCloudPlatform/gsutil#114, filed by a Google engineer asking for
// exactly this: treat it as a 429 and back off). A 403 that carries an
// RFC 6749 error code (invalid_grant, unauthorized_client, …) is the
// endpoint's verdict on the credentials and stops the run as before.
func tokenThrottled(re *oauth2.RetrieveError) bool {
	switch re.Response.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusForbidden:
		return re.ErrorCode == ""
	}
	return false
}

// transportError classifies a failure that is not an API answer: network
// trouble is retried; the token source failing for any other reason (a
// key that does not parse, no credentials) stops the run, since nothing
// will change within it.
func (c *Client) transportError(err error) error {
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) {
		inner = ue.Err
	}
	var ne net.Error
	switch {
	case errors.As(inner, &ne), errors.Is(inner, context.DeadlineExceeded), errors.Is(inner, io.EOF),
		errors.Is(inner, io.ErrUnexpectedEOF), errors.Is(inner, syscall.ECONNRESET),
		// x/oauth2 wraps a transport failure of the token request with
		// %v (internal/token.go): the network, not the credentials.
		strings.HasPrefix(inner.Error(), "oauth2: cannot fetch token:"):
		return &destination.Error{Action: platform.Retry, Err: err}
	case ue != nil:
		return &destination.Error{Action: platform.StopRun, Reason: "credentials", Message: destination.Scrub(inner.Error()),
			Fix: joinFix("the credentials could not make an access token", c.cfg.Credentials)}
	}
	return &destination.Error{Action: platform.Retry, Err: err}
}

func joinFix(fix, hint string) string {
	switch {
	case hint == "":
		return fix
	case fix == "":
		return hint
	}
	return fix + ": " + hint
}

func orUnknown(s string) string {
	if s == "" {
		return "INVALID_ARGUMENT"
	}
	return s
}

func retryAfter(h http.Header) time.Duration {
	s := h.Get("Retry-After")
	if s == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(s); err == nil {
		return time.Until(t)
	}
	return 0
}
