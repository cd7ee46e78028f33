package identifier

// National identity numbers are no phone numbers: package inspect never
// proposes a column of them as the phone (a review found a mainland
// clinic's 证件号码 proposed so), and the phone normaliser refuses the one
// form libphonenumber would read as a number — Taiwan's A123456789, whose
// letter it skips, leaving 123456789, a possible Taiwanese number. The
// mainland's 18 and 15 digits are longer than any national number and are
// refused as not possible already (TestNationalIDsAreNoPhones).

// NationalID reports whether a trimmed cell is shaped like a national
// identity number (its letters in either case):
//
//   - mainland, GB 11643-1999 《公民身份号码》: a 6-digit area code (GB/T
//     2260, first digit 1–8: the former regions 华北 1 … 港澳 8), an 8-digit
//     birth date yyyymmdd, a 3-digit sequence, and a check character 0–9
//     or X by ISO 7064:1983 MOD 11-2 — weights 7 9 10 5 8 4 2 1 6 3 7 9 10
//     5 8 4 2 on the first 17 digits, the sum mod 11 indexing "10X98765432"
//     (as in github.com/wensan112/Verification-of-validity validity.py and
//     github.com/r44cx/real-china-id validation.java, found in the code
//     corpus);
//   - mainland, the old GB 11643-1989 form: 15 digits, area code, yymmdd, a
//     3-digit sequence, and no check character — a real date is the check;
//   - Taiwan, 國民身分證統一編號 (and the new residence-certificate form):
//     a letter, 1/2 (or 8/9), 8 digits; the letter's number from
//     "ABCDEFGHJKLMNPQRSTUVXYWZIO" (A=10 … O=35), its tens and units
//     weighted 1 and 9, the digits 8 7 6 5 4 3 2 1 1, the sum a multiple of
//     10 (github.com/bradchao/e82java TWId.java, code corpus).
func NationalID(f string) bool {
	switch len(f) {
	case 18:
		return mainlandID18(f)
	case 15:
		return allDigits(f) && f[0] >= '1' && f[0] <= '8' && validYMD("19"+f[6:8], f[8:10], f[10:12])
	case 10:
		return taiwanID(f)
	}
	return false
}

// ID18Weights are GB 11643-1999's weights of the first 17 digits.
var ID18Weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

func mainlandID18(f string) bool {
	if !allDigits(f[:17]) || f[0] < '1' || f[0] > '8' {
		return false
	}
	if y := f[6:10]; (y[:2] != "18" && y[:2] != "19" && y[:2] != "20") || !validYMD(y, f[10:12], f[12:14]) {
		return false
	}
	sum := 0
	for i, w := range ID18Weights {
		sum += int(f[i]-'0') * w
	}
	want := "10x98765432"[sum%11] // X in either case
	return f[17] == want || want == 'x' && f[17] == 'X'
}

func taiwanID(f string) bool {
	const letters = "abcdefghjklmnpqrstuvxywzio" // folded: lower case
	l := -1
	for i := 0; i < len(letters); i++ {
		if f[0] == letters[i] || f[0] == letters[i]-'a'+'A' {
			l = i + 10
		}
	}
	if l < 0 || !allDigits(f[1:]) || !(f[1] == '1' || f[1] == '2' || f[1] == '8' || f[1] == '9') {
		return false
	}
	sum := l/10 + (l%10)*9
	for i, w := range [9]int{8, 7, 6, 5, 4, 3, 2, 1, 1} {
		sum += int(f[i+1]-'0') * w
	}
	return sum%10 == 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validYMD reports whether digits y, m, d are a calendar date.
func validYMD(y, m, d string) bool {
	n := func(s string) int {
		v := 0
		for i := 0; i < len(s); i++ {
			v = v*10 + int(s[i]-'0')
		}
		return v
	}
	yy, mm, dd := n(y), n(m), n(d)
	if mm < 1 || mm > 12 || dd < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[mm]
	if mm == 2 && yy%4 == 0 && (yy%100 != 0 || yy%400 == 0) {
		days = 29
	}
	return dd <= days
}
