package cli

import (
	"net/http"
	"strings"
	"testing"
)

// TestTheSummaryCountsTonightsConversions: the summary's "N of M" is of
// tonight's conversions, not of those held back in earlier runs, which
// have a line of their own. "meta: 2 of 4 conversions ingested … held
// back in earlier runs: 2" read as 2 lost (a month of nights).
func TestTheSummaryCountsTonightsConversions(t *testing.T) {
	_, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	old := "Z0001,2026-09-01 10:00,completed,zqold1@example.com,0912-900-001,Zqa,Zqb,yes\nZ0002,2026-09-02 10:00,completed,zqold2@example.com,0912-900-002,Zqa,Zqb,yes\n"
	first := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 4, old))
	if first.code != ExitPartial || !strings.Contains(first.stderr, "meta: 4 of 6 conversions ingested") {
		t.Fatalf("first night: exit %d\n%s", first.code, first.stderr)
	}
	next := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, exportFile(t, 6, old))
	if next.code != ExitOK || !strings.Contains(next.stderr, "meta: 2 of 2 conversions ingested") ||
		!strings.Contains(next.stderr, "held back in earlier runs: 2") || !strings.Contains(next.stderr, "4 already ingested") {
		t.Fatalf("next night: exit %d\n%s", next.code, next.stderr)
	}
}
