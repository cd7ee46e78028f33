package depcheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// platformHomes may name a platform: its rules (internal/platform), its
// clients (the API clients, their fakes, the explicit construction list,
// and the manual-upload file writers), and the normalisers, whose
// per-platform rules are docs/research/normalisation.md's (identifier.Prepare
// branches on the platform by design; the Spec says which fields are
// hashed, identifier says how each is normalised).
var platformHomes = []string{
	"internal/platform/...",
	"internal/destination/google/...",
	"internal/destination/meta/...",
	"internal/destination/destinationtest/...",
	"internal/destination/clients/...",
	"internal/sink/platformcsv/...",
	"internal/identifier/...",
	"internal/depcheck/...",
}

// platformFiles are single files outside the homes that are one
// platform's by nature, each with its reason.
var platformFiles = map[string]string{
	// The config schema: the destinations.google and destinations.meta
	// blocks are tied to platform.Google and platform.Meta here and
	// nowhere else in config.
	"internal/config/platforms.go": "schema binding",
	// Config's own validation and the list of plain-text settings that
	// leave: the schema checking its own blocks.
	"internal/config/config.go":  "schema validation",
	"internal/config/leaving.go": "schema: settings sent in plain text",
	// The vocabulary of channel words clinics write in a source column
	// ("google", "fb", "臉書"): words a cell may hold, grouped under the
	// channel name shown, not a platform's rules.
	"internal/printable/printable.go": "channel vocabulary",
}

// platformNumbers are the platforms' limits as they were once written out
// beside the code that used them: batch sizes (2000 Google, 1000 Meta),
// event-age windows in days (90 and 540 Google, 62 Meta). Outside the
// homes they must come from a platform.Spec.
var platformNumbers = map[string]bool{"2000": true, "1000": true, "540": true, "90": true, "62": true}

// platformNumberPackages are where such a number would be a platform's
// limit; elsewhere 1000 is a thousand (eventtime's year arithmetic).
var platformNumberPackages = []string{
	"internal/config/...", "internal/pipeline/...", "internal/run/...", "internal/cli/...",
	"internal/destination", "internal/sink/...", "internal/ledger/...", "internal/report/...",
}

// ownWeeks are files whose 6- or 7-day durations are hashgate's own, not
// a platform's deduplication window, each with its reason.
var ownWeeks = map[string]string{
	"internal/ledger/upload.go": "skew: how far an event's time may run ahead of the clock that dated its sending",
}

// findDayWindows finds durations of 6 or 7 days written out — 7 * 24 *
// time.Hour, 6 * day, AddDate(0, 0, -6) — where Meta's deduplication
// window would be restated instead of read from its Spec.
func findDayWindows(fset *token.FileSet, f *ast.File) []literalFinding {
	weekish := func(e ast.Expr) bool {
		b, ok := e.(*ast.BasicLit)
		return ok && b.Kind == token.INT && (b.Value == "6" || b.Value == "7")
	}
	var out []literalFinding
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BinaryExpr:
			if x.Op != token.MUL {
				return true
			}
			for _, pair := range [][2]ast.Expr{{x.X, x.Y}, {x.Y, x.X}} {
				if weekish(pair[0]) && mentionsDay(pair[1]) {
					out = append(out, literalFinding{fset.Position(x.Pos()), "duration " + pair[0].(*ast.BasicLit).Value + " days"})
					return false
				}
			}
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "AddDate" && len(x.Args) == 3 {
				d := x.Args[2]
				if u, ok := d.(*ast.UnaryExpr); ok && u.Op == token.SUB {
					d = u.X
				}
				if weekish(d) {
					out = append(out, literalFinding{fset.Position(x.Pos()), "AddDate of " + d.(*ast.BasicLit).Value + " days"})
				}
			}
		}
		return true
	})
	return out
}

// mentionsDay: e is a day written out (24 * time.Hour, day, Day, 24h).
func mentionsDay(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Ident:
			if x.Name == "day" || x.Name == "Day" {
				found = true
			}
		case *ast.BasicLit:
			if x.Value == "24" {
				found = true
			}
		}
		return !found
	})
	return found
}

// literalFinding is one platform literal at file:line.
type literalFinding struct {
	pos  token.Position
	what string
}

// findPlatformLiterals walks one file for "google"/"meta" string literals,
// references to the platform constants (platform.Google, identifier.Meta,
// …) and, when numbers is set, the platforms' limits as integer literals.
func findPlatformLiterals(fset *token.FileSet, f *ast.File, numbers bool) []literalFinding {
	var out []literalFinding
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ImportSpec:
			return false // import paths name packages, not platforms
		case *ast.BasicLit:
			switch x.Kind {
			case token.STRING:
				if s, err := strconv.Unquote(x.Value); err == nil {
					switch strings.ToLower(strings.TrimSpace(s)) {
					case "google", "meta":
						out = append(out, literalFinding{fset.Position(x.Pos()), "string " + x.Value})
					}
				}
			case token.INT:
				if numbers && platformNumbers[x.Value] {
					out = append(out, literalFinding{fset.Position(x.Pos()), "number " + x.Value})
				}
			}
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && (id.Name == "platform" || id.Name == "identifier") &&
				(x.Sel.Name == "Google" || x.Sel.Name == "Meta") {
				out = append(out, literalFinding{fset.Position(x.Pos()), id.Name + "." + x.Sel.Name})
			}
			// A platform's config block read by name (cfg.Destinations.Google.X,
			// cfg.Spend.Meta): a branch on one platform's settings that the
			// Spec and config's per-platform accessors exist to avoid.
			if inner, ok := x.X.(*ast.SelectorExpr); ok && (inner.Sel.Name == "Destinations" || inner.Sel.Name == "Spend") &&
				(x.Sel.Name == "Google" || x.Sel.Name == "Meta") {
				out = append(out, literalFinding{fset.Position(x.Pos()), "field ." + inner.Sel.Name + "." + x.Sel.Name})
			}
		}
		return true
	})
	return out
}

// TestNoPlatformLiteralOutsideItsHome: outside internal/platform and the
// clients, code reads a platform's rules from its Spec and loops over
// platform.All; it never branches on a platform by name or restates a
// limit. Test files are exempt (they name platforms to test them).
func TestNoPlatformLiteralOutsideItsHome(t *testing.T) {
	walkPlatformFreeCode(t, platformFiles, func(fset *token.FileSet, rel string, f *ast.File) {
		numbers := matchAny(platformNumberPackages, filepath.ToSlash(filepath.Dir(rel)))
		for _, l := range findPlatformLiterals(fset, f, numbers) {
			t.Errorf("%s:%d: %s outside internal/platform and the clients: read it from a platform.Spec", rel, l.pos.Line, l.what)
		}
		if numbers && ownWeeks[rel] == "" {
			for _, l := range findDayWindows(fset, f) {
				t.Errorf("%s:%d: %s outside internal/platform: Meta's deduplication window (7 days, 6 with the margin) is read from platform.Spec (DedupWindow, DedupSafe)", rel, l.pos.Line, l.what)
			}
		}
	})
}

// TestPlatformLiteralFinderCatchesPlanted: each kind of literal the test
// above forbids is found in a planted file.
func TestPlatformLiteralFinderCatchesPlanted(t *testing.T) {
	src := `package x
import "github.com/hashgate/hashgate/internal/platform"
func f(p platform.Platform, name string) int {
	if p == platform.Google { return 1 }
	if name == "meta" { return 2 }
	if cfg.Destinations.Google.Enabled { return 3 }
	return 2000
}`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "planted.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range findPlatformLiterals(fset, f, true) {
		got = append(got, fmt.Sprintf("%d %s", l.pos.Line, l.what))
	}
	want := []string{"4 platform.Google", `5 string "meta"`, "6 field .Destinations.Google", "7 number 2000"}
	if !slices.Equal(got, want) {
		t.Fatalf("found %q, want %q", got, want)
	}
}

// TestDayWindowFinderCatchesPlanted: each way of writing Meta's window out
// is found; a 6-hour or 7-minute duration is not.
func TestDayWindowFinderCatchesPlanted(t *testing.T) {
	src := `package x
import "time"
const day = 24 * time.Hour
var a = 7 * 24 * time.Hour
var b = 6 * day
var c = time.Now().AddDate(0, 0, -6)
var d = 6 * time.Hour
var e = 7 * time.Minute
var g = time.Hour * 24 * 7
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "planted.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range findDayWindows(fset, f) {
		got = append(got, fmt.Sprintf("%d %s", l.pos.Line, l.what))
	}
	want := []string{"4 duration 7 days", "5 duration 6 days", "6 AddDate of 6 days", "9 duration 7 days"}
	if !slices.Equal(got, want) {
		t.Fatalf("found %q, want %q", got, want)
	}
}

// walkPlatformFreeCode parses every non-test Go file outside the
// platforms' homes, testdata and hidden folders, except those exempt
// names (with its reason), and hands each to check. It fails the test if
// it parsed fewer than 30 files: run from elsewhere, it would prove
// nothing.
func walkPlatformFreeCode(t *testing.T, exempt map[string]string, check func(fset *token.FileSet, rel string, f *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(moduleRoot, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if name := d.Name(); rel != "." && (strings.HasPrefix(name, ".") || name == "testdata") || matchAny(platformHomes, rel) || thirdParty(path) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") || exempt[rel] != "" {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		check(fset, rel, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 30 {
		t.Fatalf("checked %d files: is the test run from the module?", checked)
	}
}
