package depcheck

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// devPath matches an absolute path into someone's file system: a home
// directory (/home/x, /root/…, /Users/x, C:\Users\x) or the development
// workspace (/work/<something>). Such a path names a file a reader of the
// repository cannot open: a source cited that way has left the repository.
// Paths the program itself uses — /proc, temporary directories, the
// container's /var/lib/hashgate and its bare working directory /work — are
// not matched.
var devPath = regexp.MustCompile(`(^|[^A-Za-z0-9_.~/-])(/home/[A-Za-z0-9_.-]+|/root/|/Users/[A-Za-z0-9_.-]+|/work/[A-Za-z0-9_.-]+|[A-Za-z]:\\\\?Users\\\\?)`)

// scannedText are the files whose text is read for such paths: code,
// docs, config, scripts and build files.
func scannedText(name string) bool {
	switch filepath.Ext(name) {
	case ".go", ".md", ".yaml", ".yml", ".sh", ".py", ".txt", ".json", ".toml":
		return true
	}
	return name == "Makefile" || name == "Dockerfile" || name == "run"
}

// findDevPaths returns "line: match" for every developer path in r.
func findDevPaths(text string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if m := devPath.FindStringSubmatch(sc.Text()); m != nil {
			out = append(out, strings.TrimSpace(m[2])+" on line "+strconv.Itoa(n))
		}
	}
	return out
}

// TestNoDeveloperPathsInTheTree: no file of the repository cites a path on
// a developer's machine. A fact a comment relies on belongs in
// docs/research/ with its public source, or the comment says it could not
// be found again.
func TestNoDeveloperPathsInTheTree(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != moduleRoot && (strings.HasPrefix(name, ".") && name != ".ci" || name == "build" || name == "bin") {
				return filepath.SkipDir
			}
			return nil
		}
		if !scannedText(name) || name == "paths_test.go" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		rel, _ := filepath.Rel(moduleRoot, path)
		for _, f := range findDevPaths(string(b)) {
			t.Errorf("%s: %s — a path on a developer's machine; cite the public source (docs/research/)", filepath.ToSlash(rel), f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked %d files: is the test run from the module?", checked)
	}
}

// TestDevPathFinderCatchesPlanted: each kind of path is found, and the
// paths the program uses on purpose are not.
func TestDevPathFinderCatchesPlanted(t *testing.T) {
	for _, c := range []struct {
		text  string
		found bool
	}{
		{"// see /home/alice/notes.md G3", true},
		{"// /root/research/contract.md", true},
		{"see /Users/bob/Desktop/x", true},
		{"// (/work/notes/contract-research.md G3.c)", true},
		{`C:\Users\carol\notes.txt`, true},
		{"WORKDIR /work", false},
		{`-v "$PWD":/work:ro`, false},
		{"reads /proc/self/status", false},
		{"state in /var/lib/hashgate", false},
		{"os.MkdirTemp(\"\", \"x\") → /tmp/x", false},
		{"https://github.com/googleads/data-manager-python/blob/main/home/x", false},
	} {
		if got := len(findDevPaths(c.text)) > 0; got != c.found {
			t.Errorf("%q: found %v, want %v", c.text, got, c.found)
		}
	}
}
