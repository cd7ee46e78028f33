package depcheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// platformColumns are the spellings that belong to one platform: its click
// ids and its own consent column (internal/platform's registry, read from
// the Specs, so a platform added with a click id of its own is guarded as
// soon as its Spec names it), and Google's two consent signals.
func platformColumns() []string {
	out := append(platform.ClickIDKeys(), platform.ConsentKeys()...)
	return append(out, platform.KeyAdPersonalization, "ad_user_data")
}

// columnSchemaFiles may spell them: config's schema, whose mapstructure
// tags are the YAML keys users write (input.columns.gclid …) and whose
// validation names those keys in its messages; TestSchemaSpellsTheRegistry
// (internal/config) keeps the tags and the registry in step.
var columnSchemaFiles = map[string]string{
	"internal/config/config.go":    "schema: the YAML keys",
	"internal/config/platforms.go": "schema binding and its messages",
	// Prose for people, not keys read by code: the help text of `hashgate
	// channels` and the channel report's attribution note (in three
	// languages) explain which click ids put a row in which channel.
	"internal/cli/channels.go":       "help text",
	"internal/channelreport/i18n.go": "the report's attribution note",
}

// columnFields are the Go names of the platforms' own columns: the schema's
// fields (config.Columns.GCLID, .ConsentMeta …) and a conversion's click
// ids. Read by name outside the schema, the conversion and the homes, they
// are a branch on one platform's columns that the registry exists to avoid
// (config.Columns.ByKey, conversion.Conversion.ClickIDs).
var columnFields = map[string]bool{
	"GCLID": true, "GBRAID": true, "WBRAID": true, "FBCLID": true,
	"ConsentGoogle": true, "ConsentMeta": true, "AdPersonalization": true,
}

// columnFieldFiles may read them by name: the conversion, which holds the
// click ids and hands them out by key.
var columnFieldFiles = map[string]string{
	"internal/conversion/conversion.go": "the click ids' own fields, handed out by key (ClickIDs)",
	"internal/conversion/codec.go":      "the spool codec writes every field of a conversion",
}

// findColumnSpellings finds string literals (struct tags included) that
// hold one of spellings as a word, in any case: "gclid",
// "input.columns.consent_meta", `mapstructure:"fbclid"`, "GBRAID". A word
// is bounded by anything but a letter, a digit or "_", so a longer
// identifier that contains one ("msgclid", Google's error reason
// DUPLICATE_GCLID in the ledger's migrations) is not a spelling.
func findColumnSpellings(fset *token.FileSet, f *ast.File, spellings []string, fields bool) []literalFinding {
	var out []literalFinding
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ImportSpec:
			return false
		case *ast.SelectorExpr:
			if fields && columnFields[x.Sel.Name] {
				out = append(out, literalFinding{fset.Position(x.Sel.Pos()), "field ." + x.Sel.Name})
			}
		case *ast.BasicLit:
			if x.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(x.Value)
			if err != nil {
				return true
			}
			for _, w := range spellings {
				if containsWord(strings.ToLower(s), w) {
					out = append(out, literalFinding{fset.Position(x.Pos()), "column " + w})
					break
				}
			}
		}
		return true
	})
	return out
}

// containsWord reports whether w occurs in s between word boundaries
// (anything but a lower-case letter, a digit or "_").
func containsWord(s, w string) bool {
	isWord := func(c byte) bool {
		return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_'
	}
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if (j == 0 || !isWord(s[j-1])) && (end == len(s) || !isWord(s[end])) {
			return true
		}
		i = j + 1
	}
}

// TestNoPlatformColumnOutsideItsHome: a platform's click ids and consent
// columns are spelled — as strings, or as the Go fields that hold them —
// in internal/platform (columns.go, the Specs), its clients, config's
// schema and the conversion only; everything else reads them from there (issue 28: they were spelled in about ten files, so a renamed or
// added click id would have been missed in some). Test files are exempt.
func TestNoPlatformColumnOutsideItsHome(t *testing.T) {
	spellings := platformColumns()
	if len(spellings) < 8 {
		t.Fatalf("only %d spellings from the platforms' registry: %q", len(spellings), spellings)
	}
	walkPlatformFreeCode(t, columnSchemaFiles, func(fset *token.FileSet, rel string, f *ast.File) {
		for _, l := range findColumnSpellings(fset, f, spellings, columnFieldFiles[rel] == "") {
			t.Errorf("%s:%d: %s spelled outside internal/platform: read it from the platforms' registry (platform.Key…, ClickIDKeys, a Spec)", rel, l.pos.Line, l.what)
		}
	})
}

// TestColumnSpellingFinderCatchesPlanted: each way a column is spelled —
// alone, inside a key path or message, in a struct tag, upper-cased, as a
// field read by name — is found; a longer word or identifier that merely contains one is not.
func TestColumnSpellingFinderCatchesPlanted(t *testing.T) {
	src := "package x\n" +
		"var a = \"gclid\"\n" +
		"var b = \"set input.columns.consent_meta\"\n" +
		"type T struct{ F string `mapstructure:\"fbclid\"` }\n" +
		"var c = \"GBRAID\"\n" +
		"var d = \"msgclid ttclid\"\n" +
		"var e = []string{\"ad_personalization\", \"ad_user_data\"}\n" +
		"var g = \"wbraid_share, reason_duplicate_gclid\"\n" +
		"var h = \"see wbraid.\"\n" +
		"var i = cfg.Input.Columns.ConsentGoogle + c.GBRAID + export.FBCLID\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "planted.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range findColumnSpellings(fset, f, platformColumns(), true) {
		got = append(got, fmt.Sprintf("%d %s", l.pos.Line, l.what))
	}
	want := []string{"2 column gclid", "3 column consent_meta", "4 column fbclid", "5 column gbraid",
		"7 column ad_personalization", "7 column ad_user_data", "9 column wbraid",
		"10 field .ConsentGoogle", "10 field .GBRAID", "10 field .FBCLID"}
	if !slices.Equal(got, want) {
		t.Fatalf("found %q, want %q", got, want)
	}
}
