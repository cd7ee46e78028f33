package run

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// withoutOwnReasons takes out of a recorded run's report and summary what
// was added after the two-pass run was recorded (onepass_test.go): each
// destination's own reasons (left_out_of, and the summary's "left out
// of" sections) and the columns dropped identifiers were read from
// (identifiers_dropped_columns, the summary's "(column …)"). Before it
// does, it holds them to what the recorded counts say: a destination
// left out every excluded row and its own "not sent to" ones, no more,
// and a column names only an identifier dropped.
func withoutOwnReasons(t *testing.T, run string, report json.RawMessage, stderr string) (json.RawMessage, string) {
	t.Helper()
	if len(report) > 0 {
		var m map[string]any
		if err := json.Unmarshal(report, &m); err != nil {
			t.Fatal(err)
		}
		excluded := countOf(m["excluded"])
		skipped, _ := m["not_sent_to"].(map[string]any)
		leftOut, _ := m["left_out_of"].(map[string]any)
		if leftOut == nil {
			t.Errorf("%s: the run report has no left_out_of", run)
		}
		for p, reasons := range leftOut {
			if got, want := countOf(reasons), excluded+countOf(skipped[p]); got != want {
				t.Errorf("%s: left out of %s %d rows, want %d excluded + %d not sent to it", run, p, got, excluded, countOf(skipped[p]))
			}
		}
		for p := range skipped {
			if _, ok := leftOut[p]; !ok {
				t.Errorf("%s: rows not sent to %s, none left out of it", run, p)
			}
		}
		dropped, _ := m["identifiers_dropped"].(map[string]any)
		columns, _ := m["identifiers_dropped_columns"].(map[string]any)
		for k := range columns {
			if _, ok := dropped[k]; !ok {
				t.Errorf("%s: a column for %q, which was not dropped", run, k)
			}
		}
		delete(m, "left_out_of")
		delete(m, "identifiers_dropped_columns")
		report, _ = json.Marshal(m)
	}
	lines := strings.SplitAfter(stderr, "\n")
	kept := lines[:0]
	inLeftOut := false
	for _, l := range lines {
		if strings.HasPrefix(l, "  left out of ") {
			inLeftOut = true
			continue
		}
		if inLeftOut && strings.HasPrefix(l, "    ") {
			continue
		}
		inLeftOut = false
		kept = append(kept, droppedColumn.ReplaceAllString(l, "$1$2"))
	}
	return report, strings.Join(kept, "")
}

// droppedColumn matches the summary's dropped-identifier line with its
// columns.
var droppedColumn = regexp.MustCompile(`^(    \S.* \d+) \(columns? "[^\n]*"\)(\n?)$`)

func countOf(v any) int {
	m, _ := v.(map[string]any)
	n := 0
	for _, c := range m {
		f, _ := c.(float64)
		n += int(f)
	}
	return n
}
