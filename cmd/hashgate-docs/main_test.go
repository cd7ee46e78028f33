package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/cli"
)

// TestGenerate: one man page per command, each with its examples, and
// completion scripts for four shells, all from the live command tree.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"hashgate.1", "hashgate-upload.1", "hashgate-config-validate.1", "hashgate-ledger-stats.1", "hashgate-completion-bash.1"} {
		b, err := os.ReadFile(filepath.Join(dir, "man", page))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), ".SH EXAMPLE") || !strings.Contains(string(b), `"Dec 2026"`) {
			t.Errorf("%s lacks its EXAMPLE section or the fixed date:\n%.300s", page, b)
		}
	}
	for name, want := range map[string]string{
		"hashgate.bash": "__start_hashgate",
		"hashgate.zsh":  "#compdef hashgate",
		"hashgate.fish": "complete -c hashgate",
		"hashgate.ps1":  "Register-ArgumentCompleter",
	} {
		b, err := os.ReadFile(filepath.Join(dir, "completion", name))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: %v, lacks %q", name, err, want)
		}
	}
}

// TestManPagesSayWhatHelpSays: md2man read the help text as Markdown. It
// swallowed "_<SECTION>_<KEY>" of the root command's
// HASHGATE_<SECTION>_<KEY> (emphasis around raw HTML) and refilled the
// indented blocks — the exit-code table of hashgate(1) and
// hashgate-upload(1), check's expect grammar — into paragraphs, their
// columns run together at the page's width (a newcomer's review,
// 2026-12-06). Those three are checked by name; then every command's page
// is held to its help: each indented block verbatim between .EX and .EE,
// and every other line's words, in order, in the page's text, and so are
// its flags' usage lines.
func TestManPagesSayWhatHelpSays(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	page := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, "man", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	exitTable := ".EX\n  0    every new conversion was ingested, or there was nothing new to send\n       (rows held back"
	for _, c := range []struct{ page, want string }{
		{"hashgate.1", "HASHGATE_<SECTION>_<KEY>\nenvironment variables"},
		{"hashgate.1", exitTable},
		{"hashgate-upload.1", exitTable},
		{"hashgate-check.1", ".EX\n  include                                   used for every enabled destination\n  exclude  "},
	} {
		if !strings.Contains(page(c.page), c.want) {
			t.Errorf("%s lacks %q", c.page, c.want)
		}
	}
	n := 0
	forEachCommand(cli.Command(io.Discard, io.Discard), func(c *cobra.Command) {
		if c.Hidden || c.Long == "" {
			return
		}
		n++
		name := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		src := page(name)
		text := roffText(src)
		literal := strings.NewReplacer(`\\`, `\`, `\e`, `\`, `\&`, "").Replace(src) // md2man's escapes in .EX
		lines := strings.Split(c.Long, "\n")
		for i := 0; i < len(lines); i++ {
			if !indented(lines[i]) {
				if w := strings.Join(strings.Fields(lines[i]), " "); w != "" && !strings.Contains(text, w) {
					t.Errorf("%s: the help's line %q is not in the page", name, lines[i])
				}
				continue
			}
			j := i
			for j < len(lines) && indented(lines[j]) {
				j++
			}
			if block := ".EX\n" + strings.Join(lines[i:j], "\n") + "\n.EE\n"; !strings.Contains(literal, block) {
				t.Errorf("%s: the help's indented block is not preformatted in the page:\n%s", name, block)
			}
			i = j - 1
		}
		c.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
			if w := strings.Join(strings.Fields(f.Usage), " "); !strings.Contains(text, w) {
				t.Errorf("%s: --%s's usage %q is not in the page", name, f.Name, f.Usage)
			}
		})
	})
	if n < 20 {
		t.Fatalf("checked %d commands' pages", n)
	}
}

// roffText is a page's text as words: requests (.PP, .EX) and md2man's
// escapes (\&, \fB…\fP) dropped, whitespace collapsed to single spaces.
func roffText(src string) string {
	var words []string
	for _, l := range strings.Split(src, "\n") {
		if strings.HasPrefix(l, ".") {
			continue
		}
		l = strings.NewReplacer(`\&`, "", `\fB`, "", `\fI`, "", `\fP`, "", `\fR`, "", `\-`, "-", `\e`, `\`, `\\`, `\`).Replace(l)
		words = append(words, strings.Fields(l)...)
	}
	return strings.Join(words, " ")
}
