package destinationtest

import (
	"encoding/json"
	"net/http"
	"strings"
)

// quality answers GET /{version}/dataset_quality as the generally
// available Dataset Quality API does: web events only ("EMQ is currently
// available only for web events", developers.facebook.com/docs/
// marketing-api/conversions-api/dataset-quality-api), one entry per event
// name with event_match_quality {composite_score (0–10),
// match_key_feedback [{identifier, coverage {percentage}}]}
// (facebook-business-sdk-codegen AdsPixelCAPIIntegrationQuality,
// AdsPixelCAPIEMQ). The token must come in the Authorization header (the
// fake refuses it in the URL, as it does for events) and belong to the
// dataset; QualityDenied answers the permissions error a token without
// Manage Pixel gets (Graph code 200).
func (g *Graph) quality(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("access_token") != "" {
		GraphErr(w, 400, 100, 0, "OAuthException", "test fake: the access token must not travel in the URL")
		return
	}
	if strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") != g.Token {
		GraphErr(w, 400, 190, 0, "OAuthException", "Invalid OAuth access token - Cannot parse access token")
		return
	}
	if r.URL.Query().Get("dataset_id") != g.DatasetID {
		GraphErr(w, 400, 100, 0, "OAuthException", "(#100) Param dataset_id must be a dataset the token can access")
		return
	}
	if g.QualityDenied {
		GraphErr(w, 403, 200, 0, "OAuthException", "(#200) Permissions error")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"web": []any{map[string]any{
		"event_name": "PageView",
		"event_match_quality": map[string]any{"composite_score": 6.2, "match_key_feedback": []any{
			map[string]any{"identifier": "email", "coverage": map[string]any{"percentage": 41.5}},
		}},
	}}})
}
