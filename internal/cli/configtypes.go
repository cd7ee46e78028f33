package cli

import (
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/hashgate/hashgate/internal/config"
)

// typeErrors turns the decoder's errors (a string where a number goes, a
// single value where a section goes) into one config error per key, said
// like every other config error: where the value is — the file's
// line:column, or the environment variable or flag that set it — the key,
// and what the key takes; never the value. mapstructure's own text
// ("'channels.min_cell' cannot parse value as 'int': strconv.ParseInt:
// invalid syntax") names no place and may quote the value, and viper's
// decoding sees only merged settings. Every part of a joined error is
// reported, those with a place in the file's order first; a part that is
// no type error of a named key gets a fixed reason, never the decoder's
// words.
func typeErrors(path string, noFile bool, err error, f *Factory, flags *pflag.FlagSet, binds []flagKey) error {
	var leaves []decodeLeaf
	collectDecodeErrors(err, nil, &leaves)
	var doc *yaml.Node
	if !noFile {
		if data, rerr := os.ReadFile(path); rerr == nil {
			var d yaml.Node
			if yaml.Unmarshal(data, &d) == nil && len(d.Content) > 0 {
				doc = d.Content[0]
			}
		}
	}
	type placed struct {
		err       error
		line, col int // 0 when not in the file
	}
	var out []placed
	seen := map[string]bool{}
	add := func(p placed) {
		if !seen[p.err.Error()] {
			seen[p.err.Error()] = true
			out = append(out, p)
		}
	}
	unnamed := &configFileError{Path: path, Err: errors.New("a value does not fit hashgate's settings (the decoder's words are not shown: they may quote it)")}
	for _, l := range leaves {
		key := l.key()
		if key == "" {
			add(placed{err: unnamed})
			continue
		}
		want := l.wants()
		where, line, col := path, 0, 0
		switch src := keySource(key, f, flags, binds); {
		case src != "":
			where = path + " (" + src + ")"
		default:
			if at, ok := mapGivenAsList(doc, key); ok {
				// The decoder reads a list into a mapping element by
				// element ("spend.rates[0] takes a mapping of keys"):
				// what is wrong is the list.
				key, want = at, "a mapping of keys"
			}
			n := yamlNodeAt(doc, key)
			if n == nil {
				// A mapping or a single value where a list goes: the
				// decoder names its first element ("statuses[0] takes a
				// text"), but what is wrong is the list, at its own line.
				var at string
				if n, at = notAList(doc, key); n != nil {
					key, want = at, "a list"
				}
			}
			if n != nil {
				line, col = n.Line, n.Column
				where = fmt.Sprintf("%s:%d:%d", path, line, col)
			}
		}
		add(placed{err: &configFileError{Path: where, Err: fmt.Errorf("%s takes %s; the value given is not one", key, want)}, line: line, col: col})
	}
	if len(out) == 0 {
		return unnamed // never nil: the decoding failed
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.line == 0 || b.line == 0:
			return a.line != 0 && b.line == 0
		case a.line != b.line:
			return a.line < b.line
		}
		return a.col < b.col
	})
	errs := make([]error, len(out))
	for i, p := range out {
		errs[i] = p.err
	}
	return errors.Join(errs...)
}

// decodeLeaf is one error of a decoding: the innermost DecodeError that
// holds no other, or an error that is no DecodeError, with the DecodeError
// around it if any (de nil at the top).
type decodeLeaf struct {
	de    *mapstructure.DecodeError
	other error
}

// keyQuotedRE finds the key an error that is no DecodeError may name the
// way mapstructure names keys ("'input.columns' expected a map, got
// 'string'").
var keyQuotedRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^'([A-Za-z0-9_.]+(?:\[[0-9]+\])*)' `) })

// key is the config key the leaf is about, "" when it names none: a key
// the config struct has, so that no text of the file is taken for one.
func (l decodeLeaf) key() string {
	if l.de != nil {
		return l.de.Name()
	}
	if m := keyQuotedRE().FindStringSubmatch(l.other.Error()); m != nil && configTypeAt(m[1]) != nil {
		return m[1]
	}
	return ""
}

// wants says what the leaf's key takes: from the type the decoder
// expected, else from the config struct's field for the key (a single
// value where a section goes carries no expected type).
func (l decodeLeaf) wants() string {
	var own error = l.de
	if l.other != nil {
		own = l.other // not the DecodeError around it, which holds others too
	}
	if own != nil {
		var pe *mapstructure.ParseError
		var ue *mapstructure.UnconvertibleTypeError
		switch {
		case errors.As(own, &pe) && pe.Expected.IsValid():
			return wantOf(pe.Expected.Type())
		case errors.As(own, &ue) && ue.Expected.IsValid():
			return wantOf(ue.Expected.Type())
		}
	}
	if t := configTypeAt(l.key()); t != nil {
		return wantOf(t)
	}
	return "another type of value"
}

// collectDecodeErrors gathers the leaves of err, which mapstructure joins
// per field and viper wraps once more: each innermost DecodeError, and
// each error that is no DecodeError and holds none (under the DecodeError
// around it, outer).
func collectDecodeErrors(err error, outer *mapstructure.DecodeError, out *[]decodeLeaf) {
	if err == nil {
		return
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			collectDecodeErrors(e, outer, out)
		}
		return
	}
	var inner *mapstructure.DecodeError
	if !errors.As(err, &inner) {
		*out = append(*out, decodeLeaf{de: outer, other: err})
		return
	}
	de, ok := err.(*mapstructure.DecodeError)
	if !ok {
		collectDecodeErrors(errors.Unwrap(err), outer, out) // viper's "decoding failed" wrapper
		return
	}
	if errors.As(de.Unwrap(), &inner) {
		collectDecodeErrors(de.Unwrap(), de, out)
		return
	}
	*out = append(*out, decodeLeaf{de: de})
}

// mapGivenAsList finds where key indexes a list element ("spend.rates[0]")
// that the config takes as a mapping, the file holding a list there: the
// key of the list ("spend.rates"); false when there is no such place.
func mapGivenAsList(doc *yaml.Node, key string) (string, bool) {
	for i := strings.IndexByte(key, '['); i > 0; {
		end := strings.IndexByte(key[i:], ']')
		if end < 0 {
			return "", false
		}
		prefix := key[:i]
		_, numErr := strconv.Atoi(key[i+1 : i+end])
		if t := configTypeAt(prefix); t != nil && t.Kind() == reflect.Map && numErr == nil {
			if n := yamlNodeAt(doc, prefix); n != nil && n.Kind == yaml.SequenceNode {
				return prefix, true
			}
		}
		next := strings.IndexByte(key[i+end:], '[')
		if next < 0 {
			return "", false
		}
		i += end + next
	}
	return "", false
}

// configTypeAt is the type of the config struct's field for key, as
// mapstructure names it ("input.columns", "channels.list[0].sources",
// "spend.rates[USD]"), found by the mapstructure tags; nil when the config
// has no such key.
func configTypeAt(key string) reflect.Type {
	if key == "" {
		return nil
	}
	t := reflect.TypeOf(config.Config{})
	for _, part := range strings.Split(key, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if t = fieldType(t, name); t == nil {
			return nil
		}
		for rest != "" {
			_, rest, _ = strings.Cut(rest, "]")
			rest = strings.TrimPrefix(rest, "[")
			switch t.Kind() {
			case reflect.Slice, reflect.Array, reflect.Map:
				t = t.Elem()
			default:
				return nil
			}
		}
	}
	return t
}

// fieldType is the type of struct t's field tagged name (case-insensitive,
// as viper folds keys), looking into squashed embedded structs; nil when
// none.
func fieldType(t reflect.Type, name string) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, squash := keyTag(sf)
		switch {
		case squash:
			if ft := fieldType(sf.Type, name); ft != nil {
				return ft
			}
		case tag != "" && strings.EqualFold(tag, name):
			return sf.Type
		}
	}
	return nil
}

// wantOf says in words what a value of type t is.
func wantOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a text"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping of keys"
	}
	return "a value of type " + t.String()
}

// keySource names the flag or environment variable that set key, "" when
// neither did (the file, a preset or the default did).
func keySource(key string, f *Factory, flags *pflag.FlagSet, binds []flagKey) string {
	// An element of a list or map (conversion.value_buckets[1],
	// channels.list[0].name) comes from wherever the whole key was set: an
	// environment variable sets a list as one value, and its error once
	// blamed the config file, which did not hold the key.
	if i := strings.IndexByte(key, '['); i >= 0 {
		key = key[:i]
	}
	for _, b := range binds {
		if b.Key == key && flags != nil {
			if fl := flags.Lookup(b.Flag); fl != nil && fl.Changed {
				return "flag --" + b.Flag
			}
		}
	}
	if env := envPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_")); f.Getenv(env) != "" {
		return "environment variable " + env
	}
	return ""
}

// yamlNodeAt finds the value node of key in a YAML document:
// "channels.list[1].sources[0]", "spend.rates[USD]" as mapstructure names
// fields, list elements and map entries. Mapping keys match as viper folds
// them (case-insensitively). nil when the file does not hold it.
func yamlNodeAt(n *yaml.Node, key string) *yaml.Node {
	for _, part := range strings.Split(key, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if n = mappingValue(n, name); n == nil {
			return nil
		}
		for rest != "" {
			var sub string
			sub, rest, _ = strings.Cut(rest, "]")
			rest = strings.TrimPrefix(rest, "[")
			if n.Kind == yaml.SequenceNode {
				i, err := strconv.Atoi(sub)
				if err != nil || i < 0 || i >= len(n.Content) {
					return nil
				}
				n = n.Content[i]
			} else if n = mappingValue(n, sub); n == nil {
				return nil
			}
		}
	}
	return n
}

// notAList finds where key's path indexes a list ("conversion.statuses[0]")
// but the document holds a mapping or a single value: that node and the
// path up to it ("conversion.statuses"); nil when there is no such place.
func notAList(n *yaml.Node, key string) (*yaml.Node, string) {
	var at strings.Builder
	for _, part := range strings.Split(key, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if n = mappingValue(n, name); n == nil {
			return nil, ""
		}
		if at.Len() > 0 {
			at.WriteByte('.')
		}
		at.WriteString(name)
		for rest != "" {
			var sub string
			sub, rest, _ = strings.Cut(rest, "]")
			rest = strings.TrimPrefix(rest, "[")
			i, err := strconv.Atoi(sub)
			switch {
			case err == nil && n.Kind != yaml.SequenceNode:
				return n, at.String()
			case n.Kind == yaml.SequenceNode:
				if err != nil || i < 0 || i >= len(n.Content) {
					return nil, ""
				}
				n = n.Content[i]
			default:
				if n = mappingValue(n, sub); n == nil {
					return nil, ""
				}
			}
			at.WriteString("[" + sub + "]")
		}
	}
	return nil, ""
}

// mappingValue is the value of key k in mapping node n, nil if absent.
func mappingValue(n *yaml.Node, k string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if strings.EqualFold(n.Content[i].Value, k) {
			return n.Content[i+1]
		}
	}
	return nil
}

// keepNumbers puts numberHook in front of viper's own decode hooks.
func keepNumbers(c *mapstructure.DecoderConfig) {
	c.DecodeHook = mapstructure.ComposeDecodeHookFunc(numberHook, c.DecodeHook)
}

// errNotANumber is numberHook's refusal; typeErrors says it as "KEY takes
// a whole number" (or "a number"), at the value's place.
var errNotANumber = errors.New("not a number the key takes")

// numberHook refuses what the decoder's weak typing would take silently:
// a fraction for a whole-number key (channels.min_cell: 1.9 became 1, and
// the report printed exact figures, NOT FOR SHARING) and NaN or an
// infinity for any number (conversion.fixed_value: .nan passed every range
// check written as "<= 0" and was sent as NaN).
func numberHook(from, to reflect.Type, data any) (any, error) {
	var v float64
	switch d := data.(type) {
	case float64:
		v = d
	case float32:
		v = float64(d)
	case string:
		switch to.Kind() {
		case reflect.Float32, reflect.Float64:
			f, err := strconv.ParseFloat(strings.TrimSpace(d), 64)
			if err != nil {
				return data, nil // the decoder says it is no number
			}
			v = f
		default:
			return data, nil
		}
	default:
		return data, nil
	}
	switch to.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if v != math.Trunc(v) || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errNotANumber
		}
	case reflect.Float32, reflect.Float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errNotANumber
		}
	}
	return data, nil
}
