package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/money"
)

// TestGroupedFeesSendWhatPlainOnesSend is metamorphic: the bundled
// example's fees, rewritten with their thousands grouped as spreadsheets
// in other locales write them — a no-break space (U+00A0), a
// narrow no-break space (U+202F, fr), an apostrophe (1'200) or a
// typographic one (1’200, de-CH), and fr's "1 234,50" under
// input.decimal_comma (with a plain space too) — give the same review
// CSV, values included, as the fees written as plain digits. Before, each
// grouped cell was value_not_a_number and its visit went to Google
// without a value. A plain space in this dot-decimal export stays unread
// (TestAPlainSpaceIsNoGroupingInADotDecimalExport).
func TestGroupedFeesSendWhatPlainOnesSend(t *testing.T) {
	base := mustReplace(t, mustRead(t, "../../configs/example.yaml"), "value: fixed\n  fixed_value: 1000\n  value_buckets: []", "value: actual")
	rd := csv.NewReader(strings.NewReader(mustRead(t, root+"/example/appointments.csv")))
	rd.FieldsPerRecord = -1 // A0018 is a short row, on purpose
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fee := -1
	for i, h := range recs[0] {
		if h == "fee" {
			fee = i
		}
	}
	// group writes v with its thousands grouped by sep and point before
	// its decimals.
	group := func(v float64, sep, point string) string {
		whole := strconv.FormatFloat(float64(int64(v)), 'f', 0, 64)
		var b strings.Builder
		for i, d := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(d)
		}
		if frac := v - float64(int64(v)); frac != 0 {
			b.WriteString(point + strings.TrimPrefix(strconv.FormatFloat(frac, 'f', -1, 64), "0."))
		}
		return b.String()
	}
	dryRun := func(name, sep, point string, decimalComma bool) string {
		t.Helper()
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		grouped := 0
		for i, r := range recs {
			r = append([]string(nil), r...)
			if i == 0 || len(r) <= fee {
				w.Write(r)
				continue
			}
			if v, err := money.Parse(r[fee]); err == nil {
				r[fee] = group(v, sep, point)
				if v >= 1000 && sep != "" {
					grouped++
				}
			}
			w.Write(r)
		}
		w.Flush()
		if sep != "" && grouped < 3 {
			t.Fatalf("%s: only %d fees grouped; the example changed shape", name, grouped)
		}
		dir := filepath.Join(t.TempDir(), name)
		os.MkdirAll(dir, 0o700)
		cfg, export := filepath.Join(dir, "c.yaml"), filepath.Join(dir, "appointments.csv")
		body := base
		if decimalComma {
			body = mustReplace(t, body, "decimal_comma: false", "decimal_comma: true")
		}
		os.WriteFile(cfg, []byte(body), 0o600)
		os.WriteFile(export, out.Bytes(), 0o600)
		r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", cfg, export)
		if r.code != 0 {
			t.Fatalf("%s: exit %d\n%s", name, r.code, r.stderr)
		}
		// The example's one unreadable fee is 健保 (no fee: the
		// national insurance pays), in every rewrite.
		if !strings.Contains(r.stderr, "value_not_a_number 1\n") {
			t.Errorf("%s: fees unread:\n%s", name, r.stderr)
		}
		return r.stdout
	}
	plain := dryRun("plain", "", ".", false)
	if !strings.Contains(plain, ",Purchase,1500,TWD,") || !strings.Contains(plain, ",Purchase,2400,USD,") {
		t.Fatalf("the plain fees' values are not in the review CSV:\n%s", plain)
	}
	for _, c := range []struct {
		name, sep, point string
		decimalComma     bool
	}{
		{"nbsp", "\u00a0", ".", false}, {"nnbsp", "\u202f", ".", false},
		{"apostrophe", "'", ".", false}, {"typographic", "\u2019", ".", false},
		{"fr", "\u202f", ",", true}, {"fr-space", " ", ",", true},
	} {
		if got := dryRun(c.name, c.sep, c.point, c.decimalComma); got != plain {
			t.Errorf("%s: the review CSV differs from the plain fees':\n%s\nwant\n%s", c.name, got, plain)
		}
	}
}

// TestAPlainSpaceIsNoGroupingInADotDecimalExport: in an export whose
// decimals are dots (Taiwan's, mainland China's, English) a plain space
// between digits is as likely two fees typed in one cell ("500 800") as
// one amount grouped; read as 500,800 it was sent, exit 0 (the day's diff
// review). It stays value_not_a_number, and the stop that judges the
// column does not tell the clinic to set input.decimal_comma for it.
func TestAPlainSpaceIsNoGroupingInADotDecimalExport(t *testing.T) {
	cfg := mustReplace(t, mustRead(t, "../../configs/example.yaml"), "value: fixed\n  fixed_value: 1000\n  value_buckets: []", "value: actual")
	dir := t.TempDir()
	export := filepath.Join(dir, "appointments.csv")
	body := mustRead(t, root+"/example/appointments.csv")
	body = strings.Replace(body, ",3000,TWD,", ",500 800,TWD,", 1) // A0017, a visit sent to Meta
	os.WriteFile(export, []byte(body), 0o600)
	c := filepath.Join(dir, "c.yaml")
	os.WriteFile(c, []byte(cfg), 0o600)
	r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", c, export)
	if r.code != 0 || strings.Contains(r.stdout, "500800") || strings.Contains(r.stdout, ",3000,") || !strings.Contains(r.stderr, "value_not_a_number 2\n") {
		t.Fatalf("exit %d; want 500 800 unread (value_not_a_number 2: it and 健保), never sent as 500800\n%s%s", r.code, r.stdout, r.stderr)
	}
}
