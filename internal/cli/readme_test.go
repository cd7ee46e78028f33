package cli

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeSummaryExample holds README's summary example ("The summary")
// to what the bundled example's dry-run prints: its first lines as they
// are, every other line of it among the output's, "..." standing for
// lines left out. It had gone stale — google 7 where Google, told click
// ids only, now gets 1 (a review of the CLI against its docs).
func TestReadmeSummaryExample(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "### The summary\n\n```\n")
	if !ok {
		t.Fatal("README has no summary example")
	}
	block, _, _ := strings.Cut(after, "```")
	r := runCLI(t, nil, "", "upload", "--dry-run", "--config", "../../configs/example.yaml", "--out", os.DevNull, root+"/example/appointments.csv")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	// README runs it from the repository's root.
	out := strings.Split(strings.ReplaceAll(r.stderr, "../../", ""), "\n")
	want := strings.Split(strings.TrimSuffix(block, "\n"), "\n")
	for i, l := range want {
		switch {
		case strings.TrimSpace(l) == "...":
		case i < 3 && (i >= len(out) || out[i] != l):
			t.Errorf("README line %d %q; the dry-run prints %q", i+1, l, out[min(i, len(out)-1)])
		case !contains(out, l):
			t.Errorf("README's example holds %q; the dry-run does not print it:\n%s", l, r.stderr)
		}
	}
}

func contains(lines []string, l string) bool {
	for _, o := range lines {
		if o == l {
			return true
		}
	}
	return false
}

// TestWriteHelpNamesTheColumns: write --help names the columns of the
// Google Ads file as the file writes them (it said "Value, Currency" of
// "Conversion Value, Conversion Currency": a review of the CLI).
func TestWriteHelpNamesTheColumns(t *testing.T) {
	b, err := os.ReadFile("../../testdata/golden/google-ads-csv.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	r := runCLI(t, nil, "", "write", "--help")
	help := strings.Join(strings.Fields(r.stdout), " ")
	for _, col := range strings.Split(strings.TrimSpace(lines[1]), ",") {
		if !strings.Contains(help, col+",") && !strings.Contains(help, col+" ") && !strings.Contains(help, col+".") {
			t.Errorf("write --help does not name the column %q", col)
		}
	}
}
