package cli

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// typeErrors turns the decoder's type errors (a string where a number
// goes) into one config error per key, said like every other config
// error: where the value is — the file's line:column, or the environment
// variable or flag that set it — the key, and what the key takes; never
// the value. mapstructure's own text ("'channels.min_cell' cannot parse
// value as 'int': strconv.ParseInt: invalid syntax") names no place, and
// viper's decoding sees only merged settings. An error that is not a type
// error of a named key is returned as the decoder said it, in the file's
// name.
func typeErrors(path string, noFile bool, err error, f *Factory, flags *pflag.FlagSet, binds []flagKey) error {
	var decoded []*mapstructure.DecodeError
	collectDecodeErrors(err, &decoded)
	if len(decoded) == 0 {
		return &configFileError{Path: path, Err: err}
	}
	var doc *yaml.Node
	if !noFile {
		if data, rerr := os.ReadFile(path); rerr == nil {
			var d yaml.Node
			if yaml.Unmarshal(data, &d) == nil && len(d.Content) > 0 {
				doc = d.Content[0]
			}
		}
	}
	var errs []error
	for _, de := range decoded {
		key, want := de.Name(), wants(de)
		where := path
		switch src := keySource(key, f, flags, binds); {
		case src != "":
			where = path + " (" + src + ")"
		default:
			n := yamlNodeAt(doc, key)
			if n == nil {
				// A mapping or a single value where a list goes: the
				// decoder names its first element ("statuses[0] takes a
				// text"), but what is wrong is the list, at its own line.
				if n, key = notAList(doc, key); n != nil {
					want = "a list"
				} else {
					key = de.Name()
				}
			}
			if n != nil {
				where = fmt.Sprintf("%s:%d:%d", path, n.Line, n.Column)
			}
		}
		errs = append(errs, &configFileError{Path: where, Err: fmt.Errorf("%s takes %s; the value given is not one", key, want)})
	}
	return errors.Join(errs...)
}

// collectDecodeErrors gathers the innermost DecodeErrors of err, which
// mapstructure joins per field and viper wraps once more.
func collectDecodeErrors(err error, out *[]*mapstructure.DecodeError) {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			collectDecodeErrors(e, out)
		}
		return
	}
	de, ok := err.(*mapstructure.DecodeError)
	if !ok {
		if inner := errors.Unwrap(err); inner != nil {
			collectDecodeErrors(inner, out) // viper's "decoding failed" wrapper
		}
		return
	}
	n := len(*out)
	collectDecodeErrors(de.Unwrap(), out)
	if len(*out) == n {
		*out = append(*out, de)
	}
}

// wants says in words what a key takes, from the type the decoder
// expected.
func wants(de *mapstructure.DecodeError) string {
	var t reflect.Type
	var pe *mapstructure.ParseError
	var ue *mapstructure.UnconvertibleTypeError
	switch {
	case errors.As(de, &pe) && pe.Expected.IsValid():
		t = pe.Expected.Type()
	case errors.As(de, &ue) && ue.Expected.IsValid():
		t = ue.Expected.Type()
	default:
		return "another type of value"
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
