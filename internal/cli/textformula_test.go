package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Excel's text formula ="0912345678": clinic systems and hand-made
// exports write identifiers so to keep a leading zero, raw or RFC-quoted
// ("=""0912345678"""); Excel shows 0912345678, and a re-save writes that.
// The wrapped export and its plain re-save are one export.

// formulaExport writes the bundled example with a chart column added (the
// patient key), its cells of the columns named in wrap written as text
// formulas — raw where the cell allows it (no comma, quote or line break:
// the raw form is unquoted), else RFC-quoted — or every cell and header
// cell with every=true. With none, the plain file.
func formulaExport(t *testing.T, quoted, every bool, wrap ...string) string {
	t.Helper()
	cr := csv.NewReader(strings.NewReader(mustRead(t, filepath.Join("..", "..", "testdata", "example", "appointments.csv"))))
	cr.FieldsPerRecord = -1 // its short row stays short
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := append(slices.Clone(recs[0]), "chart_no")
	var b strings.Builder
	for i, rec := range recs {
		switch {
		case i == 0:
			rec = header
		case len(rec) == len(recs[0]):
			rec = append(rec, "0"+strings.TrimLeft(rec[0], "A")) // 00001: a leading zero, as such keys have
		}
		for j, c := range rec {
			if j > 0 {
				b.WriteByte(',')
			}
			if c != "" && (every || i > 0 && slices.Contains(wrap, header[j])) {
				c = `="` + strings.ReplaceAll(c, `"`, `""`) + `"`
				if quoted || strings.ContainsAny(c, ",\n") {
					c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
				}
			} else if strings.ContainsAny(c, ",\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	p := filepath.Join(t.TempDir(), "appointments.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// formulaConfig is configs/example.yaml uploading to the fakes, with the
// chart column as the patient key and, when composite, the order id
// joined from the appointment id and time.
func formulaConfig(t *testing.T, gURL, mURL string, composite bool) string {
	t.Helper()
	b := resaveBase{name: "example", export: "testdata/example/appointments.csv", config: "configs/example.yaml"}
	if composite {
		b.orderID = []string{"appointment_id", "appointment_time"}
	}
	p := baseConfig(t, b, gURL, mURL, "")
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(mustRead(t, p)), &doc); err != nil {
		t.Fatal(err)
	}
	doc["input"].(map[string]any)["columns"].(map[string]any)["patient_key"] = "chart_no"
	out, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTextFormulaExportIsItsPlainResave: the example with its phone,
// order-id and patient-key cells written as text formulas, raw and
// RFC-quoted — and with every cell and header cell so written — gives the
// plain file's dry-run: the same review CSV (event ids, times, values,
// every hash) and the same counts. Before, every wrapped phone was
// dropped and every id was another than the plain file's.
func TestTextFormulaExportIsItsPlainResave(t *testing.T) {
	env := googleEnv(t)
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	for _, composite := range []bool{false, true} {
		cfg := formulaConfig(t, gURL, mURL, composite)
		want, r := reviewIDs(t, env, cfg, formulaExport(t, false, false))
		if len(want) < 2 {
			t.Fatalf("the plain example gives no conversions: exit %d\n%s", r.code, r.stderr)
		}
		for _, v := range []struct {
			name          string
			quoted, every bool
		}{{"raw", false, false}, {"quoted", true, false}, {"every-cell", true, true}} {
			got, r := reviewIDs(t, env, cfg, formulaExport(t, v.quoted, v.every, "mobile", "appointment_id", "chart_no"))
			if !slices.Equal(got, want) {
				t.Errorf("composite=%v %s: the dry-run differs from the plain file's (exit %d)\n got %q\nwant %q\n%s", composite, v.name, r.code, got, want, r.stderr)
			}
		}
	}
}

// TestTextFormulaThenPlainResaveSendsNothingTwice: the wrapped export is
// uploaded one night, the analyst's plain re-save of it the next: the
// second night sends nothing (before, every visit went again under
// another event id).
func TestTextFormulaThenPlainResaveSendsNothingTwice(t *testing.T) {
	for _, quoted := range []bool{false, true} {
		dm, gURL := googleFake(t, nil)
		g, mURL := metaFake(t, nil)
		env := googleEnv(t)
		cfg := formulaConfig(t, gURL, mURL, false)
		first := runGoogle(t, env, "", true, "upload", "--backfill", "--config", cfg, formulaExport(t, quoted, false, "mobile", "appointment_id", "chart_no"))
		if first.code != 0 || len(dm.Accepted()) == 0 || len(g.Accepted()) == 0 {
			t.Fatalf("quoted=%v: first night: exit %d, google %d, meta %d accepted\n%s", quoted, first.code, len(dm.Accepted()), len(g.Accepted()), first.stderr)
		}
		gReq, mReq := dm.Requests(), g.Requests()
		again := runGoogle(t, env, "", true, "upload", "--config", cfg, formulaExport(t, false, false))
		if again.code != 0 || dm.Requests() != gReq || g.Requests() != mReq {
			t.Errorf("quoted=%v: the plain re-save sent again: exit %d, google requests %d → %d, meta %d → %d\n%s",
				quoted, again.code, gReq, dm.Requests(), mReq, g.Requests(), again.stderr)
		}
	}
}

// TestTextFormulaExportInspectsAsPlain: inspect and config init sample
// the export's cells to propose a mapping; written as text formulas —
// every cell and header cell — they propose what they propose for the
// plain file.
func TestTextFormulaExportInspectsAsPlain(t *testing.T) {
	plain, wrapped := formulaExport(t, false, false), formulaExport(t, true, true)
	for _, args := range [][]string{{"inspect", "--json"}, {"config", "init", "--from"}} {
		want := runCLI(t, nil, "", append(slices.Clone(args), plain)...)
		got := runCLI(t, nil, "", append(slices.Clone(args), wrapped)...)
		if want.code != 0 {
			t.Fatalf("%v on the plain file: exit %d\n%s", args, want.code, want.stderr)
		}
		if g, w := strings.ReplaceAll(got.stdout, wrapped, plain), want.stdout; got.code != want.code || g != w {
			t.Errorf("%v: the wrapped export's (exit %d)\n%s\ndiffers from the plain file's (exit %d)\n%s", args, got.code, g, want.code, w)
		}
	}
}
