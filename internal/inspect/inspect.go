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
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/phi"
	"github.com/hashgate/hashgate/internal/platform"
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
	// SetAside are the columns left unmapped on purpose (setAside):
	// another person's contact, a consent to care.
	SetAside      []SetAside `json:"set_aside,omitempty"`
	Region        string     `json:"region"`          // phone region the numbers suggest ("" when unclear)
	Timezone      string     `json:"timezone"`        // zone that region implies, when it has one
	ZoneStated    bool       `json:"zone_stated"`     // the appointment times carry their offset (Z, +08:00)
	DateOrder     string     `json:"date_order"`      // mdy or dmy, when a day above 12 proves it
	NeedDateOrder bool       `json:"need_date_order"` // numeric dates such as 5/8/2024 were seen, order unproved
	NoYearDates   bool       `json:"no_year_dates"`   // dates such as 5月27日 were seen
	ROCDates      bool       `json:"roc_dates"`
	ExcelDates    bool       `json:"excel_dates"`
	// ShortYearDates: numeric dates with a two-digit year at one end
	// (24/06/08) were seen: ymd, dmy or mdy, which no day above 12 proves.
	ShortYearDates bool `json:"short_year_dates,omitempty"`
	// UnreadDates names the proposed appointment column when most of its
	// values are no date form hashgate reads by default ("Nov 20, 2026
	// 9:00 AM"): input.time_formats must say how.
	UnreadDates string `json:"unread_dates,omitempty"`
	// ClickIDs: rows with an ad click id (clickids.go).
	ClickIDs ClickIDs `json:"click_ids"`
	// ChannelClickIDs: the same per channel of Options.Channels, one entry
	// per channel and Unattributed last (channelclicks.go); absent without
	// a channels.list. ChannelSourceMissing: the config names a source
	// column this export does not have.
	ChannelClickIDs      []ChannelClickIDs `json:"channel_click_ids,omitempty"`
	ChannelMinCell       int               `json:"channel_min_cell,omitempty"`
	ChannelSourceMissing string            `json:"channel_source_missing,omitempty"`
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
	// ShortYear counts numeric dates whose first and third fields both
	// have at most two digits (24/06/08, 8/6/24): the year may be either.
	ShortYear int `json:"short_year,omitempty"`
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
	// Channels, from a config's channels.list, asks for the click-id share
	// per channel; nil for none.
	Channels *Channels
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
	ident := printable.NewTokens(vocabularyWords(), lay.Header)
	stats := make([]colStats, n)
	cellRule := rule()
	for i := range stats {
		stats[i] = colStats{classes: map[string]int{}, values: cellRule.Column(), seen: map[uint64]bool{}, tokens: ident.Child()}
	}
	regions := map[string]int{}
	googleCols, metaCols := clickColumns(lay.Header)
	p.ClickIDs.GoogleColumns, p.ClickIDs.MetaColumns = len(googleCols) > 0, len(metaCols) > 0
	perChannel := newChannelCounter(opt.Channels, lay.Header)
	for {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		p.Rows++
		google, meta := anyClickID(row.Cells(), googleCols), anyClickID(row.Cells(), metaCols)
		if google {
			p.ClickIDs.Google++
		}
		if meta {
			p.ClickIDs.Meta++
		}
		perChannel.add(row.Cells())
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
				if shortYearDate(cell) {
					st.shortYear++
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
	p.ChannelClickIDs = perChannel.result()
	if p.ChannelClickIDs != nil {
		p.ChannelMinCell = max(opt.Channels.MinCell, 1)
	}
	if perChannel != nil && perChannel.sourceAbsent {
		p.ChannelSourceMissing = "input.columns.source"
		if opt.Channels.SourceColumn == "" {
			p.ChannelSourceMissing += " is not set"
		} else {
			p.ChannelSourceMissing += " names no column of this export"
		}
	}
	for i := 0; i < n; i++ {
		st := stats[i]
		c := Column{Index: i + 1, Filled: st.filled, Distinct: min(len(st.seen), maxDistinct), Many: len(st.seen) > maxDistinct,
			DayFirst: st.dayFirst, MonthFirst: st.monthFirst, ShortYear: st.shortYear, Offsets: st.offsets}
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
	p.SetAside = setAside(p.Columns, p.Proposed)
	p.scopeHints()
	withholdIdentifying(p)
	return p, nil
}

type colStats struct {
	filled               int
	classes              map[string]int
	values               *printable.Column
	seen                 map[uint64]bool
	tokens               *printable.Tokens
	dayFirst, monthFirst int
	shortYear            int
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

// vocabulary holds the consent, status and channel words hashgate knows;
// a cell that is one of them is shown in hashgate's spelling. Channel words
// are loose (printable.Key): "Google-Ads", "GoogleAds" and "google ads" are
// one word, counted once, as the channel report matches them.
//
// This and the other tables below are built on first use (sync.OnceValue),
// not at package initialisation: every hashgate command links this package,
// and only inspect and config init read them (docs/performance.md,
// Start-up). Each is built once, from the same lists, so it holds the same
// values as before.
var vocabulary = sync.OnceValue(func() *printable.Vocabulary {
	return printable.NewVocabulary(vocabularyWords()).Loose(printable.ChannelWords()...)
})

var vocabularyWords = sync.OnceValue(func() []string {
	return slices.Concat(consent.Vocabulary(), allStatusWords(), printable.ChannelWords())
})

// headerWords are the header names hashgate knows: every synonym below and
// the other columns clinic systems export (names, notes, doctors…), which
// map to no key but make a header line recognisable as one.
var headerWords = sync.OnceValue(func() *printable.Vocabulary {
	return printable.NewVocabulary(synonymList(), otherHeaders)
})

// rule is the printing rule for cells: vocabulary words that are no health
// term.
var rule = sync.OnceValue(func() printable.Rule {
	health := healthTerms()
	return printable.Rule{Vocabulary: vocabulary(), Guard: func(s string) bool {
		_, hit := health.Find(s)
		return hit
	}}
})

var healthTerms = sync.OnceValue(func() *phi.Guard { return phi.New(nil, nil) })

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
	"utm_content", "utm_term", platform.KeyFBCLID, platform.KeyGBRAID, platform.KeyWBRAID, "created", "created_at", "updated", "updated_at",
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
	channelWords := channelVocabulary()
	for _, v := range c.Vocabulary {
		if channelWords.Has(v.Name) {
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

var channelVocabulary = sync.OnceValue(func() *printable.Vocabulary {
	return printable.NewVocabulary().Loose(printable.ChannelWords()...)
})

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
func Known(s string) bool { return vocabulary().Has(s) || printable.CurrencyCode(s) }
