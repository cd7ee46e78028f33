package meta

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Quality is what Meta's Dataset Quality API can say about the offline
// events hashgate sends: in practice, that it says nothing yet.
//
// The generally available Dataset Quality API (GET /{version}/
// dataset_quality?dataset_id=…, formerly the Integration Quality API)
// reports Event Match Quality and match-key coverage for web events only:
// "EMQ is currently available only for web events. For other event types
// such as offline and physical store events … contact your Meta
// representative" (developers.facebook.com/docs/marketing-api/
// conversions-api/dataset-quality-api, Setup Quality page). Its offline
// variant "is under beta. For access, please contact your Meta
// representative" (…/dataset-quality-api/offline-events), and its field
// names are not published. So hashgate asks, and reports plainly what the
// answer means for physical_store events; it never guesses a figure and
// never fails a run over it.
type Quality struct {
	// Available is true only when Meta returned figures for offline
	// events hashgate can read; today never.
	Available bool
	// Note says why not, for the report.
	Note string
}

// DatasetQuality asks the Dataset Quality API about the dataset. The
// request shape — dataset_id, agent_name and a fields selection under web
// — is the documented one (dataset-quality-api page, as quoted in a
// third-party research note; the official page's own example could not be
// read); the token travels in the Authorization header, never the URL.
func (c *Client) DatasetQuality(ctx context.Context) Quality {
	u, _ := url.Parse(strings.TrimSuffix(c.endpoint, "/"+url.PathEscape(c.cfg.DatasetID)+"/events") + "/dataset_quality")
	q := url.Values{"dataset_id": {c.cfg.DatasetID}, "agent_name": {"hashgate"},
		"fields": {"web{event_name,event_match_quality{composite_score,match_key_feedback}}"}}
	if c.proof != "" {
		q.Set("appsecret_proof", c.proof)
	}
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Quality{Note: "match quality not available: " + err.Error()}
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.AccessToken)
	resp, err := c.http.Do(req)
	if err != nil {
		return Quality{Note: "match quality not available: Meta could not be reached"}
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		e := c.classify(resp, raw)
		return Quality{Note: fmt.Sprintf("match quality not available for this dataset and token (Meta %s %s): the Dataset Quality API needs a token of a system user with Manage Pixel on the dataset", e.Code, http.StatusText(resp.StatusCode))}
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(raw, &body) != nil {
		return Quality{Note: "match quality not available: Meta's answer was unreadable"}
	}
	for k := range body {
		if k != "web" {
			// Offline figures for a dataset in the beta: their format is
			// not published, so they are not read rather than misread.
			return Quality{Note: "Meta returned quality figures beyond web events (the offline beta); their format is not published, so hashgate does not read them: see Events Manager"}
		}
	}
	return Quality{Note: "match quality not available for offline events: Meta's Dataset Quality API reports Event Match Quality for web events only (offline is a beta by request); see Events Manager"}
}
