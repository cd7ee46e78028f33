package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestSettleAheadGolden: the dry-run's review CSV and --json summary of
// each export of testdata/ahead, byte for byte what the build before
// settling ahead (bf23c61, the parent of 03a2620, issue 29) wrote for it.
// The pipeline's own equivalence tests (TestSettleAheadWide,
// FuzzSettleAhead) compare settling ahead with the path settling every row
// at the end, which was refactored in the same commit; these outputs come
// from the code before it. The exports are internal/pipeline's wideExport
// (withdrawals of orders and patients before and after their rows, several
// per key, duplicates, bookings, unreadable dates and consent times, no
// identifier), under four configs: one consent column, each platform's
// own with a composite order key, and one platform's own beside the shared
// one (both ways round; meta-own has over 500 dated rows, so the date gate
// decides mid-export). The clock is runCLI's fixed one, which year-less
// dates and the summary's times read.
//
// The golden files are made by hand, never by -update, from bf23c61:
//
//	git worktree add --detach /tmp/x bf23c61
//	cp -r testdata/ahead /tmp/x/testdata/ && cp internal/cli/ahead_golden_test.go /tmp/x/internal/cli/
//	(cd /tmp/x && HASHGATE_AHEAD_GOLDEN_WRITE=1 go test ./internal/cli -run '^TestSettleAheadGolden$' -count=1)
//	cp /tmp/x/testdata/ahead/*.bf23c61.* testdata/ahead/ && git worktree remove --force /tmp/x
//
// A change that means to change these outputs must say why in its commit,
// and the files then move to that commit's name.
func TestSettleAheadGolden(t *testing.T) {
	write := os.Getenv("HASHGATE_AHEAD_GOLDEN_WRITE") != ""
	for _, name := range []string{"shared", "own", "google-own", "meta-own"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(root, "ahead")
			out := filepath.Join(t.TempDir(), "review.csv")
			r := runCLI(t, secretEnv, "", "upload", "--dry-run", "--json", "--out", out,
				"--config", filepath.Join(dir, name+".yaml"), filepath.Join(dir, name+".csv"))
			if r.code != ExitOK {
				t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			review, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct{ ext, got string }{{".csv", string(review)}, {".json", r.stdout}} {
				path := filepath.Join(dir, name+".bf23c61"+f.ext)
				if write {
					if err := os.WriteFile(path, []byte(f.got), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if f.got != string(want) {
					t.Errorf("%s differs from bf23c61's output:\n%s", path, firstDiff(f.got, string(want)))
				}
			}
		})
	}
}

// firstDiff is the first line where got and want differ, with both sides.
func firstDiff(got, want string) string {
	line, i := 1, 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		if got[i] == '\n' {
			line++
		}
		i++
	}
	cut := func(s string) string {
		start := i
		for start > 0 && s[start-1] != '\n' {
			start--
		}
		end := start
		for end < len(s) && s[end] != '\n' {
			end++
		}
		return s[start:end]
	}
	return "line " + strconv.Itoa(line) + ":\n got:  " + cut(got) + "\n want: " + cut(want)
}
