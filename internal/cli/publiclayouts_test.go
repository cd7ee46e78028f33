package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
)

// Exports in public clinic-system layouts, kept with inspect's fixtures
// (internal/inspect/testdata, README.md there names each layout's source):
// the review of 2026-12-06 ran config init, config validate and a dry-run
// on them.
const layouts = "../inspect/testdata"

// initFrom runs config init on a layout and returns the config it wrote.
func initFrom(t *testing.T, file string) (config, stderr string) {
	t.Helper()
	r := runCLI(t, nil, "", "config", "init", "--from", filepath.Join(layouts, file))
	if r.code != 0 {
		t.Fatalf("config init --from %s: exit %d: %s", file, r.code, r.stderr)
	}
	return r.stdout, r.stderr
}

// TestConsentColumnThatIsNoConsentRefused: Cliniko's patient and
// appointment flags (docs.api.cliniko.com/openapi/reference/tag/Patient),
// all true/false. Mapped as the consent with "true" granted, "Patient
// Arrived" passed config validate and the dry-run counted every arrival
// as consented; "Accepted Email Marketing", a channel consent inspect
// itself rules out, passed too. config validate, the dry-run and write
// refuse each, naming the key (write writing no file); the ad consent a
// clinic adds passes.
func TestConsentColumnThatIsNoConsentRefused(t *testing.T) {
	text, _ := initFrom(t, "cliniko-patient-flags.csv")
	// Its times carry their offset: config init leaves the zone empty.
	text = mustReplace(t, text, "\ntimezone: \"\"", "\ntimezone: Australia/Sydney #")
	text = mustReplace(t, text, "  granted: []", "  granted: [\"true\"] #")
	export := filepath.Join(layouts, "cliniko-patient-flags.csv")
	for _, h := range []string{"Patient Arrived", "Did Not Arrive", "Accepted Email Marketing", "Accepted SMS Marketing", "Accepted Privacy Policy"} {
		cfg := mustReplace(t, text, "    consent: \"\"", "    consent: \""+h+"\"")
		if strings.Contains(text, "    status: \""+h+"\"") {
			cfg = mustReplace(t, cfg, "    status: \""+h+"\"", "    status: \"\"")
			cfg = strings.Replace(cfg, "\n  statuses:\n    - \"true\"", "\n  statuses: []\n  # - \"true\"", 1)
		}
		path := filepath.Join(t.TempDir(), "hashgate.yaml")
		if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		v := runCLI(t, nil, "", "config", "validate", "--config", path)
		want := "input.columns.consent: \"" + h + "\" names"
		if v.code != ExitUsage || !strings.Contains(v.stderr, want) {
			t.Errorf("config validate with consent %q: exit %d, want 2 and %q:\n%s", h, v.code, want, v.stderr)
		}
		d := runCLI(t, nil, "", "upload", "--dry-run", "--config", path, export)
		if d.code != ExitUsage || !strings.Contains(d.stderr, want) || strings.Contains(d.stderr, " used, ") {
			t.Errorf("dry-run with consent %q: exit %d, want 2 and %q:\n%s", h, d.code, want, d.stderr)
		}
		// write has no check of its own: prepare's refusal is all it has.
		out := filepath.Join(t.TempDir(), "meta.csv")
		w := runCLI(t, map[string]string{"HASHGATE_SECRET": goldenSecret}, "", "write", "--format", "meta-offline-csv", "--out", out, "--config", path, export)
		if _, err := os.Stat(out); w.code != ExitUsage || !strings.Contains(w.stderr, want) || !os.IsNotExist(err) {
			t.Errorf("write with consent %q: exit %d (file: %v), want 2, %q and no file:\n%s", h, w.code, err, want, w.stderr)
		}
	}
}

// answerUK fills in what config init asks of a UK export.
func answerUK(t *testing.T, text string) string {
	t.Helper()
	text = mustReplace(t, text, "\ntimezone: \"<ASK>\"", "\ntimezone: Europe/London #")
	text = mustReplace(t, text, "\nregion: \"<ASK>\"", "\nregion: GB #")
	return mustReplace(t, text, "  currency: \"\"", "  currency: GBP #")
}

// TestUnknownConsentWordsSayWhereToLook: Phorest's consent answers
// (support.phorest.com/hc/en-us/articles/360017457239: Opt in, Opt out,
// Not now). config init proposes "Opted in", offers "Opted out", and
// counts "Not now" with where to look — it said only "not shown" when no
// word was known. With words the config does not know, the dry-run's
// warning pointed to 'hashgate inspect' for the consent words seen, which
// shows none of them (hashgate prints no cell but its own words): it says
// to look at the column in the export.
func TestUnknownConsentWordsSayWhereToLook(t *testing.T) {
	const look = "look at the column in the export"
	text, _ := initFrom(t, "phorest-opt-in-words.csv")
	for _, want := range []string{"  granted:\n    - \"opted in\"", "  # - \"opted out\"", "2 more rows hold values", look} {
		if !strings.Contains(text, want) {
			t.Errorf("config init does not write %q:\n%s", want, text)
		}
	}
	// No word known at all: the count, and where to look.
	rows := [][]string{{"Appointment ID", "Appointment Time", "Email", "Status", "Ad Consent"}}
	for i := range 6 {
		rows = append(rows, []string{fmt.Sprint(100 + i), fmt.Sprintf("2026-11-%02d 09:30", 2+i), fmt.Sprintf("canary.w%d@example.com", i),
			"Completed", []string{"Zqagreed", "Zqnotnow"}[i%2]})
	}
	r := runCLI(t, nil, "", "config", "init", "--from", writeExport(t, rows))
	if r.code != 0 || !strings.Contains(r.stdout, "  granted: []") || !strings.Contains(r.stdout, "6 rows hold values that are no word hashgate knows") ||
		!strings.Contains(r.stdout, look) {
		t.Errorf("no consent word known: exit %d, want the count and %q:\n%s", r.code, look, r.stdout)
	}
	// The dry-run's warning, with consent.granted in words the export
	// does not use.
	cfg := answerUK(t, text)
	cfg = mustReplace(t, cfg, "  granted:\n    - \"opted in\"", "  granted:\n    - \"yes\"")
	path := filepath.Join(t.TempDir(), "hashgate.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	d := runCLI(t, nil, "", "upload", "--dry-run", "--out", filepath.Join(t.TempDir(), "review.csv"), "--config", path, filepath.Join(layouts, "phorest-opt-in-words.csv"))
	if d.code != 0 || !strings.Contains(d.stderr, "neither granted nor a refusal") || !strings.Contains(d.stderr, look) ||
		strings.Contains(d.stderr, "shows the consent words seen") {
		t.Errorf("dry-run: exit %d, want the warning to say %q:\n%s", d.code, look, d.stderr)
	}
}

// TestArrivalsListSaysWhatItsStatusIs: 维乐口腔's 到诊明细表
// (his.wellekq.com/article/255), an arrivals list whose 状态 holds 复诊/初诊
// and whose introducer 介绍人 is empty. config init proposed 介绍人 as the
// source and offered 复诊 alone as a status word, and a config listing it
// dropped every first visit. It maps 二级来源 (filled, and more of its rows
// are channel words than 一级来源's), leaves the status unmapped, and says
// in the file and in the summary what 状态 holds.
func TestArrivalsListSaysWhatItsStatusIs(t *testing.T) {
	text, summary := initFrom(t, "wellekq-arrivals.csv")
	g := parseGenerated(t, text)
	if g.Input.Columns.Status != config.Unanswered || len(g.Conversion.Statuses) > 0 {
		t.Errorf("status %q with statuses %q, want none: 状态 holds kinds of visit", g.Input.Columns.Status, g.Conversion.Statuses)
	}
	for _, want := range []string{"    source: \"二级来源\"", "#   \"状态\" — kinds of visit"} {
		if !strings.Contains(text, want) {
			t.Errorf("config init does not write %q:\n%s", want, text)
		}
	}
	if !strings.Contains(summary, "to answer: input.columns.status (\"状态\" holds kinds of visit") {
		t.Errorf("the summary does not say what 状态 holds:\n%s", summary)
	}
}

// TestBlankConsentColumnOnAFirstSetup: Centaur Dental4Windows' appointment
// book (the layout of testdata/exports/23-dental4windows-au; statuses from
// centaursoftware.zohodesk.com.au) with its Marketing Consent column blank
// in every row, as before the clinic starts collecting it. config init's
// summary said "no column recognised", and with the column mapped the
// dry-run's warning said "the export no longer fills the column": wrong on
// a first setup, where it never did. Both say what is so.
func TestBlankConsentColumnOnAFirstSetup(t *testing.T) {
	text, summary := initFrom(t, "d4w-blank-consent.csv")
	if !strings.Contains(summary, "to answer: input.columns.consent (\"Marketing Consent\" is empty in every row") ||
		strings.Contains(summary, "consent (no column recognised") {
		t.Errorf("the summary does not say the consent column is empty:\n%s", summary)
	}
	text = mustReplace(t, text, "\ntimezone: \"<ASK>\"", "\ntimezone: Australia/Melbourne #")
	text = mustReplace(t, text, "    consent: \"\"", "    consent: \"Marketing Consent\"")
	text = mustReplace(t, text, "  granted: []", "  granted: [\"Yes\"] #")
	path := filepath.Join(t.TempDir(), "hashgate.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	d := runCLI(t, nil, "", "upload", "--dry-run", "--out", filepath.Join(t.TempDir(), "review.csv"), "--config", path, filepath.Join(layouts, "d4w-blank-consent.csv"))
	if d.code != 0 || !strings.Contains(d.stderr, "consent_missing") || strings.Contains(d.stderr, "no longer fills") ||
		!strings.Contains(d.stderr, "the export does not fill the column") {
		t.Errorf("dry-run, first setup: exit %d, want the blank column said as not filled (yet), not as no longer:\n%s", d.code, d.stderr)
	}
}

// TestConfigInitProposesDecimalComma: a semicolon export of a
// decimal-comma locale (Excel's de_DE defaults: decimal comma, list
// separator semicolon) with fees "150,00", "1.250,00": config init did not
// propose input.decimal_comma. It does, and the config loads.
func TestConfigInitProposesDecimalComma(t *testing.T) {
	text, _ := initFrom(t, "semicolon-decimal-comma.csv")
	if !strings.Contains(text, "\n  decimal_comma: true\n") {
		t.Errorf("config init does not propose input.decimal_comma:\n%s", text)
	}
	text = answerUK(t, text)
	path := filepath.Join(t.TempDir(), "hashgate.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if v := runCLI(t, nil, "", "config", "validate", "--config", path); v.code != 0 {
		t.Errorf("config validate: exit %d:\n%s", v.code, v.stderr)
	}
	// Sent as the actual fee, every fee reads (Meta enabled: the export
	// has no click ids, so Google takes none).
	if err := os.WriteFile(path, []byte(withMetaEnabled(t, mustReplace(t, text, "\n  value: fixed\n", "\n  value: actual\n"))), 0o600); err != nil {
		t.Fatal(err)
	}
	d := runCLI(t, nil, "", "upload", "--dry-run", "--out", filepath.Join(t.TempDir(), "review.csv"), "--config", path, filepath.Join(layouts, "semicolon-decimal-comma.csv"))
	if d.code != 0 || strings.Contains(d.stderr, "value_not_a_number") || !strings.Contains(d.stderr, "7 used") {
		t.Errorf("dry-run with conversion.value actual: exit %d, want 7 used and every fee read:\n%s", d.code, d.stderr)
	}
	if text, _ := initFrom(t, "d4w-blank-consent.csv"); strings.Contains(text, "decimal_comma") {
		t.Errorf("decimal_comma proposed for an export with dots:\n%s", text)
	}
}

// TestAnOlderInitsConsentMappingStopsAfterTheUpgrade: an older config init
// mapped a mainland export's 是否初诊 (first visit) as the consent, and
// after the upgrade config validate said valid and the dry-run sent every
// first-visit patient (the upgrade review: testdata/exports 31 names the
// trap, with 是否已发送提醒, a reminder flag, beside it). Such a column,
// whose header names something else and no consent, is refused as the
// status, the channels and the opt-outs are.
func TestAnOlderInitsConsentMappingStopsAfterTheUpgrade(t *testing.T) {
	export := filepath.Join(root, "exports", "31-cn-first-visit-flag", "export.csv")
	r := runCLI(t, nil, "", "config", "init", "--from", export)
	if r.code != 0 {
		t.Fatalf("config init: exit %d: %s", r.code, r.stderr)
	}
	text := mustReplace(t, r.stdout, "  granted: []", "  granted: [\"是\"] #")
	// A mainland export: config init writes every destination disabled
	// (PIPL); the clinic of this review had enabled Google.
	text = mustReplace(t, text, "  google:\n    enabled: false\n", "  google:\n    enabled: true\n")
	for _, h := range []string{"是否初诊", "是否已发送提醒"} {
		path := filepath.Join(t.TempDir(), "hashgate.yaml")
		saveConfig(t, path, mustReplace(t, text, "    consent: \"\"", "    consent: \""+h+"\""))
		want := "input.columns.consent: \"" + h + "\" names"
		if v := runCLI(t, nil, "", "config", "validate", "--config", path); v.code != ExitUsage || !strings.Contains(v.stderr, want) {
			t.Errorf("config validate with consent %q: exit %d, want 2 and %q:\n%s", h, v.code, want, v.stderr)
		}
		if d := runCLI(t, nil, "", "upload", "--dry-run", "--config", path, export); d.code != ExitUsage || strings.Contains(d.stderr, "used") {
			t.Errorf("dry-run with consent %q: exit %d, want 2 before a row is used:\n%s", h, d.code, d.stderr)
		}
	}
}
