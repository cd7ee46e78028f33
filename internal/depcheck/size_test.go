package depcheck

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxLines is the longest a non-test Go file may grow. A file past it is
// doing more than one job (sender.go once paced, retried, bisected and
// recorded in 762 lines): split it by job, moving declarations whole.
// Test-support packages (the fakes, attacktest) and the tools under
// testdata count too; _test.go files do not.
const maxLines = 600

func TestNoGoFileOverMaxLines(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != moduleRoot && (strings.HasPrefix(d.Name(), ".") || thirdParty(path)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		if n := bytes.Count(b, []byte("\n")); n > maxLines {
			rel, _ := filepath.Rel(moduleRoot, path)
			t.Errorf("%s: %d lines, over %d: split it by job", filepath.ToSlash(rel), n, maxLines)
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

// thirdParty says whether dir is third_party, where copies of someone
// else's code live (third_party/zxcvbn, see its PATCHES.md): part of the
// module, so built, vetted and tested with it, but upstream's code, which
// the repository's rules for its own code — file length, platform
// literals — do not govern.
func thirdParty(dir string) bool {
	rel, err := filepath.Rel(moduleRoot, dir)
	return err == nil && filepath.ToSlash(rel) == "third_party"
}
