package inspect

import (
	"errors"
	"regexp"
	"strings"
	"sync"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/nyaruka/phonenumbers"
)

// What a cell looks like, without keeping it: date and time forms (ROC,
// 年月日, offsets), phone shapes per region (checked before dates: 86 138…
// is a mainland mobile, not a ROC date), e-mail and the rest.

// dateFieldOver12 says which field of a numeric date (5/8/2024, 14/11/2026)
// is above 12 and so cannot be the month: 1 for the first (day first), 2
// for the second (month first), 0 for neither.
func dateFieldOver12(cell string) int {
	f := consent.Fold(cell)
	var nums [2]int
	k, cur, in := 0, 0, false
	for _, r := range f {
		if r >= '0' && r <= '9' {
			cur, in = cur*10+int(r-'0'), true
			continue
		}
		if in {
			if k < 2 {
				nums[k] = cur
			}
			k++
			cur, in = 0, false
		}
		if k >= 2 {
			break
		}
	}
	switch {
	case nums[0] > 12 && nums[0] <= 31 && nums[1] <= 12:
		return 1
	case nums[1] > 12 && nums[1] <= 31 && nums[0] <= 12:
		return 2
	}
	return 0
}

// shortYearDate says whether a numeric date's first and third fields both
// have at most two digits (24/06/08, 8/6/24): then either end may be the
// year, and a "day above 12" in the first proves nothing — 24/06/08 is
// 2024-06-08 under ymd as readily as 24 June 2008 under dmy.
func shortYearDate(cell string) bool {
	var lens [3]int
	k, n := 0, 0
	for _, r := range consent.Fold(cell) {
		if r >= '0' && r <= '9' {
			n++
			continue
		}
		if n > 0 {
			if k < 3 {
				lens[k] = n
			}
			k++
			n = 0
		}
		if k >= 3 {
			break
		}
	}
	if n > 0 && k < 3 {
		lens[k] = n
		k++
	}
	return k >= 3 && lens[0] <= 2 && lens[2] <= 2
}

// hasOffset reports whether an ISO date-time ends in Z or ±hh:mm.
func hasOffset(cell string) bool {
	s := strings.TrimSpace(cell)
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		return true
	}
	if len(s) >= 6 {
		t := s[len(s)-6:]
		return (t[0] == '+' || t[0] == '-') && t[3] == ':'
	}
	return false
}

// Classify names the format of one non-empty cell and, for a phone
// number, the region its country code or shape points to.
func Classify(cell string) (class, region string) {
	s := strings.TrimSpace(cell)
	f := consent.Fold(s) // NFKC: full-width digits read as digits
	if vocabulary().HasFolded(f) {
		return ClassVocabulary, ""
	}
	re := formats()
	emails := identifier.Values(identifier.Email, s, nil)
	if len(emails) == 0 {
		return ClassEmpty, ""
	}
	switch {
	case strings.Contains(f, "@"):
		if len(emails) > 1 {
			return ClassEmailList, ""
		}
		return ClassEmail, ""
	case strings.HasPrefix(f, "民國") || strings.HasPrefix(f, "民国"):
		return ClassDateMinguo, ""
	case re.noYear.MatchString(f):
		return ClassDateNoYear, ""
	case strings.Contains(f, "年") && strings.Contains(f, "月") && strings.Contains(f, ":"):
		return ClassDateTimeCJK, ""
	case strings.Contains(f, "年") && strings.Contains(f, "月"):
		return ClassDateCJK, ""
	case re.dateTimeISO.MatchString(f):
		return ClassDateTimeISO, ""
	case re.dateISO.MatchString(f):
		return ClassDateISO, ""
	case re.dateROC.MatchString(f):
		return ClassDateROC, ""
	case re.dateMDY.MatchString(f) && strings.Contains(f, ":"):
		return ClassDateTimeMDY, ""
	case re.dateMDY.MatchString(f):
		return ClassDateMDY, ""
	case strings.ContainsAny(f, "上下午晚点點") && strings.ContainsAny(f, "0123456789"):
		return ClassTimeCJK, ""
	case re.timeAMPM.MatchString(f):
		return ClassTimeAMPM, ""
	case re.time.MatchString(f):
		return ClassTime, ""
	case re.sci.MatchString(f):
		return ClassPhoneSci, ""
	case f == "true" || f == "false":
		return ClassBoolean, ""
	case re.amount.MatchString(f):
		return ClassAmount, ""
	case re.amountComma.MatchString(f):
		return ClassAmountDecimalComma, ""
	}
	// A national ID is all digits (and a final X): checked before the
	// phone shapes, which would read 18 digits as "phone, other".
	if identifier.NationalID(f) {
		return ClassNationalID, ""
	}
	digits := 0
	for _, r := range f {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	// Phone shapes before date shapes: 8613812345678 is a mainland mobile
	// with its country code, not a ROC date-time (a ROC year of 861).
	if digits >= 8 && phoneShaped(f) && !rocDigits(f) {
		if c, r := phoneClass(s); c != "" && c != ClassPhoneOther {
			return c, r
		}
	}
	if d := strings.Trim(f, "0123456789"); d == "" {
		switch {
		case len(f) == 7 && rocDateValid(f):
			return ClassDateROCCompact, ""
		case len(f) == 13 && rocDateValid(f):
			return ClassDateTimeROC, ""
		case len(f) == 5:
			if f >= "30000" && f <= "60000" { // 1982–2064 as Excel dates; postcodes outside stay integers
				return ClassExcelSerial, ""
			}
		}
	}
	if digits >= 8 && phoneShaped(f) {
		if c, r := phoneClass(s); c != "" {
			return c, r
		}
	}
	if strings.Trim(f, "0123456789") == "" {
		return ClassInteger, ""
	}
	if re.code.MatchString(f) {
		return ClassID, ""
	}
	return ClassText, ""
}

// rocDateValid reports whether yyymmdd[hhmmss] digits are a real ROC date
// (year 1–199, i.e. 1912–2110, as rocDigits has it; month 1–12, day 1–31,
// and a clock under 24:00): a chart number 0000700 is not one, nor a
// seven-digit patient id 7731001 (year 773: a review).
func rocDateValid(f string) bool {
	num := func(s string) int {
		n := 0
		for _, r := range s {
			n = n*10 + int(r-'0')
		}
		return n
	}
	if y, m, d := num(f[:3]), num(f[3:5]), num(f[5:7]); y < 1 || y >= 200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	if len(f) == 13 && (num(f[7:9]) > 23 || num(f[9:11]) > 59 || num(f[11:13]) > 59) {
		return false
	}
	return true
}

// rocDigits reports whether an all-digit cell could be a ROC date: 7
// digits yyymmdd or 13 digits yyymmddhhmmss, whose year is below 200.
func rocDigits(f string) bool {
	if strings.Trim(f, "0123456789") != "" || (len(f) != 7 && len(f) != 13) {
		return false
	}
	return f[0] == '0' || f[0] == '1'
}

func phoneShaped(f string) bool {
	for _, v := range identifier.Values(identifier.Phone, f, nil) {
		for _, r := range v {
			if !(r >= '0' && r <= '9' || strings.ContainsRune(" -.()+", r)) {
				return false
			}
		}
	}
	return true
}

// phoneClass names a number's shape and the region it points to. A
// number with its country code says so itself; a national one points to a
// region only when its shape belongs to that region alone (09xxxxxxxx is
// a Taiwanese mobile, 1[3-9]+9 digits a mainland one, ten NANP digits
// North American): "0151 2345 6701" could be read in several countries,
// and guessing one would propose the wrong input.region.
func phoneClass(s string) (string, string) {
	vals := identifier.Values(identifier.Phone, s, nil)
	if len(vals) == 0 {
		return "", ""
	}
	v := consent.Fold(vals[0])
	if strings.HasPrefix(v, "+") || strings.HasPrefix(v, "00") {
		e, err := identifier.NormalizeE164(v, identifier.Options{})
		if err != nil {
			return "", ""
		}
		switch {
		case strings.HasPrefix(e, "+8869") && len(e) == 13:
			return ClassPhoneTWMobile, "TW"
		case strings.HasPrefix(e, "+861") && len(e) == 14:
			return ClassPhoneCNMobile, "CN"
		case strings.HasPrefix(e, "+1") && len(e) == 12:
			return ClassPhoneNANP, regionOf(e, "US")
		}
		return ClassPhoneOther, regionOf(e, "")
	}
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, v)
	switch {
	case len(d) == 10 && strings.HasPrefix(d, "09") && d[2] != '9', len(d) == 9 && d[0] == '9' && d[1] != '9':
		return ClassPhoneTWMobile, "TW"
	case len(d) == 11 && d[0] == '1' && d[1] >= '3':
		return ClassPhoneCNMobile, "CN"
	case len(d) == 13 && strings.HasPrefix(d, "861") && d[3] >= '3':
		return ClassPhoneCNMobile, "CN" // 86 138…: the country code without its +
	case len(d) == 10 && strings.HasPrefix(d, "04") && d[2] != '2' && d[2] != '3':
		// 04xx xxx xxx is an Australian mobile; 04-2xxx-xxxx and 04-3…
		// are Taichung landlines.
		return ClassPhoneAUMobile, "AU"
	case len(d) == 10 && d[0] >= '2' && d[3] >= '2', len(d) == 11 && d[0] == '1' && d[1] >= '2' && d[4] >= '2':
		return ClassPhoneNANP, regionOf("+1"+d[len(d)-10:], "US")
	}
	if _, err := identifier.NormalizeE164(v, identifier.Options{Region: "TW"}); err != nil {
		var rej *identifier.Rejection
		if errors.As(err, &rej) && rej.Reason == identifier.ReasonLeadingZeroLost {
			return ClassPhoneLostZero, ""
		}
	}
	return ClassPhoneOther, ""
}

// cellFormats are the shapes Classify tests a cell against. They are
// compiled on first use, not at package initialisation: every hashgate
// command links this package, and only inspect and config init classify
// cells (docs/performance.md, Start-up).
type cellFormats struct {
	dateTimeISO, dateISO, dateROC, dateMDY, noYear, time, timeAMPM, amount, amountComma, sci, code *regexp.Regexp
}

var formats = sync.OnceValue(func() *cellFormats {
	return &cellFormats{
		// t: the cell is case-folded. A half-day word before the clock is
		// how Excel writes a date-time in zh-TW (2026/11/2 上午 9:30): it
		// was a time, and config init asked for appointment_at.
		dateTimeISO: regexp.MustCompile(`^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ Tt](?:(?:上午|下午|早上|中午|晚上|凌晨) ?)?\d{1,2}:\d{2}`),
		dateISO:     regexp.MustCompile(`^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$`),
		dateROC:     regexp.MustCompile(`^\d{3}[-/.]\d{1,2}[-/.]\d{1,2}( |$)`),
		dateMDY:     regexp.MustCompile(`^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(\d{2})?( |$)`),
		noYear:      regexp.MustCompile(`^\d{1,2}月\d{1,2}[日号號]$`),
		time:        regexp.MustCompile(`^\d{1,2}:\d{2}(:\d{2})?$`),
		timeAMPM:    regexp.MustCompile(`(?i)^\d{1,2}:\d{2}(:\d{2})? ?[ap]\.?m\.?$`),
		amount:      regexp.MustCompile(`(?i)^(NT\$|US\$|\$|￥|¥|€|£)?\s?\d{1,3}(,\d{3})+(\.\d+)?\s?(元)?$|^(NT\$|US\$|\$|￥|¥|€|£)\s?\d+(\.\d+)?$|^\d+(\.\d+)?\s?元$|^\d+\.\d{2}$`),
		// Decimals after a comma — two digits, or one — with dots grouping
		// thousands: 150,00, 1.250,00, € 80,50, 12,5. A comma before three
		// digits stays a thousands separator (amount above).
		amountComma: regexp.MustCompile(`^(€|£|\$|EUR)?\s?(\d{1,3}(\.\d{3})+|\d+),\d{1,2}\s?(€|EUR)?$`),
		sci:         regexp.MustCompile(`^\d(\.\d+)?[eE]\+?\d+$`),
		code:        regexp.MustCompile(`^[A-Za-z]{0,4}[-_]?\d+$`),
	}
})

// regionOf is the country an E.164 number belongs to, by libphonenumber's
// metadata, or fallback when it names none. For +1 that is the area
// code's: +1 is shared by the United States, Canada and the Caribbean, and
// a Toronto clinic's config got region US and currency USD (a review of
// the day's diff); an area code no country claims stays US, the region
// hashgate parses +1 numbers in either way.
func regionOf(e164, fallback string) string {
	num, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return fallback
	}
	if r := phonenumbers.GetRegionCodeForNumber(num); r != "" {
		return r
	}
	return fallback
}
