package cli

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/transform"
)

// onboarding are three exports in the formats a new user brings: an Open
// Dental-like English file, a Taiwanese Big5 file with ROC dates and a
// title line, a mainland GBK file with separate date and time columns. Their
// headers are the ones config init used to miss.
var onboarding = []struct {
	file            string
	orderID         []string
	consent, status string
	granted         []string // proposed as items
	offered         []string // offered commented out
	statuses        []string
	used            string // in the dry-run summary with the generated config (counted independently: consent granted and status a visit)
}{
	{"open-dental-like.csv", []string{"AptNum"}, "AdConsent (patfield)", "AptStatus",
		[]string{"yes", "y"}, []string{"no", "n"}, []string{"complete"}, "4 used"},
	{"tw-his-big5.csv", []string{"病歷號碼", "就診日期", "就診時間"}, "行銷同意", "到診狀態",
		[]string{"同意", "y"}, []string{"不同意", "n"}, []string{"已完成", "已報到"}, "8 used"},
	{"cn-clinic-gbk.csv", []string{"预约单号"}, "营销授权", "到诊状态",
		[]string{"同意"}, []string{"不同意", "同意-仅短信"}, []string{"已到诊", "到店"}, "2 used"},
}

// generated is the part of a generated config the tests look at.
type generated struct {
	Region string `yaml:"region"`
	Input  struct {
		Columns struct {
			OrderID []string `yaml:"order_id"`
			Status  string   `yaml:"status"`
			Consent string   `yaml:"consent"`
		} `yaml:"columns"`
	} `yaml:"input"`
	Consent struct {
		Granted []string `yaml:"granted"`
	} `yaml:"consent"`
	Conversion struct {
		Statuses []string `yaml:"statuses"`
		Currency string   `yaml:"currency"`
	} `yaml:"conversion"`
}

func parseGenerated(t *testing.T, text string) generated {
	t.Helper()
	var g generated
	if err := yaml.Unmarshal([]byte(text), &g); err != nil {
		t.Fatalf("generated config is not YAML: %v\n%s", err, text)
	}
	return g
}

// TestConfigInitOnboardingExports: config init --from proposes the
// consent, status and order-id columns and the granted and status words
// seen, as commented choices (golden), and the config it writes runs a
// dry-run that counts only visits with consent.
func TestConfigInitOnboardingExports(t *testing.T) {
	for _, c := range onboarding {
		t.Run(c.file, func(t *testing.T) {
			export := filepath.Join(root, "onboarding", c.file)
			r := runCLI(t, nil, "", "config", "init", "--from", export)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			golden(t, "config-init-"+strings.TrimSuffix(c.file, ".csv")+".yaml", r.stdout)
			g := parseGenerated(t, r.stdout)
			col := g.Input.Columns
			if !slices.Equal(col.OrderID, c.orderID) || col.Consent != c.consent || col.Status != c.status {
				t.Errorf("columns: order_id %q consent %q status %q; want %q %q %q", col.OrderID, col.Consent, col.Status, c.orderID, c.consent, c.status)
			}
			if !sameSet(g.Consent.Granted, c.granted) {
				t.Errorf("consent.granted = %q, want %q", g.Consent.Granted, c.granted)
			}
			if !sameSet(g.Conversion.Statuses, c.statuses) {
				t.Errorf("conversion.statuses = %q, want %q", g.Conversion.Statuses, c.statuses)
			}
			for _, w := range c.offered {
				if !strings.Contains(r.stdout, fmt.Sprintf("  # - %q", w)) {
					t.Errorf("%q is not offered as a commented choice:\n%s", w, r.stdout)
				}
			}
			assertNoCellLeaks(t, export, r.stdout)

			cfg := filepath.Join(t.TempDir(), "hashgate.yaml")
			// Meta is off as written; enabled, the consented visits reach it
			// by the e-mail and phone mapped.
			os.WriteFile(cfg, []byte(withMetaEnabled(t, r.stdout)), 0o600)
			// The English file's region (US) has several zones: config init
			// leaves timezone REQUIRED, and the user sets it.
			d := runCLI(t, map[string]string{"HASHGATE_TIMEZONE": "America/Los_Angeles"}, "", "upload", "--dry-run", "--config", cfg, export)
			if d.code != 0 || !strings.Contains(d.stderr, c.used) {
				t.Errorf("dry-run with the generated config: exit %d, want %q\n%s", d.code, c.used, d.stderr)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// assertNoCellLeaks fails when the output holds a cell of the export that
// is not a header or a word of hashgate's vocabularies: names, phones,
// chart numbers, dates and fees must never reach a generated config.
func assertNoCellLeaks(t *testing.T, path, out string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var dec transform.Transformer
	switch {
	case strings.Contains(path, "big5"):
		dec = traditionalchinese.Big5.NewDecoder()
	case strings.Contains(path, "gbk"):
		dec = simplifiedchinese.GBK.NewDecoder()
	}
	if dec != nil {
		if raw, err = io.ReadAll(transform.NewReader(bytes.NewReader(raw), dec)); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if !strings.Contains(lines[0], ",") || strings.Count(lines[0], ",") < 3 {
		lines = lines[1:] // a title line
	}
	rd := csv.NewReader(strings.NewReader(strings.Join(lines, "\n")))
	rd.FieldsPerRecord = -1
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	words := map[string]bool{}
	// Words of hashgate's vocabularies in these files: printable by the rule.
	for _, w := range []string{"complete", "completed", "broken", "scheduled", "no show", "cancelled", "yes", "no", "y", "n",
		"同意", "不同意", "已完成", "已報到", "未到", "爽約", "預約中", "已到诊", "到店", "爽约", "已取消", "待到诊",
		"同意-仅短信", "同意(僅簡訊)", "yes - sms only", "revoked", "已撤回", "true", "false",
		"none"} { // "none" is also the value policy the config writes
		words[w] = true
	}
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			cell = strings.TrimSpace(cell)
			if len([]rune(cell)) < 3 || words[strings.ToLower(cell)] {
				continue
			}
			if strings.Contains(out, cell) {
				t.Errorf("the output holds the cell %q of %s", cell, filepath.Base(path))
			}
		}
	}
}

// TestConfigInitTraps: over every trap fixture, what config init proposes
// for the keys that decide what is sent, in one golden table.
func TestConfigInitTraps(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(root, "traps", "*", "export.csv"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no trap exports: %v", err)
	}
	var b strings.Builder
	for _, export := range dirs {
		name := filepath.Base(filepath.Dir(export))
		r := runCLI(t, nil, "", "config", "init", "--from", export)
		if r.code != 0 {
			fmt.Fprintf(&b, "%s\n  refused (exit %d)\n", name, r.code) // the reader's message is its own tests' business
			continue
		}
		g := parseGenerated(t, r.stdout)
		col := g.Input.Columns
		fmt.Fprintf(&b, "%s\n  order_id %q, consent %q, status %q\n  granted %q, statuses %q\n",
			name, col.OrderID, col.Consent, col.Status, g.Consent.Granted, g.Conversion.Statuses)
		assertNoCellLeaks(t, export, r.stdout)
	}
	golden(t, "config-init-traps.txt", b.String())
}

// TestInspectHintsConcernTheirColumn: a birth-date column in m/d/y does not
// make date_order REQUIRED, and five-digit appointment numbers are no Excel
// dates, when the appointment column is ISO.
func TestInspectHintsConcernTheirColumn(t *testing.T) {
	r := runCLI(t, nil, "", "inspect", filepath.Join(root, "onboarding", "open-dental-like.csv"))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, hint := range []string{"date_order", "excel_dates"} {
		if strings.Contains(r.stdout, hint) {
			t.Errorf("inspect hints %s for a column that is not the appointment's:\n%s", hint, r.stdout)
		}
	}
	// The same shapes in the appointment column do call for the settings.
	for _, c := range []struct{ trap, hint string }{
		{"13-us-dates-open-dental", "date_order"},
		{"12-excel-serial-dates", "excel_dates"},
	} {
		r := runCLI(t, nil, "", "inspect", filepath.Join(root, "traps", c.trap, "export.csv"))
		if !strings.Contains(r.stdout, c.hint) {
			t.Errorf("%s: inspect does not hint %s:\n%s", c.trap, c.hint, r.stdout)
		}
	}
}

// TestConfigInitEscapesWhatItCopiesIntoComments: an export whose path
// holds a newline (and a bidi override) cannot end config init's comment
// and write keys of its own: the generated config has exactly the keys it
// would have for a plain name, and the path appears quoted.
func TestConfigInitEscapesWhatItCopiesIntoComments(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "example", "appointments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.csv")
	hostile := filepath.Join(dir, "x.csv\nconsent:\n  granted: [\"no\"]\nzqinjected: 1\n#\u202e")
	for _, p := range []string{plain, hostile} {
		if err := os.WriteFile(p, src, 0o600); err != nil {
			t.Skipf("this file system refuses the name: %v", err)
		}
	}
	want := runCLI(t, nil, "", "config", "init", "--from", plain)
	got := runCLI(t, nil, "", "config", "init", "--from", hostile)
	if got.code != ExitOK || want.code != ExitOK {
		t.Fatalf("exit %d / %d\n%s", got.code, want.code, got.stderr)
	}
	if strings.Contains(got.stdout, "zqinjected") && !strings.Contains(got.stdout, `\nzqinjected`) {
		t.Errorf("the path's newline wrote a key:\n%s", got.stdout)
	}
	if strings.ContainsRune(got.stdout, '\u202e') {
		t.Error("a bidi override was copied as is")
	}
	var a, b map[string]any
	if err := yaml.Unmarshal([]byte(got.stdout), &a); err != nil {
		t.Fatalf("not YAML: %v\n%s", err, got.stdout)
	}
	yaml.Unmarshal([]byte(want.stdout), &b)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("the hostile path changed the config:\n%v\nwant\n%v", a, b)
	}
}

// TestConfigInitSaysWhatItWroteAndWhatNext: config init ends, on stderr,
// with what it wrote, what is left to answer and the next command; with
// --header-row it reads the named line as the header and writes it.
func TestConfigInitSaysWhatItWroteAndWhatNext(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export.csv")
	body := "Clinic report 2026-11\nAppt No,Appt Date,Appt Time,Status,Mobile,Marketing Consent,Vendor Col\n"
	for i := range 6 {
		body += fmt.Sprintf("%d,2026-11-%02d,09:%02d,Complete,(312) 555-01%02d,Yes,v%d\n", 100+i, 2+i, 10+i, i, i%2)
	}
	os.WriteFile(export, []byte(body), 0o600)
	out := filepath.Join(dir, "hashgate.yaml")
	r := runCLI(t, nil, "", "config", "init", "--from", export, "--out", out, "--header-row", "2")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"wrote a config to " + out, "to answer: timezone", "next: hashgate config validate --config " + out} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	text, _ := os.ReadFile(out)
	for _, want := range []string{"header_row: 2", `order_id: ["Appt No"]`, `timezone: "<ASK>"  # ASK:`} {
		if !strings.Contains(string(text), want) {
			t.Errorf("config lacks %q:\n%s", want, text)
		}
	}
	if r := runCLI(t, nil, "", "config", "init", "--header-row", "2"); r.code != ExitUsage {
		t.Errorf("--header-row without --from: exit %d", r.code)
	}
}

// TestInspectEmptyFile: a 0-byte export says it is empty, not that a
// header is missing.
func TestInspectEmptyFile(t *testing.T) {
	export := filepath.Join(t.TempDir(), "empty.csv")
	os.WriteFile(export, nil, 0o600)
	for _, args := range [][]string{{"inspect", export}, {"config", "init", "--from", export}} {
		r := runCLI(t, nil, "", args...)
		if r.code == 0 || !strings.Contains(r.stderr, "the file is empty (0 bytes)") {
			t.Errorf("%v: exit %d, %s", args, r.code, r.stderr)
		}
	}
}

// TestConfigInitFoldsSourceSpellings: a front desk types one channel many
// ways. config init and inspect count the spellings of one word as that
// word — case and width ("Google", "google ", "ＧＯＯＧＬＥ"), spaces and
// punctuation ("Google Ads", "Google-Ads", "GoogleAds"; "LINE@", "Line @"),
// traditional and simplified characters ("google 廣告", "google 广告";
// "朋友介紹", "朋友介绍") — the way the channel report matches them
// (printable.Key), and never print a cell's own spelling.
func TestConfigInitFoldsSourceSpellings(t *testing.T) {
	spellings := []string{"Google", "google ", "ＧＯＯＧＬＥ", "Google Ads", "Google-Ads", "GoogleAds", "google 廣告", "google 广告",
		"LINE@", "Line @", "朋友介紹", "朋友介绍"}
	dir := t.TempDir()
	export := filepath.Join(dir, "export.csv")
	body := "Appointment ID,Appointment Time,Status,Source,Fee\n"
	for i := range 3 * len(spellings) {
		body += fmt.Sprintf("A%d,2026-11-%02d 10:00,completed,%s,1000\n", i, 1+i%28, spellings[i%len(spellings)])
	}
	os.WriteFile(export, []byte(body), 0o600)
	r := runCLI(t, nil, "", "config", "init", "--from", export)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "not channel words") {
		t.Errorf("config init left spellings of known words unshown:\n%s", r.stdout)
	}
	for _, want := range []string{
		`sources: ["google", "google ads", "adwords", "谷歌", "google 廣告", "谷歌广告"]`,
		"- name: \"LINE\"  # seen in 6 rows",
		"- name: \"Referral\"  # seen in 6 rows",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("config lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, raw := range []string{"Google-Ads", "GoogleAds", "ＧＯＯＧＬＥ", "google 广告", "Line @"} {
		if strings.Contains(r.stdout, raw) {
			t.Errorf("config init copied the cell spelling %q", raw)
		}
	}
	r = runCLI(t, nil, "", "inspect", export)
	if r.code != 0 {
		t.Fatalf("inspect: exit %d: %s", r.code, r.stderr)
	}
	// Three spellings of google, three of google ads, two of google 廣告:
	// each counted as one word, under hashgate's spelling. A spelling that
	// is itself a word of the vocabulary keeps it ("line", "朋友介绍"); its
	// channel counts them together above.
	for _, want := range []string{"google ×9", "google ads ×9", "google 廣告 ×6", "line ×3, line@ ×3", "朋友介紹 ×3, 朋友介绍 ×3"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("inspect lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "rows hold other values") {
		t.Errorf("inspect left spellings of known words unshown:\n%s", r.stdout)
	}
}

// TestConfigInitAsksWhatDatesCannotProve: dates with a two-digit year at
// either end (24/06/08) prove no order by a field above 12 — config init
// once wrote date_order: dmy "proved", and the dry-run read 2008-06-24 —
// and an appointment column in a form no default layout reads ("Nov 13,
// 2026 9:00 AM") gets an ASK for input.time_formats instead of a silent
// mapping whose dry-run excluded every row. Neither prints a date of the
// export.
func TestConfigInitAsksWhatDatesCannotProve(t *testing.T) {
	dir := t.TempDir()
	write := func(name, dates string) string {
		var b strings.Builder
		b.WriteString("Appointment ID,Appointment Date,Status,Email,Mobile,Marketing Consent\n")
		for i := 1; i <= 6; i++ {
			fmt.Fprintf(&b, "A%d,%q,Completed,zq%d@example.com,(312) 555-010%d,Yes\n", i, fmt.Sprintf(dates, i+12, i+5, i+2), i, i)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		name, dates string
		want        []string
	}{
		{"short-years.csv", "24/%02[2]d/%02[3]d", []string{`date_order: "<ASK>"  # ASK: dates with a two-digit year`, "ymd (2024-06-08), dmy (24 June 2008) or mdy"}},
		{"month-names.csv", "Nov %[1]d, 2026 9:00 AM", []string{`# ASK: most values of "Appointment Date" are in no date form`, `time_formats: ["<ASK>"]`}},
	} {
		export := write(c.name, c.dates)
		r := runCLI(t, nil, "", "config", "init", "--from", export)
		if r.code != ExitOK {
			t.Fatalf("%s: exit %d: %s", c.name, r.code, r.stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%s: no %q in\n%s", c.name, w, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "date_order: dmy") || strings.Contains(r.stdout, "date_order: mdy") {
			t.Errorf("%s: a date order written as proved:\n%s", c.name, r.stdout)
		}
		assertNoCellLeaks(t, export, r.stdout+r.stderr)
	}
}

// TestConfigInitAsksTheZoneOfATimedOrderID (a review of time handling): an
// export whose times state their offset and which has no appointment id
// gets the order id chart number + appointment time. config init left
// timezone empty for it ("before running channels"), uploads ran, and the
// same visits re-exported with other offsets were sent again. It asks the
// zone as an open question now, and a config that leaves it empty is
// refused, naming timezone.
func TestConfigInitAsksTheZoneOfATimedOrderID(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export.csv")
	body := "Chart No,Visit Time,Status,Mobile,Marketing Consent\n"
	for i := range 6 {
		body += fmt.Sprintf("C%03d,2026-11-%02dT09:30:00-05:00,Complete,(312) 555-01%02d,Yes\n", i, 2+i, i)
	}
	os.WriteFile(export, []byte(body), 0o600)
	out := filepath.Join(dir, "hashgate.yaml")
	if r := runCLI(t, nil, "", "config", "init", "--from", export, "--out", out); r.code != 0 || !strings.Contains(r.stderr, "to answer: timezone (the order id includes the appointment time") {
		t.Fatalf("exit %d; want timezone among the questions:\n%s", r.code, r.stderr)
	}
	text, _ := os.ReadFile(out)
	for _, want := range []string{`order_id: ["Chart No", "Visit Time"]`, `timezone: "<ASK>"  # ASK:`} {
		if !strings.Contains(string(text), want) {
			t.Errorf("config lacks %q:\n%s", want, text)
		}
	}
	empty := regexp.MustCompile(`(?m)^timezone: .*$`).ReplaceAllString(string(text), `timezone: ""`)
	os.WriteFile(out, []byte(empty), 0o600)
	if r := runCLI(t, nil, "", "config", "validate", "--config", out); r.code != ExitUsage || !strings.Contains(r.stderr, "timezone: required when input.columns.order_id includes the appointment time") {
		t.Errorf("an empty timezone for that order id: exit %d; want exit 2 naming timezone\n%s", r.code, r.stderr)
	}
}
