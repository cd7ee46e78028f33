package export

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

func encode(t *testing.T, e encoding.Encoding, s string) string {
	t.Helper()
	b, err := e.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

var zhCols = map[Column][]string{OrderID: {"預約編號"}, Phone: {"電話"}, Consent: {"同意"}}
var cnCols = map[Column][]string{OrderID: {"预约编号"}, Phone: {"电话"}, Consent: {"同意"}}

// TestEncodings: each code page an export arrives in is detected (or taken
// as declared) and decoded before any splitting, so values come out as the
// clinic typed them.
func TestEncodings(t *testing.T) {
	big5 := encode(t, traditionalchinese.Big5, "○○牙醫 預約明細表 列印日期:113/06/30\n預約編號,電話,同意,姓名\nA1,0912-345-678,同意,許功蓋\n")
	gbk := encode(t, simplifiedchinese.GBK, "预约编号,电话,同意,姓名\nA1,139 1234 5678,同意,欧阳子涵\n")
	gb18030 := encode(t, simplifiedchinese.GB18030, "预约编号,电话,同意,姓名\nA1,13912345678,同意,王䶮\n")
	utf16 := encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "預約編號\t電話\t同意\nA1\t0912345678\t同意\n")
	cases := []struct {
		name, in, declared, enc, field string
		cols                           map[Column][]string
		delim                          rune
	}{
		{"big5 auto", big5, "", EncodingBig5, "許功蓋", zhCols, ','},
		{"big5 declared", big5, "big5", EncodingBig5, "許功蓋", zhCols, ','},
		{"gbk auto", gbk, "auto", EncodingGB18030, "欧阳子涵", cnCols, ','},
		{"gbk declared reads as gb18030", gb18030, "gbk", EncodingGBK, "王䶮", cnCols, ','},
		{"utf-16 BOM, tab", utf16, "", EncodingUTF16, "", zhCols, '\t'},
		{"utf-8 BOM", "\uFEFF預約編號;電話;同意\nA1;0912345678;同意\n", "", EncodingUTF8, "", zhCols, ';'},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp := spec(0, c.cols)
			sp.Headers[FirstName] = nil
			if c.field != "" {
				sp.Headers[FirstName] = []string{"姓名"}
			}
			sp.Encoding = c.declared
			r, err := NewReader(strings.NewReader(c.in), "x.csv", sp)
			if err != nil {
				t.Fatal(err)
			}
			if l := r.Layout(); l.Encoding != c.enc || l.Delimiter != c.delim {
				t.Errorf("layout %+v, want %s and %q", l, c.enc, c.delim)
			}
			row, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if got := row.Get(OrderID); got != "A1" {
				t.Errorf("order id %q", got)
			}
			if c.field != "" && row.Get(FirstName) != c.field {
				t.Errorf("name decoded as %q, want %q", row.Get(FirstName), c.field)
			}
		})
	}
}

// TestBig5TrailByteIsNotADelimiter: 許 is B3 5C and 功 is A5 5C in Big5;
// a pipe- or backslash-aware split before decoding would cut them.
func TestBig5TrailByteIsNotADelimiter(t *testing.T) {
	in := encode(t, traditionalchinese.Big5, "預約編號|電話|同意|姓名\nA1|0912345678|同意|許功\n")
	sp := spec(0, zhCols)
	sp.Headers[FirstName] = []string{"姓名"}
	rows, err := readAll(t, in, sp)
	if err != nil || len(rows) != 1 || rows[0].Get(FirstName) != "許功" {
		t.Fatalf("rows %v err %v", rows, err)
	}
}

func TestUndecidableEncodingNamesCandidatesAndKey(t *testing.T) {
	// ASCII headers give no evidence, and the one non-ASCII cell decodes in
	// both code pages to characters of neither script's tell-tale set.
	in := "id,mail,mail2,ok\n1,\xb0\xa1,,yes\n"
	_, err := readAll(t, in, spec(0, basic))
	if err == nil || !strings.Contains(err.Error(), "big5 and gb18030") || !strings.Contains(err.Error(), "input.encoding") {
		t.Fatalf("got %v", err)
	}
}

func TestLegacyBadBytesArePositioned(t *testing.T) {
	in := encode(t, traditionalchinese.Big5, "預約編號,電話,同意\nA1,0912345678,同意\n") + "A2,\xff\xff,x\n"
	sp := spec(0, zhCols)
	sp.Encoding = EncodingBig5
	_, err := readAll(t, in, sp)
	if err == nil || !strings.HasPrefix(err.Error(), "x.csv:3:4: bytes that are not valid big5") {
		t.Fatalf("got %v", err)
	}
}

func TestDeclaredEncodingContradictingBOM(t *testing.T) {
	sp := spec(0, basic)
	sp.Encoding = EncodingBig5
	_, err := readAll(t, "\uFEFFid,mail,mail2,ok\n", sp)
	if err == nil || !strings.Contains(err.Error(), "input.encoding is big5") {
		t.Fatalf("got %v", err)
	}
}

// TestTitleFooterAndBlankLines: the header is found below a report title,
// blank and delimiter-only lines are not rows, and the footer is dropped.
func TestTitleFooterAndBlankLines(t *testing.T) {
	in := "○○牙醫美學診所 預約明細表 列印日期:113/06/30\n\nid,mail,mail2,ok,,\n1,a@example.com,,yes,,\n,,,,,\n2,b@example.com,,yes,,\n合計,2,,,,\n"
	sp := spec(0, basic)
	sp.SkipFooter = 1
	rows, err := readAll(t, in, sp)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Line != 4 || rows[1].Line != 6 {
		t.Fatalf("rows %+v", rows)
	}
}

func TestHeaderNotFound(t *testing.T) {
	_, err := readAll(t, "a,b,c\n1,2,3\n", spec(0, basic))
	if err == nil || !strings.Contains(err.Error(), "header not found") {
		t.Fatalf("got %v", err)
	}
}

func TestQuotedNewlinesAndDoubledQuotes(t *testing.T) {
	in := "id,mail,mail2,ok,note\n1,a@example.com,,yes,\"術後回診\n請提醒帶健保卡\"\n2,\"b@example.com\",,yes,\"lab=\"\"Acme, Inc.\"\"\"\n"
	rows, err := readAll(t, in, spec(0, basic))
	if err != nil || len(rows) != 2 || rows[1].Line != 4 {
		t.Fatalf("rows %+v err %v", rows, err)
	}
}

// TestDetectByScriptWithASCIIHeaders: with English headers the code page
// is told from characters that exist in one script only.
func TestDetectByScriptWithASCIIHeaders(t *testing.T) {
	body := "id,mail,mail2,ok,note\n1,a@example.com,,yes,%s\n2,b@example.com,,yes,%s\n"
	for _, c := range []struct {
		enc  encoding.Encoding
		text string
		want string
	}{
		{traditionalchinese.Big5, "預約已報到 請聯絡電話", EncodingBig5},
		{simplifiedchinese.GBK, "预约已报到 请联络电话", EncodingGB18030},
	} {
		in := encode(t, c.enc, strings.ReplaceAll(body, "%s", c.text))
		r, err := NewReader(strings.NewReader(in), "x.csv", spec(0, basic))
		if err != nil {
			t.Fatalf("%s: %v", c.want, err)
		}
		if got := r.Layout().Encoding; got != c.want {
			t.Errorf("detected %s, want %s", got, c.want)
		}
	}
}

func TestHeaderRowBeyondTheFile(t *testing.T) {
	_, err := readAll(t, "id,mail,mail2,ok\n1,a@example.com,,yes\n", spec(9, basic))
	if err == nil || !strings.Contains(err.Error(), "no header at line 9 (input.header_row)") {
		t.Fatalf("got %v", err)
	}
}

// TestWorkbookIsNamed: an .xlsx or .xls given where a CSV goes (a spend
// download in Meta's default format, an export saved as a workbook) is
// named as such, not refused as an undecidable encoding.
func TestWorkbookIsNamed(t *testing.T) {
	for kind, head := range map[string][]byte{
		".xlsx": append([]byte("PK\x03\x04\x14\x00\x06\x00"), bytes.Repeat([]byte{0x8F, 0xA1, 0xC3}, 200)...),
		".xls":  append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, bytes.Repeat([]byte{0x8F, 0xA1}, 200)...),
	} {
		_, err := NewReader(bytes.NewReader(head), "ads.x", Spec{})
		if err == nil || !strings.Contains(err.Error(), "an Excel workbook ("+kind+"), not a CSV") || strings.Contains(err.Error(), "input.encoding") {
			t.Errorf("%s: %v", kind, err)
		}
	}
}
