package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/hashgate/hashgate/configs"
	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/run"
)

// defaultConfigPath is read when --config is not given; its absence is not
// an error (every setting can come from the environment).
const defaultConfigPath = "hashgate.yaml"

// envPrefix prefixes every environment override: HASHGATE_INPUT_HEADER_ROW
// sets input.header_row.
const envPrefix = "HASHGATE_"

// configFileError is a config file that cannot be read or parsed, or that
// holds keys hashgate does not know.
type configFileError = config.FileError

// loadConfig loads the config a command runs with: --config (or
// HASHGATE_CONFIG, or ./hashgate.yaml), the environment and flags bound by
// binds.
func (r *rootOptions) loadConfig(f *Factory, flags *pflag.FlagSet, binds []flagKey) (*config.Config, error) {
	path, explicit := configPath(f, r.ConfigPath, r.configChanged)
	return loadConfig(f, path, explicit, flags, binds)
}

// loadConfigFor is loadConfig with only the validation check: see the
// package-level loadConfigFor.
func (r *rootOptions) loadConfigFor(f *Factory, flags *pflag.FlagSet, binds []flagKey, check func(*config.Config) error) (*config.Config, error) {
	path, explicit := configPath(f, r.ConfigPath, r.configChanged)
	return loadConfigFor(f, path, explicit, flags, binds, check)
}

// flagKey binds a command-line flag to a config key.
type flagKey struct {
	Flag string
	Key  string
}

// loadConfig builds the configuration for one command with its own viper
// (never the global one). Precedence, highest first: flags, HASHGATE_*
// environment variables, the YAML file, built-in defaults. viper.Set is used
// for env and flags, applied in that order, so the order is explicit here and
// the environment is read through the Factory (tests inject it).
func loadConfig(f *Factory, path string, explicit bool, flags *pflag.FlagSet, binds []flagKey) (*config.Config, error) {
	return loadConfigFor(f, path, explicit, flags, binds, validateForRun)
}

// validateForRun is config.Validate joined with the consent column check
// the run makes before reading an export: a config with every destination
// disabled was refused for that alone, and its consent column that is no
// consent ("Patient Arrived") was named only once a destination was
// enabled. Every problem is named at once.
func validateForRun(c *config.Config) error {
	return errors.Join(c.Validate(), run.ConsentHeaderErrors(c))
}

// loadConfigFor is loadConfig with the command's own validation: `hashgate
// channels` needs no destination, consent column or secret; `ledger` and
// `status` read a few keys and must not refuse a config whose export
// mapping is unfinished (nil checks nothing beyond the keys). Unknown keys
// are refused whatever the check.
func loadConfigFor(f *Factory, path string, explicit bool, flags *pflag.FlagSet, binds []flagKey, check func(*config.Config) error) (*config.Config, error) {
	keys := configKeys(reflect.TypeOf(config.Config{}), "")
	warnUnknownEnv(f, keys)
	v := newViper(keys)
	if path == "" {
		path = defaultConfigPath
	}
	v.SetConfigFile(path)
	v.SetConfigType("yaml")
	noFile := false
	if err := v.ReadInConfig(); err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			noFile = true // fine when nobody asked for a file: env can carry it all
		} else {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return nil, &configFileError{Path: path, Err: pe.Err}
			}
			return nil, yamlSyntaxError(path) // viper's words lack the column and may quote the file
		}
	}
	if !noFile {
		if err := checkFileKeys(path, keys); err != nil {
			return nil, err
		}
	}
	v, err := applyPreset(f, v, keys, path, noFile)
	if err != nil {
		return nil, err
	}
	settings := 0 // keys set by the environment or a flag
	for _, k := range keys {
		env := envPrefix + strings.ToUpper(strings.ReplaceAll(k.name, ".", "_"))
		if val := f.Getenv(env); val != "" {
			v.Set(k.name, val)
			settings++
		}
	}
	for _, b := range binds {
		if fl := flags.Lookup(b.Flag); fl != nil && fl.Changed {
			v.Set(b.Key, fl.Value.String())
			settings++
		}
	}
	for _, k := range []string{"destinations.meta.access_token", "destinations.google.access_token", "destinations.google.refresh_token"} {
		if v.InConfig(k) {
			return nil, &configFileError{Path: path, Err: fmt.Errorf("%s: credentials are never read from the config file; use %s or access_token_file (mode 0600)", k, metaTokenEnv)}
		}
	}
	cfg := config.Defaults()
	if err := v.UnmarshalExact(&cfg, keepNumbers); err != nil {
		return nil, typeErrors(path, noFile, err, f, flags, binds) // configtypes.go
	}
	// region: tw validated and then read no national number (a review).
	cfg.Region = config.RegionCode(cfg.Region)
	// Whether the clinic chose what each platform receives: Google's
	// click-ids-only default is said on every run of a config that did not.
	for _, p := range platform.All {
		key := "destinations." + p.Spec().Name + ".identifiers"
		cfg.SetIdentifiersSet(p, v.InConfig(key) || f.Getenv(envPrefix+strings.ToUpper(strings.ReplaceAll(key, ".", "_"))) != "")
	}
	if check == nil {
		return &cfg, nil
	}
	if err := check(&cfg); err != nil {
		if noFile {
			return nil, missingConfig(path, settings, err)
		}
		return nil, err
	}
	return &cfg, nil
}

// startConfig is how a config starts, as the missing-config error says it:
// the command, not a file of the repository — someone who installed with
// `go install` has no configs/example.yaml.
const startConfig = "hashgate config init --from EXPORT --out " + defaultConfigPath

// missingConfig is the error of a command that found no config file and
// whose settings did not make a whole config. With no setting in the
// environment or flags (HASHGATE_*), it is the missing file alone, with how
// to start one: the validation's "required" errors that followed named
// keys of a file that does not exist, four lines of noise under the one
// that matters. With some, they are what those settings lack, and follow.
func missingConfig(path string, settings int, invalid error) error {
	if settings == 0 {
		return &configFileError{Path: path, Err: fmt.Errorf("not found: start one from your export with `%s` (or pass --config FILE)", startConfig)}
	}
	return errors.Join(&configFileError{Path: path,
		Err: fmt.Errorf("not found, and the settings in the environment (HASHGATE_*) do not make a whole config either (pass --config FILE, or start one with `%s`)", startConfig)}, invalid)
}

// applyPreset rebuilds the configuration on top of input.preset (from the
// file or HASHGATE_INPUT_PRESET), when one is named: the preset's keys come
// first and the user's file is merged over them, so every key the file sets
// wins and the rest come from the preset.
func applyPreset(f *Factory, v *viper.Viper, keys []configKey, path string, noFile bool) (*viper.Viper, error) {
	name := v.GetString("input.preset")
	if env := f.Getenv(envPrefix + "INPUT_PRESET"); env != "" {
		name = env
	}
	if name == "" {
		return v, nil
	}
	data, err := configs.Preset(name)
	if err != nil {
		return nil, &config.Error{Key: "input.preset", Problem: err.Error()}
	}
	pv := newViper(keys)
	pv.SetConfigType("yaml")
	if err := pv.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, &configFileError{Path: "preset " + name, Err: err}
	}
	if !noFile {
		pv.SetConfigFile(path)
		if err := pv.MergeInConfig(); err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return nil, &configFileError{Path: path, Err: pe.Err}
			}
			return nil, yamlSyntaxError(path)
		}
	}
	return pv, nil
}

// newViper returns a viper holding hashgate's built-in defaults.
func newViper(keys []configKey) *viper.Viper {
	v := viper.New()
	defaults := reflect.ValueOf(config.Defaults())
	for _, k := range keys {
		v.SetDefault(k.name, defaults.FieldByIndex(k.index).Interface())
	}
	return v
}

type configKey struct {
	name  string
	index []int
}

// configKeys lists every leaf key of the config struct by its mapstructure
// tags, so each can take a default and an environment override.
func configKeys(t reflect.Type, prefix string) []configKey {
	var out []configKey
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, squash := keyTag(sf)
		if tag == "" && !squash {
			continue
		}
		if squash { // embedded block: its keys sit at this level
			for _, k := range configKeys(sf.Type, prefix) {
				out = append(out, configKey{name: k.name, index: append([]int{i}, k.index...)})
			}
			continue
		}
		name := prefix + tag
		if sf.Type.Kind() == reflect.Struct {
			for _, k := range configKeys(sf.Type, name+".") {
				out = append(out, configKey{name: k.name, index: append([]int{i}, k.index...)})
			}
			continue
		}
		out = append(out, configKey{name: name, index: []int{i}})
	}
	return out
}

// keyTag reads a config struct field's mapstructure tag: the key's name
// ("" for a field that is no key), and whether the field is an embedded
// block whose keys sit at its parent's level (",squash"). configKeys and
// configTypeAt walk the struct by it.
func keyTag(sf reflect.StructField) (name string, squash bool) {
	name, opts, _ := strings.Cut(sf.Tag.Get("mapstructure"), ",")
	if name == "-" {
		name = ""
	}
	return name, name == "" && strings.Contains(opts, "squash")
}

// configPath lets HASHGATE_CONFIG name the file when --config is absent.
func configPath(f *Factory, flagValue string, changed bool) (string, bool) {
	if changed {
		return flagValue, true
	}
	if p := f.Getenv(envPrefix + "CONFIG"); p != "" {
		return p, true
	}
	return defaultConfigPath, false
}

// yamlSyntaxError says why the config file at path is not YAML hashgate
// can read, in the form of every config error: file:line (file:line:column
// when the place is found from the document's nodes) and a reason that
// never quotes the file. viper's words ("While parsing config: yaml: line
// 192: …") have no column, and some of the yaml library's messages quote
// the file: "unknown anchor 'x' referenced", "cannot decode !!str `x` as a
// !!int", a key given twice; those give a fixed reason instead, and the
// library's own words are kept only for the messages known to hold none of
// the file's text (yamlSafeProblems).
func yamlSyntaxError(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return &configFileError{Path: path, Err: err}
	}
	var m map[string]any // as viper reads it
	yerr := yaml.Unmarshal(data, &m)
	if yerr == nil {
		return &configFileError{Path: path, Err: errors.New("cannot be read as YAML")}
	}
	at := func(line, col int) string {
		switch {
		case line > 0 && col > 0:
			return fmt.Sprintf("%s:%d:%d", path, line, col)
		case line > 0:
			return fmt.Sprintf("%s:%d", path, line)
		}
		return path
	}
	var te *yaml.TypeError
	if errors.As(yerr, &te) {
		var errs []error
		for _, e := range te.Errors {
			line, reason := yamlTypeProblem(e)
			errs = append(errs, &configFileError{Path: at(line, 0), Err: errors.New(reason)})
		}
		return errors.Join(errs...)
	}
	libLine, reason := yamlProblem(yerr.Error())
	line, col := yamlBadNode(data) // a node that does not decode
	if line == 0 {
		line, col = yamlFailsAt(data, reason, libLine-1) // a syntax error
	}
	if line == 0 {
		line = libLine
	}
	return &configFileError{Path: at(line, col), Err: errors.New(reason)}
}

// yamlFailsAt finds where a syntax error is: the yaml library names no
// column, and for a parser error its line is where the enclosing block
// starts, or none on the first line. A run of the file's first lines that
// holds the error fails for the same reason however much follows, so
// bisection (a few parses, not one per line: a long file stays quick)
// finds a line, from the line before the library's, where failing alike
// begins, and then a column within it. Neither is ever past the error. A
// prefix cut inside a list, a mapping or a quoted string may also fail
// alike only because the input ends there: failing alike can then begin,
// stop and begin again along a line, and bisection reports one of those
// beginnings — often nearer the error than the first (a parse per
// character found the first, up to 500 parses of the file: 23 s for a
// 1 MB config; the reviews of dd38392 and fdf049f). 0, 0 when the file is
// too long to search or no prefix fails alike.
func yamlFailsAt(data []byte, reason string, from int) (int, int) {
	if len(data) > 1<<20 {
		return 0, 0
	}
	fails := func(prefix []byte) bool {
		var m map[string]any
		err := yamlUnmarshal(prefix, &m)
		if err == nil {
			return false
		}
		_, r := yamlProblem(err.Error())
		return r == reason
	}
	ends := []int{} // ends[i]: the offset just past line i+1
	for start := 0; start < len(data); {
		end := len(data)
		if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
			end = start + i + 1
		}
		ends = append(ends, end)
		start = end
	}
	from = max(from-1, 0) // 0-based
	if from >= len(ends) || !fails(data[:ends[len(ends)-1]]) {
		return 0, 0
	}
	i := from + sort.Search(len(ends)-from, func(i int) bool { return fails(data[:ends[from+i]]) })
	start := 0
	if i > 0 {
		start = ends[i-1]
	}
	var cols []int // cols[k]: the offset just past the line's (k+1)th character
	for j := start; j < ends[i] && len(cols) < 500; {
		_, size := utf8.DecodeRune(data[j:])
		j += size
		cols = append(cols, j)
	}
	if k := sort.Search(len(cols), func(k int) bool { return fails(data[:cols[k]]) }); k < len(cols) {
		return i + 1, k + 1
	}
	return i + 1, 0
}

// yamlUnmarshal parses YAML for yamlFailsAt; tests count its calls.
var yamlUnmarshal = yaml.Unmarshal

// The patterns of the yaml library's messages, compiled on the first
// syntax error: every command starts without them (cmd/hashgate's
// TestInitAllocationBudget holds internal/cli's start-up allocations).
var (
	yamlLineRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^line (\d+): `) })
	yamlTwiceRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`already defined at line (\d+)$`) })
	yamlDepthRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^exceeded max depth of \d+$`) })
)

// yamlProblem splits a yaml syntax error ("yaml: line 3: did not find
// expected key") into its line (0 when it names none) and a reason that
// holds none of the file's text.
func yamlProblem(msg string) (int, string) {
	line, msg := yamlLine(strings.TrimPrefix(msg, "yaml: "))
	switch {
	case yamlSafeProblems()[msg], yamlDepthRE().MatchString(msg):
		return line, msg
	case strings.HasPrefix(msg, "unknown anchor "):
		return line, "an alias names an anchor that is not defined before it"
	case strings.HasPrefix(msg, "anchor ") && strings.HasSuffix(msg, " value contains itself"):
		return line, "an anchor's value contains itself"
	case strings.HasPrefix(msg, "cannot decode "):
		return line, "a value does not fit the tag written before it"
	case strings.HasPrefix(msg, "invalid map key"):
		return line, "a key that is a list or a mapping"
	}
	return line, "not valid YAML"
}

// yamlLine splits the yaml library's "line N: " off msg: N (0 when msg
// names no line) and the rest.
func yamlLine(msg string) (int, string) {
	m := yamlLineRE().FindStringSubmatch(msg)
	if m == nil {
		return 0, msg
	}
	line, _ := strconv.Atoi(m[1])
	return line, msg[len(m[0]):]
}

// yamlTypeProblem is yamlProblem for one line of a yaml.TypeError, whose
// texts quote the key or the value: "line 4: mapping key \"region\"
// already defined at line 2", "line 3: cannot unmarshal !!str `x` into …".
func yamlTypeProblem(msg string) (int, string) {
	line, msg := yamlLine(msg)
	twice := yamlTwiceRE().FindStringSubmatch(msg)
	switch {
	case strings.HasPrefix(msg, "mapping key ") && twice != nil:
		return line, "a key given twice in one mapping (first at line " + twice[1] + ")"
	case strings.HasPrefix(msg, "cannot unmarshal !!seq into"), strings.HasPrefix(msg, "cannot unmarshal !!map into"):
		return line, "a key that is a list or a mapping" // viper reads keys as texts
	case strings.HasPrefix(msg, "cannot unmarshal "):
		return line, "a value does not fit the tag written before it"
	}
	return line, "not valid YAML"
}

// yamlBadNode finds where a document that parses into nodes fails to
// decode (a value that does not fit its tag, a key that is a list or a
// mapping, a merge of a single value), errors the yaml library gives
// without a line: the first such node's line and column, 0, 0 when the
// file does not parse or every node decodes.
func yamlBadNode(data []byte) (int, int) {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return 0, 0 // a syntax error: yamlFailsAt
	}
	var walk func(n *yaml.Node) *yaml.Node
	walk = func(n *yaml.Node) *yaml.Node {
		for _, c := range n.Content {
			if bad := walk(c); bad != nil {
				return bad
			}
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := n.Content[i].Kind; k != yaml.ScalarNode && k != yaml.AliasNode {
					return n.Content[i]
				}
			}
		}
		var v any
		if n.Kind != yaml.DocumentNode && n.Decode(&v) != nil {
			return n // the innermost node that fails: its children decode
		}
		return nil
	}
	if bad := walk(&doc); bad != nil {
		return bad.Line, bad.Column
	}
	return 0, 0
}

// yamlSafeProblems are the yaml library's syntax problems that hold no
// text of the file (the quotes in them quote YAML's own punctuation),
// made on the first syntax error as the patterns above are.
var yamlSafeProblems = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"block sequence entries are not allowed in this context":       true,
		"control characters are not allowed":                           true,
		"could not find expected ':'":                                  true,
		"could not find expected directive name":                       true,
		"did not find URI escaped octet":                               true,
		"did not find expected '!'":                                    true,
		"did not find expected ',' or ']'":                             true,
		"did not find expected ',' or '}'":                             true,
		"did not find expected '-' indicator":                          true,
		"did not find expected <document start>":                       true,
		"did not find expected <stream-start>":                         true,
		"did not find expected alphabetic or numeric character":        true,
		"did not find expected comment or line break":                  true,
		"did not find expected digit or '.' character":                 true,
		"did not find expected hexdecimal number":                      true,
		"did not find expected key":                                    true,
		"did not find expected node content":                           true,
		"did not find expected tag URI":                                true,
		"did not find expected version number":                         true,
		"did not find expected whitespace or line break":               true,
		"did not find expected whitespace":                             true,
		"did not find the expected '>'":                                true,
		"expected low surrogate area":                                  true,
		"found a tab character that violates indentation":              true,
		"found a tab character where an indentation space is expected": true,
		"found an incorrect leading UTF-8 octet":                       true,
		"found an incorrect trailing UTF-8 octet":                      true,
		"found an indentation indicator equal to 0":                    true,
		"found character that cannot start any token":                  true,
		"found duplicate %TAG directive":                               true,
		"found duplicate %YAML directive":                              true,
		"found extremely long version number":                          true,
		"found incompatible YAML document":                             true,
		"found invalid Unicode character escape code":                  true,
		"found undefined tag handle":                                   true,
		"found unexpected document indicator":                          true,
		"found unexpected end of stream":                               true,
		"found unexpected non-alphabetical character":                  true,
		"found unknown directive name":                                 true,
		"found unknown escape character":                               true,
		"incomplete UTF-16 character":                                  true,
		"incomplete UTF-16 surrogate pair":                             true,
		"incomplete UTF-8 octet sequence":                              true,
		"invalid Unicode character":                                    true,
		"invalid leading UTF-8 octet":                                  true,
		"invalid length of a UTF-8 sequence":                           true,
		"invalid trailing UTF-8 octet":                                 true,
		"mapping keys are not allowed in this context":                 true,
		"mapping values are not allowed in this context":               true,
		"map merge requires map or sequence of maps as the value":      true,
		"unexpected low surrogate area":                                true,
		"document contains excessive aliasing":                         true,
	}
})
