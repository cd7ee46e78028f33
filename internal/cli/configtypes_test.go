package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestConfigTypeErrorNamesLineAndKey: a value of the wrong type — text
// where a number goes, a list where true or false goes — is named like
// every other config error: file:line:column of the value, the key and
// what it takes, one line per key, exit 2, and never the value (a canary
// here; in a real file it may be anything). Set by an environment
// variable, the error names the variable instead of a line.
func TestConfigTypeErrorNamesLineAndKey(t *testing.T) {
	example, err := os.ReadFile("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const canary = "zqcanary@example.com"
	text := strings.Replace(string(example), "  min_cell: 5\n", "  min_cell: "+canary+"\n", 1)
	text = strings.Replace(text, "  header_row: 0\n", "  header_row: [\""+canary+"\"]\n", 1)
	text = strings.Replace(text, "  allow_empty: false\n", "  allow_empty: \""+canary+"\"\n", 1)
	path := filepath.Join(t.TempDir(), "types.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	at := func(prefix string) string {
		for i, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, prefix) {
				return path + ":" + strconv.Itoa(i+1) + ":" + strconv.Itoa(len(prefix)+1)
			}
		}
		t.Fatalf("no line %q", prefix)
		return ""
	}
	r := runCLI(t, nil, "", "config", "validate", "--config", path)
	for _, want := range []string{
		at("  min_cell: ") + ": channels.min_cell takes a whole number",
		at("  header_row: ") + ": input.header_row takes a whole number",
		at("  allow_empty: ") + ": input.allow_empty takes true or false",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != ExitUsage || strings.Contains(r.stderr+r.stdout, canary) || strings.Contains(r.stderr, "strconv") {
		t.Errorf("exit %d, want 2, no value and no decoder's words:\n%s", r.code, r.stderr)
	}

	ok := filepath.Join(t.TempDir(), "ok.yaml")
	if err := os.WriteFile(ok, example, 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, map[string]string{"HASHGATE_CHANNELS_LTV_DAYS": canary}, "", "config", "validate", "--config", ok)
	if want := ok + " (environment variable HASHGATE_CHANNELS_LTV_DAYS): channels.ltv_days takes a whole number"; r.code != ExitUsage ||
		!strings.Contains(r.stderr, want) || strings.Contains(r.stderr, canary) {
		t.Errorf("from the environment: exit %d, want %q:\n%s", r.code, want, r.stderr)
	}
}

// TestYAMLNodeAtFollowsDecoderNames: the key names mapstructure gives —
// fields, list elements, map entries, any case in the file — find their
// value in the document; a key the file lacks finds nothing.
func TestYAMLNodeAtFollowsDecoderNames(t *testing.T) {
	var doc yaml.Node
	src := "channels:\n  List:\n    - name: a\n    - name: b\n      sources: [x, 7]\nspend:\n  rates:\n    USD: abc\n"
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string][2]int{
		"channels.list[1].name":       {4, 13},
		"channels.list[1].sources[1]": {5, 20},
		"spend.rates[USD]":            {8, 10},
	} {
		n := yamlNodeAt(doc.Content[0], key)
		if n == nil || n.Line != want[0] || n.Column != want[1] {
			t.Errorf("%s: got %+v, want line %d column %d", key, n, want[0], want[1])
		}
	}
	for _, key := range []string{"channels.list[2].name", "channels.min_cell", "spend.rates[EUR]", "channels.list[x]"} {
		if n := yamlNodeAt(doc.Content[0], key); n != nil {
			t.Errorf("%s: found line %d", key, n.Line)
		}
	}
}

// TestTypeErrorListGivenAsMappingNamesTheList: a mapping where a list goes
// (reported by the decoder as its first element, "statuses[0] takes a
// text") is named as the list, at its line and column, never with the
// value — found by review.
func TestTypeErrorListGivenAsMappingNamesTheList(t *testing.T) {
	example, err := os.ReadFile("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const canary = "zqcanary@example.com"
	for name, with := range map[string]string{
		"mapping": "  statuses: {a: " + canary + "}",
		"nested":  "  statuses: [[" + canary + "]]",
	} {
		text := strings.Replace(string(example), "  statuses: [\"completed\"]", with, 1)
		if text == string(example) {
			t.Fatal("configs/example.yaml no longer has the statuses line this test replaces")
		}
		path := filepath.Join(t.TempDir(), "types.yaml")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, nil, "", "config", "validate", "--config", path)
		if strings.Contains(r.stderr, canary) {
			t.Fatalf("%s: the value is printed:\n%s", name, r.stderr)
		}
		if !regexp.MustCompile(regexp.QuoteMeta(path) + `:\d+:\d+: conversion\.statuses`).MatchString(r.stderr) {
			t.Errorf("%s: no file:line:column before the key:\n%s", name, r.stderr)
		}
		if name == "mapping" && !strings.Contains(r.stderr, "conversion.statuses takes a list") {
			t.Errorf("%s: the message does not say the key takes a list:\n%s", name, r.stderr)
		}
	}
}

// TestConfigRefusesWhatItUsedToTakeSilently: a reviewer's configs that
// `config validate` called valid — a key given twice under two spellings
// (viper reads keys whatever their case, and which one won changed from
// run to run), a fraction for a whole-number key (channels.min_cell: 1.9
// became 1: exact figures), NaN or an infinity for a number, from the
// file or the environment, and a channels section the channel report
// refuses — are each refused, naming the key and its place.
func TestConfigRefusesWhatItUsedToTakeSilently(t *testing.T) {
	base, err := os.ReadFile("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, extra string
		env         map[string]string
		want        string
	}{
		{"two spellings of one key", "Timezone: Europe/Paris\n", nil, "timezone is given twice in one mapping"},
		{"a fraction for a whole number", "", nil, "channels.min_cell takes a whole number"},
		{"NaN in the file", "", nil, "conversion.fixed_value takes a number"},
		{"infinity from the environment", "", map[string]string{"HASHGATE_CONVERSION_FIXED_VALUE": "Inf"}, "(environment variable HASHGATE_CONVERSION_FIXED_VALUE): conversion.fixed_value takes a number"},
		{"a channels section the report refuses", "", map[string]string{"HASHGATE_CHANNELS_MIN_CELL": "0"}, "channels.min_cell: must be 1"},
		{"a misspelt key in a channel", "", nil, "unknown key platfrom in channels.list[1] (did you mean platform?)"},
		{"a list from the environment", "", map[string]string{"HASHGATE_CONVERSION_VALUE_BUCKETS": "1000,abc"}, "(environment variable HASHGATE_CONVERSION_VALUE_BUCKETS): conversion.value_buckets[1] takes a number"},
		{"a mapping for the list", "", nil, "channels.list takes a list"},
	} {
		text := string(base) + c.extra
		switch c.name {
		case "NaN in the file":
			text = strings.Replace(text, "fixed_value: 1000", "fixed_value: .nan", 1)
		case "a fraction for a whole number":
			text = strings.Replace(text, "  min_cell: 5", "  min_cell: 1.9", 1)
		case "a misspelt key in a channel":
			text = strings.Replace(text, "      platform: meta", "      platfrom: meta", 1)
		case "a mapping for the list":
			i := strings.Index(text, "  list:\n    - name: Google Ads")
			j := strings.Index(text, "    # - name: LINE")
			text = text[:i] + "  list: {name: Google Ads, platform: google}\n" + text[j:]
		}
		path := filepath.Join(t.TempDir(), "c.yaml")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, c.env, "", "config", "validate", "--config", path)
		if r.code != ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d, want 2 and %q\n%s", c.name, r.code, c.want, r.stderr)
		}
	}
	// Every problem at once: a channels problem beside a missing
	// revocations file names both (the channels check once returned first).
	env := map[string]string{"HASHGATE_CHANNELS_MIN_CELL": "0", "HASHGATE_CONSENT_REVOCATIONS_FILE": filepath.Join(t.TempDir(), "none.csv")}
	r := runCLI(t, env, "", "config", "validate", "--config", "../../configs/example.yaml")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "channels.min_cell") || !strings.Contains(r.stderr, "revocations") {
		t.Errorf("two problems: exit %d, want both named\n%s", r.code, r.stderr)
	}
}
