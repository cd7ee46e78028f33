package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"

	"reflect"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/hashgate/hashgate/configs"
	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/platform"
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
	return loadConfigFor(f, path, explicit, flags, binds, (*config.Config).Validate)
}

// loadConfigFor is loadConfig with the command's own validation: `hashgate
// channels` needs no destination, consent column or secret; `ledger` and
// `status` read a few keys and must not refuse a config whose export
// mapping is unfinished (nil checks nothing beyond the keys). Unknown keys
// are refused whatever the check.
func loadConfigFor(f *Factory, path string, explicit bool, flags *pflag.FlagSet, binds []flagKey, check func(*config.Config) error) (*config.Config, error) {
	keys := configKeys(reflect.TypeOf(config.Config{}), "")
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
			return nil, &configFileError{Path: path, Err: err}
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
	for _, k := range keys {
		env := envPrefix + strings.ToUpper(strings.ReplaceAll(k.name, ".", "_"))
		if val := f.Getenv(env); val != "" {
			v.Set(k.name, val)
		}
	}
	for _, b := range binds {
		if fl := flags.Lookup(b.Flag); fl != nil && fl.Changed {
			v.Set(b.Key, fl.Value.String())
		}
	}
	for _, k := range []string{"destinations.meta.access_token", "destinations.google.access_token", "destinations.google.refresh_token"} {
		if v.InConfig(k) {
			return nil, &configFileError{Path: path, Err: fmt.Errorf("%s: credentials are never read from the config file; use %s or access_token_file (mode 0600)", k, metaTokenEnv)}
		}
	}
	cfg := config.Defaults()
	if err := v.UnmarshalExact(&cfg); err != nil {
		return nil, typeErrors(path, noFile, err, f, flags, binds) // configtypes.go
	}
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
			return nil, errors.Join(&configFileError{Path: path,
				Err: errors.New("not found, and the environment does not configure hashgate either (pass --config FILE; configs/example.yaml documents every key)")}, err)
		}
		return nil, err
	}
	return &cfg, nil
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
			return nil, &configFileError{Path: path, Err: err}
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
		tag := sf.Tag.Get("mapstructure")
		if tag == "" || tag == "-" {
			continue
		}
		if tag == ",squash" { // embedded block: its keys sit at this level
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
