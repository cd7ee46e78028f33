package cli

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/inspect"
)

// The corpus of testdata/exports: layouts of the systems clinics use, each
// with the mapping config init must propose, written before the mapper
// read it (see testdata/exports/README.md).

// sweep runs the generator's full sweep (make exports-sweep); the suite runs
// a small deterministic sample.
var sweep = flag.Int("exports-sweep", 0, "variants per layout for the exports generator test (0: the suite's sample)")

// layoutSpec is a layout's expected.yaml.
type layoutSpec struct {
	System      string         `yaml:"system"`
	Encoding    string         `yaml:"encoding"`
	Delimiter   string         `yaml:"delimiter"`
	TitleLines  int            `yaml:"title_lines"`
	Region      string         `yaml:"region"`
	Timezone    string         `yaml:"timezone"`
	ZoneStated  bool           `yaml:"zone_stated"`
	DateOrder   string         `yaml:"date_order"`
	DefaultYear int            `yaml:"default_year"`
	Columns     map[string]any `yaml:"columns"`
	Granted     []string       `yaml:"granted"`
	Statuses    []string       `yaml:"statuses"`
	Used        int            `yaml:"used"`
	Traps       []string       `yaml:"traps"`
}

type layout struct {
	name string
	spec layoutSpec
	text string // export.csv, UTF-8 as stored
}

func loadLayouts(t *testing.T) []layout {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(root, "exports", "[0-9]*"))
	if err != nil || len(dirs) < 20 {
		t.Fatalf("want at least 20 layouts in testdata/exports, found %d (%v)", len(dirs), err)
	}
	var out []layout
	for _, d := range dirs {
		raw, err := os.ReadFile(filepath.Join(d, "expected.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var l layout
		if err := yaml.Unmarshal(raw, &l.spec); err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		text, err := os.ReadFile(filepath.Join(d, "export.csv"))
		if err != nil {
			t.Fatal(err)
		}
		l.name, l.text = filepath.Base(d), string(text)
		out = append(out, l)
	}
	return out
}

// encodeExport writes text in a clinic system's encoding.
func encodeExport(t *testing.T, text, enc string) []byte {
	t.Helper()
	var e encoding.Encoding
	prefix := ""
	switch enc {
	case "utf-8", "":
		return []byte(text)
	case "utf-8-bom":
		return append([]byte{0xEF, 0xBB, 0xBF}, text...)
	case "utf-16":
		e = xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM)
	case "big5":
		e = traditionalchinese.Big5
	case "gbk":
		e = simplifiedchinese.GBK
	default:
		t.Fatalf("unknown encoding %q", enc)
	}
	b, err := e.NewEncoder().Bytes([]byte(prefix + text))
	if err != nil {
		t.Fatalf("encoding to %s: %v", enc, err)
	}
	return b
}

// initConfig is the part of a generated config the score reads.
type initConfig struct {
	Timezone string `yaml:"timezone"`
	Region   string `yaml:"region"`
	Input    struct {
		DateOrder   string         `yaml:"date_order"`
		DefaultYear int            `yaml:"default_year"`
		Columns     map[string]any `yaml:"columns"`
	} `yaml:"input"`
	Consent struct {
		Granted []string `yaml:"granted"`
	} `yaml:"consent"`
	Conversion struct {
		Statuses []string `yaml:"statuses"`
	} `yaml:"conversion"`
	Destinations yaml.Node `yaml:"destinations"`
}

// columnsOf reduces input.columns to key → header list, leaving out keys
// with nothing mapped.
func columnsOf(m map[string]any) map[string][]string {
	out := map[string][]string{}
	for k, v := range m {
		var hs []string
		switch v := v.(type) {
		case string:
			if v != "" {
				hs = []string{v}
			}
		case []any:
			for _, x := range v {
				if s, ok := x.(string); ok && s != "" {
					hs = append(hs, s)
				}
			}
		}
		if len(hs) > 0 {
			out[k] = hs
		}
	}
	return out
}

// mappingDiff lists how got differs from want, key by key. order_id keeps
// its order (it is the event id); other lists are sets.
func mappingDiff(want, got map[string][]string) []string {
	var diffs []string
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	var sorted []string
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		w, g := want[k], got[k]
		if k != "order_id" {
			w, g = slices.Sorted(slices.Values(w)), slices.Sorted(slices.Values(g))
		}
		if !slices.Equal(w, g) {
			diffs = append(diffs, fmt.Sprintf("%s: got %q, want %q", k, g, w))
		}
	}
	return diffs
}

func foldSet(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, strings.ToLower(strings.TrimSpace(w)))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// scoreLayout runs config init on one layout as a newcomer would and says
// what is wrong with the config it wrote, or nothing.
func scoreLayout(t *testing.T, l layout) (misses []string, generated string) {
	t.Helper()
	dir := t.TempDir()
	export := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(export, encodeExport(t, l.text, l.spec.Encoding), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "", "config", "init", "--from", export)
	// The canary reads every output of inspect and config init.
	ins, js := runCLI(t, nil, "", "inspect", export), runCLI(t, nil, "", "inspect", "--json", export)
	assertNoCorpusCells(t, l, r.stderr+ins.stdout+ins.stderr+js.stdout+js.stderr)
	if r.code != 0 {
		return []string{fmt.Sprintf("config init exit %d: %s", r.code, r.stderr)}, ""
	}
	generated = r.stdout
	var g initConfig
	// An open question (config.Unanswered) is no guess: scored as the
	// empty value it was before init wrote the placeholder.
	if err := yaml.Unmarshal([]byte(unanswered(r.stdout)), &g); err != nil {
		return []string{"generated config is not YAML: " + err.Error()}, generated
	}
	misses = append(misses, mappingDiff(columnsOf(l.spec.Columns), columnsOf(g.Input.Columns))...)
	if w, gg := foldSet(l.spec.Granted), foldSet(g.Consent.Granted); !slices.Equal(w, gg) {
		misses = append(misses, fmt.Sprintf("consent.granted: got %q, want %q", gg, w))
	}
	if w, gg := foldSet(l.spec.Statuses), foldSet(g.Conversion.Statuses); !slices.Equal(w, gg) {
		misses = append(misses, fmt.Sprintf("conversion.statuses: got %q, want %q", gg, w))
	}
	if g.Input.DateOrder != l.spec.DateOrder {
		misses = append(misses, fmt.Sprintf("input.date_order: got %q, want %q", g.Input.DateOrder, l.spec.DateOrder))
	}
	if g.Input.DefaultYear != l.spec.DefaultYear {
		misses = append(misses, fmt.Sprintf("input.default_year: got %d, want %d", g.Input.DefaultYear, l.spec.DefaultYear))
	}
	if g.Region != l.spec.Region {
		misses = append(misses, fmt.Sprintf("region: got %q, want %q", g.Region, l.spec.Region))
	}
	// The one edit allowed: the time zone of an export that states none,
	// when config init asked for it.
	cfgText := r.stdout
	switch {
	case g.Timezone == l.spec.Timezone:
	case g.Timezone == "" && !l.spec.ZoneStated:
		cfgText = regexp.MustCompile(`(?m)^timezone: "(<ASK>)?".*$`).ReplaceAllString(cfgText, `timezone: "`+l.spec.Timezone+`"`)
	case g.Timezone == "" && l.spec.ZoneStated:
		// Offsets in the export: the zone only matters for display, and
		// channels; config init still asks for it.
		tz := l.spec.Timezone
		if tz == "" {
			tz = "UTC"
		}
		cfgText = regexp.MustCompile(`(?m)^timezone: "(<ASK>)?".*$`).ReplaceAllString(cfgText, `timezone: "`+tz+`"`)
	default:
		misses = append(misses, fmt.Sprintf("timezone: got %q, want %q", g.Timezone, l.spec.Timezone))
	}
	if len(misses) > 0 {
		return misses, generated
	}
	if _, ok := l.spec.Columns["status"]; !ok {
		// The other allowed edit: the answer to the status question of
		// an export without one (every row is a visit).
		cfgText = regexp.MustCompile(`(?m)^    status: "<ASK>".*$`).ReplaceAllString(cfgText, `    status: ""`)
		cfgText = strings.Replace(cfgText, "  # every_row_is_a_visit: true", "  every_row_is_a_visit: true", 1)
	}
	// The right conversions: the same review CSV as a config written by
	// hand from expected.yaml (destinations as generated: they are policy,
	// not mapping), and the number of rows the layout says are used.
	gen := filepath.Join(dir, "generated.yaml")
	ref := filepath.Join(dir, "reference.yaml")
	// Meta enabled in both (config init writes it off for a clinic): the
	// policy a clinic whose consent covers Meta chooses, and the one that
	// sends the identifier columns this score checks.
	cfgText = withMetaEnabled(t, cfgText)
	if err := yaml.Unmarshal([]byte(unanswered(cfgText)), &g); err != nil {
		return []string{"edited config is not YAML: " + err.Error()}, generated
	}
	os.WriteFile(gen, []byte(cfgText), 0o600)
	if _, ok := l.spec.Columns["consent"]; !ok {
		// No ad-measurement consent in the layout: config init asks for
		// one, and its config sends nothing until a person sets it.
		got := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", gen, export)
		if !strings.Contains(generated, "ASK") || !strings.Contains(r.stderr, "input.columns.consent") {
			misses = append(misses, "no consent column, and config init does not ask for one")
		}
		if got.code != ExitUsage || !strings.Contains(got.stderr, "input.columns.consent: required") {
			misses = append(misses, fmt.Sprintf("no consent column, yet the generated config runs: exit %d: %s", got.code, got.stderr))
		}
		return misses, generated
	}
	if _, ok := l.spec.Columns["order_id"]; !ok {
		// No appointment id and no patient key with a date (a form's
		// answers): config init asks for one, and its config sends
		// nothing until a person sets it.
		got := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", gen, export)
		if !strings.Contains(r.stderr, "input.columns.order_id") {
			misses = append(misses, "no order id, and config init does not ask for one")
		}
		if got.code != ExitUsage || !strings.Contains(got.stderr, "input.columns.order_id: required") {
			misses = append(misses, fmt.Sprintf("no order id, yet the generated config runs: exit %d: %s", got.code, got.stderr))
		}
		return misses, generated
	}
	dest, err := yaml.Marshal(&g.Destinations)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(ref, []byte(referenceConfig(l.spec, string(dest))), 0o600)
	want := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", ref, export)
	got := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", gen, export)
	used := fmt.Sprintf("; %d used,", l.spec.Used)
	switch {
	case want.code != 0 || !strings.Contains(want.stderr, used):
		t.Errorf("%s: the reference config (expected.yaml) does not give %q: exit %d\n%s", l.name, used, want.code, want.stderr)
	case got.code != 0:
		misses = append(misses, fmt.Sprintf("dry-run with the generated config: exit %d: %s", got.code, got.stderr))
	case got.stdout != want.stdout:
		misses = append(misses, "dry-run with the generated config sends other conversions than expected.yaml's mapping:\n"+got.stderr)
	}
	return misses, generated
}

// referenceConfig writes expected.yaml as a config.
func referenceConfig(s layoutSpec, destinations string) string {
	var b strings.Builder
	tz := s.Timezone
	fmt.Fprintf(&b, "timezone: %q\nregion: %q\ninput:\n  encoding: auto\n", tz, s.Region)
	if s.DateOrder != "" {
		fmt.Fprintf(&b, "  date_order: %s\n", s.DateOrder)
	}
	b.WriteString("  columns:\n")
	cols := columnsOf(s.Columns)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range cols {
			if !yield(k) {
				return
			}
		}
	}) {
		q := make([]string, len(cols[k]))
		for i, h := range cols[k] {
			q[i] = fmt.Sprintf("%q", h)
		}
		if k == "order_id" || k == "email" || k == "phone" {
			fmt.Fprintf(&b, "    %s: [%s]\n", k, strings.Join(q, ", "))
		} else {
			fmt.Fprintf(&b, "    %s: %s\n", k, q[0])
		}
	}
	fmt.Fprintf(&b, "consent:\n  granted: %s\n", flowList(s.Granted))
	b.WriteString("conversion:\n")
	if len(s.Statuses) > 0 {
		fmt.Fprintf(&b, "  statuses: %s\n", flowList(s.Statuses))
	}
	cur := map[string]string{"US": "USD", "TW": "TWD", "CN": "CNY", "AU": "AUD", "CA": "CAD"}[s.Region]
	fmt.Fprintf(&b, "  event_name: Purchase\n  value: fixed\n  fixed_value: 1\n  currency: %s\n", cur)
	b.WriteString("destinations:\n")
	for _, line := range strings.Split(strings.TrimRight(destinations, "\n"), "\n") {
		b.WriteString("  " + line + "\n")
	}
	return b.String()
}

func flowList(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = fmt.Sprintf("%q", w)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// TestExportsScore is the onboarding score: on every layout of the corpus,
// config init maps the order id (or its composite), date and time, status
// with its visit words, consent with its granted words, every identifier
// column and the click ids, so that its config sends the conversions
// expected.yaml's mapping sends, with no edit but the time zone of an
// export that states none. It prints the score and fails on any miss.
func TestExportsScore(t *testing.T) {
	layouts := loadLayouts(t)
	pass := 0
	for _, l := range layouts {
		misses, generated := scoreLayout(t, l)
		if len(misses) == 0 {
			pass++
		} else {
			t.Errorf("%s (%s) misses:\n  %s\n%s", l.name, l.spec.System, strings.Join(misses, "\n  "), generated)
		}
		assertNoCorpusCells(t, l, generated)
	}
	t.Logf("onboarding score: %d of %d layouts mapped right on the first try", pass, len(layouts))
	fmt.Printf("onboarding score: %d/%d layouts\n", pass, len(layouts))
}

// cells returns the data cells of a layout (below its header line).
func (l layout) cells(t *testing.T) [][]string {
	t.Helper()
	lines := strings.Split(strings.ReplaceAll(l.text, "\r\n", "\n"), "\n")
	rd := csv.NewReader(strings.NewReader(strings.Join(lines[l.spec.TitleLines:], "\n")))
	rd.Comma = map[string]rune{"comma": ',', "tab": '\t', "semicolon": ';', "pipe": '|'}[l.spec.Delimiter]
	rd.FieldsPerRecord = -1
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", l.name, err)
	}
	return recs
}

// assertNoCorpusCells fails when out holds a data cell of the layout that
// is not a word of hashgate's vocabulary (inspect.Known: consent, status and
// channel words).
func assertNoCorpusCells(t *testing.T, l layout, out string) {
	t.Helper()
	// The export's own path (a temporary directory of digits) is printed
	// by design.
	out = regexp.MustCompile(`/[^\s"'`+"`"+`]*export\.csv`).ReplaceAllString(out, "EXPORT")
	recs := l.cells(t)
	// Column names are printable; a cell that is part of one ("Visit" in
	// "Visit Status") is looked for in the rest of the output.
	for _, h := range append(slices.Clone(recs[0]), unknownHeaders()...) {
		if h = strings.TrimSpace(h); h != "" {
			out = strings.ReplaceAll(out, h, "")
		}
	}
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if leaks(cell, out) {
				t.Errorf("%s: an output holds the cell %q", l.name, cell)
			}
		}
	}
}

// leaks reports whether a data cell appears in out. One- and two-letter
// cells (Y, N, No) and vocabulary words are not looked for.
func leaks(cell, out string) bool {
	cell = strings.TrimSpace(cell)
	n := utf8.RuneCountInString(cell)
	if n == 0 || inspect.Known(cell) {
		return false
	}
	cjk := false
	for _, r := range cell {
		cjk = cjk || unicode.Is(unicode.Han, r)
	}
	if n < 3 && !(cjk && n == 2) {
		return false
	}
	return strings.Contains(out, cell)
}

// exportVariant is one metamorphic change of a layout.
type exportVariant struct {
	desc    string
	text    string
	enc     string
	renamed map[string]string // original header → header in the variant
}

// unknownColumns are clinical and vendor columns hashgate knows nothing
// of; a variant adds some, and the mapping must not change.
var unknownColumns = []struct {
	header string
	value  func(i int) string
}{
	{"ProcCodes2", func(i int) string { return fmt.Sprintf("D%04d CANARYPROC%d", 1100+i, i) }},
	{"Vendor Field 7", func(i int) string { return []string{"A", "B", "C"}[i%3] }},
	{"療程備註", func(i int) string { return fmt.Sprintf("CANARY術後回診%d", i) }},
	{"自定义字段1", func(i int) string { return fmt.Sprintf("CANARY备注%d", i) }},
	{"Op", func(i int) string { return fmt.Sprintf("OP%d", 1+i%3) }},
	{"TreatmentPlanNote", func(i int) string { return fmt.Sprintf("CANARY plan %d", i) }},
}

func unknownHeaders() []string {
	var out []string
	for _, u := range unknownColumns {
		out = append(out, u.header)
	}
	return out
}

// makeVariant changes a layout as clinic software, Excel or an analyst
// would: column order, unknown columns, header spelling, a title line,
// encoding and delimiter.
func makeVariant(t *testing.T, l layout, rng *rand.Rand) exportVariant {
	t.Helper()
	recs := l.cells(t)
	header := recs[0]
	v := exportVariant{renamed: map[string]string{}}
	var desc []string
	// Header spelling: case and separators of ASCII names.
	newHeader := slices.Clone(header)
	for i, h := range header {
		if !isASCII(h) || rng.IntN(3) != 0 {
			continue
		}
		var n string
		switch rng.IntN(3) {
		case 0:
			n = strings.ToUpper(h)
		case 1:
			n = strings.ToLower(h)
		default:
			n = strings.ReplaceAll(h, " ", "_")
		}
		if n != h && !slices.Contains(newHeader, n) {
			newHeader[i] = n
			desc = append(desc, fmt.Sprintf("%q→%q", h, n))
		}
	}
	// One typo: two neighbouring letters swapped inside a long ASCII name
	// ("AptStatsu"), as a hand-edited export has them.
	if rng.IntN(3) == 0 {
		var long []int
		for i, h := range newHeader {
			if isASCII(h) && len(h) >= 7 {
				long = append(long, i)
			}
		}
		if len(long) > 0 {
			i := long[rng.IntN(len(long))]
			b := []byte(newHeader[i])
			for tries := 0; tries < 10; tries++ {
				k := 1 + rng.IntN(len(b)-3)
				if isLower(b[k]) && isLower(b[k+1]) && b[k] != b[k+1] {
					b[k], b[k+1] = b[k+1], b[k]
					desc = append(desc, fmt.Sprintf("typo %q→%q", newHeader[i], string(b)))
					newHeader[i] = string(b)
					break
				}
			}
		}
	}
	for i, h := range header {
		v.renamed[h] = newHeader[i]
	}
	rows := append([][]string{newHeader}, recs[1:]...)
	// Unknown columns.
	for _, k := range rng.Perm(len(unknownColumns))[:1+rng.IntN(3)] {
		u := unknownColumns[k]
		if l.spec.Encoding == "big5" && !isBig5able(u.header) || l.spec.Encoding == "gbk" && !isGBKable(u.header) {
			continue
		}
		at := rng.IntN(len(rows[0]) + 1)
		for r := range rows {
			val := u.header
			if r > 0 {
				val = u.value(r - 1)
			}
			rows[r] = slices.Insert(slices.Clone(rows[r]), at, val)
		}
		desc = append(desc, "+"+u.header)
	}
	// Column order.
	perm := rng.Perm(len(rows[0]))
	for r := range rows {
		nr := make([]string, len(perm))
		for i, p := range perm {
			if p < len(rows[r]) {
				nr[i] = rows[r][p]
			}
		}
		rows[r] = nr
	}
	desc = append(desc, "shuffled")
	delims := []rune{',', ';', '\t'}
	d := delims[rng.IntN(len(delims))]
	var b bytes.Buffer
	if l.spec.TitleLines == 0 && rng.IntN(2) == 0 {
		b.WriteString("Appointments export 2026/11/30\r\n")
		desc = append(desc, "title line")
	} else {
		lines := strings.SplitAfter(strings.ReplaceAll(l.text, "\r\n", "\n"), "\n")
		for _, tl := range lines[:l.spec.TitleLines] {
			b.WriteString(strings.TrimSuffix(tl, "\n") + "\r\n")
		}
	}
	w := csv.NewWriter(&b)
	w.Comma = d
	w.UseCRLF = true
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	encs := []string{"utf-8", "utf-8-bom", "utf-16"}
	switch {
	case l.spec.Encoding == "big5" || l.spec.Region == "TW":
		encs = append(encs, "big5")
	case l.spec.Encoding == "gbk" || l.spec.Region == "CN":
		encs = append(encs, "gbk")
	}
	v.enc = encs[rng.IntN(len(encs))]
	v.text = b.String()
	desc = append(desc, v.enc, map[rune]string{',': "comma", ';': "semicolon", '\t': "tab"}[d])
	v.desc = strings.Join(desc, ", ")
	return v
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isBig5able(s string) bool {
	_, err := traditionalchinese.Big5.NewEncoder().String(s)
	return err == nil
}

func isGBKable(s string) bool {
	_, err := simplifiedchinese.GBK.NewEncoder().String(s)
	return err == nil
}

// TestExportsGenerator: what clinic software, Excel or an analyst does to
// a layout — reorder columns, add unknown clinical or vendor columns,
// respell headers, add a title line, change encoding or delimiter — does not
// change the mapping config init proposes, and no cell reaches its output
// or inspect's. The suite runs a deterministic sample; make exports-sweep
// runs many more variants per layout.
func TestExportsGenerator(t *testing.T) {
	layouts := loadLayouts(t)
	n := 2
	if *sweep > 0 {
		n = *sweep
	}
	failed := 0
	for li, l := range layouts {
		rng := rand.New(rand.NewPCG(uint64(li), 24))
		for k := 0; k < n; k++ {
			v := makeVariant(t, l, rng)
			path := filepath.Join(t.TempDir(), "export.csv")
			if err := os.WriteFile(path, encodeExport(t, v.text, v.enc), 0o600); err != nil {
				t.Fatal(err)
			}
			r := runCLI(t, nil, "", "config", "init", "--from", path)
			ins := runCLI(t, nil, "", "inspect", path)
			out := r.stdout + r.stderr + ins.stdout + ins.stderr
			for _, h := range v.renamed {
				out = strings.ReplaceAll(out, h, "") // the variant's column names are printable
			}
			assertNoCorpusCells(t, l, out)
			if r.code != 0 {
				t.Errorf("%s [%s]: config init exit %d: %s", l.name, v.desc, r.code, r.stderr)
				failed++
				continue
			}
			var g initConfig
			if err := yaml.Unmarshal([]byte(unanswered(r.stdout)), &g); err != nil {
				t.Fatalf("%s: %v", l.name, err)
			}
			want := map[string][]string{}
			for k, hs := range columnsOf(l.spec.Columns) {
				for _, h := range hs {
					want[k] = append(want[k], v.renamed[h])
				}
			}
			if d := mappingDiff(want, columnsOf(g.Input.Columns)); len(d) > 0 {
				t.Errorf("%s [%s]: the mapping changed:\n  %s", l.name, v.desc, strings.Join(d, "\n  "))
				failed++
			}
		}
	}
	t.Logf("generator: %d of %d variants mapped as their layout", len(layouts)*n-failed, len(layouts)*n)
}

// TestNameInSourceNeverPrinted is issue 22's canary: the Taiwanese layout's
// source column holds 介紹人:<name> in six rows (a referrer's name, repeated
// in a column of few values). It reaches no output: not inspect (text or
// JSON), not config init (whose channels come from channel words only), not
// the channel report in any format, run with that config.
func TestNameInSourceNeverPrinted(t *testing.T) {
	var l layout
	for _, x := range loadLayouts(t) {
		if x.name == "14-tw-his-big5-title" {
			l = x
		}
	}
	if strings.Count(l.text, "介紹人:陳CANARY") != 6 {
		t.Fatalf("the layout lost its canary")
	}
	dir := t.TempDir()
	export := filepath.Join(dir, "export.csv")
	os.WriteFile(export, encodeExport(t, l.text, l.spec.Encoding), 0o600)
	init := runCLI(t, nil, "", "config", "init", "--from", export)
	if init.code != 0 {
		t.Fatalf("config init: exit %d: %s", init.code, init.stderr)
	}
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte(init.stdout), 0o600)
	html := filepath.Join(dir, "r.html")
	outs := []result{init,
		runCLI(t, nil, "", "inspect", export),
		runCLI(t, nil, "", "inspect", "--json", export),
		runCLI(t, nil, "", "channels", "--config", cfg, export),
		runCLI(t, nil, "", "channels", "--config", cfg, "--csv", export),
		runCLI(t, nil, "", "channels", "--config", cfg, "--json", export),
		runCLI(t, nil, "", "channels", "--config", cfg, "--html", html, export),
	}
	for i, r := range outs[3:] {
		if r.code != 0 {
			t.Fatalf("channels #%d: exit %d: %s", i, r.code, r.stderr)
		}
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	all := string(page)
	for _, r := range outs {
		all += r.stdout + r.stderr
	}
	for _, leak := range []string{"介紹人", "陳CANARY", "CANARY"} {
		if strings.Contains(all, leak) {
			t.Errorf("an output holds %q", leak)
		}
	}
	// The channel words around it are proposed; the six rows are counted.
	for _, want := range []string{`name: "LINE"`, `name: "Referral"`, `name: "Walk-in"`, "6 rows of \"來源\" hold values that are not channel words"} {
		if !strings.Contains(init.stdout, want) {
			t.Errorf("config init lacks %q:\n%s", want, init.stdout)
		}
	}
}

// unanswered is a config config init wrote with its open questions
// (config.Unanswered) read as the empty values they were before.
func unanswered(text string) string {
	return strings.ReplaceAll(text, `"`+config.Unanswered+`"`, `""`)
}
