package cli

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeFilesConfig is a config for the manual-upload files' tests: every
// identifier column mapped, Google given a conversion name, extra appended
// under destinations (indented two spaces).
func writeFilesConfig(t *testing.T, google, meta, extra string) string {
	t.Helper()
	body := `timezone: Asia/Taipei
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
    postal_code: zip
    country: country
    value: fee
    gclid: gclid
    consent: consent
consent:
  granted: ["yes"]
conversion:
  statuses: [completed]
  value: actual
  currency: TWD
destinations:
  google:
    enabled: true
    conversion_name: Visit
    identifiers: ` + google + `
  meta:
    enabled: true
    identifiers: ` + meta + `
privacy:
  allow_actual_value: true # the files' value column is under test
` + extra
	p := filepath.Join(t.TempDir(), "write.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeRow is one export row of writeFilesExport; gclid true gives it a
// random-looking click id.
type writeRow struct {
	id, at, email, phone, fee string
	gclid                     bool
}

func writeFilesExport(t *testing.T, rows []writeRow) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"id", "at", "status", "email", "phone", "first", "last", "zip", "country", "fee", "gclid", "consent"})
	for i, r := range rows {
		gclid := ""
		if r.gclid {
			sum := sha256.Sum256([]byte(r.id))
			gclid = "Cj0KCQiA" + base64.RawURLEncoding.EncodeToString(sum[:])
		}
		w.Write([]string{r.id, r.at, "completed", r.email, r.phone, "Zqfirst" + fmt.Sprint(i), "Zqlast" + fmt.Sprint(i), "10617", "TW", r.fee, gclid, "yes"})
	}
	w.Flush()
	p := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// fileRecords reads a written file's records below its header (and
// Google's Parameters row).
func fileRecords(t *testing.T, out string) (header []string, rows [][]string) {
	t.Helper()
	if strings.HasPrefix(out, "Parameters:") {
		out = out[strings.Index(out, "\n")+1:]
	}
	r := csv.NewReader(strings.NewReader(out))
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("file does not read back (%v):\n%s", err, out)
	}
	return recs[0], recs[1:]
}

func writeFilesEnv(t *testing.T) map[string]string {
	return map[string]string{"HASHGATE_SECRET": goldenSecret, "XDG_STATE_HOME": t.TempDir(), "HOME": t.TempDir()}
}

// TestMetaFileHoldsBackZeroValueWhateverSendZeroValue: a Purchase worth 0
// stays out of Meta's offline events file even with
// destinations.meta.send_zero_value, an option for the Conversions API:
// Meta's own offline uploader says of value "We do not accept 0 and
// negative values" (facebookarchive/offline-conversion-file-uploader,
// offline-events/README.md). The file carried "0.00" before.
func TestMetaFileHoldsBackZeroValueWhateverSendZeroValue(t *testing.T) {
	clk := &simClock{t: time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)}
	export := writeFilesExport(t, []writeRow{
		{id: "Z1", at: "2026-12-01 10:00", email: "zqa@example.com", fee: "0"},
		{id: "Z2", at: "2026-12-02 10:00", email: "zqb@example.com", fee: "1500"},
	})
	for _, send := range []string{"false", "true"} {
		env := writeFilesEnv(t)
		env["HASHGATE_DESTINATIONS_META_SEND_ZERO_VALUE"] = send
		r := runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--config", writeFilesConfig(t, "[]", "[email]", ""), export)
		if r.code != ExitOK {
			t.Fatalf("send_zero_value %s: exit %d\n%s", send, r.code, r.stderr)
		}
		_, rows := fileRecords(t, r.stdout)
		if len(rows) != 1 || strings.Contains(r.stdout, ",0.00,") || !strings.Contains(r.stderr, "purchase_value_zero 1") {
			t.Errorf("send_zero_value %s: %d rows, want the 1500 alone, the zero counted as purchase_value_zero\n%s\n%s", send, len(rows), r.stdout, r.stderr)
		}
		if said := strings.Contains(r.stderr, "send_zero_value is for the Conversions API"); said != (send == "true") {
			t.Errorf("send_zero_value %s: the summary says so: %v\n%s", send, said, r.stderr)
		}
	}
}

// TestGoogleFileSaysWhyAnAddressIsLeftOut: with Google given an address
// alone, an upload sends both visits, while Google's file, which has no
// address column, can carry neither: it said csv_formula_prefix 2 (the
// reason of a click id a spreadsheet would run). It says no_file_column,
// and counts the addresses it leaves out — also of a visit it writes with
// its email, which lost its address without a word.
func TestGoogleFileSaysWhyAnAddressIsLeftOut(t *testing.T) {
	clk := &simClock{t: time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)}
	rows := []writeRow{
		{id: "G1", at: "2026-12-01 10:00", fee: "1500"},
		{id: "G2", at: "2026-12-02 10:00", fee: "1500"},
	}
	env := writeFilesEnv(t)
	cfg := writeFilesConfig(t, "[first_name, last_name, postal_code, country]", "[email]", "")
	dry := runAt(t, clk, env, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), writeFilesExport(t, rows))
	if dry.code != ExitOK || !strings.Contains(dry.stderr, "conversions: google 2") {
		t.Fatalf("the upload's dry-run: exit %d, want both to Google\n%s", dry.code, dry.stderr)
	}
	r := runAt(t, clk, env, "write", "--format", "google-ads-csv", "--config", cfg, writeFilesExport(t, rows))
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if _, recs := fileRecords(t, r.stdout); len(recs) != 0 {
		t.Errorf("%d rows written, want none", len(recs))
	}
	if !strings.Contains(r.stderr, "no_file_column 2") || strings.Contains(r.stderr, "csv_formula_prefix") ||
		!strings.Contains(r.stderr, "google address no_file_column 2") {
		t.Errorf("the summary does not say the file has no address column:\n%s", r.stderr)
	}
	// With an email too: written with it, the address counted.
	cfg = writeFilesConfig(t, "[email, first_name, last_name, postal_code, country]", "[email]", "")
	rows[0].email = "zqa@example.com"
	r = runAt(t, clk, env, "write", "--format", "google-ads-csv", "--config", cfg, writeFilesExport(t, rows))
	if _, recs := fileRecords(t, r.stdout); r.code != ExitOK || len(recs) != 1 || recs[0][1] == "" {
		t.Fatalf("exit %d, %d rows, want G1 with its email\n%s\n%s", r.code, len(recs), r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "google address no_file_column 2") || !strings.Contains(r.stderr, "no_file_column 1") {
		t.Errorf("both addresses are counted, and G2 not written:\n%s", r.stderr)
	}
}

// TestWriteFilesCarryEveryEmailTheUploadSends: a cell holding two
// addresses is two emails, and an upload sends both. Meta's file had one
// email column per export column and dropped the second without a word;
// it now has two, the other rows' second left blank. Google's file has one
// Email column: the second is counted as no_file_column.
func TestWriteFilesCarryEveryEmailTheUploadSends(t *testing.T) {
	clk := &simClock{t: time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)}
	export := writeFilesExport(t, []writeRow{
		{id: "M1", at: "2026-12-01 10:00", email: "zqa@example.com; zqb@example.org", fee: "1500", gclid: true},
		{id: "M2", at: "2026-12-02 10:00", email: "zqc@example.com", fee: "1500", gclid: true},
	})
	env := writeFilesEnv(t)
	cfg := writeFilesConfig(t, "[email]", "[email]", "")
	r := runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--config", cfg, export)
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	header, rows := fileRecords(t, r.stdout)
	if strings.Join(header, ",") != "event_name,event_time,email,email,value,currency,order_id" || len(rows) != 2 {
		t.Fatalf("header %q, %d rows\n%s", header, len(rows), r.stdout)
	}
	if rows[0][2] == "" || rows[0][3] == "" || rows[0][2] == rows[0][3] || rows[1][2] == "" || rows[1][3] != "" {
		t.Errorf("both of M1's emails, one of M2's:\n%s", r.stdout)
	}
	r = runAt(t, clk, env, "write", "--format", "google-ads-csv", "--config", cfg, export)
	if _, rows := fileRecords(t, r.stdout); r.code != ExitOK || len(rows) != 2 || !strings.Contains(r.stderr, "google email no_file_column 1") {
		t.Errorf("Google's file: exit %d, %d rows, the second email counted?\n%s", r.code, len(rows), r.stderr)
	}
}

// TestAWeeklyMetaFileCountsEachVisitOnce: a clinic writes Meta's file
// from its rolling export every week and uploads it by hand. Meta skips a
// duplicate only of an event uploaded in the last four days (Meta help
// 1772588746090250), so the second week's file, which held the first
// week's visits again, counted them twice. With --uploaded naming the
// folder of the files uploaded, each visit is in one uploaded file: the
// late entry of a visit dated in the first week too, and the events of a
// file written but never uploaded are in the next file again. Without it,
// the summary says that older events count again.
func TestAWeeklyMetaFileCountsEachVisitOnce(t *testing.T) {
	env := writeFilesEnv(t)
	cfg := writeFilesConfig(t, "[email]", "[email]", "")
	sent := t.TempDir()
	week1 := []writeRow{
		{id: "W1", at: "2026-11-20 10:00", email: "zqw1@example.com", fee: "1500", gclid: true},
		{id: "W2", at: "2026-11-24 10:00", email: "zqw2@example.com", fee: "1500"},
	}
	week2 := append(append([]writeRow{}, week1...),
		writeRow{id: "W3", at: "2026-12-01 10:00", email: "zqw3@example.com", fee: "1500"},
		writeRow{id: "L1", at: "2026-11-22 10:00", email: "zql1@example.com", fee: "1500"}) // entered after the first file
	orderIDs := func(out string) []string {
		header, rows := fileRecords(t, out)
		col := slices.Index(header, "order_id")
		var ids []string
		for _, r := range rows {
			ids = append(ids, r[col])
		}
		return ids
	}
	out1 := filepath.Join(t.TempDir(), "meta-week1.csv")
	r := runAt(t, &simClock{t: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)}, env, "write", "--format", "meta-offline-csv",
		"--uploaded", sent, "--out", out1, "--config", cfg, writeFilesExport(t, week1))
	if r.code != ExitOK {
		t.Fatalf("week 1: exit %d\n%s", r.code, r.stderr)
	}
	first := orderIDs(mustRead(t, out1))
	if len(first) != 2 {
		t.Fatalf("week 1: %d events, want 2", len(first))
	}
	// Uploaded in Events Manager, then kept in the folder.
	if err := os.Rename(out1, filepath.Join(sent, "meta-week1.csv")); err != nil {
		t.Fatal(err)
	}
	clk := &simClock{t: time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)}
	export2 := writeFilesExport(t, week2)
	r = runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", sent, "--config", cfg, export2)
	second := orderIDs(r.stdout)
	if r.code != ExitOK || len(second) != 2 || slices.Contains(first, second[0]) || slices.Contains(first, second[1]) {
		t.Fatalf("week 2: exit %d, events %q, want W3 and L1 alone (week 1: %q)\n%s", r.code, second, first, r.stderr)
	}
	if !strings.Contains(r.stderr, "in_uploaded_file 2") || !strings.Contains(r.stderr, "1 meta-offline-csv file(s) read, 2 event id(s)") {
		t.Errorf("week 2: the summary does not say what was left out:\n%s", r.stderr)
	}
	// Written, never uploaded (not moved): the next file holds them again.
	r = runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", sent, "--out", filepath.Join(t.TempDir(), "meta-week2.csv"), "--config", cfg, export2)
	if r.code != ExitOK {
		t.Fatalf("week 2, written: exit %d\n%s", r.code, r.stderr)
	}
	r = runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", sent, "--config", cfg, export2)
	if again := orderIDs(r.stdout); !slices.Equal(again, second) {
		t.Errorf("a file written and not uploaded: the next file holds %q, want %q", again, second)
	}
	// Without --uploaded: every event, and a word on the four days.
	r = runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--config", cfg, export2)
	if len(orderIDs(r.stdout)) != 4 || !strings.Contains(r.stderr, "3 conversion(s) in this file are more than 4 days old") || !strings.Contains(r.stderr, "--uploaded") {
		t.Errorf("without --uploaded, the summary says that older events count again:\n%s", r.stderr)
	}
	// Google skips a duplicate order id whenever it comes: no such word.
	r = runAt(t, clk, env, "write", "--format", "google-ads-csv", "--config", cfg, export2)
	if r.code != ExitOK || strings.Contains(r.stderr, "days old") {
		t.Errorf("Google's file: exit %d\n%s", r.code, r.stderr)
	}
}

// TestUploadedIsNeverTheFileWritten: a file written is not a file
// uploaded — --out in the --uploaded folder, or named by it, is refused —
// and a Google file's events, uploaded to Google, never keep a visit from
// Meta's file (a row's event id is the same for both).
func TestUploadedIsNeverTheFileWritten(t *testing.T) {
	clk := &simClock{t: time.Date(2026, 12, 4, 3, 0, 0, 0, time.UTC)}
	env := writeFilesEnv(t)
	cfg := writeFilesConfig(t, "[email]", "[email]", "")
	export := writeFilesExport(t, []writeRow{{id: "U1", at: "2026-12-01 10:00", email: "zqu1@example.com", fee: "1500", gclid: true}})
	sent := t.TempDir()
	r := runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", sent, "--out", filepath.Join(sent, "new.csv"), "--config", cfg, export)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "is in the --uploaded directory") {
		t.Errorf("--out in the folder: exit %d\n%s", r.code, r.stderr)
	}
	g := filepath.Join(t.TempDir(), "google.csv")
	if r := runAt(t, clk, env, "write", "--format", "google-ads-csv", "--out", g, "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("google: exit %d\n%s", r.code, r.stderr)
	}
	r = runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", g, "--config", cfg, export)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "is a google-ads-csv file, not meta-offline-csv") || r.stdout != "" {
		t.Errorf("a Google file named for Meta: exit %d\n%s", r.code, r.stderr)
	}
	// In a folder, the other format's file is skipped, not refused.
	os.Rename(g, filepath.Join(sent, "google.csv"))
	r = runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", sent, "--config", cfg, export)
	if _, rows := fileRecords(t, r.stdout); r.code != ExitOK || len(rows) != 1 || !strings.Contains(r.stderr, "1 file(s) of another format skipped") {
		t.Errorf("a Google file in the folder: exit %d, %d rows\n%s", r.code, len(rows), r.stderr)
	}
	// A file written under another secret matches nothing: said.
	other := writeFilesEnv(t)
	other["HASHGATE_SECRET"] = "pFD9VZu9aC9otUxXACWa5UwDievC7qhB5no3Xtf2"
	prev := filepath.Join(t.TempDir(), "meta-prev.csv")
	if r := runAt(t, clk, other, "write", "--format", "meta-offline-csv", "--out", prev, "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("another secret: exit %d\n%s", r.code, r.stderr)
	}
	r = runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", prev, "--config", cfg, export)
	if _, rows := fileRecords(t, r.stdout); r.code != ExitOK || len(rows) != 1 || !strings.Contains(r.stderr, "none of the 1 event id(s) of the --uploaded files is in this export") {
		t.Errorf("a file of another secret: exit %d, %d rows\n%s", r.code, len(rows), r.stderr)
	}
	bad := filepath.Join(sent, "notes.csv")
	os.WriteFile(bad, []byte("event_name,event_time,email,value,currency,order_id\nPurchase,2026-12-01T02:00:00Z,x,1,TWD,A0001-zqchart\n"), 0o600)
	r = runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", sent, "--config", cfg, export)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "line 2: its order_id is no event id") || strings.Contains(r.stderr, "zqchart") {
		t.Errorf("a file whose order id is no event id: exit %d\n%s", r.code, r.stderr)
	}
	if r.code == ExitUsage {
		r = runAt(t, clk, env, "write", "--format", "meta-offline-csv", "--uploaded", filepath.Join(sent, "missing.csv"), "--config", cfg, export)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "no such file or directory") {
			t.Errorf("a missing file: exit %d\n%s", r.code, r.stderr)
		}
	}
}
