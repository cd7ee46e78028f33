package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/go-viper/mapstructure/v2"
	"go.yaml.in/yaml/v3"
)

// configErrCanary is a secret-looking value no config error may print.
const configErrCanary = "zqsk_live_9f8e7d6c5b4a"

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
	text := mustReplace(t, mustRead(t, "../../configs/example.yaml"), "\ndestinations:\n", "\ndestinations: yes\n")
	path := writeTemp(t, text)
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
		path := writeTemp(t, tc.text)
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

// TestConfigSectionGivenAsValueSaysWhatItTakes: a single value or a list
// where a section goes, a mapping where a list goes, is named at its
// file:line:column with what the key takes — read from the config struct
// when the decoder's error does not say ("expected a map or struct, got
// string") — never "another type of value", never the value.
func TestConfigSectionGivenAsValueSaysWhatItTakes(t *testing.T) {
	c := configErrCanary
	for _, tc := range []struct {
		text, line, key, want string
	}{
		{"input: " + c + "\n", "input: ", "input", "a mapping of keys"},
		{"input: [" + c + "]\n", "input: ", "input", "a mapping of keys"},
		{"input:\n  encoding: auto\n  columns: " + c + "\n", "  columns: ", "input.columns", "a mapping of keys"},
		{"input:\n  columns: [" + c + "]\n", "  columns: ", "input.columns", "a mapping of keys"},
		{"destinations: " + c + "\n", "destinations: ", "destinations", "a mapping of keys"},
		{"destinations: [" + c + "]\n", "destinations: ", "destinations", "a mapping of keys"},
		{"destinations:\n  google: " + c + "\n", "  google: ", "destinations.google", "a mapping of keys"},
		{"destinations:\n  google: [" + c + "]\n", "  google: ", "destinations.google", "a mapping of keys"},
		{"consent:\n  granted: {yes: " + c + "}\n", "  granted: ", "consent.granted", "a list"},
		{"channels: " + c + "\n", "channels: ", "channels", "a mapping of keys"},
		{"channels: [" + c + "]\n", "channels: ", "channels", "a mapping of keys"},
		{"channels:\n  list: " + c + "\n", "  list: ", "channels.list", "a list"},
		{"spend:\n  rates: [" + c + "]\n", "  rates: ", "spend.rates", "a mapping of keys"},
	} {
		path := writeTemp(t, tc.text)
		r := runCLI(t, nil, "", "config", "validate", "--config", path)
		want := "hashgate: config " + path + ":" + strconv.Itoa(lineOf(t, tc.text, tc.line)) + ":" + strconv.Itoa(len(tc.line)+1) +
			": " + tc.key + " takes " + tc.want + "; the value given is not one\n"
		if r.code != ExitUsage || r.stderr != want || strings.Contains(r.stdout, c) {
			t.Errorf("%q: exit %d, want 2 and\n%s got\n%s", tc.text, r.code, want, r.stderr)
		}
	}
}

// TestConfigTypeErrorsOfSeveralKindsAllReported: a file with errors of
// different kinds — a text where a whole number goes, a list where true or
// false goes, a single value where a section goes — reports each, in the
// file's order (the decoder goes in the struct's), and no value.
func TestConfigTypeErrorsOfSeveralKindsAllReported(t *testing.T) {
	c := configErrCanary
	text := "channels:\n  min_cell: " + c + "\ninput:\n  allow_empty: [" + c + "]\n  columns: " + c + "\n"
	path := writeTemp(t, text)
	r := runCLI(t, nil, "", "config", "validate", "--config", path)
	want := "hashgate: config " + path + ":2:13: channels.min_cell takes a whole number; the value given is not one\n" +
		"hashgate: config " + path + ":4:16: input.allow_empty takes true or false; the value given is not one\n" +
		"hashgate: config " + path + ":5:12: input.columns takes a mapping of keys; the value given is not one\n"
	if r.code != ExitUsage || r.stderr != want || strings.Contains(r.stdout, c) {
		t.Errorf("exit %d, want 2 and\n%s got\n%s", r.code, want, r.stderr)
	}
}

// TestTypeErrorsReportEveryPart: parts of the decoder's error that are no
// DecodeError (the decoder's or a hook's own errors, whose words may quote
// the value) are reported too, each in the project's form — by key when
// they name one the config has, else with a fixed reason — never dropped
// and never in the decoder's words.
func TestTypeErrorsReportEveryPart(t *testing.T) {
	c := configErrCanary
	text := "channels:\n  min_cell: " + c + "\ninput:\n  columns: " + c + "\n"
	path := writeTemp(t, text)
	var cfg struct {
		Channels struct {
			MinCell int `mapstructure:"min_cell"`
		} `mapstructure:"channels"`
	}
	decoded := mapstructure.Decode(map[string]any{"channels": map[string]any{"min_cell": c}}, &cfg)
	if decoded == nil {
		t.Fatal("no decode error to build on")
	}
	f := NewFactory(strings.NewReader(""), io.Discard, io.Discard)
	f.Getenv = func(string) string { return "" }
	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"mixed": {errors.Join(
			errors.New("strconv.ParseInt: parsing \""+c+"\": invalid syntax"),
			fmt.Errorf("decoding failed: %w", decoded),
			errors.New("'input.columns' expected a map, got 'string'"),
		), "config " + path + ":2:13: channels.min_cell takes a whole number; the value given is not one\n" +
			"config " + path + ":4:12: input.columns takes a mapping of keys; the value given is not one\n" +
			"config " + path + ": a value does not fit hashgate's settings (the decoder's words are not shown: they may quote it)"},
		"none a DecodeError": {fmt.Errorf("decoding failed: %w", &mapstructure.ParseError{Expected: reflect.ValueOf(0), Value: c, Err: errors.New(c)}),
			"config " + path + ": a value does not fit hashgate's settings (the decoder's words are not shown: they may quote it)"},
		"two unnamed parts, said once": {errors.Join(errors.New(c), fmt.Errorf("hook: %q", c)),
			"config " + path + ": a value does not fit hashgate's settings (the decoder's words are not shown: they may quote it)"},
		"a key the config lacks": {errors.New("'" + c + "' expected a map, got 'string'"),
			"config " + path + ": a value does not fit hashgate's settings (the decoder's words are not shown: they may quote it)"},
	} {
		err := typeErrors(path, false, tc.err, f, nil, nil)
		if err == nil || err.Error() != tc.want || strings.Contains(err.Error(), c) || exitCode(err) != ExitUsage {
			t.Errorf("%s: got (exit %d)\n%v\nwant\n%s", name, exitCode(err), err, tc.want)
		}
	}
}

// TestConfigSyntaxErrorFoundInALongFile: the place of an error the yaml
// library gives no line for, or only the line of the block around it,
// is found in a long file too (by bisection: a parse per line would take
// seconds here).
func TestConfigSyntaxErrorFoundInALongFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("consent:\n  denied:\n")
	for i := range 6000 {
		fmt.Fprintf(&b, "    - value%05d\n", i)
	}
	for _, tc := range []struct{ last, where, reason string }{
		{"  revoked: *" + configErrCanary + "\n", ":6003:13", "an alias names an anchor that is not defined before it"},
		{" revoked: [" + configErrCanary + "]\n", ":6003:2", "did not find expected key"},
	} {
		path := writeTemp(t, b.String()+tc.last)
		r := runCLI(t, nil, "", "config", "validate", "--config", path)
		if want := "hashgate: config " + path + tc.where + ": " + tc.reason + "\n"; r.stderr != want || r.code != ExitUsage {
			t.Errorf("exit %d, want 2 and\n%s got\n%s", r.code, want, r.stderr)
		}
	}
}

// TestConfigSyntaxErrorColumnByBisection: the column within the error's
// line is found by bisection too — a handful of parses, where a parse per
// character of a long line cost 23 s on a 1 MB config. On a line where
// failing alike only begins once (here), it is the column a parse per
// character finds; where it begins again after stopping (a prefix cut
// inside a list fails alike too), bisection reports a later beginning,
// on the same line and never past the error (the second part).
func TestConfigSyntaxErrorColumnByBisection(t *testing.T) {
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, "k%05d: v\n", i)
	}
	data := []byte(b.String() + "y: " + strings.Repeat("a", 450) + ": b\n")
	var m map[string]any
	err := yaml.Unmarshal(data, &m)
	if err == nil {
		t.Fatal("the config parses")
	}
	libLine, reason := yamlProblem(err.Error())
	parses := 0
	yamlUnmarshal = func(in []byte, out any) error { parses++; return yaml.Unmarshal(in, out) }
	defer func() { yamlUnmarshal = yaml.Unmarshal }()
	line, col := yamlFailsAt(data, reason, libLine-1)
	if line != 301 || col != 3+450+1 {
		t.Errorf("found %d:%d, want 301:454", line, col)
	}
	if parses > 40 {
		t.Errorf("%d parses of the file: not bisection", parses)
	}
	// The linear search's answer: the first prefix of the line that fails alike.
	start := bytes.LastIndexByte(data[:len(data)-1], '\n') + 1
	for j := start + 1; j <= len(data); j++ {
		if err := yaml.Unmarshal(data[:j], &m); err != nil {
			if _, r := yamlProblem(err.Error()); r == reason {
				if j-start != col {
					t.Errorf("a parse per character finds column %d, bisection %d", j-start, col)
				}
				break
			}
		}
	}
	// "d: e: f" inside a flow list: the offending ':' after e is at
	// column 18 of line 2; a prefix ending after "b: [a" (column 5) already
	// fails alike, because the list is cut there.
	data = []byte("a: 1\nb: [a, b: c, d: e: f]\n")
	if err := yaml.Unmarshal(data, &m); err == nil {
		t.Fatal("the list parses")
	} else {
		_, reason = yamlProblem(err.Error())
	}
	if line, col := yamlFailsAt(data, reason, 1); line != 2 || col < 5 || col > 18 {
		t.Errorf("found %d:%d, want line 2, a column from 5 to the error's 18", line, col)
	}
}
