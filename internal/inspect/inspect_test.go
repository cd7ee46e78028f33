package inspect

import "testing"

func TestClassify(t *testing.T) {
	cases := map[string]string{
		"a@example.com": ClassEmail, "a@example.com; b@example.org": ClassEmailList, "N/A": ClassEmpty, "無": ClassEmpty,
		"0912-345-678": ClassPhoneTWMobile, "+886 912 345 678": ClassPhoneTWMobile, "912345678": ClassPhoneTWMobile,
		"139 1234 5678": ClassPhoneCNMobile, "(503) 555-0123": ClassPhoneNANP, "9.12346E+08": ClassPhoneSci,
		"223456789":        ClassPhoneLostZero,
		"2024-05-02 09:30": ClassDateTimeISO, "2024/05/02": ClassDateISO, "113/05/02": ClassDateROC, "1130502": ClassDateROCCompact,
		"1130502093000": ClassDateTimeROC, "民國113年5月2日": ClassDateMinguo, "2024年5月2日": ClassDateCJK, "5月27日": ClassDateNoYear,
		"5/8/2024 11:00:00 AM": ClassDateMDY, "45414": ClassExcelSerial, "09:30": ClassTime, "11:00 AM": ClassTimeAMPM,
		"下午 2:00": ClassTimeCJK, "13点30分": ClassTimeCJK, "NT$1,500": ClassAmount, "12800元": ClassAmount, "1500": ClassInteger,
		"同意": ClassVocabulary, "Complete": ClassVocabulary, "已撤回": ClassVocabulary, "C0001": ClassID, "陳美玲": ClassText, "true": ClassVocabulary,
	}
	for in, want := range cases {
		if got, _ := Classify(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
