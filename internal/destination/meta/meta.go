// Package meta sends offline conversions to Meta's Conversions API as
// physical-store events: POST {graph_url}/{api_version}/{dataset_id}/events.
//
// The access token travels in the JSON body, never in the URL: Go's HTTP
// errors quote the URL, and URLs end up in proxy logs. It is never logged
// and never part of an error.
package meta

import (
	"bytes"
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
	"strconv"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/identifier"
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
}

// Client is Meta's destination.Client.
type Client struct {
	cfg      Config
	http     *http.Client
	endpoint string
	proof    string
}

var _ destination.Client = (*Client)(nil)

// New returns a client sending through hc.
func New(cfg Config, hc *http.Client) (*Client, error) {
	if cfg.GraphURL == "" {
		cfg.GraphURL = spec.Endpoint
	}
	if cfg.MaxEventAge <= 0 || cfg.MaxEventAge > spec.MaxEventAge {
		cfg.MaxEventAge = spec.MaxEventAge
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

// Preflight mirrors Meta's rules: one stale or future event would make it
// reject the whole request.
func (c *Client) Preflight(cv *conversion.Conversion, now time.Time) string {
	switch {
	case now.Sub(cv.Time) > c.cfg.MaxEventAge:
		return ReasonTooOld
	case cv.Time.Sub(now) > spec.FutureSlack:
		return ReasonInFuture
	case len(cv.Identifiers) == 0:
		return ReasonNoIdentifier
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
}

// CustomData carries the value policy's amount.
type CustomData struct {
	Value    float64 `json:"value"`
	Currency string  `json:"currency"`
}

// Response is Meta's answer to an accepted request.
type Response struct {
	EventsReceived int      `json:"events_received"`
	Messages       []string `json:"messages"`
	FBTraceID      string   `json:"fbtrace_id"`
}

// GraphError is the standard Graph API error body.
type GraphError struct {
	Error struct {
		Message      string `json:"message"`
		Type         string `json:"type"`
		Code         int    `json:"code"`
		ErrorSubcode int    `json:"error_subcode"`
		IsTransient  bool   `json:"is_transient"`
		FBTraceID    string `json:"fbtrace_id"`
	} `json:"error"`
}

// Encode builds the request body for a batch.
func (c *Client) Encode(batch []*conversion.Conversion) ([]byte, error) {
	req := Request{
		Data: make([]Event, len(batch)), TestEventCode: c.cfg.TestEventCode, PartnerAgent: "hashgate",
		AccessToken: c.cfg.AccessToken, AppSecretProof: c.proof,
	}
	for i, cv := range batch {
		ev := Event{
			EventName: cv.Name, EventTime: cv.Time.Unix(), ActionSource: spec.EventSource,
			EventID: string(cv.EventID), DataProcessingOptions: []string{},
		}
		if c.cfg.LimitedDataUse {
			country, state := c.cfg.LDUCountry, c.cfg.LDUState
			ev.DataProcessingOptions, ev.DPOCountry, ev.DPOState = []string{"LDU"}, &country, &state
		}
		for _, s := range cv.Identifiers {
			if !s.IsHashed() {
				continue // Meta takes every field hashed; identifier never makes a plain one for Meta
			}
			h := s.Text()
			u := &ev.UserData
			switch s.Field() {
			case identifier.Email:
				u.Em = append(u.Em, h)
			case identifier.Phone:
				u.Ph = append(u.Ph, h)
			case identifier.FirstName:
				u.Fn = first(u.Fn, h)
			case identifier.LastName:
				u.Ln = first(u.Ln, h)
			case identifier.PostalCode:
				u.Zp = first(u.Zp, h)
			case identifier.City:
				u.Ct = first(u.Ct, h)
			case identifier.State:
				u.St = first(u.St, h)
			case identifier.Country:
				u.Country = first(u.Country, h)
			}
		}
		if cv.HasValue {
			ev.CustomData = &CustomData{Value: cv.Value, Currency: cv.Currency}
		}
		req.Data[i] = ev
	}
	return json.Marshal(req)
}

func first(have, v string) string {
	if have != "" {
		return have
	}
	return v
}

// Send implements destination.Client.
func (c *Client) Send(ctx context.Context, batch []*conversion.Conversion) (destination.Receipt, error) {
	body, err := c.Encode(batch)
	if err != nil {
		return destination.Receipt{}, &destination.Error{Kind: destination.Fatal, Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return destination.Receipt{}, &destination.Error{Kind: destination.Fatal, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return destination.Receipt{}, &destination.Error{Kind: destination.Retryable, Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return destination.Receipt{}, &destination.Error{Kind: destination.Retryable, Status: resp.StatusCode, Err: err}
	}
	if resp.StatusCode/100 == 2 {
		var r Response
		if err := json.Unmarshal(raw, &r); err != nil {
			// Accepted or not is unknown; a resend is harmless (event_id).
			return destination.Receipt{}, &destination.Error{Kind: destination.Retryable, Status: resp.StatusCode, Message: "unreadable success response"}
		}
		return destination.Receipt{RequestID: r.FBTraceID, Accepted: r.EventsReceived}, nil
	}
	return destination.Receipt{}, classify(resp, raw)
}

// throttling lists Graph codes that mean "slow down and retry".
var throttling = map[int]bool{1: true, 2: true, 4: true, 17: true, 32: true, 341: true, 368: true, 613: true}

// classify maps a Graph error response to a destination.Error.
func classify(resp *http.Response, raw []byte) *destination.Error {
	e := &destination.Error{Kind: destination.Fatal, Status: resp.StatusCode, RetryAfter: retryAfter(resp)}
	var ge GraphError
	if json.Unmarshal(raw, &ge) != nil || ge.Error.Code == 0 && ge.Error.Message == "" {
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			e.Kind = destination.Retryable
		}
		e.Message = http.StatusText(resp.StatusCode)
		return e
	}
	g := ge.Error
	e.Code, e.TraceID = strconv.Itoa(g.Code), g.FBTraceID
	e.Message = g.Message
	if g.ErrorSubcode != 0 {
		e.Code += "/" + strconv.Itoa(g.ErrorSubcode)
	}
	switch {
	case g.IsTransient, throttling[g.Code], g.Code >= 80000 && g.Code <= 80014, resp.StatusCode >= 500:
		e.Kind = destination.Retryable
	case g.Code == 100 && strings.Contains(g.Message, "appsecret_proof"):
		e.Kind = destination.Fatal // a wrong app secret: no event is at fault
	case g.Code == 100:
		e.Kind = destination.Invalid
	default: // 190 token, 10 and 200–299 permissions, anything unknown: stop
		e.Kind = destination.Fatal
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
