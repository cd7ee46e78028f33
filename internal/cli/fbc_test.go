package cli

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fbcConfig is metaConfig with the fbclid and booked_at columns mapped.
func fbcConfig(t *testing.T, graphURL string) string {
	t.Helper()
	p := metaConfig(t, graphURL, "")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "    consent: consent\n", "    consent: consent\n    fbclid: fbclid\n    booked_at: booked\n", 1)
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const fbcFBCLID = "IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk" // Meta's example

func fbcExport(t *testing.T, booked string) string {
	t.Helper()
	body := "id,at,status,email,phone,first,last,consent,fbclid,booked\n" +
		"F1,2026-11-20 10:00,completed,zqf1@example.com,0912-000-001,Zqa,Zqb,yes," + fbcFBCLID + "," + booked + "\n" +
		"F2,2026-11-20 11:00,completed,zqf2@example.com,0912-000-002,Zqc,Zqd,yes,not-a-click-id,\n"
	p := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFBCReachesMetaAndTheReviewCSV (issue 27 point 5): a row's fbclid
// reaches Meta as user_data.fbc, fb.1.<booking time in ms>.<fbclid>,
// accepted by the Graph fake that holds Meta's documented form; the
// dry-run's review CSV shows the same value in its fbc column; an fbclid
// that is no click id is dropped and counted, never sent; and an export
// re-saved with booked_at in ROC dates and 下午 times sends the same fbc.
func TestFBCReachesMetaAndTheReviewCSV(t *testing.T) {
	g, url := metaFake(t, nil)
	cfg := fbcConfig(t, url)
	r := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--config", cfg, fbcExport(t, "2026-11-10 14:30"))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	// 2026-11-10 14:30 in Asia/Taipei is 06:30 UTC.
	want := fmt.Sprintf("fb.1.%d.%s", int64(1794292200000), fbcFBCLID)
	var sent []string
	for id := range g.Accepted() {
		if fbc, ok := g.Event(id)["user_data"].(map[string]any)["fbc"]; ok {
			sent = append(sent, fbc.(string))
		}
	}
	if len(sent) != 1 || sent[0] != want {
		t.Errorf("fbc sent %q, want [%s]", sent, want)
	}
	if !strings.Contains(r.stderr, "click_id_invalid") {
		t.Errorf("the bad fbclid is not counted:\n%s", r.stderr)
	}
	for _, booked := range []string{"2026-11-10 14:30", "115/11/10 下午 02:30"} {
		d := runCLI(t, map[string]string{"HASHGATE_SECRET": "upload-test-secret-3Jh8Nq5Bv1Xc6Zm0"}, "", "upload", "--dry-run", "--config", cfg, fbcExport(t, booked))
		if d.code != 0 {
			t.Fatalf("dry-run exit %d\n%s", d.code, d.stderr)
		}
		recs, err := csv.NewReader(strings.NewReader(d.stdout)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range recs[0] {
			if h == "fbc" {
				col = i
			}
		}
		if col < 0 || len(recs) != 3 || recs[1][col] != want || recs[2][col] != "" {
			t.Errorf("booked_at %q: review CSV %q", booked, recs)
		}
	}
}
