// Command mutants applies each of a named list of mutations to a scratch
// copy of the module and runs the tests that should catch it: `make
// mutants` fails if any mutant survives (its tests still pass) or if a
// mutation no longer applies (the code it names has moved: update the
// list). Each mutation is a rule whose silent breakage would send what must
// not be sent, or print what must not be printed; its Why says which.
//
// It lives under testdata so that `go build ./...` and `go vet ./...` skip
// it: it is a developer's tool, run by `make mutants`, not part of .ci/run
// (it takes minutes: one package build per mutant, without -race).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// registered holds the lists of the mutations_*.go files beyond
// mutations.go: each adds its own in an init function (register), so two
// branches that each add a file never edit the same line here.
var registered [][]mutation

// listed, when not nil, is -names' set: only those mutations run.
var listed map[string]bool

// register adds a file's list of mutations to the run.
func register(ms []mutation) []mutation {
	registered = append(registered, ms)
	return ms
}

func main() {
	only := flag.String("run", "", "run only the mutations whose name contains this")
	keep := flag.Bool("keep", false, "keep the scratch copy (its path is printed)")
	names := flag.String("names", "", "run only the mutations named in this file, one a line: what a full run from an older commit must run again (those whose File changed since, and the files added)")
	flag.Parse()
	if *names != "" {
		b, err := os.ReadFile(*names)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mutants:", err)
			os.Exit(1)
		}
		listed = map[string]bool{}
		for _, n := range strings.Fields(string(b)) {
			listed[n] = true
		}
	}
	if err := run(*only, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "mutants:", err)
		os.Exit(1)
	}
}

func run(only string, keep bool) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	scratch, err := os.MkdirTemp("", "hashgate-mutants-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("scratch copy:", scratch)
	} else {
		defer os.RemoveAll(scratch)
	}
	if err := copyTracked(root, scratch); err != nil {
		return err
	}
	start := time.Now()
	var survived, stale []string
	ran := 0
	for _, m := range slices.Concat(mutations, slices.Concat(registered...)) {
		if only != "" && !strings.Contains(m.Name, only) || listed != nil && !listed[m.Name] {
			continue
		}
		ran++
		path := filepath.Join(scratch, m.File)
		orig, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if n := bytes.Count(orig, []byte(m.Old)); n != 1 {
			fmt.Printf("STALE    %-34s %s: the text to mutate occurs %d times (want 1)\n", m.Name, m.File, n)
			stale = append(stale, m.Name)
			continue
		}
		mutated := bytes.Replace(orig, []byte(m.Old), []byte(m.New), 1)
		if err := os.WriteFile(path, mutated, 0o644); err != nil {
			return err
		}
		t0 := time.Now()
		// -pgo=off: with cmd/hashgate/default.pgo, a test of ./cmd/hashgate
		// would rebuild every dependency with the profile for each mutant;
		// whether a mutant is killed does not depend on the optimiser.
		args := append([]string{"test", "-pgo=off", "-count=1", "-failfast"}, m.Packages...)
		if m.Run != "" {
			args = append(args, "-run", m.Run)
		}
		cmd := exec.Command("go", args...)
		cmd.Dir = scratch
		out, err := cmd.CombinedOutput()
		if werr := os.WriteFile(path, orig, 0o644); werr != nil {
			return werr
		}
		took := time.Since(t0).Round(100 * time.Millisecond)
		switch {
		case err == nil:
			fmt.Printf("SURVIVED %-34s %s (%s)\n         why it matters: %s\n", m.Name, strings.Join(m.Packages, " "), took, m.Why)
			survived = append(survived, m.Name)
		case bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")):
			// A mutant that does not compile proves nothing about the tests.
			fmt.Printf("STALE    %-34s does not compile:\n%s\n", m.Name, tail(out, 10))
			stale = append(stale, m.Name)
		default:
			fmt.Printf("killed   %-34s %s (%s)\n", m.Name, firstFail(out), took)
		}
	}
	if ran == 0 {
		return fmt.Errorf("no mutation matches %q", only)
	}
	fmt.Printf("%d mutants, %d killed, %d survived, %d stale, in %s\n", ran, ran-len(survived)-len(stale), len(survived), len(stale), time.Since(start).Round(time.Second))
	if len(survived)+len(stale) > 0 {
		return fmt.Errorf("survived: %v; stale: %v", survived, stale)
	}
	return nil
}

// firstFail names the first failing test in go test's output.
func firstFail(out []byte) string {
	for _, line := range strings.Split(string(out), "\n") {
		if s, ok := strings.CutPrefix(strings.TrimSpace(line), "--- FAIL: "); ok {
			return "by " + strings.Fields(s)[0]
		}
	}
	return "(tests failed)"
}

func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run from inside the module")
	}
	return filepath.Dir(gomod), nil
}

// copyTracked copies the files git tracks (and the working tree's edits
// of them) into dst: a mutant is applied to the code as it is now.
func copyTracked(root, dst string) error {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("git ls-files: %w", err)
	}
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if rel == "" {
			continue
		}
		src := filepath.Join(root, rel)
		info, err := os.Lstat(src)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted in the working tree, or a link
		}
		if err := copyFile(src, filepath.Join(dst, rel), info.Mode().Perm()); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
