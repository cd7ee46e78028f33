package destinationtest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSentHoldsTheURLAndTheHeaders: what the canary tests look in holds
// each request's query string (as sent and unescaped) and headers, not its
// body alone — a value put in a query parameter or a header would
// otherwise leave unseen (test audit, 2026-12-07).
func TestSentHoldsTheURLAndTheHeaders(t *testing.T) {
	g := &Graph{Token: "t", APIVersion: "v25.0", DatasetID: "1"}
	srv := g.Start(t)
	dm := &DataManager{Token: "t"}
	dsrv := dm.Start(t)
	for _, s := range []struct {
		url  string
		sent func() []string
	}{{srv.URL, g.Sent}, {dsrv.URL, dm.Sent}} {
		req, err := http.NewRequest(http.MethodPost, s.url+"/v25.0/1/events?dbg="+url.QueryEscape("zqcanary.one@example.com +886 912"), strings.NewReader(`{"zqbody":1}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Zq", "zqheader-0912-701-701")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		sent := s.sent()
		if len(sent) != 1 {
			t.Fatalf("%d requests kept, want 1", len(sent))
		}
		for _, want := range []string{"zqcanary.one@example.com +886 912", "zqheader-0912-701-701", "/v25.0/1/events?", `{"zqbody":1}`} {
			if !strings.Contains(sent[0], want) {
				t.Errorf("Sent lacks %q:\n%s", want, sent[0])
			}
		}
	}
}
