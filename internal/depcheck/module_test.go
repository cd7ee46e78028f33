package depcheck

import (
	"bufio"
	"bytes"
	"fmt"
	"go/version"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// README installs hashgate with `go install …/cmd/hashgate@latest`. Go
// builds such a module as a dependency, not as the main module, and refuses
// one whose go.mod holds a directive that would change its meaning there
// (`go help install`: "it must not contain directives (replace and
// exclude)…"; golang/go#44840): the install fails outright. And the module
// zip the proxy serves leaves out every folder holding a go.mod of its own,
// so code in a nested module is missing from the install. Our patched copy
// of zxcvbn was both (third_party/zxcvbn/PATCHES.md); these tests keep
// either from coming back.

// installBreakingDirectives are the go.mod directives `go install
// pkg@version` refuses.
var installBreakingDirectives = []string{"replace", "exclude"}

// goModDirectives returns the directives of a go.mod file that name one of
// the given verbs, as "line N: text", whether written on one line or as a
// block ("replace (").
func goModDirectives(goMod []byte, verbs []string) []string {
	var found []string
	sc := bufio.NewScanner(bytes.NewReader(goMod))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		for _, v := range verbs {
			if f[0] == v || strings.HasPrefix(f[0], v+"(") {
				found = append(found, fmt.Sprintf("line %d: %s", n, strings.TrimSpace(line)))
			}
		}
	}
	return found
}

func TestGoModHasNoDirectiveGoInstallRefuses(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(moduleRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("module "+module+"\n")) {
		t.Fatalf("go.mod does not start with module %s: is the test run from the module?", module)
	}
	for _, d := range goModDirectives(b, installBreakingDirectives) {
		t.Errorf("go.mod %s: `go install %s/cmd/hashgate@version` refuses a module with replace or exclude directives; bring the code into the module instead (third_party/zxcvbn/PATCHES.md)", d, module)
	}
}

// TestGoModDirectivesAreFound: the reader above finds a one-line replace,
// a block, and an exclude, and ignores the words in comments and requires.
func TestGoModDirectivesAreFound(t *testing.T) {
	goMod := []byte(`module example.com/m

go 1.26.0

// replace is a word comments may use
require example.com/replace v1.0.0
replace example.com/a v1.0.0 => ./a
replace (
	example.com/b => example.com/c v1.0.0
)
exclude example.com/d v1.2.0
`)
	got := goModDirectives(goMod, installBreakingDirectives)
	want := []string{"line 7: replace", "line 8: replace (", "line 11: exclude"}
	if len(got) != len(want) {
		t.Fatalf("found %q, want %d directives", got, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("directive %d = %q, want %s…", i, got[i], w)
		}
	}
}

// intendedNestedModules are the folders that may hold a go.mod of their
// own, relative to the module root: code there is not part of hashgate's
// module zip, so nothing hashgate builds may import it. None today.
var intendedNestedModules = map[string]string{}

func TestNoNestedModule(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(moduleRoot, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			// .git is not in a module zip; every other folder is, hidden or not.
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			checked++
			return nil
		}
		if dir := filepath.ToSlash(filepath.Dir(rel)); d.Name() == "go.mod" && dir != "." && intendedNestedModules[dir] == "" {
			t.Errorf("%s: a nested module; the module zip `go install` downloads leaves %s/ out. Make it part of hashgate's module (third_party/zxcvbn/PATCHES.md says how)", rel, dir)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 30 {
		t.Fatalf("walked %d folders: is the test run from the module?", checked)
	}
}

// maxTrackedFile is the largest file the repository may track. Every
// tracked file is in the module zip `go install` downloads and in every
// clone: a 123 MB goreleaser binary, tracked by mistake beside the
// .gitignore line meant to keep it out (.tools/), made both 54 MB to
// fetch. The largest file tracked on purpose is zxcvbn's word lists (1 MB).
const maxTrackedFile = 4 << 20

func TestNoLargeTrackedFile(t *testing.T) {
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = moduleRoot
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("not a git checkout (git ls-files: %v): nothing to check", err)
	}
	n := 0
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		info, err := os.Lstat(filepath.Join(moduleRoot, rel))
		if err != nil {
			continue // deleted in the working tree
		}
		n++
		if info.Size() > maxTrackedFile {
			t.Errorf("%s: %d bytes tracked (over %d): every clone and the module zip carry it; untrack it (git rm --cached) and ignore it", rel, info.Size(), maxTrackedFile)
		}
	}
	if n < 100 {
		t.Fatalf("git ls-files listed %d files: is the test run from the module?", n)
	}
}

// goLineAboveDependencies says why go.mod's go line is above every
// dependency's, when it is: a fix of a Go point release hashgate relies
// on. Empty: none. The line was go 1.26.8 from `go mod init` (the first
// commit), relied on by nothing; README promises "Go 1.26 or newer", and
// GOTOOLCHAIN=local builds with 1.26.0–1.26.7 failed on it.
const goLineAboveDependencies = ""

// TestGoLineIsWhatTheDependenciesNeed: go.mod's go line is the oldest Go
// that builds hashgate, which README names; above what its dependencies
// need, it refuses (GOTOOLCHAIN=local) or replaces (auto: a toolchain
// download) a Go that builds it, unless goLineAboveDependencies says why.
func TestGoLineIsWhatTheDependenciesNeed(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(moduleRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var ours string
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "go "); ok {
			ours = "go" + strings.TrimSpace(v)
		}
	}
	if !version.IsValid(ours) {
		t.Fatalf("go.mod's go line %q is not a Go version", ours)
	}
	cmd := exec.Command("go", "list", "-m", "-f", "{{if not .Main}}{{.GoVersion}}{{end}}", "all")
	cmd.Dir = moduleRoot
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -m all: %v", err)
	}
	floor, n := "", 0
	for _, v := range strings.Fields(string(out)) {
		n++
		if version.Compare("go"+v, floor) > 0 {
			floor = "go" + v
		}
	}
	if n < 20 {
		t.Fatalf("go list -m all gave %d go lines: is the test run from the module?", n)
	}
	if version.Compare(ours, floor) > 0 && goLineAboveDependencies == "" {
		t.Errorf("go.mod says %s; no dependency needs more than %s. Lower it (and README's \"With Go … or newer\"), or say why in goLineAboveDependencies", ours, floor)
	}
}
