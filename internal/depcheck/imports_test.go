package depcheck

import (
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
)

const module = "github.com/hashgate/hashgate"

// rule forbids importers matching From (a package path, or a path prefix
// ending in "/...") from importing Imports, unless they are Except.
//
// A transitive rule holds for everything a package reaches, through any
// chain of imports, its test files included (as crane's depcheck loads a
// package with its dependencies): a layer that may not know a package may
// not know it through a neighbour either. A direct rule checks a package's
// own import lines only; net/http is one, because every layer above the
// clients reaches it through them by design.
type rule struct {
	Why        string
	Imports    []string // import paths or "prefix/..."
	Except     []string // importers allowed, same syntax
	Only       []string // when set: the rule applies only to these importers
	Transitive bool
	// TestsMay exempts test files: the tests of a layer that must not
	// speak HTTP still stand up the platforms' fakes and write their
	// faults as HTTP handlers.
	TestsMay bool
}

var rules = []rule{
	{
		Why:     "only the command tree parses flags and config files: domain packages never import cobra, viper or pflag",
		Imports: []string{"github.com/spf13/cobra/...", "github.com/spf13/viper/...", "github.com/spf13/pflag/..."},
		// cmd/hashgate-docs renders the command tree (cobra/doc) into man
		// pages at build time; it is not part of the binary.
		Except:     []string{module + "/internal/cli", module + "/cmd/..."},
		Transitive: true,
	},
	{
		Why:        "the pipeline writes to a sink; it never knows a destination",
		Imports:    []string{module + "/internal/destination/..."},
		Only:       []string{module + "/internal/pipeline/..."},
		Transitive: true,
	},
	{
		Why:      "HTTP stays in the clients (internal/destination/**) and the command tree's HTTP client factory",
		Imports:  []string{"net/http/..."},
		Except:   []string{module + "/internal/destination/...", module + "/internal/cli"},
		TestsMay: true,
	},
	{
		Why:        "the use-case layer sits below the command tree and imports nothing of it",
		Imports:    []string{module + "/internal/cli/..."},
		Except:     []string{module + "/cmd/..."},
		Transitive: true,
	},
	{
		Why:        "third_party holds upstream's code, patched as its PATCHES.md says and no further: it imports nothing of hashgate's own",
		Imports:    []string{module + "/internal/...", module + "/cmd/..."},
		Only:       []string{module + "/third_party/..."},
		Transitive: true,
	},
	{
		Why:        "package platform is the leaf every layer reads: it imports nothing of hashgate",
		Imports:    []string{module + "/..."},
		Only:       []string{module + "/internal/platform"},
		Transitive: true,
	},
}

// match reports whether path matches pattern (exact, or "prefix/..." for
// the prefix and everything under it).
func match(pattern, path string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == prefix || strings.HasPrefix(path, prefix+"/")
	}
	return pattern == path
}

func matchAny(patterns []string, path string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return match(p, path) })
}

// graph is the module's import graph: for every package go list loads (the
// module's, the standard library's and third parties'), its direct imports;
// for the module's own packages also the imports of their test files.
type graph struct {
	imports map[string][]string // non-test imports of every package
	tests   map[string][]string // _test.go imports (internal and external test packages) of the module's packages
}

func (g graph) clone() graph {
	c := graph{imports: map[string][]string{}, tests: map[string][]string{}}
	for k, v := range g.imports {
		c.imports[k] = slices.Clone(v)
	}
	for k, v := range g.tests {
		c.tests[k] = slices.Clone(v)
	}
	return c
}

// reach lists what pkg reaches, each with the chain of imports that gets
// there (for the message): its own and its test files' imports, then
// everything those import, transitively.
func (g graph) reach(pkg string) map[string]string {
	via := map[string]string{}
	var queue []string
	for _, imp := range append(slices.Clone(g.imports[pkg]), g.tests[pkg]...) {
		if _, seen := via[imp]; !seen && imp != pkg {
			via[imp] = pkg
			queue = append(queue, imp)
		}
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, imp := range g.imports[p] {
			if _, seen := via[imp]; !seen && imp != pkg {
				via[imp] = p
				queue = append(queue, imp)
			}
		}
	}
	return via
}

// chain spells how pkg reaches target, from reach's answer.
func chain(pkg, target string, via map[string]string) string {
	path := []string{target}
	for p := via[target]; p != pkg && p != ""; p = via[p] {
		path = append(path, p)
	}
	if len(path) == 1 {
		return ""
	}
	slices.Reverse(path)
	short := make([]string, len(path)-1)
	for i, p := range path[:len(path)-1] {
		short[i] = strings.TrimPrefix(p, module+"/")
	}
	return " (via " + strings.Join(short, " → ") + ")"
}

// violations checks the graph against the rules, for the module's packages.
func violations(g graph) []string {
	var out []string
	for pkg := range g.imports {
		if !match(module+"/...", pkg) {
			continue
		}
		var via map[string]string
		for _, r := range rules {
			if len(r.Only) > 0 && !matchAny(r.Only, pkg) || matchAny(r.Except, pkg) {
				continue
			}
			if !r.Transitive {
				imps := slices.Clone(g.imports[pkg])
				if !r.TestsMay {
					imps = append(imps, g.tests[pkg]...)
				}
				for _, imp := range imps {
					if matchAny(r.Imports, imp) && !match(pkg+"/...", imp) {
						out = append(out, pkg+" imports "+imp+": "+r.Why)
					}
				}
				continue
			}
			if via == nil {
				via = g.reach(pkg)
			}
			for imp, from := range via {
				// Name only where the chain enters the forbidden set, not
				// everything reached through it (viper's own packages).
				if matchAny(r.Imports, imp) && !match(pkg+"/...", imp) && (from == pkg || !matchAny(r.Imports, from)) {
					out = append(out, pkg+" imports "+imp+chain(pkg, imp, via)+": "+r.Why)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// loadGraph lists every package the module's packages and their tests
// reach, with its direct imports.
func loadGraph(t *testing.T) graph {
	t.Helper()
	listOnce.Do(func() {
		// -pgo=off: with cmd/hashgate/default.pgo (docs/performance.md,
		// Profile-guided optimisation) go list -deps names the copies of
		// cmd/hashgate's dependencies built with the profile
		// "path [github.com/hashgate/hashgate/cmd/hashgate]", as it names test
		// variants, and the rules, which match import paths, missed them and
		// flagged cli's allowed imports. Imports do not depend on the profile.
		cmd := exec.Command("go", "list", "-pgo=off", "-deps", "-test=false", "-f",
			"{{.ImportPath}}|{{join .Imports \" \"}}|{{join .TestImports \" \"}} {{join .XTestImports \" \"}}|{{.Module}}", "./...")
		cmd.Dir = moduleRoot
		out, err := cmd.Output()
		if err != nil {
			listErr = err
			return
		}
		listed = graph{imports: map[string][]string{}, tests: map[string][]string{}}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.SplitN(line, "|", 4)
			if len(f) != 4 {
				continue
			}
			listed.imports[f[0]] = strings.Fields(f[1])
			if match(module+"/...", f[0]) {
				listed.tests[f[0]] = strings.Fields(f[2])
			}
		}
		// The test files' own imports reach packages that no non-test file
		// imports (testing helpers, fakes): list those too.
		var extra []string
		for _, imps := range listed.tests {
			for _, imp := range imps {
				if _, ok := listed.imports[imp]; !ok {
					extra = append(extra, imp)
				}
			}
		}
		if len(extra) > 0 {
			slices.Sort(extra)
			extra = slices.Compact(extra)
			cmd := exec.Command("go", "list", "-pgo=off", "-deps", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}")
			cmd.Args = append(cmd.Args, extra...)
			cmd.Dir = moduleRoot
			out, err := cmd.Output()
			if err != nil {
				listErr = err
				return
			}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				pkg, imps, _ := strings.Cut(line, "|")
				if _, ok := listed.imports[pkg]; !ok {
					listed.imports[pkg] = strings.Fields(imps)
				}
			}
		}
	})
	if listErr != nil {
		t.Fatalf("go list: %v", listErr)
	}
	own := 0
	for pkg := range listed.imports {
		if match(module+"/...", pkg) {
			own++
		}
	}
	if own < 10 {
		t.Fatalf("go list found %d packages of the module: is the test run from the module?", own)
	}
	return listed.clone()
}

// moduleRoot is the module's directory, relative to this package.
const moduleRoot = "../.."

var (
	listOnce sync.Once
	listed   graph
	listErr  error
)

// TestImports enforces the import rules over the real module.
func TestImports(t *testing.T) {
	for _, v := range violations(loadGraph(t)) {
		t.Error(v)
	}
}

// TestImportRulesCatchPlantedViolations plants one violation of each rule
// in a copy of the real graph and checks each is reported: a rule that
// cannot fail proves nothing. Besides a direct import line, it plants one
// in a test file, and one two packages away (a package the importer may
// use that itself imports the forbidden one).
func TestImportRulesCatchPlantedViolations(t *testing.T) {
	for _, plant := range []struct {
		pkg, imp string
		test     bool   // plant in the package's test files
		via      string // plant pkg → via → imp instead of pkg → imp
	}{
		{pkg: module + "/internal/pipeline", imp: "github.com/spf13/viper"},
		{pkg: module + "/internal/config", imp: "github.com/spf13/pflag"},
		{pkg: module + "/internal/pipeline", imp: module + "/internal/destination/google"},
		{pkg: module + "/internal/pipeline", imp: module + "/internal/destination"},
		{pkg: module + "/internal/run", imp: "net/http"},
		{pkg: module + "/internal/run", imp: module + "/internal/cli"},
		{pkg: module + "/internal/platform", imp: module + "/internal/config"},
		{pkg: module + "/third_party/zxcvbn/matching", imp: module + "/internal/platform"},
		// test files: a planted _test.go importing viper, or a destination
		{pkg: module + "/internal/pipeline", imp: "github.com/spf13/viper", test: true},
		{pkg: module + "/internal/pipeline", imp: module + "/internal/destination", test: true},
		{pkg: module + "/internal/run", imp: module + "/internal/cli", test: true},
		// transitive: pipeline → keyset → destination; config → money → cobra
		{pkg: module + "/internal/pipeline", imp: module + "/internal/destination", via: module + "/internal/keyset"},
		{pkg: module + "/internal/config", imp: "github.com/spf13/cobra", via: module + "/internal/money"},
		{pkg: module + "/internal/platform", imp: module + "/internal/csvcell", via: "strings"},
	} {
		g := loadGraph(t)
		switch {
		case plant.via != "":
			if !slices.Contains(g.imports[plant.pkg], plant.via) {
				g.imports[plant.pkg] = append(g.imports[plant.pkg], plant.via)
			}
			g.imports[plant.via] = append(g.imports[plant.via], plant.imp)
		case plant.test:
			g.tests[plant.pkg] = append(g.tests[plant.pkg], plant.imp)
		default:
			g.imports[plant.pkg] = append(g.imports[plant.pkg], plant.imp)
		}
		v := violations(g)
		var mine []string
		for _, line := range v {
			if rest, ok := strings.CutPrefix(line, plant.pkg+" imports "+plant.imp); ok && (strings.HasPrefix(rest, ":") || strings.HasPrefix(rest, " (via")) {
				mine = append(mine, line)
			}
		}
		if len(mine) != 1 {
			t.Errorf("planted %s → %s (test %v, via %q): got %q", plant.pkg, plant.imp, plant.test, plant.via, v)
		}
		if plant.via != "" && len(mine) == 1 && !strings.Contains(mine[0], "via ") {
			t.Errorf("a transitive finding does not name its chain: %s", mine[0])
		}
	}
}
