// Package meta sends offline conversions to Meta's Conversions API as
// physical-store events: POST {graph_url}/{api_version}/{dataset_id}/events.
//
// The access token travels in the JSON body, never in the URL: Go's HTTP
// errors quote the URL, and URLs end up in proxy logs. It is never logged
// and never part of an error: every text Meta sends back is scrubbed of it
// and of the appsecret_proof before it is kept (destination.Scrub).
//
// Meta deduplicates physical_store events "order_id based or user based"
// on event_time and event_name, and "the maximum deduplication window is 7
// days" (offline-events page, "Set Up Deduplication"; platform.Spec
// DedupWindow). So custom_data.order_id carries the event id, and none of
// the three may change for an event already sent; a resend after 7 days
// counts again (package run keeps resends inside the window). A request with test_event_code set goes to
// Events Manager's test view: the receipt is a test receipt, and nothing of
// it is recorded as accepted, whatever Meta does with it (undocumented:
// docs/research/contract-notes.md M9.2).
package meta

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// spec holds Meta's limits: batch size, event age, clock-skew slack,
// action source (package platform).
var spec = platform.Meta.Spec()

// Quarantine reasons of the pre-flight check.
const (
	ReasonTooOld       = "event_too_old"
	ReasonInFuture     = "event_in_future"
	ReasonNoIdentifier = "no_identifier"
	// ReasonWeakIdentifiers: identifiers Meta refuses an event for
	// carrying alone (platform.Spec.WeakSets, contract M18); the pipeline
	// holds such rows back, this is the client's own guard.
	ReasonWeakIdentifiers = "weak_identifiers"
	// ReasonPurchaseNoValue: Meta rejects a Purchase without
	// custom_data.value and currency (100/2804010; offline-events page:
	// both "Required for Purchase events"), and one such event would sink
	// its whole request. The value policy found no fee on the row.
	ReasonPurchaseNoValue = "purchase_without_value"
	// ReasonPurchaseZero: a Purchase worth 0. Meta documents nothing for
	// CAPI; its offline uploader rejected values ≤ 0 for Purchase
	// (docs/research/contract-notes.md M7.6, not found again), so it is held back rather than risked.
	ReasonPurchaseZero = "purchase_value_zero"
)

// Config is what the client needs; internal/cli fills it from the config
// file, the environment and the token file.
type Config struct {
	GraphURL      string // default https://graph.facebook.com
	APIVersion    string // e.g. v25.0
	DatasetID     string
	AccessToken   string
	AppSecret     string // optional: adds appsecret_proof
	TestEventCode string // optional: Events Manager's test view
	MaxEventAge   time.Duration
	// LimitedDataUse sends data_processing_options ["LDU"] with the given
	// country and state (0, 0 lets Meta geolocate). Off sends [], which
	// states explicitly that LDU does not apply.
	LimitedDataUse       bool
	LDUCountry, LDUState int
	Timeout              time.Duration // per request
	// Credentials says where the token came from; it ends the message of
	// an answer that refuses it.
	Credentials string
	// SendZeroValue lets a Purchase worth exactly 0 go (destinations.meta.
	// send_zero_value); a negative value is held back whatever it says.
	SendZeroValue bool
}

// Client is Meta's destination.Client.
type Client struct {
	cfg      Config
	http     *http.Client
	endpoint string
	proof    string
	maxAge   time.Duration // MaxEventAge, never past the window less the margin
}

var _ destination.Client = (*Client)(nil)

// New returns a client sending through hc.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if cfg.GraphURL == "" {
		cfg.GraphURL = spec.Endpoint
	}
	if safe := spec.MaxEventAge - spec.AgeMargin; cfg.MaxEventAge <= 0 || cfg.MaxEventAge > safe {
		cfg.MaxEventAge = safe
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = spec.DefaultTimeout
	}
	if cfg.AccessToken == "" {
		return nil, errors.New("meta: no access token")
	}
	u, err := url.Parse(strings.TrimRight(cfg.GraphURL, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("meta: graph_url %q is not an absolute URL", cfg.GraphURL)
	}
	c := &Client{cfg: cfg, http: hc}
	c.endpoint = u.String() + "/" + url.PathEscape(cfg.APIVersion) + "/" + url.PathEscape(cfg.DatasetID) + "/events"
	if cfg.AppSecret != "" {
		m := hmac.New(sha256.New, []byte(cfg.AppSecret))
		m.Write([]byte(cfg.AccessToken))
		c.proof = hex.EncodeToString(m.Sum(nil))
	}
	return c, nil
}

// Platform implements destination.Client.
func (c *Client) Platform() platform.Platform { return platform.Meta }

// MaxBatch implements destination.Client.
func (c *Client) MaxBatch() int { return spec.MaxBatch }

// Preflight mirrors Meta's rules: one stale or future event, or a
// Purchase without a value, would make it reject the whole request. The
// Sender applies it again before every attempt, so an event that ages past
// the window while a batch waits is held back too.
func (c *Client) Preflight(cv *conversion.Conversion, now time.Time) string {
	return Preflight(cv, now, c.cfg.MaxEventAge, c.cfg.SendZeroValue)
}

// Preflight is the client's check without a client, for dry-runs:
// maxAge is destinations.meta.max_event_age_days (0: the Spec's safe
// maximum); sendZero is destinations.meta.send_zero_value.
func Preflight(cv *conversion.Conversion, now time.Time, maxAge time.Duration, sendZero bool) string {
	if safe := spec.MaxEventAge - spec.AgeMargin; maxAge <= 0 || maxAge > safe {
		maxAge = safe
	}
	switch {
	case cv.OlderThan(now, maxAge):
		return ReasonTooOld
	case cv.AheadBy(now, spec.FutureSlack):
		return ReasonInFuture
	case len(cv.Identifiers) == 0:
		return ReasonNoIdentifier
	case cv.Weak():
		return ReasonWeakIdentifiers
	case slices.Contains(spec.ValueRequired, cv.Name) && (!cv.HasValue || cv.Currency == ""):
		return ReasonPurchaseNoValue
	case slices.Contains(spec.ValueRequired, cv.Name) && (cv.Value < 0 || cv.Value == 0 && !sendZero):
		return ReasonPurchaseZero
	}
	return ""
}

// Request is the JSON body of POST /{dataset}/events. Exported so the fake
// Graph server decodes exactly what the client encodes.
type Request struct {
	Data           []Event `json:"data"`
	TestEventCode  string  `json:"test_event_code,omitempty"`
	PartnerAgent   string  `json:"partner_agent,omitempty"`
	AccessToken    string  `json:"access_token"`
	AppSecretProof string  `json:"appsecret_proof,omitempty"`
}

// Event is one server event.
type Event struct {
	EventName             string      `json:"event_name"`
	EventTime             int64       `json:"event_time"`
	ActionSource          string      `json:"action_source"`
	EventID               string      `json:"event_id"`
	UserData              UserData    `json:"user_data"`
	CustomData            *CustomData `json:"custom_data,omitempty"`
	DataProcessingOptions []string    `json:"data_processing_options"`
	DPOCountry            *int        `json:"data_processing_options_country,omitempty"`
	DPOState              *int        `json:"data_processing_options_state,omitempty"`
}

// UserData holds hashed customer information: em and ph as arrays, the
// other keys single values.
type UserData struct {
	Em      []string `json:"em,omitempty"`
	Ph      []string `json:"ph,omitempty"`
	Fn      string   `json:"fn,omitempty"`
	Ln      string   `json:"ln,omitempty"`
	Zp      string   `json:"zp,omitempty"`
	Ct      string   `json:"ct,omitempty"`
	St      string   `json:"st,omitempty"`
	Country string   `json:"country,omitempty"`
	// ExternalID is "highly recommended" for offline events (Meta
	// offline-events page): hashgate sends the SHA-256 of a keyed id of
	// the patient key, never the chart number itself.
	ExternalID []string `json:"external_id,omitempty"`
	// Fbc is the click id as fb.1.<creation ms>.<fbclid>, not hashed
	// ("fbc: Click ID — Do not hash", customer-information-parameters;
	// format: the fbp-and-fbc page; platform.MetaFBC).
	Fbc string `json:"fbc,omitempty"`
}

// CustomData carries the value policy's amount and the event id as
// order_id (listed among the offline-events custom_data parameters).
type CustomData struct {
	Value    *float64 `json:"value,omitempty"`
	Currency string   `json:"currency,omitempty"`
	OrderID  string   `json:"order_id"`
}

// Response is Meta's answer to an accepted request: the fields of Meta's
// own SDK's EventResponse (facebook-nodejs-business-sdk,
// src/objects/serverside/event-response.js). EventsReceived is a pointer:
// a success without it says nothing of what Meta took, where
// events_received 0 says it took none (the Sender records that one
// refused; the other is retried as unreadable, and left open, possibly
// ingested, if the retries run out). Contract M17.
type Response struct {
	EventsReceived *int     `json:"events_received"`
	Messages       []string `json:"messages"`
	FBTraceID      string   `json:"fbtrace_id"`
}

// GraphError is the standard Graph API error body
// (developers.facebook.com/docs/graph-api/guides/error-handling).
// error_user_title and error_user_msg carry the actionable text, localised
// to the request's locale: printed, never parsed. error_data is never
// read: it has been seen echoing the access token.
type GraphError struct {
	Error struct {
		Message        string `json:"message"`
		Type           string `json:"type"`
		Code           int    `json:"code"`
		ErrorSubcode   int    `json:"error_subcode"`
		IsTransient    bool   `json:"is_transient"`
		ErrorUserTitle string `json:"error_user_title"`
		ErrorUserMsg   string `json:"error_user_msg"`
		FBTraceID      string `json:"fbtrace_id"`
	} `json:"error"`
}

// Send implements destination.Client.
func (c *Client) Send(ctx context.Context, batch []*conversion.Conversion) (destination.Receipt, error) {
	body := destination.NewBody(512*len(batch) + 256)
	defer body.Release() // pooled once the transport has closed its readers too
	var err error
	if body.B, err = c.appendRequest(body.B, batch); err != nil {
		return destination.Receipt{}, &destination.Error{Action: platform.StopRun, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := body.Request(ctx, http.MethodPost, c.endpoint)
	if err != nil {
		return destination.Receipt{}, &destination.Error{Action: platform.StopRun, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		// The URL holds no secret (the token travels in the body), and
		// destination.Cause names the network failure without the URL.
		return destination.Receipt{}, &destination.Error{Action: platform.Retry, Err: err}
	}
	defer resp.Body.Close()
	if rd := destination.Redirected(resp.StatusCode, req.URL.Host, resp.Header); rd != nil {
		return destination.Receipt{}, rd.Classified()
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return destination.Receipt{}, &destination.Error{Action: platform.Retry, Status: resp.StatusCode, Err: err}
	}
	if resp.StatusCode/100 == 2 {
		var r Response
		if err := json.Unmarshal(raw, &r); err != nil || r.EventsReceived == nil {
			// Accepted or not is unknown; a resend is harmless (event_id).
			// The trace id, when the body had one, is what Meta's
			// support asks for.
			return destination.Receipt{}, &destination.Error{Action: platform.Retry, Status: resp.StatusCode, Message: "unreadable success response", TraceID: r.FBTraceID}
		}
		rec := destination.Receipt{RequestID: r.FBTraceID, Accepted: *r.EventsReceived, Test: c.cfg.TestEventCode != ""}
		for _, m := range r.Messages {
			rec.Messages = append(rec.Messages, "message: "+c.scrub(m))
		}
		return rec, nil
	}
	return destination.Receipt{}, c.classify(resp, raw)
}

// scrub removes the token and the proof from Meta's text (and everything
// else shaped like a secret or an identifier) and truncates it.
func (c *Client) scrub(s string) string {
	return destination.Scrub(s, c.cfg.AccessToken, c.proof, c.cfg.AppSecret)
}

// classify maps a Graph error response to a destination.Error by Meta's
// error table (package platform).
func (c *Client) classify(resp *http.Response, raw []byte) *destination.Error {
	e := &destination.Error{Status: resp.StatusCode, RetryAfter: retryAfter(resp)}
	var ge GraphError
	key := platform.ErrorKey{Status: resp.StatusCode}
	if json.Unmarshal(raw, &ge) != nil || ge.Error.Code == 0 && ge.Error.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	} else {
		g := ge.Error
		e.Code, e.TraceID = strconv.Itoa(g.Code), g.FBTraceID
		e.Message, e.UserTitle, e.UserMsg = c.scrub(g.Message), c.scrub(g.ErrorUserTitle), c.scrub(g.ErrorUserMsg)
		key.Code, key.Transient = platform.MetaCode(g.Code), g.IsTransient
		if g.ErrorSubcode != 0 {
			sub := strconv.Itoa(g.ErrorSubcode)
			e.Code += "/" + sub
			key.Reasons = append(key.Reasons, sub)
		}
		if g.Code == 100 && strings.Contains(g.Message, "appsecret_proof") {
			key.Reasons = append(key.Reasons, "appsecret_proof")
		}
	}
	rule := spec.Rule(key)
	e.Action, e.Fix = rule.Action, rule.Fix
	if rule.Action == platform.StopRun && c.cfg.Credentials != "" {
		e.Fix += " (" + c.cfg.Credentials + ")"
	}
	return e
}

// retryAfter reads Retry-After (seconds) or the estimated_time_to_regain_access
// (minutes) of Meta's business-use-case usage header.
func retryAfter(resp *http.Response) time.Duration {
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(s); err == nil {
			return time.Until(t)
		}
	}
	var usage map[string][]struct {
		Minutes int `json:"estimated_time_to_regain_access"`
	}
	if json.Unmarshal([]byte(resp.Header.Get("X-Business-Use-Case-Usage")), &usage) == nil {
		longest := 0
		for _, entries := range usage {
			for _, u := range entries {
				longest = max(longest, u.Minutes)
			}
		}
		return time.Duration(longest) * time.Minute
	}
	return 0
}
