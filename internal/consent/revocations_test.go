package consent

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestRevocationsReadAsWritten (metamorphic): one list — an order id, a
// chart number, an id in Chinese — written as people and their tools
// write it withdraws the same rows: LF, CRLF, a lone CR (classic Mac),
// a byte-order mark at the start or mid-file (two files joined with cat),
// full-width forms, invisible padding, another case, leading zeros. A
// review found each but the first three of the old kind matching nothing,
// so those patients' visits were sent.
func TestRevocationsReadAsWritten(t *testing.T) {
	ids := []string{"A1", "123", "預約-9"}
	lines := func(ids []string, end string) string { return strings.Join(ids, end) + end }
	for name, in := range map[string]string{
		"lf":               lines(ids, "\n"),
		"crlf":             lines(ids, "\r\n"),
		"cr":               lines(ids, "\r"),
		"cr, no last end":  strings.Join(ids, "\r"),
		"bom":              "\ufeff" + lines(ids, "\n"),
		"bom mid-file":     "\ufeffA1\r\n" + "\ufeff123\r\n\ufeff預約-9\r\n",
		"full-width":       "Ａ１\n１２３\n預約－９\n",
		"padded":           " A1\u200b\n\u3000123\t\n\u200e預約-9\u00a0\n",
		"another case":     "a1\n123\n預約-9\n",
		"zeros":            "A1\n00123\n預約-9\n",
		"comments, blanks": "# withdrawn\r\rA1\r# again\r123\r\r預約-9\r",
		"repeated":         "A1\na1\nＡ１\n123\n0123\n預約-9\n",
	} {
		var each []string
		r, err := ReadRevocations(strings.NewReader(in), "rev.txt", func(id string) { each = append(each, id) })
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if r.Len() != 3 {
			t.Errorf("%s: %d ids, want 3", name, r.Len())
		}
		// The export's cells as exports write them.
		for _, cell := range []string{"A1", "a1", "00123", "123", "預約-9", "\ufeffA1", "Ａ1"} {
			if !r.Has(cell) {
				t.Errorf("%s: %q not withdrawn", name, cell)
			}
		}
		for _, cell := range []string{"A2", "1230", "", "A", "12", "預約"} {
			if r.Has(cell) {
				t.Errorf("%s: %q withdrawn, though not listed", name, cell)
			}
		}
		if r.Matched() != 3 {
			t.Errorf("%s: %d ids matched, want 3", name, r.Matched())
		}
		for _, id := range each {
			if strings.ContainsAny(id, "\ufeff\u200b\u200e\u3000 \t\r\n") || strings.ContainsRune(id, 'Ａ') {
				t.Errorf("%s: each was given %q, not trimmed and folded", name, id)
			}
		}
	}
}

// TestRevocationsRefuseWhatIsNoID: a line that cannot be one id stops the
// run, naming file:line:column in plain words, never the line's text: a
// separator of any width, white space or an invisible character inside
// the value, a "#" inside it, a line of 70 KB (it said "bufio.Scanner:
// token too long"). Each of these was read as one id that matched
// nothing, and the patients' visits were sent (review).
func TestRevocationsRefuseWhatIsNoID(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"full-width comma":      {"Q1，Q2\n", "rev.txt:1:3: more than one value"},
		"ideographic comma":     {"Q1、Q2\n", "rev.txt:1:3: more than one value"},
		"halfwidth ideographic": {"Q0\nQ1､Q2\n", "rev.txt:2:3: more than one value"},
		"full-width semicolon":  {"Q1；Q2\n", "rev.txt:1:3: more than one value"},
		"space-separated":       {"Q1 Q2\n", "rev.txt:1:3: white space or an invisible character inside the value"},
		"ideographic space":     {"Q1\u3000Q2\n", "rev.txt:1:3: white space or an invisible character"},
		"zero width inside":     {"Q1\u200bQ2\n", "rev.txt:1:3: white space or an invisible character"},
		"tab":                   {"Q1\tQ2\n", "rev.txt:1:3: white space"},
		"hash without a space":  {"Q1#x\n", "rev.txt:1:3: a \"#\" inside the value"},
		"full-width hash":       {"Q1＃x\n", "rev.txt:1:3: a \"#\" inside the value"},
		"comment after":         {"  Q1  # re-consented\n", "rev.txt:1:7: a comment after the value"},
		"lone-CR line count":    {"Q0\rQ1,Q2\r", "rev.txt:2:3: more than one value"},
		"after a bom mid-file":  {"Q0\n\ufeffQ1 Q2\n", "rev.txt:2:4: white space"},
		"a 70 KB line":          {"Q0\n" + strings.Repeat("Q", 70<<10) + "\n", "rev.txt:2:4097: the line is longer than 4096 bytes"},
		"not utf-8":             {"Q0\nQ1\xff\n", "rev.txt:2:3: not UTF-8"},
		"composite with a tab":  {"Q1|2026-11-02\t09:30\n", "rev.txt:1:14: white space"},
		"composite zero width":  {"Q1|2026-11-02\u200b09:30\n", "rev.txt:1:14: white space"},
	} {
		_, err := ReadRevocations(strings.NewReader(tc.in), "rev.txt", nil)
		var le *ListError
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &le) {
			t.Errorf("%s: err %v, want %q (a ListError)", name, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "Q") || strings.Contains(err.Error(), "bufio") || strings.Contains(err.Error(), "token") {
			t.Errorf("%s: the error quotes the file or speaks Go: %v", name, err)
		}
	}
}

// TestCompositeIDsKeepTheirSpaces: a composite order id's parts are
// joined by "|" and its time part holds a space; such a line is an id,
// as it was before the reader refused white space inside a value (a
// review: every night stopped, and deleting the line dropped the
// withdrawal).
func TestCompositeIDsKeepTheirSpaces(t *testing.T) {
	rev, err := ReadRevocations(strings.NewReader("Q0001|2026-11-02 09:30\nQ0002|2026-11-03\u300010:00\n"), "rev.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rev.Close()
	if !rev.Has("Q0001|2026-11-02 09:30") || !rev.Has("Q0002|2026-11-03 10:00") || rev.Has("Q0001") {
		t.Error("a composite id with a space in its time part is not matched as written")
	}
}

// TestRevocationsReadErrorNamesWhere: a read that fails mid-file names the
// line and column it stopped at and the system's reason, not the path as
// given again.
func TestRevocationsReadErrorNamesWhere(t *testing.T) {
	_, err := ReadRevocations(io.MultiReader(strings.NewReader("Q0\nQ1"), errReader{}), "rev.txt", nil)
	var le *ListError
	if !errors.As(err, &le) || le.Line != 2 || le.Column != 3 || !strings.Contains(err.Error(), "could not be read: input/output error") {
		t.Fatalf("err %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) {
	return 0, &os.PathError{Op: "read", Path: "/x/rev.txt", Err: errors.New("input/output error")}
}

// idStream writes n distinct ids, one a line, without holding them.
type idStream struct {
	n, i int
	buf  []byte
}

func (s *idStream) Read(p []byte) (int, error) {
	for len(s.buf) < len(p) && s.i < s.n {
		s.buf = append(s.buf, "CHART-"...)
		s.buf = strconv.AppendInt(s.buf, int64(s.i), 10)
		s.buf = append(s.buf, '\n')
		s.i++
	}
	if len(s.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.buf)
	s.buf = s.buf[:copy(s.buf, s.buf[n:])]
	return n, nil
}

// TestRevocationsMemoryStaysFlat: a file of a million ids kept them as a
// map of strings, 70 bytes an id on the Go heap (213 MB for 3,000,000: a
// review). They are 64-bit digests now, outside the heap but for a
// bucket index and a bit an id: at most 2 bytes an id on it.
func TestRevocationsMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a million ids")
	}
	const n = 1_000_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, err := ReadRevocations(&idStream{n: n}, "rev.txt", nil)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if per := float64(heap) / n; per > 2 {
		t.Errorf("%.1f bytes an id on the heap, want at most 2", per)
	}
	if r.Len() != n || !r.Has("CHART-999999") || r.Has("CHART-1000000") {
		t.Errorf("read %d ids", r.Len())
	}
	runtime.KeepAlive(r)
}

// BenchmarkReadRevocations reads a file of 3,000,000 ids (the review's)
// and reports the memory they keep: the heap's share and the whole
// (heap and digests). Run with `go test -bench ReadRevocations
// ./internal/consent`; the map it replaced kept 213 MB.
func BenchmarkReadRevocations(b *testing.B) {
	const n = 3_000_000
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r, err := ReadRevocations(&idStream{n: n}, "rev.txt", nil)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap := float64(int64(after.HeapAlloc) - int64(before.HeapAlloc))
		digests := float64(8 * r.Len())
		b.ReportMetric(heap/(1<<20), "heap-MB")
		b.ReportMetric((heap+digests)/(1<<20), "kept-MB")
		r.Close()
	}
}

// BenchmarkRevocationsHas is the per-row cost: an export's order id,
// patient key and event id asked of a set of 3,000,000.
func BenchmarkRevocationsHas(b *testing.B) {
	r, err := ReadRevocations(&idStream{n: 3_000_000}, "rev.txt", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	cells := make([]string, 1024)
	for i := range cells {
		cells[i] = fmt.Sprintf("A%07d", i*7919)
	}
	i := 0
	for b.Loop() {
		r.Has(cells[i&1023], "CHART-12345678", "0f3a9c2e4b5d6a7f8e9d0c1b2a3f4e5d")
		i++
	}
}

// TestAnIDWrittenAsATextFormulaIsItsText: a line that is Excel's text
// formula — raw (="A0001", pasted from the export as the clinic system
// wrote it) or as a CSV writes it ("=""A0002""") — lists the id its text
// is, as the export's cell reads (celltext.TextFormula); such lines were
// refused as "more than one value on the line" (the session-28 review).
// Any other formula stays refused or read as written, as before.
func TestAnIDWrittenAsATextFormulaIsItsText(t *testing.T) {
	var got []string
	rev, err := ReadRevocations(strings.NewReader("=\"A0001\"\n\"=\"\"A0002\"\"\"\n  =\"A0003\"  \nA0004\n"), "rev.txt", func(id string) { got = append(got, id) })
	if err != nil {
		t.Fatal(err)
	}
	defer rev.Close()
	if strings.Join(got, " ") != "A0001 A0002 A0003 A0004" {
		t.Errorf("ids %q, want A0001 to A0004", got)
	}
	if _, err := ReadRevocations(strings.NewReader("=\"09\"&\"12\"\n"), "rev.txt", nil); err == nil {
		t.Error("a formula joining two texts was read as an id")
	}
}
