package meta

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestDatasetQualityAsksOfflineFields: the request is the documented
// offline selection, the token in the header, never in the URL or a body.
func TestDatasetQualityAsksOfflineFields(t *testing.T) {
	var asked url.Values
	g, c := fake(t, func(_ int, _ http.ResponseWriter, r *http.Request) bool {
		asked = r.URL.Query()
		if strings.Contains(r.URL.RawQuery, token) {
			t.Error("the token travelled in the URL")
		}
		return false
	})
	g.OfflineBeta = true
	c.DatasetQuality(context.Background())
	if got := asked.Get("fields"); got != "offline{event_name,composite,match_key,frequency,freshness}" {
		t.Errorf("fields=%q", got)
	}
	if asked.Get("dataset_id") != "123456" || asked.Get("appsecret_proof") == "" {
		t.Errorf("query %v", asked)
	}
}

// TestDatasetQualityOfflineBeta: a dataset in the beta gets its composite
// score and Meta's recommendation per event name; both shapes of a score
// are read, and nothing outside 0–10 is printed.
func TestDatasetQualityOfflineBeta(t *testing.T) {
	g, c := fake(t, nil)
	g.OfflineBeta = true
	g.OfflineQuality = []map[string]any{
		{"event_name": "Purchase", "composite": map[string]any{"score": 6.8, "recommendation": "Send phone numbers with more events"},
			"match_key": map[string]any{}, "frequency": map[string]any{}, "freshness": map[string]any{}},
		{"event_name": "Schedule", "composite": 4.25, "freshness": map[string]any{"recommendations": []any{map[string]any{"description": "Upload within 24 hours of the visit"}}}},
		{"event_name": "Lead", "composite": map[string]any{"score": 11}},
	}
	q := c.DatasetQuality(context.Background())
	if !q.Available || len(q.Events) != 3 {
		t.Fatalf("%+v", q)
	}
	want := []EventQuality{
		{EventName: "Purchase", Composite: 6.8, HasScore: true, Recommendation: "Send phone numbers with more events"},
		{EventName: "Schedule", Composite: 4.25, HasScore: true, Recommendation: "Upload within 24 hours of the visit"},
		{EventName: "Lead"},
	}
	for i, w := range want {
		if q.Events[i] != w {
			t.Errorf("event %d = %+v, want %+v", i, q.Events[i], w)
		}
	}
	for _, s := range []string{"offline quality Purchase: 6.8/10 — Meta recommends: Send phone numbers", "Schedule: 4.2/10", "Lead: no score"} {
		if !strings.Contains(q.Note, s) {
			t.Errorf("note %q lacks %q", q.Note, s)
		}
	}
}

// TestDatasetQualityNotInBeta: errors 2044055 and 10 read as "not in the
// offline beta or not reachable"; a permissions error keeps its own note.
func TestDatasetQualityNotInBeta(t *testing.T) {
	g, c := fake(t, nil)
	q := c.DatasetQuality(context.Background())
	if q.Available || !strings.Contains(q.Note, "dataset not in the offline beta or not reachable") || !strings.Contains(q.Note, "2044055") {
		t.Errorf("a dataset outside the beta read as %+v", q)
	}
	if g.Requests() != 1 {
		t.Errorf("%d requests, want 1", g.Requests())
	}
	for _, b := range g.Bodies() {
		if strings.Contains(string(b), token) {
			t.Error("the token travelled in a body")
		}
	}

	_, c = fake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		destinationtest.GraphErr(w, 400, 10, 0, "OAuthException", "(#10) Application does not have permission for this action")
		return true
	})
	if q := c.DatasetQuality(context.Background()); !strings.Contains(q.Note, "not in the offline beta or not reachable (Meta error 10)") {
		t.Errorf("error 10 read as %+v", q)
	}

	g, c = fake(t, nil)
	g.OfflineBeta, g.QualityDenied = true, true
	q = c.DatasetQuality(context.Background())
	if q.Available || !strings.Contains(q.Note, "Meta 200") || !strings.Contains(q.Note, "Manage Pixel") || strings.Contains(q.Note, token) {
		t.Errorf("a refused token read as %+v", q)
	}
}

// TestDatasetQualityAnswerIsData: a hostile answer's event names, scores
// and recommendations pass the gate: no token, no escape, no forged line,
// no unbounded list.
func TestDatasetQualityAnswerIsData(t *testing.T) {
	g, c := fake(t, nil)
	g.OfflineBeta = true
	for i := 0; i < 40; i++ {
		g.OfflineQuality = append(g.OfflineQuality, map[string]any{
			"event_name": "Purchase\x1b[31m\nlevel=ERROR forged",
			"composite":  map[string]any{"score": "NaN", "recommendation": "use token " + token + "\x1b]0;pwned\x07 app-secret\nlevel=INFO msg=forged"},
		})
	}
	q := c.DatasetQuality(context.Background())
	if len(q.Events) != maxQualityEvents {
		t.Errorf("%d events kept, want the bound %d", len(q.Events), maxQualityEvents)
	}
	for _, bad := range []string{token, "\x1b", "\n", "\x07", "app-secret", "forged\n", "Purchase\x1b"} {
		if strings.Contains(q.Note, bad) {
			t.Errorf("note carries %q: %q", bad, q.Note[:min(len(q.Note), 200)])
		}
	}
	if q.Events[0].EventName != "unknown" || q.Events[0].HasScore {
		t.Errorf("%+v", q.Events[0])
	}
}

// TestDatasetQualityUnreadableShape: an answer without the offline list
// is reported unreadable, never guessed at.
func TestDatasetQualityUnreadableShape(t *testing.T) {
	_, c := fake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"web":[{"event_name":"PageView"}]}`))
		return true
	})
	q := c.DatasetQuality(context.Background())
	if q.Available || !strings.Contains(q.Note, "shape hashgate does not read") {
		t.Errorf("%+v", q)
	}
}

func TestDatasetQualityNeverFails(t *testing.T) {
	_, c := fake(t, func(int, http.ResponseWriter, *http.Request) bool { panic(http.ErrAbortHandler) })
	q := c.DatasetQuality(context.Background())
	if q.Available || !strings.Contains(q.Note, "not available") {
		t.Errorf("%+v", q)
	}
}

// TestDatasetQualityThrottledIsNotAPermissionProblem (review of a month
// of cron nights): on a night of code 17 (429) `status` said the Dataset
// Quality API "needs a token of a system user with Manage Pixel", sending
// the analyst to fix a token that was fine. Meta's throttling codes and
// its 5xx say try later; only permission and token errors keep the
// permission advice, and an error of neither kind blames nothing.
func TestDatasetQualityThrottledIsNotAPermissionProblem(t *testing.T) {
	for _, c := range []struct {
		name string
		send func(w http.ResponseWriter)
		want string
	}{
		{"code 17 (429)", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 429, 17, 0, "OAuthException", "(#17) User request limit reached")
		}, "temporarily unavailable (Meta 17 Too Many Requests"},
		{"code 4", func(w http.ResponseWriter) { destinationtest.Throttle(w, 4) }, "temporarily unavailable (Meta 4 "},
		{"code 32", func(w http.ResponseWriter) { destinationtest.Throttle(w, 32) }, "temporarily unavailable (Meta 32 "},
		{"code 613", func(w http.ResponseWriter) { destinationtest.Throttle(w, 613) }, "temporarily unavailable (Meta 613 "},
		{"code 80004 (business use case)", func(w http.ResponseWriter) { destinationtest.Throttle(w, 80004) }, "temporarily unavailable (Meta 80004 "},
		{"a 503 without a body", func(w http.ResponseWriter) { w.WriteHeader(503) }, "temporarily unavailable (Meta Service Unavailable:"},
		{"code 1 (500)", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 500, 1, 0, "OAuthException", "An unknown error occurred")
		}, "temporarily unavailable"},
		{"code 200 (permission)", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 403, 200, 0, "OAuthException", "(#200) Permissions error")
		}, "Manage Pixel"},
		{"code 190 (token)", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 401, 190, 463, "OAuthException", "Error validating access token")
		}, "Manage Pixel"},
		{"code 100 (a parameter)", func(w http.ResponseWriter) {
			destinationtest.GraphErr(w, 400, 100, 0, "OAuthException", "Invalid parameter")
		}, "not available (Meta 100 Bad Request); see Events Manager"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, cl := fake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
				c.send(w)
				return true
			})
			q := cl.DatasetQuality(context.Background())
			if q.Available || !strings.Contains(q.Note, c.want) {
				t.Errorf("note %q, want it to contain %q", q.Note, c.want)
			}
			if c.want != "Manage Pixel" && (strings.Contains(q.Note, "Manage Pixel") || strings.Contains(q.Note, "token")) {
				t.Errorf("blamed on the token: %q", q.Note)
			}
		})
	}
}
