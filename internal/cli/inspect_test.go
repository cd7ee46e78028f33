package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInspectPrintsNoCellValue: inspect and config init over the canary
// export and every trap fixture print no personal value, in text or JSON.
func TestInspectPrintsNoCellValue(t *testing.T) {
	type target struct {
		export string
		values []string
	}
	targets := []target{{root + "/canary/export.csv", canaries(t)}}
	dirs, _ := filepath.Glob(filepath.Join(root, "traps", "*", "export.csv"))
	for _, e := range dirs {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(e), "canaries.txt"))
		if err != nil {
			t.Fatal(err)
		}
		var forms []string
		for _, v := range strings.Fields(strings.ReplaceAll(string(b), " ", "\u00a0")) {
			forms = append(forms, canaryForms(v)...)
		}
		targets = append(targets, target{e, forms})
	}
	// A glob that finds no fixture checks nothing (as TestTraps' n < 26).
	if len(targets) < 27 {
		t.Fatalf("only %d exports to inspect: run go run testdata/traps/gen.go", len(targets))
	}
	for _, tg := range targets {
		for _, args := range [][]string{{"inspect", tg.export}, {"inspect", "--json", tg.export}, {"config", "init", "--from", tg.export}} {
			r := runCLI(t, nil, "", args...)
			out := strings.ToLower(r.stdout + r.stderr)
			for _, v := range tg.values {
				v = strings.ToLower(strings.ReplaceAll(v, "\u00a0", " "))
				if v != "" && strings.Contains(out, v) {
					t.Errorf("%v printed the cell value %q", args, v)
				}
			}
		}
	}
}

// TestInspectGolden shows the analyst's view of a Big5 Taiwanese report.
func TestInspectGolden(t *testing.T) {
	r := runCLI(t, nil, "", "inspect", root+"/traps/02-big5-auto-tw-his/export.csv")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "inspect-tw-his.txt", r.stdout)
}

// TestConfigInitFromExportRuns: the config written from an export loads
// and runs a dry-run that sends the rows a hand-written config would.
func TestConfigInitFromExportRuns(t *testing.T) {
	for _, c := range []struct {
		export string
		used   string
	}{
		{root + "/traps/02-big5-auto-tw-his/export.csv", "1 used"},
		{root + "/traps/19-cn-mobiles-cn-clinic/export.csv", "3 used"},
		{root + "/example/appointments.csv", "used"},
	} {
		out := filepath.Join(t.TempDir(), "hashgate.yaml")
		r := runCLI(t, nil, "", "config", "init", "--from", c.export, "--out", out)
		if r.code != ExitOK {
			t.Fatalf("config init: exit %d: %s", r.code, r.stderr)
		}
		if again := runCLI(t, nil, "", "config", "init", "--out", out); again.code != ExitUsage {
			t.Errorf("config init overwrote %s without --force (exit %d)", out, again.code)
		}
		// Meta enabled, as a clinic whose consent covers it would: the
		// rows a hand-written config sends reach it by e-mail and phone.
		if err := os.WriteFile(out, []byte(withMetaEnabled(t, mustRead(t, out))), 0o600); err != nil {
			t.Fatal(err)
		}
		d := runCLI(t, nil, "", "upload", "--dry-run", "--config", out, c.export)
		if d.code != ExitOK || !strings.Contains(d.stderr, c.used) {
			t.Errorf("%s: dry-run with the generated config: exit %d\n%s", c.export, d.code, d.stderr)
		}
		// The defaults are ones Meta accepts: a Purchase with a value, for
		// visits without a fee (NHI) too.
		if strings.Contains(d.stderr, "purchase_without_value") || !strings.Contains(mustRead(t, out), "value: fixed") {
			t.Errorf("%s: the generated config would have Meta hold visits back:\n%s", c.export, d.stderr)
		}
	}
	// Without --from the template still needs the analyst: it must not
	// pass validation silently (no consent column, no order id).
	blank := filepath.Join(t.TempDir(), "hashgate.yaml")
	if r := runCLI(t, nil, "", "config", "init", "--out", blank); r.code != ExitOK {
		t.Fatal(r.stderr)
	}
	if d := runCLI(t, nil, "", "upload", "--dry-run", "--config", blank, root+"/example/appointments.csv"); d.code != ExitUsage ||
		!strings.Contains(d.stderr, "input.columns.consent") {
		t.Errorf("blank template: exit %d\n%s", d.code, d.stderr)
	}
}

// TestInspectUnrecognisedHeaderPrintsNoDataWord: a header line hashgate
// does not recognise, and data rows holding header-like words (同意,
// phone): the guessed "header" is a patient's row, so none of its cells —
// nor any name, note or number below it — is printed, in text or JSON, by
// inspect or config init. Columns are shown by number.
func TestInspectUnrecognisedHeaderPrintsNoDataWord(t *testing.T) {
	dataWords := []string{"王大明", "陳美玲", "林志玲", "術後回診請提醒", "第三次調整", "複診", "0912-345-678", "zq.mail@example.com", "Zqnote"}
	export := filepath.Join(t.TempDir(), "export.csv")
	body := "甲欄,乙欄,丙欄,丁欄,戊欄\n" +
		"王大明,phone,同意,術後回診請提醒,0912-345-678\n" +
		"陳美玲,mobile,同意,第三次調整,zq.mail@example.com\n" +
		"林志玲,phone,不同意,複診 Zqnote,0912-345-679\n"
	if err := os.WriteFile(export, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"inspect", export}, {"inspect", "--json", export}, {"config", "init", "--from", export}} {
		r := runCLI(t, nil, "", args...)
		if r.code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		out := r.stdout + r.stderr
		for _, w := range dataWords {
			if strings.Contains(out, w) {
				t.Errorf("%v printed the data word %q:\n%s", args, w, out)
			}
		}
		// "phone" and "mobile" are cells of the guessed header row: never
		// a column's name, a quoted config value or a JSON header.
		for _, w := range []string{`"header": "phone"`, `"header": "mobile"`, `["phone"]`, "  phone ", "  mobile "} {
			if strings.Contains(out, w) {
				t.Errorf("%v printed a cell of the guessed header as a name (%s):\n%s", args, w, out)
			}
		}
	}
	// The header is line 1 — its columns turn into phones and addresses
	// below it — not the data row that holds two header words.
	r := runCLI(t, nil, "", "inspect", export)
	if !strings.Contains(r.stdout, "header:    line 1") || !strings.Contains(r.stdout, "戊欄") {
		t.Errorf("the header line is not line 1:\n%s", r.stdout)
	}
	// Without that line the export has no header: its first row holds a
	// phone number, so it is data, and no cell of it is shown as a name.
	headerless := filepath.Join(t.TempDir(), "headerless.csv")
	if err := os.WriteFile(headerless, []byte(strings.SplitN(body, "\n", 2)[1]), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"inspect", headerless}, {"inspect", "--json", headerless}, {"config", "init", "--from", headerless}} {
		r := runCLI(t, nil, "", args...)
		out := r.stdout + r.stderr
		for _, w := range append(dataWords, `"phone"`, `"同意"`, "  phone ") {
			if strings.Contains(out, w) {
				t.Errorf("%v printed %q from a headerless export:\n%s", args, w, out)
			}
		}
	}
	// A first row so full of dates, e-mails and phones that no line ranks
	// as a header at all still counts as data: its cell near a header
	// word ("Chart Zqcanary") is no name either (a reviewer's export, 2026-12-06).
	full := filepath.Join(t.TempDir(), "headerless-full.csv")
	var fb strings.Builder
	for i := range 4 {
		fmt.Fprintf(&fb, "ZQAPPT%02d,2026-11-0%d 09:30,completed,Zqfirst,Zqlast,zq%d@example.com,0912-987-60%d,yes,2026-10-01,1500,TWD,10617,facebook,Chart Zqcanary%d,2026-10-20 10:00\n", i, i+1, i, i, i)
	}
	if err := os.WriteFile(full, []byte(fb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"inspect", full}, {"inspect", "--json", full}, {"config", "init", "--from", full}} {
		r := runCLI(t, nil, "", args...)
		if out := r.stdout + r.stderr; strings.Contains(out, "Zqcanary") || strings.Contains(out, "zq0@") {
			t.Errorf("%v printed a cell of a headerless export's first row:\n%s", args, out)
		}
	}
	r = runCLI(t, nil, "", "inspect", headerless)
	if !strings.Contains(r.stdout, "(column 1)") || !strings.Contains(r.stdout, "names are not shown") {
		t.Errorf("columns of a headerless export are not shown by number:\n%s", r.stdout)
	}
}

// TestInspectPrintsOnlyVocabularyWords: of a column's values only words of
// hashgate's vocabularies are shown (facebook, completed, yes); a value
// repeated in a column of few values (介紹人:<name> ×6) is counted, not shown,
// and a treatment column shows nothing in any language.
func TestInspectPrintsOnlyVocabularyWords(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,at,status,phone,consent,source,treatment\n")
	for i := range 12 {
		src, tr := "Facebook", "植牙"
		if i%2 == 0 {
			src, tr = "介紹人:王大明", "completed"
		}
		if i == 11 {
			src = "Ref 20240501" // once, and digit-shaped
		}
		fmt.Fprintf(&b, "A%d,2024-05-02 09:30,completed,0912-345-%03d,yes,%s,%s\n", i, i, src, tr)
	}
	export := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(export, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "", "inspect", export)
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"known words: facebook ×5", "7 rows hold other values, not shown", "  6  source"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("missing %q:\n%s", want, r.stdout)
		}
	}
	if strings.Count(r.stdout, "completed ×") != 1 {
		t.Errorf("a treatment column's value is printed:\n%s", r.stdout)
	}
	for _, never := range []string{"植牙", "20240501", "0912", "介紹人", "王大明"} {
		if strings.Contains(r.stdout, never) {
			t.Errorf("printed %q:\n%s", never, r.stdout)
		}
	}
}

// TestInspectChannelClickIDsGolden: inspect --config with the English
// fixture's channels.list prints the click-id share per channel.
func TestInspectChannelClickIDsGolden(t *testing.T) {
	r := runCLI(t, nil, "", "inspect", "--config", root+"/channels/en.yaml", root+"/channels/export-en.csv")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "click ids by channel") {
		t.Fatalf("no per-channel click ids:\n%s", r.stdout)
	}
	golden(t, "inspect-channels-en.txt", r.stdout)
}

// TestInspectChannelClickIDsPrintNoSourceValue: the source column of a
// clinic holds referrers' and patients' names beside the channel words.
// Counted per channel, none of them is printed — not on the terminal, not
// in --json — and a channel under min_cell is withheld.
func TestInspectChannelClickIDsPrintNoSourceValue(t *testing.T) {
	dir := t.TempDir()
	canaries := []string{"Canary Wang", "王小明金絲雀", "Dr Canary Referral"}
	var b strings.Builder
	b.WriteString("Appointment ID,Appointment Time,Status,Source,gclid\n")
	for i := range 40 {
		src, g := "google", ""
		switch {
		case i%4 == 0:
			src = canaries[i%len(canaries)]
		case i%9 == 0:
			src = "line"
		}
		if i%3 == 0 {
			g = "Cj0KCQiA5rGuBhCnARIsAN11vgR1mJ8Xw2Yk0p7Qy" + fmt.Sprint(i%10)
		}
		fmt.Fprintf(&b, "A%d,2026-11-%02d 10:00,completed,%s,%s\n", i, 1+i%28, src, g)
	}
	export := filepath.Join(dir, "export.csv")
	os.WriteFile(export, []byte(b.String()), 0o600)
	cfg := filepath.Join(dir, "hashgate.yaml")
	os.WriteFile(cfg, []byte("input:\n  columns:\n    source: Source\nchannels:\n  min_cell: 5\n  list:\n"+
		"    - name: Google Ads\n      platform: google\n      sources: [google]\n    - name: LINE\n      sources: [line]\n"), 0o600)
	for _, args := range [][]string{{"inspect", "--config", cfg, export}, {"inspect", "--json", "--config", cfg, export}} {
		r := runCLI(t, nil, "", args...)
		if r.code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		for _, c := range canaries {
			for _, part := range append(strings.Fields(c), c) {
				if strings.Contains(r.stdout+r.stderr, part) && part != "Dr" && part != "Referral" {
					t.Errorf("%v printed %q of a source cell:\n%s", args, part, r.stdout)
				}
			}
		}
		if !strings.Contains(r.stdout, "channel_click_ids") && !strings.Contains(r.stdout, "click ids by channel") {
			t.Errorf("%v: no per-channel click ids:\n%s", args, r.stdout)
		}
		// Exact per-channel counts, outside the release rule: the text
		// says not for sharing under them, and so must the JSON (a
		// privacy officer's review: --json had no word of it).
		if args[1] == "--json" {
			var p struct {
				NotForSharing *bool `json:"not_for_sharing"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &p); err != nil || p.NotForSharing == nil || !*p.NotForSharing {
				t.Errorf("inspect --json with per-channel click ids: not_for_sharing %v (%v)", p.NotForSharing, err)
			}
		}
	}
	r := runCLI(t, nil, "", "inspect", "--config", cfg, export)
	if !strings.Contains(r.stdout, "<5") {
		t.Errorf("LINE's 3 rows not withheld:\n%s", r.stdout)
	}
	// No --config: no per-channel section, and no ./hashgate.yaml is read.
	if r := runCLI(t, nil, "", "inspect", export); strings.Contains(r.stdout, "click ids by channel") {
		t.Errorf("per-channel click ids without a config:\n%s", r.stdout)
	}
}
