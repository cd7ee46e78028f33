// Package google sends offline conversions to Google Ads through the Data
// Manager API (events:ingest), with the official datamanager/v1 client.
//
// Google closed offline click-conversion uploads in the Google Ads API to
// new users in 2026; Data Manager is the way in. Each event carries the
// deterministic event id as transactionId (Google's dedup key with the
// conversion action), hashed identifiers under encoding HEX, click ids, and
// per-event consent: adUserData is CONSENT_GRANTED because only rows that
// passed the consent gate become conversions at all.
package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

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
	ValidateOnly       bool
	MaxEventAge        time.Duration // [platform.Spec DefaultEventAge], at most MaxEventAge
	Timeout            time.Duration // [platform.Spec DefaultTimeout]
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
	kinds := 0
	for _, id := range []string{cv.GCLID, cv.GBRAID, cv.WBRAID} {
		if id != "" {
			kinds++
		}
	}
	switch {
	case now.Sub(cv.Time) > c.cfg.MaxEventAge:
		return ReasonTooOld
	case cv.Time.Sub(now) > spec.FutureSlack:
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
	for _, s := range cv.Identifiers {
		fields = append(fields, s.Field())
	}
	return spec.CountIdentifiers(fields)
}

// Request builds the IngestEventsRequest for a batch with the generated
// types: the reference encode must match (Send uses encode).
func (c *Client) Request(batch []*conversion.Conversion) *datamanager.IngestEventsRequest {
	dest := &datamanager.Destination{
		OperatingAccount:     &datamanager.ProductAccount{AccountType: "GOOGLE_ADS", AccountId: c.cfg.OperatingAccount},
		ProductDestinationId: c.cfg.ConversionActionID,
	}
	if c.cfg.LoginAccount != "" {
		dest.LoginAccount = &datamanager.ProductAccount{AccountType: "GOOGLE_ADS", AccountId: c.cfg.LoginAccount}
	}
	req := &datamanager.IngestEventsRequest{
		Destinations: []*datamanager.Destination{dest},
		Encoding:     "HEX",
		ValidateOnly: c.cfg.ValidateOnly,
		Events:       make([]*datamanager.Event, len(batch)),
	}
	for i, cv := range batch {
		ev := &datamanager.Event{
			TransactionId:  string(cv.EventID),
			EventTimestamp: cv.Time.Format(time.RFC3339),
			Consent: &datamanager.Consent{
				AdUserData:        "CONSENT_GRANTED",
				AdPersonalization: map[bool]string{true: "CONSENT_GRANTED", false: "CONSENT_DENIED"}[cv.AdPersonalization],
			},
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
	id, err := c.ingest(ctx, batch) // encode.go: Request's JSON without the generated types
	if err != nil {
		return destination.Receipt{}, Classify(err)
	}
	return destination.Receipt{RequestID: id, Accepted: len(batch)}, nil
}

// Status retrieves the processing status of a request.
func (c *Client) Status(ctx context.Context, requestID string) (*datamanager.RetrieveRequestStatusResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	resp, err := c.svc.RequestStatus.Retrieve().RequestId(requestID).Context(ctx).Do()
	if err != nil {
		return nil, Classify(err)
	}
	return resp, nil
}

// rpcStatus is the google.rpc.Status error body.
type rpcStatus struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Status  string `json:"status"`
		Details []struct {
			Type            string `json:"@type"`
			FieldViolations []struct {
				Field       string `json:"field"`
				Description string `json:"description"`
			} `json:"fieldViolations"`
		} `json:"details"`
	} `json:"error"`
}

// Classify maps an API error to a destination.Error. An INVALID_ARGUMENT
// whose field violations all concern the request rather than its events
// (a wrong conversion action, a bad account id) is Fatal: splitting the
// batch would only repeat it.
func Classify(err error) error {
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return &destination.Error{Kind: destination.Retryable, Err: err}
	}
	e := &destination.Error{Kind: destination.Fatal, Status: ge.Code, Message: ge.Message, RetryAfter: retryAfter(ge.Header)}
	var st rpcStatus
	_ = json.Unmarshal([]byte(ge.Body), &st)
	e.Code = st.Error.Status
	switch {
	case ge.Code == http.StatusTooManyRequests, ge.Code >= 500, st.Error.Status == "UNAVAILABLE",
		st.Error.Status == "DEADLINE_EXCEEDED", st.Error.Status == "ABORTED", st.Error.Status == "RESOURCE_EXHAUSTED":
		e.Kind = destination.Retryable
	case ge.Code == http.StatusBadRequest:
		e.Kind = destination.Invalid
		eventFault, any := false, false
		for _, d := range st.Error.Details {
			for _, v := range d.FieldViolations {
				any = true
				if strings.HasPrefix(v.Field, "events") {
					eventFault = true
				}
			}
		}
		if any && !eventFault {
			e.Kind = destination.Fatal
		}
	}
	return e
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
