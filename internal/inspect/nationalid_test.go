package inspect

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/identifier"
	"strings"
	"testing"
)

// id18 builds a mainland ID number with its MOD 11-2 check character.
func id18(area string, birth string, seq int) string {
	body := fmt.Sprintf("%s%s%03d", area, birth, seq)
	sum := 0
	for i, w := range identifier.ID18Weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// TestNationalIDsAreNoPhones: a review of a mainland clinic's export found
// its 证件号码 (18- and 15-digit 居民身份证 numbers) profiled as "phone,
// other" and, with no phone column, proposed as the phone by format: each
// ID that parsed as a possible number would have been hashed and sent as
// the patient's phone.
func TestNationalIDsAreNoPhones(t *testing.T) {
	for in, want := range map[string]string{
		"11010519491231002X":           ClassNationalID, // GB 11643-1999's own example
		"11010519491231002x":           ClassNationalID,
		id18("440305", "19880214", 37): ClassNationalID,
		"110105491231002":              ClassNationalID, // the old 15-digit form
		"A123456789":                   ClassNationalID, // Taiwan's 身分證字號, checksum valid
		"13912345678":                  ClassPhoneCNMobile,
		"8613912345678":                ClassPhoneCNMobile,
		"0912345678":                   ClassPhoneTWMobile,
		"A123456788":                   ClassID,         // checksum wrong: a code
		"110105491331002":              ClassPhoneOther, // month 13: no old ID
	} {
		if got, _ := Classify(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	// 18 digits whose check character is wrong are not an ID.
	good := id18("320102", "19900101", 12)
	bad := good[:17] + map[bool]string{true: "1", false: "2"}[good[17] != '1']
	if c, _ := Classify(bad); c == ClassNationalID {
		t.Errorf("%q with a wrong check character classed as an ID", bad)
	}
	for _, h := range []string{"证件号码", "身份证号码", "证件号", "身份证件号码", "有效证件号", "身份證字號", "身分證號", "护照号", "社保卡号", "ID Card No", "Passport", "National ID", "SSN"} {
		var b strings.Builder
		b.WriteString("预约编号,就诊时间," + h + ",营销同意,到诊状态\n")
		for i := 0; i < 41; i++ {
			id := id18(fmt.Sprintf("%d10105", 1+i%8), fmt.Sprintf("19%02d0%d1%d", 50+i, 1+i%9, i%9), i)
			if i >= 31 {
				id = fmt.Sprintf("3201029%d0%d1%d%03d", i%10, 1+i%9, i%9, i)
			}
			fmt.Fprintf(&b, "A%04d,2026-12-06 09:%02d,%s,同意,已到诊\n", i, i, id)
		}
		p, err := Run(strings.NewReader(b.String()), "cn.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Proposed {
			for _, mh := range m.Headers {
				if mh == h {
					t.Errorf("header %q: proposed as %s", h, m.Key)
				}
			}
		}
		for _, c := range p.Columns {
			if c.Header == h && !identifyingColumn(h, c) {
				t.Errorf("header %q: not withheld as identifying", h)
			}
		}
	}
	for _, key := range []string{"phone", "email", "order_id", "patient_key"} {
		for _, h := range []string{"身份证号码", "证件号码", "護照號碼", "医保卡号"} {
			if headerScore(key, h) >= minScore && !vetoed(key, h) {
				t.Errorf("%q could be proposed as %s", h, key)
			}
			if !vetoed(key, h) {
				t.Errorf("%q: no veto on %s", h, key)
			}
		}
	}
}
