package run

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/plaintext"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink/platformcsv"
)

// fuzzConfig maps every identifier, both click ids, a patient key and
// per-platform identifiers, so a fuzzed cell reaches every path a cell can.
func fuzzConfig(t *testing.T) *config.Config {
	c := config.Defaults()
	c.Timezone, c.Region, c.Secret = "Asia/Taipei", "TW", "fuzz-secret-Qm3Zr8Lk2Wv6Nx1Pd5Hj9"
	c.Input.Columns = config.Columns{
		OrderID: []string{"id"}, AppointmentAt: "at", Email: []string{"email"}, Phone: []string{"phone"},
		FirstName: "first", LastName: "last", PostalCode: "zip", City: "city", State: "state", Country: "country",
		GCLID: "gclid", GBRAID: "gbraid", Consent: "consent", PatientKey: "chart",
	}
	c.Consent.Granted = []string{"yes"}
	c.Destinations.Google.Enabled, c.Destinations.Meta.Enabled = true, true
	c.Destinations.Google.Identifiers = []string{"email", "phone", "first_name", "last_name", "postal_code", "country"}
	c.Destinations.Google.ConversionName = "Clinic visit"
	c.Destinations.Meta.Identifiers = []string{"email", "phone", "first_name", "last_name", "postal_code", "city", "state", "country"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return &c
}

// cellNames name the fuzzed cells, in FuzzWholeRecords' argument order.
var cellNames = []string{"id", "chart", "email", "phone", "first", "last", "zip", "city", "state", "country", "gclid", "gbraid", "consent", "note"}

var fuzzHeader = []string{"id", "chart", "at", "email", "phone", "first", "last", "zip", "city", "state", "country", "gclid", "gbraid", "consent", "note"}

// fuzzOutputs runs one export through a dry-run (review CSV, summary, run
// report) and both manual-upload files, and returns everything they
// wrote, with any error messages, and the reason codes the run counted
// (hashgate's words, which a cell such as "revoked" may equal).
func fuzzOutputs(t *testing.T, dir string, rows [][]string) (all string, reasons string) {
	t.Helper()
	export := filepath.Join(dir, "export.csv")
	fh, err := os.Create(export)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(fh)
	w.Write(fuzzHeader)
	w.WriteAll(rows)
	fh.Close()
	var b strings.Builder
	review, rep := filepath.Join(dir, "review.csv"), filepath.Join(dir, "report.json")
	env, out, errOut := testEnv(t, "")
	if err := Upload(context.Background(), env, UploadRequest{Config: fuzzConfig(t), Input: export, DryRun: true, Out: review, Report: rep}); err != nil {
		b.WriteString(err.Error())
	}
	for _, p := range []string{review, rep} {
		data, _ := os.ReadFile(p)
		b.Write(data)
	}
	b.WriteString(out.String() + errOut.String())
	var sum report.Summary
	if data, err := os.ReadFile(rep); err == nil && json.Unmarshal(data, &sum) == nil {
		var keys []string
		for _, m := range []map[string]int{sum.Excluded, sum.Dropped, sum.Notes} {
			for k := range m {
				keys = append(keys, k)
			}
		}
		for _, m := range sum.Skipped {
			for k := range m {
				keys = append(keys, k)
			}
		}
		reasons = strings.Join(keys, " ")
	}
	for _, f := range platformcsv.Formats {
		env, out, errOut := testEnv(t, "")
		file := filepath.Join(dir, f.Name+".csv")
		if err := Write(context.Background(), env, WriteRequest{Config: fuzzConfig(t), Format: f, Input: export, Out: file}); err != nil {
			b.WriteString(err.Error())
		}
		data, _ := os.ReadFile(file)
		b.Write(data)
		b.WriteString(out.String() + errOut.String())
	}
	return b.String(), reasons
}

// hexRuns are hashes and event ids: a short cell can match inside one by
// chance, and a cell that is itself a 64-hex hash is sent as one by design.
var hexRuns = regexp.MustCompile(`[0-9a-f]{32,}`)

// mayLeave: values whose grammar lets them leave as they are (click ids,
// postal codes), or that are hashes already.
func mayLeave(cell string) bool {
	c := strings.TrimSpace(cell)
	if plaintext.ClickID(c) || plaintext.PostalCode("", c) {
		return true
	}
	for _, country := range []string{"US", "TW", "CN", "JP", "GB", "CA", "NL", "PT", "IE"} {
		if plaintext.PostalCode(country, strings.ToUpper(c)) {
			return true
		}
	}
	return hexRuns.MatchString(strings.ToLower(c))
}

// FuzzWholeRecords: whatever a record's cells hold, no cell of 6 or more
// characters appears in the review CSV, the manual-upload files, the
// summary, the run report or an error message — except values whose
// grammar lets them leave (click ids, postal codes) and hashgate's own
// text (found by running the same records with every cell blanked out,
// and, for a suspect, with that one cell blanked out).
func FuzzWholeRecords(f *testing.F) {
	f.Add("A0001", "CH-0001", "zqcanary@example.com", "0912-345-678", "Zqgiven", "Zqfamily", "10617", "Taipei", "TPE", "TW", "Cj0KCQzqvalid", "", "revoked", "post-op review, implant 36")
	f.Add("=HYPERLINK(\"x\")", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0", "+886 912 345 678 ext 12", "王大明", "陳", "=1+2 台北市信義路", "Taipei City", "Calif.", "Taiwan", "Patient Mary Wang, chart 13", "-0AAAAAzq", "yes - sms only", "\t=cmd")
	f.Add("B\"0001", "CH\n0002", "a@b.c; zqsecond@example.org", "９.１２３４６Ｅ＋０８", "Mr. Zqmister", "Zqlast Jr.", "106-0032", "東京都", "", "JP", "", "", "", "")
	f.Fuzz(func(t *testing.T, id, chart, email, phone, first, last, zip, city, state, country, gclid, gbraid, consent, note string) {
		cells := []string{id, chart, email, phone, first, last, zip, city, state, country, gclid, gbraid, consent, note}
		row := func(cs []string, suffix, consentCell string) []string {
			return []string{cs[0] + suffix, cs[1], "2026-11-20 10:00", cs[2], cs[3], cs[4], cs[5], cs[6], cs[7], cs[8], cs[9], cs[10], cs[11], consentCell, cs[13]}
		}
		// One row consented, one with the fuzzed consent (a later row of the
		// same patient, another order).
		rows := [][]string{row(cells, "", "yes"), row(cells, "-2", consent)}
		out, reasons := fuzzOutputs(t, t.TempDir(), rows)
		got := strings.ToLower(hexRuns.ReplaceAllString(out, "#"))
		blank := make([]string, len(cells))
		for i := range blank {
			blank[i] = "q"
		}
		base, _ := fuzzOutputs(t, t.TempDir(), [][]string{row(blank, "", "yes"), row(blank, "-2", "q")})
		base = strings.ToLower(base) + " " + reasons
		for i, c := range cells {
			c = strings.ToLower(strings.TrimSpace(c))
			if utf8.RuneCountInString(c) < 6 || mayLeave(c) || strings.Contains(base, c) {
				continue
			}
			if !strings.Contains(got, c) {
				continue
			}
			// Is it hashgate's own text that this input brought out (an
			// error message naming Taiwan for an undecidable encoding)?
			// Then it is there without the cell too.
			without := append([]string(nil), cells...)
			without[i] = "q"
			again, _ := fuzzOutputs(t, t.TempDir(), [][]string{row(without, "", "yes"), row(without, "-2", without[12])})
			if strings.Contains(strings.ToLower(again), c) {
				continue
			}
			t.Errorf("the %s cell %q appears in an output", cellNames[i], c)
		}
	})
}
