package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// configErrCanary is a secret-looking value no config error may print.
const configErrCanary = "zqsk_live_9f8e7d6c5b4a"

// writeConfig writes text as a config file in a temporary directory.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// exampleWith is configs/example.yaml with old replaced by new, once.
func exampleWith(t *testing.T, old, new string) string {
	t.Helper()
	example, err := os.ReadFile("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(example), old, new, 1)
	if text == string(example) {
		t.Fatalf("configs/example.yaml no longer has %q", old)
	}
	return text
}

// lineOf is the 1-based number of the first line of text starting with prefix.
func lineOf(t *testing.T, text, prefix string) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	t.Fatalf("no line %q", prefix)
	return 0
}

// TestConfigSyntaxErrorNamesLineAndColumn: a YAML syntax error is said
// like every other config error — file:line:column and the reason — not
// in viper's words ("While parsing config: yaml: line 192: …"), with no
// column and the prefix said twice.
func TestConfigSyntaxErrorNamesLineAndColumn(t *testing.T) {
	text := exampleWith(t, "\ndestinations:\n", "\ndestinations: yes\n")
	path := writeConfig(t, text)
	r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--config", path, root+"/example/appointments.csv")
	// The children of destinations stay below it: "  google:" is where a
	// mapping value is not allowed, at its colon.
	want := "hashgate: config " + path + ":" + strconv.Itoa(lineOf(t, text, "destinations: yes")+1) + ":9: mapping values are not allowed in this context\n"
	if r.code != ExitUsage || r.stderr != want {
		t.Errorf("exit %d, want 2 and\n%s got\n%s", r.code, want, r.stderr)
	}
}

// TestConfigSyntaxErrorNeverQuotesTheFile: the yaml library's messages
// quote the file for some errors (an unknown anchor's name, a value that
// does not fit its tag, a key given twice); a config may hold secrets, so
// none of its text reaches the message, whatever the kind of error, and
// each names the place.
func TestConfigSyntaxErrorNeverQuotesTheFile(t *testing.T) {
	c := configErrCanary
	for name, tc := range map[string]struct {
		text, where, reason string
	}{
		"bad character":   {"region: TW\nsecret: @" + c + "\n", ":2:9", "found character that cannot start any token"},
		"first line":      {"secret: @" + c + "\n", ":1:9", "found character that cannot start any token"},
		"unknown anchor":  {"region: TW\nsecret: *" + c + "\n", ":2:10", "an alias names an anchor that is not defined before it"},
		"tag":             {"region: TW\nsecret: !!int " + c + "\n", ":2:9", "a value does not fit the tag written before it"},
		"float tag":       {"channels:\n  min_cell: !!float " + c + "\n", ":2:13", "a value does not fit the tag written before it"},
		"key twice":       {c + ": 1\nregion: TW\n" + c + ": 2\n", ":3", "a key given twice in one mapping (first at line 1)"},
		"list as key":     {"region: TW\n? [" + c + "]\n: 1\n", ":2", "a key that is a list or a mapping"},
		"unclosed quote":  {"region: TW\nsecret: \"" + c + "\n", ":2:9", "found unexpected end of stream"},
		"unknown escape":  {"secret: \"\\q" + c + "\"\n", ":1:10", "found unknown escape character"},
		"tab indent":      {"input:\n\t" + c + ": 1\n", ":2:1", "found character that cannot start any token"},
		"bad indent":      {"input:\n  encoding: auto\n delimiter: " + c + "\n", ":3:2", "did not find expected key"},
		"merge of scalar": {"input: &a " + c + "\nconsent:\n  <<: *a\n", ":3:3", "map merge requires map or sequence of maps as the value"},
		"unclosed list":   {"consent:\n  granted: [yes, " + c + "\nregion: TW\n", ":2", "did not find expected ',' or ']'"},
	} {
		path := writeConfig(t, tc.text)
		r := runCLI(t, nil, "", "config", "validate", "--config", path)
		if strings.Contains(r.stdout+r.stderr, c) || strings.ContainsAny(r.stderr, "`\"") {
			t.Errorf("%s: the file's text is printed:\n%s", name, r.stderr)
		}
		if r.code != ExitUsage || strings.Contains(r.stderr, ": yaml:") || strings.Contains(r.stderr, "While parsing") {
			t.Errorf("%s: exit %d, want 2 and no library's prefix:\n%s", name, r.code, r.stderr)
		}
		if !regexp.MustCompile(`^hashgate: config ` + regexp.QuoteMeta(path) + regexp.QuoteMeta(tc.where) + `(:\d+)*: ` + regexp.QuoteMeta(tc.reason) + "\n$").MatchString(r.stderr) {
			t.Errorf("%s: want %s%s: %s, got\n%s", name, path, tc.where, tc.reason, r.stderr)
		}
	}
}

// TestYAMLProblemKeepsOnlyKnownWords: the yaml library's words are kept
// only when known to hold none of the file; any other message, of this
// version of the library or a later one, gives a fixed reason.
func TestYAMLProblemKeepsOnlyKnownWords(t *testing.T) {
	for msg, want := range map[string][2]string{
		"yaml: line 3: did not find expected key":           {"3", "did not find expected key"},
		"yaml: did not find expected key":                   {"0", "did not find expected key"},
		"yaml: line 2: some new problem near 'zq'":          {"2", "not valid YAML"},
		"yaml: unknown anchor 'zq' referenced":              {"0", "an alias names an anchor that is not defined before it"},
		"yaml: anchor 'zq' value contains itself":           {"0", "an anchor's value contains itself"},
		"yaml: cannot decode !!str `zq` as a !!int":         {"0", "a value does not fit the tag written before it"},
		"yaml: invalid map key: []interface {}{\"zq\"}":     {"0", "a key that is a list or a mapping"},
		"yaml: exceeded max depth of 10000":                 {"0", "exceeded max depth of 10000"},
		"yaml: input error: zq":                             {"0", "not valid YAML"},
		"yaml: line 9: found unexpected end of stream (zq)": {"9", "not valid YAML"},
	} {
		line, reason := yamlProblem(msg)
		if strconv.Itoa(line) != want[0] || reason != want[1] {
			t.Errorf("%q: got %d %q, want %s %q", msg, line, reason, want[0], want[1])
		}
	}
	for msg, want := range map[string]string{
		"line 4: mapping key \"zq\" already defined at line 2": "a key given twice in one mapping (first at line 2)",
		"line 4: cannot unmarshal !!str `zq` into int":         "a value does not fit the tag written before it",
		"line 4: cannot unmarshal !!map into string":           "a key that is a list or a mapping",
		"line 4: field zq not found in type cli.x":             "not valid YAML",
	} {
		if line, reason := yamlTypeProblem(msg); line != 4 || reason != want {
			t.Errorf("%q: got %d %q, want 4 %q", msg, line, reason, want)
		}
	}
}
