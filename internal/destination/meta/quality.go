package meta

import (
	"context"
	"encoding/json"

	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// Quality is what Meta's Dataset Quality API says about the offline events
// hashgate sends.
//
// Offline events (action_source physical_store) are rated by the Dataset
// Quality API for offline events, a beta by request: GET /{version}/
// dataset_quality?dataset_id=…&fields=offline{event_name,composite,
// match_key,frequency,freshness} "provides a breakdown of the score and
// recommendations by several quality dimensions, including match key
// coverage, frequency, and freshness"; a dataset outside the beta or out
// of the token's reach is answered with error 2044055 or 10
// (developers.facebook.com/documentation/ads-commerce/conversions-api/
// dataset-quality-api/offline-events, Feb 2026). The generally available
// API rates web events only ("EMQ is currently available only for web
// events", …/dataset-quality-api), so hashgate asks the offline fields
// alone.
//
// What could not be confirmed: the page's response example (searched
// again 2026-12-05: no stored copy of Meta's page, mirror, SDK or public
// integration shows a live answer; one public UI prototype's mock data
// reads each dimension as {score, recommendation}). hashgate
// reads, per entry of "offline", event_name and composite, where composite
// is a score from 0 to 10 (as the web API's composite_score) given either
// as a number or as {"score": n}, and Meta's recommendation text as a
// string "recommendation" (or the first of "recommendations") of composite,
// else of match_key, frequency or freshness. An answer in another shape is
// reported as unreadable — never guessed at — and the run never fails over
// quality.
type Quality struct {
	// Available is true when Meta returned offline figures hashgate read.
	Available bool
	// Events are the per-event-name verdicts, in Meta's order.
	Events []EventQuality
	// Note says it for the report: the scores and recommendations, or why
	// there are none.
	Note string
}

// EventQuality is Meta's verdict on one offline event name.
type EventQuality struct {
	EventName string `json:"event_name"`
	// Composite is the composite score, 0–10; HasScore false when Meta
	// gave none hashgate could read.
	Composite float64 `json:"composite_score"`
	HasScore  bool    `json:"-"`
	// Recommendation is Meta's advice, through the answer gate.
	Recommendation string `json:"recommendation,omitempty"`
}

// offlineFields is the documented field selection of the offline beta.
const offlineFields = "offline{event_name,composite,match_key,frequency,freshness}"

// Error codes of the offline beta page: the dataset is not in the beta, or
// the token cannot reach it (Graph code 10, "Application does not have
// permission for this action").
var notInBeta = map[string]bool{"2044055": true, "10": true}

// DatasetQuality asks the Dataset Quality API for the dataset's offline
// verdict. The token travels in the Authorization header, never the URL.
func (c *Client) DatasetQuality(ctx context.Context) Quality {
	u, _ := url.Parse(strings.TrimSuffix(c.endpoint, "/"+url.PathEscape(c.cfg.DatasetID)+"/events") + "/dataset_quality")
	q := url.Values{"dataset_id": {c.cfg.DatasetID}, "agent_name": {"hashgate"}, "fields": {offlineFields}}
	if c.proof != "" {
		q.Set("appsecret_proof", c.proof)
	}
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Quality{Note: "offline match quality not available: the request could not be built"}
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.AccessToken)
	resp, err := c.http.Do(req)
	if err != nil {
		return Quality{Note: "offline match quality not available: Meta could not be reached"}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, destination.MaxAnswer+1))
	if err != nil || len(raw) > destination.MaxAnswer {
		return Quality{Note: "offline match quality not available: Meta's answer was unreadable or larger than 1 MiB"}
	}
	if resp.StatusCode/100 != 2 {
		e := c.classify(resp, raw)
		code, sub, _ := strings.Cut(e.Code, "/")
		if notInBeta[code] || notInBeta[sub] {
			return Quality{Note: fmt.Sprintf("offline match quality not available: dataset not in the offline beta or not reachable (Meta error %s); the Dataset Quality API for offline events is a beta by request to your Meta representative; see Events Manager", e.Code)}
		}
		switch {
		case e.Action == platform.Retry || resp.StatusCode >= 500:
			// Throttling (Graph codes 4, 17, 32, 613, 80000–80014), a
			// transient error or a 5xx: the error table's Retry rows
			// (platform/errors.go). A night of code 17 was blamed on the
			// token's permissions.
			return Quality{Note: fmt.Sprintf("offline match quality temporarily unavailable (%s: Meta is limiting requests or briefly down, not a permission problem): try `hashgate status` later", strings.Join(strings.Fields("Meta "+e.Code+" "+http.StatusText(resp.StatusCode)), " "))}
		case e.Action == platform.StopRun || permissionCode(code):
			// The token: expired (190, 102), or lacking a permission
			// (200–299; the error table stops only Meta for these).
			return Quality{Note: fmt.Sprintf("offline match quality not available for this dataset and token (Meta %s %s): the Dataset Quality API needs a token of a system user with Manage Pixel on the dataset", e.Code, http.StatusText(resp.StatusCode))}
		}
		return Quality{Note: fmt.Sprintf("offline match quality not available (Meta %s %s); see Events Manager", e.Code, http.StatusText(resp.StatusCode))}
	}
	events, ok := c.readOffline(raw)
	if !ok {
		return Quality{Note: "offline match quality not available: Meta answered in a shape hashgate does not read (the offline beta's response format is not confirmed); see Events Manager"}
	}
	if len(events) == 0 {
		return Quality{Note: "offline match quality: Meta rated no offline event of this dataset yet"}
	}
	parts := make([]string, 0, len(events))
	for _, ev := range events {
		p := "offline quality " + ev.EventName + ": "
		if ev.HasScore {
			p += strconv.FormatFloat(ev.Composite, 'f', 1, 64) + "/10"
		} else {
			p += "no score"
		}
		if ev.Recommendation != "" {
			p += " — Meta recommends: " + ev.Recommendation
		}
		parts = append(parts, p)
	}
	return Quality{Available: true, Events: events, Note: strings.Join(parts, "; ")}
}

// maxQualityEvents bounds the event names read from one answer: a
// dataset has a handful; an answer listing thousands is not printed.
const maxQualityEvents = 20

// readOffline reads the "offline" list of a Dataset Quality answer through
// the answer gate: event names against Meta's (platform.AnswerEventName),
// scores within 0–10,
// text scrubbed of credentials and control characters. ok is false when
// the answer is not the assumed shape.
func (c *Client) readOffline(raw []byte) ([]EventQuality, bool) {
	var body struct {
		Offline []map[string]json.RawMessage `json:"offline"`
	}
	if json.Unmarshal(raw, &body) != nil || body.Offline == nil {
		return nil, false
	}
	var out []EventQuality
	for _, e := range body.Offline {
		if len(out) == maxQualityEvents {
			break
		}
		var name string
		if json.Unmarshal(e["event_name"], &name) != nil {
			name = platform.Unknown
		}
		name = spec.Enum(platform.AnswerEventName, name)
		if name == "" {
			name = platform.Unknown
		}
		ev := EventQuality{EventName: name}
		ev.Composite, ev.HasScore = score(e["composite"])
		for _, dim := range []string{"composite", "match_key", "frequency", "freshness"} {
			if t := recommendation(e[dim]); t != "" {
				ev.Recommendation = c.scrub(t)
				break
			}
		}
		out = append(out, ev)
	}
	return out, true
}

// score reads a composite score given as a number or as {"score": n}; a
// score outside 0–10 (or not finite) is not shown.
func score(raw json.RawMessage) (float64, bool) {
	var n float64
	if json.Unmarshal(raw, &n) != nil {
		var obj struct {
			Score *float64 `json:"score"`
		}
		if json.Unmarshal(raw, &obj) != nil || obj.Score == nil {
			return 0, false
		}
		n = *obj.Score
	}
	if math.IsNaN(n) || n < 0 || n > 10 {
		return 0, false
	}
	return n, true
}

// recommendation reads a dimension's advice: a string "recommendation",
// or the first string (or {"description"}) of "recommendations".
func recommendation(raw json.RawMessage) string {
	var obj struct {
		Recommendation  string            `json:"recommendation"`
		Recommendations []json.RawMessage `json:"recommendations"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	if obj.Recommendation != "" {
		return obj.Recommendation
	}
	for _, r := range obj.Recommendations {
		var s string
		if json.Unmarshal(r, &s) == nil && s != "" {
			return s
		}
		var d struct {
			Description string `json:"description"`
		}
		if json.Unmarshal(r, &d) == nil && d.Description != "" {
			return d.Description
		}
	}
	return ""
}

// permissionCode reports whether a Graph code is one of Meta's permission
// errors, 10 or 200–299 (Graph error-handling: "Permission is either not
// granted or has been removed").
func permissionCode(code string) bool {
	n, err := strconv.Atoi(code)
	return err == nil && (n == 10 || platform.MetaCode(n) == "200-299")
}
