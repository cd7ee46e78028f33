package spend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// fixtureWith returns a fixture with the line starting with prefix
// replaced by repl (CRLF kept where the file has it).
func fixtureWith(t *testing.T, name, prefix, repl string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(raw), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			end := "\n"
			if strings.HasSuffix(l, "\r\n") {
				end = "\r\n"
			}
			lines[i] = repl + end
			return strings.Join(lines, "")
		}
	}
	t.Fatalf("%s has no line starting %q", name, prefix)
	return ""
}

// TestAShortRowStops: a row cut after its name and day (a download that
// did not finish, a line an editor broke) was read with its missing cells
// blank and counted as a "summary row": Meta's November lost 2,129.03 and
// the run said "1 total or summary rows skipped", exit 0; Google's, with
// spend.google.currency set, the same, and without it stopped saying the
// file has no currency column — which it has, on every other line. Now the
// read stops at the row's line, naming the cost column and never a cell.
func TestAShortRowStops(t *testing.T) {
	for _, c := range []struct {
		name, file, prefix, repl, line string
		p                              platform.Platform
		currency                       string
	}{
		{"meta", "meta-daily.csv", "Veneers Retargeting,2026-11-30,", "Veneers Retargeting,2026-11-30", "meta-daily.csv:221:", platform.Meta, ""},
		{"google, currency set", "google-ads.csv", "2026-11-30,Brand - Whitening,", "2026-11-30,Brand - Whitening", "google-ads.csv:225:", platform.Google, "TWD"},
		{"google", "google-ads.csv", "2026-11-30,Brand - Whitening,", "2026-11-30,Brand - Whitening", "google-ads.csv:225:", platform.Google, ""},
		// Cut inside the row: the cost is there, the columns after it not.
		{"meta, cut after the cost", "meta-daily.csv", "Veneers Retargeting,2026-11-30,", "Veneers Retargeting,2026-11-30,2129.03", "meta-daily.csv:221:", platform.Meta, ""},
	} {
		in := fixtureWith(t, c.file, c.prefix, c.repl)
		f, err := Read(strings.NewReader(in), c.file, Options{Platform: c.p, Columns: Preset(c.p), Currency: c.currency})
		if err == nil {
			cost, _, _ := totals(f)
			t.Errorf("%s: read, %d rows skipped, cost %.2f; want a stop", c.name, f.Skipped, cost)
			continue
		}
		want := "the row ends before the cost column"
		if strings.HasSuffix(c.repl, "2129.03") {
			want = "the row ends before the clicks column"
		}
		if !strings.Contains(err.Error(), c.line) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q at %s", c.name, err, want, c.line)
		}
		for _, cell := range []string{"Veneers", "Whitening", "2129"} {
			if strings.Contains(err.Error(), cell) {
				t.Errorf("%s: the error quotes a cell: %v", c.name, err)
			}
		}
	}
}

// TestABlankCurrencyCellNamesItsLine: a file with a currency column whose
// row leaves it blank is that row's fault: the error names the line and
// the column, not "the file does not say its currency".
func TestABlankCurrencyCellNamesItsLine(t *testing.T) {
	in := "Day,Campaign,Currency code,Cost\n2026-11-01,A,TWD,1\n2026-11-02,A,,2\n"
	_, err := Read(strings.NewReader(in), "g.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)})
	if err == nil || !strings.Contains(err.Error(), "g.csv:3:3") || !strings.Contains(err.Error(), "currency cell is empty") || !strings.Contains(err.Error(), "spend.google.currency") {
		t.Fatalf("%v", err)
	}
	// A row whose figures are all blank spent nothing: it is read, not
	// counted as a total or summary row.
	in = "Day,Campaign,Currency code,Cost,Clicks\n2026-11-01,A,TWD,1,2\n2026-11-02,A,TWD,,\n"
	f, err := Read(strings.NewReader(in), "g.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)})
	if err != nil || f.Skipped != 0 || f.Read != 2 {
		t.Fatalf("%+v %v", f, err)
	}
}
