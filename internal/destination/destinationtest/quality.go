package destinationtest

import (
	"encoding/json"
	"net/http"
	"strings"
)

// quality answers GET /{version}/dataset_quality as Meta's Dataset Quality
// API does.
//
// Web events (generally available): one entry per event name with
// event_match_quality {composite_score (0–10), match_key_feedback
// [{identifier, coverage {percentage}}]} ("EMQ is currently available
// only for web events", developers.facebook.com/docs/marketing-api/
// conversions-api/dataset-quality-api; facebook-business-sdk-codegen
// AdsPixelCAPIIntegrationQuality, AdsPixelCAPIEMQ).
//
// Offline events (a beta by request): fields=offline{event_name,composite,
// match_key,frequency,freshness} "provides a breakdown of the score and
// recommendations by several quality dimensions, including match key
// coverage, frequency, and freshness", and a dataset outside the beta, or
// one the token cannot reach, is answered with error 2044055 or 10
// (developers.facebook.com/documentation/ads-commerce/conversions-api/
// dataset-quality-api/offline-events). The page's response example could
// not be read here (audited again 2026-12-05: neither Meta's page nor its
// mirrors in the stored corpora show one, and no public SDK or integration
// reads a live answer; one public UI prototype's mock data gives each of
// composite, match_key, frequency and freshness a {score, recommendation},
// a reading, not an answer). So the entries a test gives in
// g.OfflineQuality are served as given: the shape hashgate reads is
// hashgate's assumption, named in meta/quality.go, unconfirmed, not a
// rule of this fake. A dataset not
// flagged OfflineBeta is answered 2044055 (as the Graph error subcode of
// an OAuthException 100, the usual place of Graph's specific codes).
//
// The token must come in the Authorization header (the fake refuses it in
// the URL, as it does for events) and belong to the dataset;
// QualityDenied answers the permissions error a token without Manage Pixel
// gets (Graph code 200).
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
	fields := r.URL.Query().Get("fields")
	body := map[string]any{}
	if strings.Contains(fields, "offline{") {
		if !g.OfflineBeta {
			GraphErr(w, 400, 100, 2044055, "OAuthException", "test fake: this dataset is not in the offline Dataset Quality beta")
			return
		}
		list := []any{}
		for _, e := range g.OfflineQuality {
			list = append(list, e)
		}
		body["offline"] = list
	}
	if strings.Contains(fields, "web{") {
		body["web"] = []any{map[string]any{
			"event_name": "PageView",
			"event_match_quality": map[string]any{"composite_score": 6.2, "match_key_feedback": []any{
				map[string]any{"identifier": "email", "coverage": map[string]any{"percentage": 41.5}},
			}},
		}}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}
