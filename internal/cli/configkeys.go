package cli

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/editdistance"
	"go.yaml.in/yaml/v3"
)

// checkFileKeys refuses keys of the config file hashgate does not know,
// each named with its file:line:column and the closest known keys, before
// viper's own check (which says only "” has invalid keys: timezon"). A
// misspelt key would otherwise be an error with no place, or worse, a
// setting silently left at its default.
func checkFileKeys(path string, keys []configKey) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil // viper has read it already; its error, if any, stands
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return nil // viper reports syntax errors, with their line
	}
	known := map[string]bool{}   // leaf keys
	section := map[string]bool{} // keys that hold other keys
	var all []string
	for _, k := range keys {
		known[k.name] = true
		all = append(all, k.name)
		parts := strings.Split(k.name, ".")
		for i := 1; i < len(parts); i++ {
			p := strings.Join(parts[:i], ".")
			if !section[p] {
				section[p] = true
				all = append(all, p)
			}
		}
	}
	var errs []error
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		if n.Kind != yaml.MappingNode {
			return
		}
		// viper reads keys whatever their case, so Enabled beside enabled
		// is one key given twice — and which one wins changed from run to
		// run (a reviewer's google: {enabled: false, Enabled: true} was
		// valid, Google on). YAML itself refuses only the same spelling.
		first := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn, vn := n.Content[i], n.Content[i+1]
			name := prefix + strings.ToLower(kn.Value) // viper folds case
			if prev, ok := first[name]; ok {
				errs = append(errs, &configFileError{
					Path: fmt.Sprintf("%s:%d:%d", path, kn.Line, kn.Column),
					Err:  fmt.Errorf("%s is given twice in one mapping (first at line %d; keys are read whatever their case)", name, prev.Line),
				})
				continue
			}
			first[name] = kn
			switch {
			case credentialKeys[name]:
				errs = append(errs, &configFileError{
					Path: fmt.Sprintf("%s:%d:%d", path, kn.Line, kn.Column),
					Err:  fmt.Errorf("%s: credentials are never read from the config file; use %s or access_token_file (mode 0600)", name, metaTokenEnv),
				})
			case known[name] && listItems()[name] != nil:
				errs = append(errs, checkListItems(path, name, vn, listItems()[name])...)
			case known[name]:
			case section[name]:
				walk(vn, name+".")
			default:
				errs = append(errs, &configFileError{
					Path: fmt.Sprintf("%s:%d:%d", path, kn.Line, kn.Column),
					Err:  fmt.Errorf("unknown key %s%s", name, didYouMean(suggestKey(name, all))),
				})
			}
		}
	}
	walk(doc.Content[0], "")
	return errors.Join(errs...)
}

// checkListItems checks a list of mappings (channels.list) given for name:
// its items' keys are checked too — a misspelt one was reported as "takes
// a mapping of keys", naming neither it nor the key meant — and a mapping
// given for the list is refused.
func checkListItems(path, name string, vn *yaml.Node, items []string) []error {
	if vn.Kind == yaml.MappingNode {
		return []error{&configFileError{
			Path: fmt.Sprintf("%s:%d:%d", path, vn.Line, vn.Column),
			Err:  fmt.Errorf("%s takes a list (one \"- \" item each); a mapping was given", name),
		}}
	}
	if vn.Kind != yaml.SequenceNode {
		return nil
	}
	var errs []error
	for j, item := range vn.Content {
		if item.Kind != yaml.MappingNode {
			continue // the decoder says what is wrong with it
		}
		for k := 0; k+1 < len(item.Content); k += 2 {
			ik := item.Content[k]
			if key := strings.ToLower(ik.Value); !slices.Contains(items, key) {
				errs = append(errs, &configFileError{
					Path: fmt.Sprintf("%s:%d:%d", path, ik.Line, ik.Column),
					Err:  fmt.Errorf("unknown key %s in %s[%d]%s", key, name, j, didYouMean(suggestKey(key, items))),
				})
			}
		}
	}
	return errs
}

// listItems are the keys of the items of the config's lists of mappings,
// from their structs' tags (channels.list: name, platform, sources).
// Built on first use (every command pays package initialisation).
var listItems = sync.OnceValue(func() map[string][]string {
	var names []string
	for _, k := range configKeys(reflect.TypeOf(config.Channel{}), "") {
		names = append(names, k.name)
	}
	return map[string][]string{"channels.list": names}
})

// credentialKeys are refused in the file with their own reason: a token
// in a config file ends up in backups and version control.
var credentialKeys = map[string]bool{
	"destinations.meta.access_token":    true,
	"destinations.google.access_token":  true,
	"destinations.google.refresh_token": true,
}

// suggestKey proposes known keys for a mistyped one: those within the edit
// distance of the whole dotted key, else those ending in the same last
// part (a key written at the wrong level: columns: at the top).
func suggestKey(typed string, all []string) []string {
	if s := suggest(typed, all); len(s) > 0 {
		return s
	}
	last := typed[strings.LastIndex(typed, ".")+1:]
	var out []string
	for _, k := range all {
		if k != typed && (k == last || strings.HasSuffix(k, "."+last)) {
			out = append(out, k)
		}
	}
	if len(out) > 0 {
		return out
	}
	// A misspelt last part at the wrong level: compare last parts.
	for _, k := range all {
		kl := k[strings.LastIndex(k, ".")+1:]
		if editdistance.Levenshtein(kl, last) <= suggestDistance && len(last) > suggestDistance {
			out = append(out, k)
		}
	}
	return out
}
