package identifier

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const researchNotePath = "../../docs/research/normalisation.md"

// TestResearchNoteCountsTheVectors holds the counts docs/research/
// normalisation.md states to testdata/hash-vectors.csv: the note once said
// 121 rows (17 rejects, 18 published hashes) of a file holding 80.
func TestResearchNoteCountsTheVectors(t *testing.T) {
	note, err := os.ReadFile(researchNotePath)
	if err != nil {
		t.Fatal(err)
	}
	vs := loadVectors(t)
	got := map[string]int{"rows": len(vs)}
	for _, v := range vs {
		kind, _, _ := strings.Cut(v.Source, ":")
		got[kind]++
		if strings.HasPrefix(kind, "official-") {
			got["official"]++
		}
		if v.Normalized == "" {
			got["reject"]++
		}
		if strings.Contains(v.Source, "[hash matches source]") {
			got["published"]++
		}
	}
	// Each claim of the note: the pattern, and the counts its groups name.
	claims := []struct {
		pattern string
		counts  []string
	}{
		{"`testdata/hash-vectors\\.csv` \\((\\d+) rows\\)", []string{"rows"}},
		{`checked: all (\d+) vectors pass`, []string{"rows"}},
		{`Counts: (\d+) rows\. (\d+) official-test, (\d+) official-doc \((\d+) official\), (\d+) peer-test, (\d+) derived\. (\d+) rows are must-reject cases\.`,
			[]string{"rows", "official-test", "official-doc", "official", "peer-test", "derived", "reject"}},
		{`reproduces all (\d+) with`, []string{"rows"}},
		{`(\d+) rows carry a hash published by their source`, []string{"published"}},
		{`\[hash matches source\]\x60, and all (\d+) match`, []string{"published"}},
	}
	for _, c := range claims {
		m := regexp.MustCompile(c.pattern).FindSubmatch(note)
		if m == nil {
			t.Errorf("the note no longer says %s: update this test with it", c.pattern)
			continue
		}
		for i, name := range c.counts {
			n, _ := strconv.Atoi(string(m[i+1]))
			if n != got[name] {
				t.Errorf("the note says %d for %s (%s); hash-vectors.csv has %d", n, name, c.pattern, got[name])
			}
		}
	}
	if got["official-test"]+got["official-doc"]+got["peer-test"]+got["derived"] != got["rows"] {
		t.Errorf("a row's source is none of official-test, official-doc, peer-test, derived: %v", got)
	}
}
