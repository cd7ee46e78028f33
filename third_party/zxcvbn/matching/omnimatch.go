package matching

import (
	"github.com/hashgate/hashgate/third_party/zxcvbn/adjacency"
	"github.com/hashgate/hashgate/third_party/zxcvbn/frequency"
	"github.com/hashgate/hashgate/third_party/zxcvbn/match"
	"regexp"
	"runtime"
	"sync"
	"weak"
)

func Omnimatch(password string, userInputs []string) (matches []*match.Match) {
	ranked := defaultRankedDictionnaries()
	// The estimate holds the dictionaries until it returns (see below).
	defer runtime.KeepAlive(ranked)
	dictMatcher := ranked.withDict("user_inputs", buildRankedDict(userInputs))

	matchers := []match.Matcher{
		dictMatcher,
		reverseDictionnaryMatch{dm: dictMatcher},
		l33tMatch{dm: dictMatcher, table: l33tTable},
		spatialMatch{graphs: defaultGraphs()},
		repeatMatch{},
		sequenceMatch{},
		regexpMatch{regexes: defaultRegexpMatch},
		dateMatch{},
	}

	for _, m := range matchers {
		matches = append(matches, m.Matches(password)...)
	}
	match.Sort(matches)
	return matches
}

var (
	defaultGraphs      = sync.OnceValue(loadDefaultAdjacencyGraphs) // patched: see adjacency.Graphs
	defaultRegexpMatch = []struct {
		Name   string
		Regexp *regexp.Regexp
	}{
		{
			Name:   "recent_year",
			Regexp: regexp.MustCompile(`19\d\d|200\d|201\d`),
		},
	}
	l33tTable = map[string][]string{
		"a": {"4", "@"},
		"b": {"8"},
		"c": {"(", "{", "[", "<"},
		"e": {"3"},
		"g": {"6", "9"},
		"i": {"1", "!", "|"},
		"l": {"1", "|", "7"},
		"o": {"0"},
		"s": {"$", "5"},
		"t": {"+", "7"},
		"x": {"%"},
		"z": {"2"},
	}
)

// Patched for hashgate (see third_party/zxcvbn/PATCHES.md): upstream
// builds the ranked dictionaries in package initialisation — 9.9 MB
// allocated, 6 MB kept, 30–40 ms — in every program that links this
// package, and keeps them for the life of the process. hashgate estimates
// one string per run (its event-id secret), so the dictionaries are built
// on the first estimate and held by a weak pointer: estimates that follow
// one another share them, and once no estimate is running the garbage
// collector takes them back (weak.Make, https://pkg.go.dev/weak), instead
// of their 6 MB staying live — and, under the collector's headroom,
// resident — beside a run's rows. An estimate after they were collected
// builds them again.
var (
	rankedMu   sync.Mutex
	rankedWeak weak.Pointer[dictionaryMatch]
)

func defaultRankedDictionnaries() *dictionaryMatch {
	rankedMu.Lock()
	defer rankedMu.Unlock()
	if d := rankedWeak.Value(); d != nil {
		return d
	}
	d := new(dictionaryMatch)
	*d = loadDefaultDictionnaries()
	rankedWeak = weak.Make(d)
	return d
}

func loadDefaultDictionnaries() dictionaryMatch {
	rd := make(map[string]rankedDictionnary)
	for n, list := range frequency.Lists() {
		rd[n] = buildRankedDict(list)
	}
	return dictionaryMatch{
		rankedDictionaries: rd,
	}
}

func loadDefaultAdjacencyGraphs() []*adjacency.Graph {
	graphs := adjacency.Graphs()
	return []*adjacency.Graph{
		graphs["qwerty"],
		graphs["dvorak"],
		graphs["keypad"],
		graphs["mac_keypad"],
	}

}
