package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestChannelsPageTableIsTheTerminals: the same command prints the same
// window table in the terminal and on the page. --html used to pick
// periods itself (weeks for a month) while the terminal took none, and
// which cells the release rule hides in a window depends on its periods:
// the English fixture's November printed Google's pending 11 on the page
// and * in the terminal.
func TestChannelsPageTableIsTheTerminals(t *testing.T) {
	env := stateEnv(t, "page-vs-terminal")
	args := []string{"channels", "-q", "--config", chPath("en.yaml"), "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf,
		"--spend", "google=" + chPath("google-ads.csv"), "--spend", "meta=" + chPath("meta-daily.csv")}
	res := runCLI(t, env, "", append(args, chPath("export-en.csv"))...)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	term := terminalRows(res.stdout)
	out := filepath.Join(t.TempDir(), "page.html")
	if res := runCLI(t, env, "", append(args, "--html", out, chPath("export-en.csv"))...); res.code != 0 {
		t.Fatalf("--html: exit %d: %s", res.code, res.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := windowRows(t, string(b))
	if len(term) != 7 || len(page) != 7 {
		t.Fatalf("%d terminal rows, %d page rows:\n%s", len(term), len(page), res.stdout)
	}
	for i := range term {
		if strings.Join(term[i], "|") != strings.Join(page[i], "|") {
			t.Errorf("row %d:\nterminal %q\npage     %q", i, term[i], page[i])
		}
	}
}

var columnGap = regexp.MustCompile(`\s{2,}`)

// terminalRows are the figures of the window table's lines (names left
// out: the page localises Paid and Total).
func terminalRows(out string) [][]string {
	var rows [][]string
	in := false
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "Channel "):
			in = true
		case !in || strings.HasPrefix(l, "─"):
		case strings.TrimSpace(l) == "":
			return rows
		default:
			rows = append(rows, columnGap.Split(strings.TrimSpace(l), -1)[1:])
		}
	}
	return rows
}

// windowRows are the figures of the page's whole-window table.
func windowRows(t *testing.T, page string) [][]string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	text := func(n *html.Node) string {
		var b strings.Builder
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.TextNode {
				b.WriteString(n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(n)
		return b.String()
	}
	var rows [][]string
	var walk func(n *html.Node, window bool)
	walk = func(n *html.Node, window bool) {
		if n.Type == html.ElementNode && n.Data == "table" {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "caption" && strings.HasPrefix(text(c), "Whole window") {
					window = true
				}
			}
		}
		if window && n.Type == html.ElementNode && n.Data == "tr" && n.Parent.Data != "thead" {
			var row []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode {
					row = append(row, text(c))
				}
			}
			rows = append(rows, row[1:])
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, window)
		}
	}
	walk(doc, false)
	return rows
}
