// Package inspect profiles a clinic export for the analyst writing a
// config: how it is encoded and laid out, and per column how full it is and
// which formats its cells have ("date, ROC yyy/mm/dd, 97%"), with a
// proposed input.columns mapping from header names in English, 繁體中文
// and 简体中文.
//
// It reads every cell and shows only what cannot be patient data, under
// the one printing rule every command shares (package printable): counts,
// format class names, recognised header names, words of hashgate's own
// consent and status vocabularies, and categorical values (a value in 5+
// rows of a column of few values, with no identifier shape and no health
// term). A header line that was found by guessing is shown only when every
// cell of it is a header word hashgate knows — a data row holding 同意 or
// "phone" must not print the patient's name beside it — otherwise columns
// are shown by number.
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
	File          string    `json:"file"`
	Encoding      string    `json:"encoding"`
	Delimiter     string    `json:"delimiter"`
	HeaderLine    int       `json:"header_line"`
	HeaderKnown   bool      `json:"header_known"` // the header line was recognised by known names
	Rows          int       `json:"rows"`
	Columns       []Column  `json:"columns"`
	Proposed      []Mapping `json:"proposed"`
	Region        string    `json:"region"`          // phone region the numbers suggest ("" when unclear)
	Timezone      string    `json:"timezone"`        // zone that region implies, when it has one
	NeedDateOrder bool      `json:"need_date_order"` // numeric dates such as 5/8/2024 were seen
	NoYearDates   bool      `json:"no_year_dates"`   // dates such as 5月27日 were seen
	ROCDates      bool      `json:"roc_dates"`
	ExcelDates    bool      `json:"excel_dates"`
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
	// consent or status vocabularies, in hashgate's spelling, with counts.
	Vocabulary []Share `json:"vocabulary"`
	// Categories lists the other values printable under package
	// printable's rule (repeated, in a column of few values, shaped like
	// no identifier), with counts. Everything else is never shown.
	Categories []Share `json:"categories,omitempty"`
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
		Encoding: opt.Encoding, Delimiter: opt.Delimiter, HeaderRow: opt.HeaderRow, Probe: synonymList(),
	})
	if err != nil {
		return nil, err
	}
	lay := rd.Layout()
	p := &Profile{File: name, Encoding: lay.Encoding, Delimiter: export.DelimiterName(lay.Delimiter),
		HeaderLine: lay.HeaderLine}
	n := len(lay.Header)
	heads := printable.Header(lay.Header, knownHeaders(lay.Header), opt.HeaderRow > 0)
	for _, h := range heads {
		p.HeaderKnown = p.HeaderKnown || h != ""
	}
	stats := make([]colStats, n)
	for i := range stats {
		stats[i] = colStats{classes: map[string]int{}, values: rule.Column(), seen: map[uint64]bool{}}
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
			st.values.Add(cell)
		}
	}
	for i := 0; i < n; i++ {
		st := stats[i]
		c := Column{Index: i + 1, Header: heads[i], Filled: st.filled, Distinct: min(len(st.seen), maxDistinct), Many: len(st.seen) > maxDistinct}
		c.Classes = sorted(st.classes)
		for _, v := range st.values.Values() {
			if v.Known {
				c.Vocabulary = append(c.Vocabulary, Share{v.Text, v.Count})
			} else {
				c.Categories = append(c.Categories, Share{v.Text, v.Count})
			}
		}
		p.Columns = append(p.Columns, c) // date hints: scopeHints, once the mapping is known
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

// withholdIdentifying drops the categorical values of every column that
// may hold a person's data or a price, whatever the printing rule says of
// its values:
// a small export of a few patients with many visits each repeats their
// names, chart numbers and notes often enough in a column of few values to
// look categorical. Values are shown only for a column whose header is
// printed (a column shown by its number could be anything) and is neither
// mapped to an identifying key nor a name, note, address or staff column.
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
		if c.Header == "" || mapped[c.Header] || identifyingHeaders.Has(c.Header) {
			c.Categories = nil
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
// key: patients' and staff names, notes, addresses, birthdays.
var identifyingHeaders = printable.NewVocabulary([]string{
	"name", "full name", "patient", "patient name", "first", "last", "given", "family", "middle name", "nickname",
	"birthday", "birthdate", "dob", "date of birth", "address", "address1", "address2", "street",
	"note", "notes", "remark", "remarks", "comment", "comments", "memo", "description",
	"doctor", "dentist", "provider", "practitioner", "therapist", "staff", "referred by", "referrer",
	"姓名", "病患姓名", "患者姓名", "客戶姓名", "客户姓名", "病人", "患者", "生日", "出生日期", "地址", "住址",
	"備註", "备注", "說明", "说明", "附註", "附注", "醫師", "医师", "醫生", "医生", "主治醫師", "主治医师", "治療師", "治疗师",
	"介紹人", "介绍人", "推薦人", "推荐人",
})

type colStats struct {
	filled  int
	classes map[string]int
	values  *printable.Column
	seen    map[uint64]bool
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
	ClassDateNoYear     = "date, 月日 without a year"
	ClassDateMDY        = "date, m/d/y or d/m/y"
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
	reDateTimeISO = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}`)
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
	case strings.Contains(f, "年") && strings.Contains(f, "月"):
		return ClassDateCJK, ""
	case reDateTimeISO.MatchString(f):
		return ClassDateTimeISO, ""
	case reDateISO.MatchString(f):
		return ClassDateISO, ""
	case reDateROC.MatchString(f):
		return ClassDateROC, ""
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
	if d := strings.Trim(f, "0123456789"); d == "" {
		switch len(f) {
		case 7:
			return ClassDateROCCompact, ""
		case 13:
			return ClassDateTimeROC, ""
		case 5:
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
var vocabulary = printable.NewVocabulary(consent.Vocabulary(), statusWords, moreStatusWords)

// headerWords are the header names hashgate knows: every synonym below and
// the other columns clinic systems export (names, notes, doctors…), which
// map to no key but make a header line recognisable as one.
var headerWords = printable.NewVocabulary(synonymList(), otherHeaders)

// rule is the printing rule for cells: vocabulary words, and categorical
// values that are no health term.
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

// statusWords are appointment status values of the systems in
// docs/research/clinic-exports.md §a.3.
var statusWords = []string{
	"completed", "complete", "done", "checked out", "arrived", "fulfilled", "show",
	"no show", "no-show", "noshow", "missed", "broken", "did not arrive",
	"cancelled", "canceled", "late canceled", "scheduled", "confirmed", "planned",
	"已完成", "已報到", "完診", "未到", "爽約", "已取消", "預約中",
	"已到诊", "到店", "爽约", "未到店", "待到诊", "改约",
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

// completedWords are status words meaning the patient came (§a.3).
var completedWords = []string{"completed", "complete", "done", "checked out", "arrived", "fulfilled", "show",
	"已完成", "已報到", "完診", "已到诊", "到店"}

// Completed lists the status-column words that mean the visit happened.
func (p *Profile) Completed() []string {
	return p.wordsIn("status", func(w string) bool {
		return slices.ContainsFunc(completedWords, func(c string) bool { return consent.Fold(c) == consent.Fold(w) })
	})
}

// SourceWords returns the printable values of the proposed source column
// (input.columns.source): the categorical values of package printable's
// rule, with counts. `config init` proposes channels from them.
func (p *Profile) SourceWords() []Share {
	h := p.Mapped("source")
	for _, c := range p.Columns {
		if len(h) > 0 && c.Header == h[0] {
			return c.Categories
		}
	}
	return nil
}

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
