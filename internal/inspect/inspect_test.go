package inspect

import (
	"fmt"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	cases := map[string]string{
		"a@example.com": ClassEmail, "a@example.com; b@example.org": ClassEmailList, "N/A": ClassEmpty, "無": ClassEmpty,
		"0912-345-678": ClassPhoneTWMobile, "+886 912 345 678": ClassPhoneTWMobile, "912345678": ClassPhoneTWMobile,
		"139 1234 5678": ClassPhoneCNMobile, "(503) 555-0123": ClassPhoneNANP, "9.12346E+08": ClassPhoneSci,
		"223456789":        ClassPhoneLostZero,
		"2024-05-02 09:30": ClassDateTimeISO, "2024/05/02": ClassDateISO, "113/05/02": ClassDateROC, "1130502": ClassDateROCCompact,
		"1130502093000": ClassDateTimeROC, "民國113年5月2日": ClassDateMinguo, "2024年5月2日": ClassDateCJK, "5月27日": ClassDateNoYear,
		"5/8/2024 11:00:00 AM": ClassDateTimeMDY, "5/8/2024": ClassDateMDY, "45414": ClassExcelSerial, "09:30": ClassTime, "11:00 AM": ClassTimeAMPM,
		"下午 2:00": ClassTimeCJK, "13点30分": ClassTimeCJK, "NT$1,500": ClassAmount, "12800元": ClassAmount, "1500": ClassInteger,
		"同意": ClassVocabulary, "Complete": ClassVocabulary, "已撤回": ClassVocabulary, "C0001": ClassID, "陳美玲": ClassText, "true": ClassVocabulary,
		// Phone shapes before date shapes: a mainland mobile with 86 in
		// front is no ROC date-time, a chart number 0000700 no ROC date.
		"8613810020030": ClassPhoneCNMobile, "86 138 1002 0030": ClassPhoneCNMobile, "+86 13810020030": ClassPhoneCNMobile,
		"0000700": ClassInteger, "0412 345 600": ClassPhoneAUMobile, "04-2345-6789": ClassPhoneOther,
		"2026/11/02 09:30": ClassDateTimeISO, "2026/11/2 上午 9:30": ClassDateTimeISO, "2026/11/2 下午 01:05:00": ClassDateTimeISO, "2026年11月2日 09:30": ClassDateTimeCJK, "已核销": ClassVocabulary,
		// RFC 3339 with its T (a DST review: the folded cell's t was no
		// date-time, and config init asked for time_formats it did not need).
		"2026-10-30T20:30:00-04:00": ClassDateTimeISO, "2026-10-30T20:30:00Z": ClassDateTimeISO, "2026-10-30T20:30": ClassDateTimeISO,
	}
	for in, want := range cases {
		if got, _ := Classify(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// TestFewPatientsManyVisits: six patients with many visits each repeat
// their names, chart numbers, fees and notes often enough, in columns of
// few values, to pass the printing rule's shape test; inspect still shows
// none of them, while the source column's words are shown.
func TestFewPatientsManyVisits(t *testing.T) {
	var b strings.Builder
	b.WriteString("appointment_id,appointment_time,status,姓名,病歷號,fee,notes,source\n")
	names := []string{"林志豪", "陳美玲", "Wang Da-Ming", "黃雅婷", "Lee Mei", "張偉傑"}
	for i := range 60 {
		fmt.Fprintf(&b, "A%03d,2026-11-%02d 10:00,completed,%s,P%d,68000,cleaning,%s\n", i, 1+i%28, names[i%6], 10+i%6, []string{"Google", "LINE"}[i%2])
	}
	p, err := Run(strings.NewReader(b.String()), "few.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := fmt.Sprintf("%+v", p)
	for _, leak := range append(names, "P10", "68000", "68,000", "cleaning") {
		if strings.Contains(out, leak) {
			t.Errorf("the profile shows %q", leak)
		}
	}
	if !strings.Contains(out, "google") || !strings.Contains(out, "line") { // hashgate's spelling of its channel words
		t.Errorf("the source words are withheld too: %s", out)
	}
}

// TestClickIDShare: inspect counts the rows that carry a click id that
// would be sent (the plaintext grammar), per kind — Google's gclid, gbraid
// or wbraid, Meta's fbclid — and says when there is no such column; it is
// the share of visits Google can be told about under its health-data
// policy (issue 23).
func TestClickIDShare(t *testing.T) {
	csv := "id,at,gclid,GBRAID,fbclid,consent\n" +
		"A1,2026-11-02 09:00,Cj0KCQiA7r9Bx2LmQw4ZpT1vN8cHsK3dYe,,,yes\n" +
		"A2,2026-11-02 10:00,,0Ab9r3kF9zQ1pL7xB2mN8vC4dR6tY0uH5jS,,yes\n" +
		"A3,2026-11-02 11:00,x,,,yes\n" + // too short: not a click id, never sent
		"A4,2026-11-02 12:00,,,IwAR3kF9zQ1pL7xB2mN8vC4dR6tY0uH5jS,yes\n" +
		"A5,2026-11-02 13:00,Cj0KCQiA2w8Ls5Nq1Xv7Bd4Gh9Kt3Zp6Rm,,IwAR0aB7cD2eF9gH4iJ1kL6mN3oP8qR5sT,yes\n"
	p, err := Run(strings.NewReader(csv), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := ClickIDs{Google: 3, Meta: 2, GoogleColumns: true, MetaColumns: true}
	if p.ClickIDs != want {
		t.Errorf("click ids %+v, want %+v", p.ClickIDs, want)
	}
	p, err = Run(strings.NewReader("id,at,consent\nA1,2026-11-02 09:00,yes\n"), "t.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.ClickIDs != (ClickIDs{}) {
		t.Errorf("no click-id column: %+v", p.ClickIDs)
	}
}

// TestDateOrderIsProvedByADayAbove12: 11/14/2026 can only be m/d/y, 14/11/2026
// only d/m/y; without such a day, or with both, the order stays a question.
func TestDateOrderIsProvedByADayAbove12(t *testing.T) {
	for _, c := range []struct {
		dates []string
		order string
		ask   bool
	}{
		{[]string{"11/02/2026", "11/14/2026"}, "mdy", false},
		{[]string{"02/11/2026", "14/11/2026"}, "dmy", false},
		{[]string{"05/08/2026", "06/08/2026"}, "", true},
		{[]string{"11/14/2026", "14/11/2026"}, "", true},
	} {
		var b strings.Builder
		b.WriteString("appointment id,appointment date,status\n")
		for i, d := range c.dates {
			fmt.Fprintf(&b, "A%d,%s,completed\n", i, d)
		}
		p, err := Run(strings.NewReader(b.String()), "d.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.DateOrder != c.order || p.NeedDateOrder != c.ask {
			t.Errorf("%q: date_order %q (ask %v), want %q (ask %v)", c.dates, p.DateOrder, p.NeedDateOrder, c.order, c.ask)
		}
	}
}

// TestRFC3339TimesStateTheirZone: appointment times written as RFC 3339,
// with their T and offset, state the export's zone; inspect said they
// carried none and config init asked for time_formats (a DST review).
func TestRFC3339TimesStateTheirZone(t *testing.T) {
	for _, at := range []string{"2026-10-30T20:30:00-04:00", "2026-10-30T10:00:00Z"} {
		var b strings.Builder
		b.WriteString("appointment_id,appointment_time,status,email\n")
		for i := range 12 {
			fmt.Fprintf(&b, "A%04d,%s,completed,p%d@example.com\n", i, at, i)
		}
		p, err := Run(strings.NewReader(b.String()), "export.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !p.ZoneStated || p.UnreadDates != "" {
			t.Errorf("%s: zone_stated %v, unread dates %q", at, p.ZoneStated, p.UnreadDates)
		}
	}
}

// TestFooterLinesAreProposed: records at the end that fill one or two
// cells where rows fill many — a total line, "Export generated by …" —
// are counted as a footer for config init to propose
// input.skip_footer_lines (read as rows they were excluded for a missing
// consent: a review of Windows-saved exports); a sparse export, or a
// footer of more than three lines, proposes nothing.
func TestFooterLinesAreProposed(t *testing.T) {
	const head = "id,at,status,email,phone,consent\n" +
		"A1,2026-11-02 09:30,completed,a@example.com,0912-345-678,yes\n" +
		"A2,2026-11-02 10:00,completed,b@example.com,0912-345-679,yes\n"
	for _, c := range []struct {
		tail string
		want int
	}{
		{"", 0},
		{"合計,2,,,,\n", 1},
		{"Export generated by ClinicPro 5.2 on 2026/12/01\n", 1},
		{"合計,2,,,,\n,,,,,\nExport generated by ClinicPro\n", 2}, // the blank line is no record
		{"A3,2026-11-02 11:00,,,,\n", 0},
		// A visit whose time inspect cannot class as one: its id is
		// shaped as the column's others (a review of the proposal).
		{"A3,\u200b2026-11-02 11:00,,,,\n", 0},
		{"A3,46330.375,,,,\n", 0},
		// Three filled cells, none of its column's class nor a date: a
		// sparse visit, not a footer (a footer fills at most two).
		{"合計,2,note,,,\n", 0},
		{"Total,,,x,y,\n", 0},
	} {
		p, err := Run(strings.NewReader(head+c.tail), "x.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.FooterLines != c.want {
			t.Errorf("%q: %d footer lines, want %d", c.tail, p.FooterLines, c.want)
		}
	}
}
