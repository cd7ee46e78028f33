// Command mutants applies each of a named list of mutations to a scratch
// copy of the module and runs the tests that should catch it: `make
// mutants` fails if any mutant survives (its tests still pass) or if a
// mutation no longer applies (the code it names has moved: update the
// list). Each mutation is a rule whose silent breakage would send what must
// not be sent, or print what must not be printed; its Why says which.
//
// A mutant is killed only by a test that failed (go test -json: a test's
// "fail"): a named test that skipped killed nothing, and a mutant that does
// not build is stale. Before any mutant, each distinct (Packages, Run) is
// run once on the unchanged copy; one that fails there (a test needing
// root or a user namespace, a flaky one) is a BASELINE-FAIL, fails the
// run, and its mutants are not run — they would all look killed.
//
// It lives under testdata so that `go build ./...` and `go vet ./...` skip
// it: it is a developer's tool, run by `make mutants`, not part of .ci/run
// (it takes minutes: one package build per mutant, without -race).
package main

import (
	"bytes"
	"encoding/json"
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
	var survived, stale, baselineFailed, unclear []string
	var picked []mutation
	for _, m := range slices.Concat(mutations, slices.Concat(registered...)) {
		if only != "" && !strings.Contains(m.Name, only) || listed != nil && !listed[m.Name] {
			continue
		}
		picked = append(picked, m)
	}
	if len(picked) == 0 {
		return fmt.Errorf("no mutation matches %q", only)
	}
	// Each mutant's own tests, once, on the unchanged copy: a test that
	// fails there for the machine's reasons (root, a user namespace, a
	// flake) would make every mutant it runs for look killed. Those
	// mutants are not run.
	baseline := map[string]bool{} // testKey → the tests pass unchanged
	bins := map[string]string{}   // package → its test binary, built once
	for _, m := range picked {
		k := testKey(m)
		if _, done := baseline[k]; done {
			continue
		}
		t0 := time.Now()
		r := baselineTest(scratch, m, bins)
		took := time.Since(t0).Round(100 * time.Millisecond)
		baseline[k] = r.exit == nil
		switch {
		case r.exit != nil:
			fmt.Printf("BASELINE-FAIL %s: fails on the unchanged code (%s), %s:\n%s\n", k, took, r.verdict(), tail(r.text.Bytes(), 10))
			baselineFailed = append(baselineFailed, k)
		case r.passed == 0:
			fmt.Printf("baseline %s: %s on the unchanged code: its mutants cannot be killed here (%s)\n", k, r.verdict(), took)
		}
	}
	ran := 0
	for _, m := range picked {
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
		if !baseline[testKey(m)] {
			fmt.Printf("NOT RUN  %-34s its tests fail unmutated (BASELINE-FAIL above)\n", m.Name)
			continue
		}
		mutated := bytes.Replace(orig, []byte(m.Old), []byte(m.New), 1)
		if err := os.WriteFile(path, mutated, 0o644); err != nil {
			return err
		}
		t0 := time.Now()
		r := goTest(scratch, m)
		if werr := os.WriteFile(path, orig, 0o644); werr != nil {
			return werr
		}
		took := time.Since(t0).Round(100 * time.Millisecond)
		switch {
		case r.build:
			// A mutant that does not compile proves nothing about the tests.
			fmt.Printf("STALE    %-34s does not compile:\n%s\n", m.Name, tail(r.text.Bytes(), 10))
			stale = append(stale, m.Name)
		case len(r.failed) > 0:
			fmt.Printf("killed   %-34s by %s (%s)\n", m.Name, r.failed[0], took)
		case r.exit == nil:
			// Passed — or every named test skipped: a test that did not
			// run killed nothing.
			fmt.Printf("SURVIVED %-34s %s: %s (%s)\n         why it matters: %s\n", m.Name, strings.Join(m.Packages, " "), r.verdict(), took, m.Why)
			survived = append(survived, m.Name)
		default:
			// go test failed, but no test failed and nothing failed to
			// build (a crash before the tests, a timeout): not a kill.
			fmt.Printf("UNCLEAR  %-34s go test failed with no failing test (%v):\n%s\n", m.Name, r.exit, tail(r.text.Bytes(), 10))
			unclear = append(unclear, m.Name)
		}
	}
	notRun := 0
	for _, m := range picked {
		if !baseline[testKey(m)] {
			notRun++
		}
	}
	killed := ran - len(survived) - len(stale) - len(unclear) - notRun
	fmt.Printf("%d mutants, %d killed, %d survived, %d stale, %d unclear, %d not run; %d baseline failures, in %s\n",
		ran, killed, len(survived), len(stale), len(unclear), notRun, len(baselineFailed), time.Since(start).Round(time.Second))
	if len(survived)+len(stale)+len(unclear)+len(baselineFailed) > 0 {
		return fmt.Errorf("survived: %v; stale: %v; unclear: %v; baseline failures: %v", survived, stale, unclear, baselineFailed)
	}
	return nil
}

// testKey names a mutant's go test invocation: its packages and -run.
func testKey(m mutation) string {
	return fmt.Sprintf("%s -run %q", strings.Join(m.Packages, " "), m.Run)
}

// result is what one go test -json run did.
type result struct {
	exit         error        // go test's: nil when it passed
	failed       []string     // the tests that failed, in the order they did
	passed, skip int          // tests (and subtests) that passed, skipped
	build        bool         // a package or its tests did not build
	text         bytes.Buffer // the tests' output, and go's
}

// verdict says in a few words what the tests did.
func (r *result) verdict() string {
	switch {
	case r.build:
		return "build failed"
	case len(r.failed) > 0:
		return "failed: " + strings.Join(r.failed, ", ")
	case r.passed == 0 && r.skip > 0:
		return fmt.Sprintf("its %d tests skipped", r.skip)
	case r.passed == 0:
		return "no test matched -run"
	case r.skip > 0:
		return fmt.Sprintf("%d tests passed, %d skipped", r.passed, r.skip)
	default:
		return fmt.Sprintf("%d tests passed", r.passed)
	}
}

// testEvent is a line of go test -json (cmd/test2json; build events since
// Go 1.24: build-output, build-fail, and FailedBuild on a package's fail).
type testEvent struct {
	Action, Package, Test, Output, ImportPath, FailedBuild string
}

// goTest runs m's tests in dir with -json and reads what each test did: a
// mutant is killed only by a test that failed, not by any non-zero exit.
func goTest(dir string, m mutation) *result {
	// -pgo=off: with cmd/hashgate/default.pgo, a test of ./cmd/hashgate
	// would rebuild every dependency with the profile for each mutant;
	// whether a mutant is killed does not depend on the optimiser.
	args := append([]string{"test", "-json", "-pgo=off", "-count=1", "-failfast"}, m.Packages...)
	if m.Run != "" {
		args = append(args, "-run", m.Run)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	return readEvents(cmd)
}

// readEvents runs cmd, whose stdout is go test -json's (or test2json's),
// and reads what each test did.
func readEvents(cmd *exec.Cmd) *result {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	r := &result{exit: cmd.Run()}
	for _, line := range bytes.Split(stdout.Bytes(), []byte("\n")) {
		var e testEvent
		if len(line) == 0 {
			continue
		}
		if line[0] != '{' || json.Unmarshal(line, &e) != nil {
			r.text.Write(append(line, '\n'))
			continue
		}
		r.text.WriteString(e.Output)
		switch {
		case e.Action == "build-fail" || e.FailedBuild != "":
			r.build = true
		case e.Test == "":
		case e.Action == "fail":
			r.failed = append(r.failed, e.Test)
		case e.Action == "pass":
			r.passed++
		case e.Action == "skip":
			r.skip++
		}
	}
	r.text.Write(stderr.Bytes())
	if bytes.Contains(r.text.Bytes(), []byte("[build failed]")) || bytes.Contains(r.text.Bytes(), []byte("[setup failed]")) {
		r.build = true
	}
	return r
}

// baselineTest runs m's tests on the unchanged copy as goTest would, but
// from test binaries built once per package (bins): go test links a
// package's test binary on every call, and with one baseline per distinct
// (Packages, Run) — 538 of them in 2026-12 — the links alone took longer
// than the mutants (internal/cli's binary links in 10–20 s on two loaded
// cores). The unchanged code is the same for every baseline, so one
// binary per package serves them all. Each binary runs in its package's
// directory (the tests read testdata relative to it), under test2json.
func baselineTest(dir string, m mutation, bins map[string]string) *result {
	r := &result{}
	for _, pkg := range m.Packages {
		bin, ok := bins[pkg]
		if !ok {
			bin = filepath.Join(dir, ".mutants-bin", strings.NewReplacer("/", "_", ".", "_").Replace(pkg)+".test")
			if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
				r.exit = err
				return r
			}
			cmd := exec.Command("go", "test", "-c", "-pgo=off", "-o", bin, pkg)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				r.exit, r.build = err, true
				r.text.Write(out)
				return r
			}
			bins[pkg] = bin
		}
		if _, err := os.Stat(bin); err != nil {
			continue // go test -c writes no binary for a package without tests
		}
		args := []string{"tool", "test2json", "-p", pkg, bin, "-test.v=test2json", "-test.paniconexit0", "-test.count=1", "-test.failfast", "-test.timeout=10m"}
		if m.Run != "" {
			args = append(args, "-test.run", m.Run)
		}
		cmd := exec.Command("go", args...)
		cmd.Dir = filepath.Join(dir, pkg)
		one := readEvents(cmd)
		if one.exit != nil {
			r.exit = one.exit
		}
		r.failed = append(r.failed, one.failed...)
		r.passed += one.passed
		r.skip += one.skip
		r.build = r.build || one.build
		r.text.Write(one.text.Bytes())
	}
	return r
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
