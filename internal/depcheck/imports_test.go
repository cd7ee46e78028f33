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
type rule struct {
	Why     string
	Imports []string // import paths or "prefix/..."
	Except  []string // importers allowed, same syntax
	Only    []string // when set: the rule applies only to these importers
}

var rules = []rule{
	{
		Why:     "only the command tree parses flags and config files: domain packages never import cobra, viper or pflag",
		Imports: []string{"github.com/spf13/cobra/...", "github.com/spf13/viper/...", "github.com/spf13/pflag/..."},
		// cmd/hashgate-docs renders the command tree (cobra/doc) into man
		// pages at build time; it is not part of the binary.
		Except: []string{module + "/internal/cli", module + "/cmd/hashgate-docs"},
	},
	{
		Why:     "the pipeline writes to a sink; it never knows a destination",
		Imports: []string{module + "/internal/destination/..."},
		Only:    []string{module + "/internal/pipeline/..."},
	},
	{
		Why:     "HTTP stays in the clients (internal/destination/**) and the command tree's HTTP client factory",
		Imports: []string{"net/http/..."},
		Except:  []string{module + "/internal/destination/...", module + "/internal/cli"},
	},
	{
		Why:     "the use-case layer sits below the command tree and imports nothing of it",
		Imports: []string{module + "/internal/cli/..."},
		Except:  []string{module + "/cmd/..."},
	},
	{
		Why:     "package platform is the leaf every layer reads: it imports nothing of hashgate",
		Imports: []string{module + "/..."},
		Only:    []string{module + "/internal/platform"},
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

// violations checks a package → direct imports graph against the rules.
func violations(graph map[string][]string) []string {
	var out []string
	for pkg, imports := range graph {
		for _, r := range rules {
			if len(r.Only) > 0 && !matchAny(r.Only, pkg) || matchAny(r.Except, pkg) {
				continue
			}
			for _, imp := range imports {
				if matchAny(r.Imports, imp) && !match(pkg+"/...", imp) {
					out = append(out, pkg+" imports "+imp+": "+r.Why)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// directImports lists every package of the module with its direct imports
// (go list's Imports, not Deps: a transitive check would flag every layer
// above cli's callees). Test files are included, as a separate listing.
func directImports(t *testing.T) map[string][]string {
	t.Helper()
	listOnce.Do(func() {
		cmd := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.Imports}}", "./...")
		cmd.Dir = moduleRoot
		out, err := cmd.Output()
		if err != nil {
			listErr = err
			return
		}
		listed = map[string][]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			pkg, rest, _ := strings.Cut(line, " ")
			listed[pkg] = strings.Fields(strings.Trim(rest, "[]"))
		}
	})
	if listErr != nil {
		t.Fatalf("go list: %v", listErr)
	}
	if len(listed) < 10 {
		t.Fatalf("go list found %d packages: is the test run from the module?", len(listed))
	}
	graph := make(map[string][]string, len(listed))
	for pkg, imports := range listed {
		graph[pkg] = slices.Clone(imports)
	}
	return graph
}

// moduleRoot is the module's directory, relative to this package.
const moduleRoot = "../.."

var (
	listOnce sync.Once
	listed   map[string][]string
	listErr  error
)

// TestImports enforces the import rules over the real module.
func TestImports(t *testing.T) {
	for _, v := range violations(directImports(t)) {
		t.Error(v)
	}
}

// TestImportRulesCatchPlantedViolations plants one violation of each rule
// in a copy of the real graph and checks each is reported: a rule that
// cannot fail proves nothing.
func TestImportRulesCatchPlantedViolations(t *testing.T) {
	for _, plant := range []struct{ pkg, imp string }{
		{module + "/internal/pipeline", "github.com/spf13/viper"},
		{module + "/internal/config", "github.com/spf13/pflag"},
		{module + "/internal/pipeline", module + "/internal/destination/google"},
		{module + "/internal/pipeline", module + "/internal/destination"},
		{module + "/internal/run", "net/http"},
		{module + "/internal/run", module + "/internal/cli"},
		{module + "/internal/platform", module + "/internal/config"},
	} {
		graph := directImports(t)
		graph[plant.pkg] = append(graph[plant.pkg], plant.imp)
		if v := violations(graph); len(v) != 1 || !strings.HasPrefix(v[0], plant.pkg+" imports "+plant.imp) {
			t.Errorf("planted %s → %s: got %q", plant.pkg, plant.imp, v)
		}
	}
}
