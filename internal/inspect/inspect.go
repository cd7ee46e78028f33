// Package inspect profiles a clinic export for the analyst writing a
// config: how it is encoded and laid out, and per column how full it is and
// which formats its cells have ("date, ROC yyy/mm/dd, 97%"), with a
// proposed input.columns mapping from header names in English, 繁體中文
// and 简体中文.
//
// It reads every cell and shows only what cannot be patient data, under
// the one printing rule every command shares (package printable): counts,
// format class names, header names, and words of hashgate's own consent,
// status and channel vocabularies that share no token with the export's
// identifying columns. A header cell hashgate knows is always shown; an
// unknown one only when the line is a header by the change of value shapes
// below it (or the user named it), and never a cell of a line that holds a
// phone number or an address — the first row of an export without a
// header.
package inspect

import (
	"errors"
	"hash/fnv"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/phi"
	"github.com/hashgate/hashgate/internal/printable"
)

// Profile is what inspect found. It holds no cell value.
type Profile struct {
	File           string    `json:"file"`
	Encoding       string    `json:"encoding"`
	Delimiter      string    `json:"delimiter"`
	HeaderLine     int       `json:"header_line"`
	HeaderKnown    bool      `json:"header_known"`    // at least one column name is shown
	HeaderWithheld int       `json:"header_withheld"` // column names not shown (the line could be data)
	Rows           int       `json:"rows"`
	Columns        []Column  `json:"columns"`
	Proposed       []Mapping `json:"proposed"`
	Region         string    `json:"region"`          // phone region the numbers suggest ("" when unclear)
	Timezone       string    `json:"timezone"`        // zone that region implies, when it has one
	ZoneStated     bool      `json:"zone_stated"`     // the appointment times carry their offset (Z, +08:00)
	DateOrder      string    `json:"date_order"`      // mdy or dmy, when a day above 12 proves it
	NeedDateOrder  bool      `json:"need_date_order"` // numeric dates such as 5/8/2024 were seen, order unproved
	NoYearDates    bool      `json:"no_year_dates"`   // dates such as 5月27日 were seen
	ROCDates       bool      `json:"roc_dates"`
	ExcelDates     bool      `json:"excel_dates"`
	// ClickIDs: rows with an ad click id (clickids.go).
	ClickIDs ClickIDs `json:"click_ids"`
}

// Column is one column's profile.
type Column struct {
	Index    int     `json:"index"`  // 1-based
	Header   string  `json:"header"` // "" when withheld: the column is shown by its number
	Filled   int     `json:"filled"`
	Distinct int     `json:"distinct"` // distinct non-empty values, up to maxDistinct
	Many     bool    `json:"many"`     // more than maxDistinct distinct values
	Classes  []Share `json:"classes"`
	// Vocabulary lists the values seen that are words of hashgate's own
	// consent, status or channel vocabularies, in hashgate's spelling, with
	// counts: the only values any command prints (package printable).
	Vocabulary []Share `json:"vocabulary"`
	// Unshown counts the filled rows whose value is not shown: no word of
	// hashgate's, or one the printing rule vetoes.
	Unshown int `json:"unshown"`
	// DayFirst and MonthFirst count numeric dates (5/8/2024) whose first or
	// second field is above 12: the evidence that fixes date_order.
	DayFirst   int `json:"day_first,omitempty"`
	MonthFirst int `json:"month_first,omitempty"`
	// Offsets counts date-times that carry their UTC offset.
	Offsets int `json:"offsets,omitempty"`
}

// Share is a named count.
type Share struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Mapping proposes one config key.
type Mapping struct {
	Key     string   `json:"key"`     // e.g. "order_id"
	Headers []string `json:"headers"` // one, or several for order_id, email and phone
	Why     string   `json:"why"`     // "by header name", "by format", or why a composite key
}

// listKeys take several columns.
var listKeys = map[string]bool{"order_id": true, "email": true, "phone": true}

const maxDistinct = 64

// Options tells Run how to read the file; zero values detect.
type Options struct {
	Encoding  string
	Delimiter rune
	HeaderRow int
}

// Run profiles the export read from r.
func Run(r io.Reader, name string, opt Options) (*Profile, error) {
	rd, err := export.NewReader(r, name, export.Spec{
		Encoding: opt.Encoding, Delimiter: opt.Delimiter, HeaderRow: opt.HeaderRow, Probe: synonymList(), Known: isHeaderWord,
	})
	if err != nil {
		return nil, err
	}
	lay := rd.Layout()
	p := &Profile{File: name, Encoding: lay.Encoding, Delimiter: export.DelimiterName(lay.Delimiter),
		HeaderLine: lay.HeaderLine}
	n := len(lay.Header)
	// The tokens of every word inspect may print (its vocabulary and the
	// header cells), looked for in the identifying columns.
	ident := printable.NewTokens(vocabularyWords, lay.Header)
	stats := make([]colStats, n)
	for i := range stats {
		stats[i] = colStats{classes: map[string]int{}, values: rule.Column(), seen: map[uint64]bool{}, tokens: ident.Child()}
	}
	regions := map[string]int{}
	googleCols, metaCols := clickColumns(lay.Header)
	p.ClickIDs.GoogleColumns, p.ClickIDs.MetaColumns = len(googleCols) > 0, len(metaCols) > 0
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		p.Rows++
		if anyClickID(row.Cells(), googleCols) {
			p.ClickIDs.Google++
		}
		if anyClickID(row.Cells(), metaCols) {
			p.ClickIDs.Meta++
		}
		for i, cell := range row.Cells() {
			if i >= n {
				break
			}
			cell = strings.TrimSpace(cell)
			if cell == "" {
				continue
			}
			st := &stats[i]
			st.filled++
			h := fnv.New64a()
			h.Write([]byte(consent.Fold(cell)))
			if len(st.seen) <= maxDistinct {
				st.seen[h.Sum64()] = true
			}
			class, region := Classify(cell)
			st.classes[class]++
			if region != "" {
				regions[region]++
			}
			switch class {
			case ClassDateMDY, ClassDateTimeMDY:
				switch dateFieldOver12(cell) {
				case 1:
					st.dayFirst++
				case 2:
					st.monthFirst++
				}
			case ClassDateTimeISO:
				if hasOffset(cell) {
					st.offsets++
				}
			}
			st.values.Add(cell)
			st.tokens.Add(cell)
		}
	}
	for i := 0; i < n; i++ {
		st := stats[i]
		c := Column{Index: i + 1, Filled: st.filled, Distinct: min(len(st.seen), maxDistinct), Many: len(st.seen) > maxDistinct,
			DayFirst: st.dayFirst, MonthFirst: st.monthFirst, Offsets: st.offsets}
		c.Classes = sorted(st.classes)
		p.Columns = append(p.Columns, c)
	}
	// The tokens of every identifying column: what no printed word may
	// contain (package printable). Which columns identify is judged from
	// their header words and their values, before any name is shown.
	for i := range p.Columns {
		if identifyingColumn(lay.Header[i], p.Columns[i]) {
			ident.Merge(stats[i].tokens)
		}
	}
	couldBeData := opt.HeaderRow == 0 && lay.ShapeChanges == 0
	heads := printable.Header(lay.Header, isHeaderWord, couldBeData, ident)
	if opt.HeaderRow == 0 && lay.DataCells > 0 {
		// The line holds a phone number or an address: it is the first row
		// of an export without a header, and none of it is a column name —
		// not even a header word beside a patient's name (同意, phone).
		clear(heads)
	}
	for i, h := range heads {
		p.Columns[i].Header = h
		if h != "" {
			p.HeaderKnown = true
		} else if strings.TrimSpace(lay.Header[i]) != "" {
			p.HeaderWithheld++
		}
		shown, hidden := stats[i].values.Values(ident)
		for _, v := range shown {
			p.Columns[i].Vocabulary = append(p.Columns[i].Vocabulary, Share{v.Text, v.Count})
		}
		p.Columns[i].Unshown = hidden
	}
	if best := sorted(regions); len(best) > 0 && best[0].Count*2 > sumShares(best) {
		p.Region = best[0].Name
		p.Timezone = map[string]string{"TW": "Asia/Taipei", "CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong", "SG": "Asia/Singapore"}[p.Region]
	}
	p.Proposed = proposeMapping(p.Columns)
	p.scopeHints()
	withholdIdentifying(p)
	return p, nil
}

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

// identifyingColumn judges, from its header cell and its values, whether a
// column holds people's data — names, e-mails, phones, chart numbers,
// notes — whose tokens no printed word may contain.
func identifyingColumn(header string, c Column) bool {
	switch top(c) {
	case ClassVocabulary, ClassBoolean:
		return false // yes/no, statuses: hashgate's words, whatever the header says
	}
	if identifyingHeaders.Has(header) || clinicalHeader(header) {
		return true
	}
	for _, key := range []string{"email", "phone", "first_name", "last_name", "patient_key", "postal_code"} {
		if headerScore(key, header) >= minScore {
			return true
		}
	}
	switch {
	case strings.HasPrefix(top(c), "email"), strings.HasPrefix(top(c), "phone"):
		return true
	case top(c) == ClassText || top(c) == ClassID:
		// Names and notes are (nearly) one per row.
		return c.Many || (c.Filled >= 3 && c.Distinct*10 >= c.Filled*6)
	}
	return false
}

// withholdIdentifying drops the words shown for every column that holds a
// person's data, a price or clinical content, whatever they are: a phone
// column of "unknown" says nothing, and a treatment column must never have
// a value printed, in any language. Values are shown only for a column
// whose header is printed (a column shown by its number could be anything).
func withholdIdentifying(p *Profile) {
	mapped := map[string]bool{}
	for _, m := range p.Proposed {
		if identifyingKeys[m.Key] {
			for _, h := range m.Headers {
				mapped[h] = true
			}
		}
	}
	for i := range p.Columns {
		c := &p.Columns[i]
		if c.Header == "" || mapped[c.Header] || identifyingHeaders.Has(c.Header) || clinicalHeader(c.Header) {
			for _, v := range c.Vocabulary {
				c.Unshown += v.Count
			}
			c.Vocabulary = nil
		}
	}
}

// identifyingKeys are the input.columns keys whose values identify a
// person or an appointment — and value, whose amounts can name the
// treatment (NT$68,000 is an implant).
var identifyingKeys = map[string]bool{
	"order_id": true, "email": true, "phone": true, "first_name": true, "last_name": true,
	"postal_code": true, "patient_key": true, "gclid": true, "fbclid": true, "value": true,
}

// identifyingHeaders name columns of people and free text that map to no
// key: patients' and staff names, notes, addresses, birthdays, national ids.
var identifyingHeaders = printable.NewVocabulary([]string{
	"name", "full name", "patient", "patient name", "client", "client name", "first", "last", "given", "family", "middle name", "nickname",
	"birthday", "birthdate", "dob", "date of birth", "address", "address1", "address2", "street",
	"note", "notes", "remark", "remarks", "comment", "comments", "memo", "description",
	"doctor", "dentist", "provider", "practitioner", "therapist", "staff", "referred by", "referrer",
	"姓名", "病患姓名", "患者姓名", "客戶姓名", "客户姓名", "病人", "患者", "生日", "出生日期", "地址", "住址",
	"備註", "备注", "說明", "说明", "附註", "附注", "醫師", "医师", "醫生", "医生", "主治醫師", "主治医师", "治療師", "治疗师",
	"介紹人", "介绍人", "推薦人", "推荐人", "身分證", "身份證", "身份证", "身分證字號", "健保卡號", "微信", "line 名稱", "line id",
})

// clinicalTerms mark columns of treatments, procedures, diagnoses and
// notes, in English, 繁體中文 and 简体中文: inspect prints no value of such
// a column, whatever the value is.
var clinicalTerms = []string{
	"treatment", "treatments", "procedure", "procedures", "proc", "procs", "diagnosis", "diagnoses", "dx", "icd", "cdt", "cpt",
	"service", "services", "item", "items", "reason", "complaint", "note", "notes", "memo", "remark", "remarks", "comment", "comments",
	"療程", "疗程", "治療", "治疗", "診斷", "诊断", "處置", "处置", "項目", "项目", "醫令", "医嘱", "病情", "主訴", "主诉",
	"備註", "备注", "附註", "附注", "團購", "团购", "套餐", "藥品", "药品", "手術", "手术",
}

// clinicalHeader reports whether a header names a clinical or free-text
// column: one of its words is a clinical term, or (CJK) it contains one.
func clinicalHeader(h string) bool {
	hw := normHeader(h)
	hj := strings.Join(hw, "")
	for _, t := range clinicalTerms {
		ft := consent.Fold(t)
		if isCJK([]rune(ft)[0]) {
			if strings.Contains(hj, ft) {
				return true
			}
			continue
		}
		if slices.Contains(hw, ft) {
			return true
		}
	}
	return false
}

type colStats struct {
	filled               int
	classes              map[string]int
	values               *printable.Column
	seen                 map[uint64]bool
	tokens               *printable.Tokens
	dayFirst, monthFirst int
	offsets              int
}

func sorted(m map[string]int) []Share {
	var out []Share
	for k, v := range m {
		out = append(out, Share{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func sumShares(ss []Share) int {
	n := 0
	for _, s := range ss {
		n += s.Count
	}
	return n
}

// Format classes.
const (
	ClassEmpty          = "placeholder"
	ClassEmail          = "email"
	ClassEmailList      = "email, several in one cell"
	ClassPhoneTWMobile  = "phone, TW mobile"
	ClassPhoneCNMobile  = "phone, CN mobile"
	ClassPhoneNANP      = "phone, North American"
	ClassPhoneAUMobile  = "phone, AU mobile"
	ClassPhoneOther     = "phone, other"
	ClassPhoneSci       = "phone, Excel scientific notation (digits lost)"
	ClassPhoneLostZero  = "phone, lost its leading 0"
	ClassDateTimeISO    = "date-time, ISO"
	ClassDateISO        = "date, ISO y-m-d"
	ClassDateROC        = "date, ROC yyy/mm/dd"
	ClassDateROCCompact = "date, ROC yyymmdd"
	ClassDateTimeROC    = "date-time, ROC yyymmddhhmmss"
	ClassDateMinguo     = "date, 民國"
	ClassDateCJK        = "date, 年月日"
	ClassDateTimeCJK    = "date-time, 年月日 時:分"
	ClassDateNoYear     = "date, 月日 without a year"
	ClassDateMDY        = "date, m/d/y or d/m/y"
	ClassDateTimeMDY    = "date-time, m/d/y or d/m/y"
	ClassExcelSerial    = "number or Excel serial date"
	ClassTime           = "time, 24h"
	ClassTimeAMPM       = "time, AM/PM"
	ClassTimeCJK        = "time, 上午/下午 or 点/分"
	ClassAmount         = "amount"
	ClassInteger        = "integer"
	ClassBoolean        = "true/false"
	ClassID             = "code (letters and digits)"
	ClassVocabulary     = "consent or status word"
	ClassText           = "text"
)

var (
	reDateTimeISO = regexp.MustCompile(`^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]\d{1,2}:\d{2}`)
	reDateISO     = regexp.MustCompile(`^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$`)
	reDateROC     = regexp.MustCompile(`^\d{3}[-/.]\d{1,2}[-/.]\d{1,2}( |$)`)
	reDateMDY     = regexp.MustCompile(`^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}(\d{2})?( |$)`)
	reNoYear      = regexp.MustCompile(`^\d{1,2}月\d{1,2}[日号號]$`)
	reTime        = regexp.MustCompile(`^\d{1,2}:\d{2}(:\d{2})?$`)
	reTimeAMPM    = regexp.MustCompile(`(?i)^\d{1,2}:\d{2}(:\d{2})? ?[ap]\.?m\.?$`)
	reAmount      = regexp.MustCompile(`(?i)^(NT\$|US\$|\$|￥|¥|€|£)?\s?\d{1,3}(,\d{3})+(\.\d+)?\s?(元)?$|^(NT\$|US\$|\$|￥|¥|€|£)\s?\d+(\.\d+)?$|^\d+(\.\d+)?\s?元$|^\d+\.\d{2}$`)
	reSci         = regexp.MustCompile(`^\d(\.\d+)?[eE]\+?\d+$`)
	reCode        = regexp.MustCompile(`^[A-Za-z]{0,4}[-_]?\d+$`)
)

// Classify names the format of one non-empty cell and, for a phone
// number, the region its country code or shape points to.
func Classify(cell string) (class, region string) {
	s := strings.TrimSpace(cell)
	f := consent.Fold(s) // NFKC: full-width digits read as digits
	if vocabulary.HasFolded(f) {
		return ClassVocabulary, ""
	}
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
	case reNoYear.MatchString(f):
		return ClassDateNoYear, ""
	case strings.Contains(f, "年") && strings.Contains(f, "月") && strings.Contains(f, ":"):
		return ClassDateTimeCJK, ""
	case strings.Contains(f, "年") && strings.Contains(f, "月"):
		return ClassDateCJK, ""
	case reDateTimeISO.MatchString(f):
		return ClassDateTimeISO, ""
	case reDateISO.MatchString(f):
		return ClassDateISO, ""
	case reDateROC.MatchString(f):
		return ClassDateROC, ""
	case reDateMDY.MatchString(f) && strings.Contains(f, ":"):
		return ClassDateTimeMDY, ""
	case reDateMDY.MatchString(f):
		return ClassDateMDY, ""
	case strings.ContainsAny(f, "上下午晚点點") && strings.ContainsAny(f, "0123456789"):
		return ClassTimeCJK, ""
	case reTimeAMPM.MatchString(f):
		return ClassTimeAMPM, ""
	case reTime.MatchString(f):
		return ClassTime, ""
	case reSci.MatchString(f):
		return ClassPhoneSci, ""
	case f == "true" || f == "false":
		return ClassBoolean, ""
	case reAmount.MatchString(f):
		return ClassAmount, ""
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
	if reCode.MatchString(f) {
		return ClassID, ""
	}
	return ClassText, ""
}

// rocDateValid reports whether yyymmdd[hhmmss] digits are a real ROC date
// (month 1–12, day 1–31, and a clock under 24:00): a chart number 0000700
// is not one.
func rocDateValid(f string) bool {
	num := func(s string) int {
		n := 0
		for _, r := range s {
			n = n*10 + int(r-'0')
		}
		return n
	}
	if y, m, d := num(f[:3]), num(f[3:5]), num(f[5:7]); y < 1 || m < 1 || m > 12 || d < 1 || d > 31 {
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
			return ClassPhoneNANP, "US"
		}
		num, err := phonenumbers.Parse(e, "ZZ")
		if err != nil {
			return ClassPhoneOther, ""
		}
		return ClassPhoneOther, phonenumbers.GetRegionCodeForNumber(num)
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
		return ClassPhoneNANP, "US"
	}
	if _, err := identifier.NormalizeE164(v, identifier.Options{Region: "TW"}); err != nil {
		var rej *identifier.Rejection
		if errors.As(err, &rej) && rej.Reason == identifier.ReasonLeadingZeroLost {
			return ClassPhoneLostZero, ""
		}
	}
	return ClassPhoneOther, ""
}

// vocabulary holds the consent and status words hashgate knows; a cell
// that is one of them is shown in hashgate's spelling.
var vocabulary = printable.NewVocabulary(vocabularyWords)

var vocabularyWords = slices.Concat(consent.Vocabulary(), allStatusWords(), printable.ChannelWords())

// headerWords are the header names hashgate knows: every synonym below and
// the other columns clinic systems export (names, notes, doctors…), which
// map to no key but make a header line recognisable as one.
var headerWords = printable.NewVocabulary(synonymList(), otherHeaders)

// rule is the printing rule for cells: vocabulary words that are no health
// term.
var rule = printable.Rule{Vocabulary: vocabulary, Guard: func(s string) bool {
	_, hit := healthTerms.Find(s)
	return hit
}}

var healthTerms = phi.New(nil, nil)

// otherHeaders are header names of columns hashgate does not map, from the
// systems of docs/research/clinic-exports.md and common spreadsheet layouts, in English,
// 繁體中文 and 简体中文. A header word is a column's name, never its value.
var otherHeaders = []string{
	"id", "no", "no.", "number", "#", "at", "name", "full name", "patient", "patient name", "first", "last", "given", "family",
	"middle name", "nickname", "gender", "sex", "birthday", "birthdate", "dob", "date of birth", "age",
	"address", "address1", "address2", "street", "city", "state", "province", "country", "region", "district",
	"zip code", "zipcode", "home_phone", "home phone", "work phone", "landline", "fax",
	"note", "notes", "remark", "remarks", "comment", "comments", "memo", "description",
	"doctor", "dentist", "provider", "practitioner", "therapist", "staff", "operatory", "room", "chair",
	"clinic", "branch", "location", "site", "department",
	"treatment", "procedure", "procedures", "service", "item", "items", "type", "category", "appointment type",
	"source", "channel", "referral", "referred by", "campaign", "medium", "utm_source", "utm_medium", "utm_campaign",
	"utm_content", "utm_term", "fbclid", "gbraid", "wbraid", "created", "created_at", "updated", "updated_at",
	"visit_date", "visit_time", "visit date", "visit time", "duration", "length", "end time", "end_time",
	"paid", "payment", "payment method", "balance", "discount", "insurance", "agree", "agreed_on", "consent_date",
	"姓名", "病患姓名", "患者姓名", "客戶姓名", "客户姓名", "病人", "患者", "性別", "性别", "生日", "出生日期", "年齡", "年龄",
	"地址", "住址", "城市", "縣市", "县市", "省", "省份", "區", "区", "國家", "国家", "市話", "座机",
	"備註", "备注", "說明", "说明", "附註", "附注", "醫師", "医师", "醫生", "医生", "主治醫師", "主治医师", "治療師", "治疗师",
	"診所", "诊所", "分院", "門診", "门诊", "診間", "诊室", "科別", "科别", "療程", "疗程", "項目", "项目",
	"治療項目", "治疗项目", "服務項目", "服务项目", "類別", "类别", "來源", "来源", "渠道", "管道", "推薦人", "推荐人",
	"編號", "编号", "序號", "序号", "付款方式", "已付", "餘額", "余额", "折扣", "保險", "保险",
}

// synonymList lists the header names that find the header line.
func synonymList() []string { return headerWordList() }

func mapped(ms []Mapping, key string) []string {
	for _, m := range ms {
		if m.Key == key {
			return m.Headers
		}
	}
	return nil
}

func top(c Column) string {
	if len(c.Classes) == 0 {
		return ""
	}
	return c.Classes[0].Name
}

func has(ms []Mapping, key string) bool {
	for _, m := range ms {
		if m.Key == key {
			return true
		}
	}
	return false
}

func drop(ms []Mapping, keys ...string) []Mapping {
	out := ms[:0]
	for _, m := range ms {
		keep := true
		for _, k := range keys {
			keep = keep && m.Key != k
		}
		if keep {
			out = append(out, m)
		}
	}
	return out
}

// Mapped returns the headers proposed for key (nil when none).
func (p *Profile) Mapped(key string) []string { return mapped(p.Proposed, key) }

// SourceWords returns the channel words of hashgate's vocabulary seen in
// the proposed source column (input.columns.source), with counts, and how
// many filled rows hold anything else (never shown). `config init`
// proposes channels from the words only.
func (p *Profile) SourceWords() (words []Share, unshown int) {
	c := p.column("source")
	if c == nil {
		return nil, 0
	}
	for _, v := range c.Vocabulary {
		if channelVocabulary.Has(v.Name) {
			words = append(words, v)
		} else {
			unshown += v.Count
		}
	}
	return words, unshown + c.Unshown
}

// column returns the column proposed for key, or nil.
func (p *Profile) column(key string) *Column {
	h := p.Mapped(key)
	if len(h) == 0 {
		return nil
	}
	for i := range p.Columns {
		if p.Columns[i].Header == h[0] {
			return &p.Columns[i]
		}
	}
	return nil
}

var channelVocabulary = printable.NewVocabulary(printable.ChannelWords())

// Granted lists the consent-column words that mean yes in hashgate's
// vocabulary, as seen in the proposed consent column.
func (p *Profile) Granted() []string { return p.wordsIn("consent", consent.IsGrantWord) }

func (p *Profile) wordsIn(key string, keep func(string) bool) []string {
	h := p.Mapped(key)
	var out []string
	for _, c := range p.Columns {
		if len(h) == 0 || c.Header != h[0] {
			continue
		}
		for _, v := range c.Vocabulary {
			if keep(v.Name) {
				out = append(out, v.Name)
			}
		}
	}
	return out
}

// Known reports whether s is a word of hashgate's own vocabularies — the
// only cell values any command may print.
func Known(s string) bool { return vocabulary.Has(s) || printable.CurrencyCode(s) }
