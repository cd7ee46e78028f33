package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Every hashgate command — `hashgate version`, a cron upload, a CI consent
// check — first runs the package initialisation of everything linked. The
// tables only some commands read (inspect's vocabularies, the requeue
// grammars, the report's page template, the platforms' answer sets) are
// built on first use (sync.OnceValue), which took our packages' init from
// about 1.2 MB and 10,000 allocations to under 0.1 MB (docs/performance.md,
// Start-up). These ceilings keep it so: a package of ours
// that starts building a table at init again fails here. Make the table
// lazy, or, if every command needs it, raise its ceiling below with the
// reason.

// initBudget is what one package may allocate in its initialisation.
type initBudget struct {
	bytes, allocs int
}

// defaultInitBudget holds every package of the module not listed in
// initBudgets: about a third of one small compiled regexp.
var defaultInitBudget = initBudget{bytes: 8 << 10, allocs: 50}

// initBudgets are the packages with a table every command may need, with
// about half again of what they allocated when the ceilings were set.
var initBudgets = map[string]initBudget{
	// The postal-code table of Google's regions, read for every row with a
	// postal code (15 KB) and the small ISO sets.
	"internal/plaintext": {bytes: 42 << 10, allocs: 300},
	// The error-rule tables of both platforms (the answer sets are lazy).
	"internal/platform": {bytes: 26 << 10, allocs: 90},
	// Country names and cell placeholders, read for every row.
	"internal/identifier": {bytes: 23 << 10, allocs: 110},
	// Small lookup maps (listKeys, headerTerms, vetoTerms, statusVocabulary);
	// every large table is lazy. 22 KiB since the public layouts' names
	// (appointment pk, arrival flags, visit kinds) joined them: 21,224
	// bytes, 86 allocs measured; 24 KiB since the channel-scoped consent
	// headers (glued channel words, soft opt-ins, contact preferences,
	// record exchanges) joined them: 22,952 bytes, 106 allocs measured;
	// 26 KiB since the national-id header words (身份证, 证件, passport, …)
	// joined the vetoes: 24,832 bytes, 108 allocs measured.
	"internal/inspect": {bytes: 26 << 10, allocs: 115},
	// Our patched copy of zxcvbn (third_party/zxcvbn/PATCHES.md): its
	// dictionaries and keyboard graphs are lazy; the regexps of matching
	// and scoring are upstream's.
	zxcvbn + "/matching": {bytes: 47 << 10, allocs: 680},
	zxcvbn + "/scoring":  {bytes: 16 << 10, allocs: 210},
}

// zxcvbn is the import path of our copy of zxcvbn: part of the module
// (third_party/zxcvbn/PATCHES.md) but upstream's code, so held to its own
// ceilings and left out of the module's total.
const zxcvbn = module + "/third_party/zxcvbn"

// moduleInitCeiling bounds the module's packages together.
const moduleInitCeiling = 128 << 10

// initLine is one package's line of GODEBUG=inittrace=1.
type initLine struct {
	pkg           string
	bytes, allocs int
}

// parseInitTrace reads the lines of the runtime's inittrace
// (https://pkg.go.dev/runtime#hdr-Environment_Variables): "init PKG @T ms,
// C ms clock, B bytes, A allocs". Other lines are skipped.
func parseInitTrace(out []byte) ([]initLine, error) {
	var lines []initLine
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) != 11 || f[0] != "init" || f[8] != "bytes," || f[10] != "allocs" {
			continue
		}
		b, err1 := strconv.Atoi(f[7])
		a, err2 := strconv.Atoi(f[9])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("inittrace line %q: not a count", l)
		}
		lines = append(lines, initLine{pkg: f[1], bytes: b, allocs: a})
	}
	return lines, nil
}

// overBudget lists the packages of the module (and of our copy of
// zxcvbn) whose initialisation allocates more than their ceiling, and the
// module's total.
func overBudget(lines []initLine, module string) (faults []string, total int) {
	for _, l := range lines {
		rel, ours := strings.CutPrefix(l.pkg, module+"/")
		switch {
		case l.pkg == zxcvbn || strings.HasPrefix(l.pkg, zxcvbn+"/"):
			rel = l.pkg
		case ours:
			total += l.bytes
		default:
			continue
		}
		b, ok := initBudgets[rel]
		if !ok {
			b = defaultInitBudget
		}
		if l.bytes > b.bytes || l.allocs > b.allocs {
			faults = append(faults, fmt.Sprintf("%s: %d bytes, %d allocs at init (ceiling %d bytes, %d allocs)",
				rel, l.bytes, l.allocs, b.bytes, b.allocs))
		}
	}
	if total > moduleInitCeiling {
		faults = append(faults, fmt.Sprintf("the module's packages: %d bytes at init (ceiling %d)", total, moduleInitCeiling))
	}
	return faults, total
}

const module = "github.com/hashgate/hashgate"

// TestInitAllocationBudget runs the built binary (go build, no race
// detector: what ships) with GODEBUG=inittrace=1 and holds each of our
// packages' initialisation to its ceiling.
func TestInitAllocationBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "hashgate")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "version")
	cmd.Env = append(slices.DeleteFunc(os.Environ(), func(e string) bool { return strings.HasPrefix(e, "GODEBUG=") }),
		"GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("hashgate version: %v\n%s", err, stderr.Bytes())
	}
	lines, err := parseInitTrace(stderr.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// The trace must be there to be read: internal/platform (its error
	// rules) always has a line, and so does phonenumbers.
	for _, want := range []string{module + "/internal/platform", "github.com/nyaruka/phonenumbers"} {
		if !slices.ContainsFunc(lines, func(l initLine) bool { return l.pkg == want }) {
			t.Fatalf("no inittrace line for %s in:\n%s", want, stderr.Bytes())
		}
	}
	faults, total := overBudget(lines, module)
	for _, f := range faults {
		t.Error(f)
	}
	t.Logf("the module's packages allocate %d bytes at init", total)
}

// TestOverBudgetReadsTheTrace: the checker finds packages over the default
// ceiling (ours and our zxcvbn copy's), keeps one within its own, and
// finds the module's total over its ceiling, from the lines the binary
// printed before start-up was cut; it ignores other modules' packages.
func TestOverBudgetReadsTheTrace(t *testing.T) {
	trace := []byte(`init internal/bytealg @0.004 ms, 0 ms clock, 0 bytes, 0 allocs
init github.com/nyaruka/phonenumbers @12 ms, 14 ms clock, 2486856 bytes, 35501 allocs
init github.com/hashgate/hashgate/internal/inspect @38 ms, 4.1 ms clock, 777744 bytes, 5234 allocs
init github.com/hashgate/hashgate/internal/cli @54 ms, 2.5 ms clock, 301224 bytes, 4261 allocs
init github.com/hashgate/hashgate/internal/platform @3.1 ms, 0.14 ms clock, 16968 bytes, 60 allocs
init github.com/hashgate/hashgate/third_party/zxcvbn/adjacency @0.72 ms, 0.18 ms clock, 36320 bytes, 241 allocs
init github.com/hashgate/hashgate/third_party/zxcvbn/matching @35 ms, 0.20 ms clock, 31304 bytes, 447 allocs
hashgate (devel)
`)
	lines, err := parseInitTrace(trace)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 7 || lines[2] != (initLine{module + "/internal/inspect", 777744, 5234}) {
		t.Fatalf("parsed %+v", lines)
	}
	faults, total := overBudget(lines, module)
	if total != 777744+301224+16968 {
		t.Errorf("total %d", total)
	}
	want := []string{"internal/inspect:", "internal/cli:", zxcvbn + "/adjacency:", "the module's packages:"}
	if len(faults) != len(want) {
		t.Fatalf("faults %q, want %d", faults, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(faults[i], w) {
			t.Errorf("fault %d = %q, want %s…", i, faults[i], w)
		}
	}
	if _, err := parseInitTrace([]byte("init x @1 ms, 1 ms clock, many bytes, 3 allocs\n")); err == nil {
		t.Error("a line whose count is not a number was read")
	}
}
