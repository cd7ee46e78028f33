package cli

import (
	"sort"
	"strings"

	"github.com/hashgate/hashgate/internal/editdistance"
	"github.com/hashgate/hashgate/internal/run"
)

// Environment variables hashgate reads beside the config keys'
// (HASHGATE_<KEY>): the config file's path, a preset, Meta's token, and
// the previous secret (run.PreviousSecretEnv).
// The bench harness's HASHGATE_BENCH_* are its own.
var envNamesBesideKeys = []string{envPrefix + "CONFIG", envPrefix + "INPUT_PRESET", metaTokenEnv, run.PreviousSecretEnv}

const benchEnvPrefix = envPrefix + "BENCH_"

// flagWithoutVariable is the flag a user meant by a variable no setting
// has, when it names one of the flags no variable sets; "" otherwise. (A
// switch, not a package map: cmd/hashgate holds init to a budget.)
func flagWithoutVariable(name string) string {
	switch strings.TrimPrefix(name, envPrefix) {
	case "QUIET":
		return "--quiet"
	case "LOG_LEVEL":
		return "--log-level"
	case "JSON":
		return "--json"
	}
	return ""
}

// warnUnknownEnv warns, by name only, of each HASHGATE_ variable in the
// environment that hashgate does not read, with the nearest name it does:
// a misspelt override (HASHGATE_DESTINATIONS_META_TEST_EVENT_COD) was
// ignored without a word, and the run did what the file said instead.
// Values are never read here, nor printed.
func warnUnknownEnv(f *Factory, keys []configKey) {
	if f.Environ == nil {
		return
	}
	known := map[string]bool{}
	for _, k := range keys {
		known[envName(k.name)] = true
	}
	for _, n := range envNamesBesideKeys {
		known[n] = true
	}
	var unknown []string
	for _, kv := range f.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, envPrefix) && !known[name] && !strings.HasPrefix(name, benchEnvPrefix) {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		args := []any{"name", name}
		if flag := flagWithoutVariable(name); flag != "" {
			// HASHGATE_QUIET was told "did you mean HASHGATE_SECRET" (a
			// review of the CLI).
			f.Logger.Warn("environment variable not read: this setting is a flag only", "name", name, "flag", flag)
			continue
		}
		if near := nearestName(name, known); near != "" {
			args = append(args, "did_you_mean", near)
		}
		f.Logger.Warn("environment variable not read: no setting has this name", args...)
	}
}

// envName is the variable that overrides config key k.
func envName(k string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(k, ".", "_"))
}

// nearestName is the known name closest to name, when it is close enough
// to be a slip (a third of its length, at most 4 edits); "" otherwise.
func nearestName(name string, known map[string]bool) string {
	best, bestD := "", min(4, len(name)/3)+1
	for k := range known {
		if d := editdistance.OSA(name, k); d < bestD || d == bestD && k < best {
			best, bestD = k, d
		}
	}
	if bestD > min(4, len(name)/3) {
		return ""
	}
	return best
}
