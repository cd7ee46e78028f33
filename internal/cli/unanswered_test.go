package cli

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestAMorningAfterUnansweredRequests: a night whose every request was
// written and then lost (the connection reset, as a load balancer drops a
// request it forwarded) may have delivered everything. The summary, the
// exit line and `hashgate status` say so — unanswered, may have arrived —
// not "not sent", "rejected" or "no run sent anything" (a review of the
// morning read all three of events the platform had taken).
func TestAMorningAfterUnansweredRequests(t *testing.T) {
	_, url := metaFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		destinationtest.Reset(w)
		return true
	})
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	up := runWithHTTP(t, http.DefaultClient, env, "upload", "--quiet", "--config", cfg, exportFile(t, 25, ""))
	if up.code != ExitFailure || !strings.Contains(up.stderr, "unanswered 25 (may have arrived") ||
		strings.Contains(up.stderr, "not sent 25") || strings.Contains(up.stderr, "rejected 25") {
		t.Fatalf("upload: exit %d\n%s", up.code, up.stderr)
	}
	st := runWithHTTP(t, http.DefaultClient, env, "status", "--config", cfg)
	if st.code != ExitOK || !strings.Contains(st.stdout, "25 events sent and never answered") || strings.Contains(st.stdout, "no run sent anything") {
		t.Errorf("status: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
	js := runWithHTTP(t, http.DefaultClient, env, "status", "--config", cfg, "--json")
	var doc struct {
		Unanswered *int `json:"sent_unanswered"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil || doc.Unanswered == nil || *doc.Unanswered != 25 {
		t.Errorf("status --json: %v\n%s", err, js.stdout)
	}
}
