// Package printable is hashgate's one rule for which values read from a
// clinic's export may be shown to a person: on a terminal, in --json, in a
// generated config, in a report. Every command that shows something it read
// (inspect, config init, the channel report's words) asks this package and
// nothing else, so the rule cannot drift between commands.
//
// A cell value is printable only when all of these hold:
//
//   - it is a word of hashgate's own vocabularies (consent words, status
//     words, channel words such as google, fb, line, 朋友介紹, 路過): then
//     the word hashgate ships is shown, never the cell's spelling of it;
//   - it contains no token that appears in the export's identifying columns
//     (names, e-mails, phones, chart numbers, notes — see Tokens): a word
//     that is also a patient's name is not shown;
//   - no Guard (the PHI guard: treatments, diagnoses) vetoes it.
//
// Everything else — a referrer's name, a treatment, a value repeated many
// times in a column of few values (介紹人:<name> six times) — is never
// printed: commands count such values and show the count. An earlier rule
// printed "categorical" values (5+ rows, a column of few values, no digits)
// and so printed a name that happened to repeat; round 2 of the attack
// suite (issue 22) showed it.
//
// A column name is printable when it is one of hashgate's header words, or
// when the line is known to be the header (the value shapes change below
// it, or the user said so) and the name is safe, has no identifier shape
// and is no token of an identifying column (see Header).
//
// Memory is bounded: a Column remembers only vocabulary words, and Tokens
// is a fixed-size bit set.
package printable

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/currency"
	"golang.org/x/text/unicode/norm"
)

// MaxRunes caps a printable header name: a long "header" is more likely a
// sentence than a column name.
const MaxRunes = 40

// Vocabulary is a set of words hashgate ships (header names, consent,
// status and channel words), matched as Fold compares them.
type Vocabulary struct {
	words map[string]string // folded → display form
	// loose: Key → display form, for the words added with Loose (channel
	// words), asked when the folded form is no word.
	loose map[string]string
}

// Loose adds words that also answer to their Key — spelled with other
// spaces or punctuation, or in the other script ("Google-Ads", "GoogleAds"
// and "google ads"; "google 广告" and "google 廣告") — and returns v.
// Channel words are loose: a source column is typed by hand at a front
// desk. Consent and status words are not: the consent gate and the status
// lists compare folded values exactly, and a word the config proposes must
// mean what the run will match.
func (v *Vocabulary) Loose(words ...string) *Vocabulary {
	v.Add(words...)
	if v.loose == nil {
		v.loose = map[string]string{}
	}
	for _, w := range words {
		if k := Key(w); k != "" {
			if _, ok := v.loose[k]; !ok {
				v.loose[k] = v.words[Fold(w)]
			}
		}
	}
	return v
}

// NewVocabulary builds a vocabulary from word lists. The first spelling of
// a word is the one shown.
func NewVocabulary(lists ...[]string) *Vocabulary {
	v := &Vocabulary{words: map[string]string{}}
	for _, l := range lists {
		v.Add(l...)
	}
	return v
}

// Add adds words (the first spelling of each is kept for display).
func (v *Vocabulary) Add(words ...string) {
	for _, w := range words {
		f := Fold(w)
		if f == "" {
			continue
		}
		if _, ok := v.words[f]; !ok {
			v.words[f] = strings.TrimSpace(w)
		}
	}
}

// Word returns hashgate's own spelling of s when s is one of its words.
func (v *Vocabulary) Word(s string) (string, bool) {
	if v == nil {
		return "", false
	}
	w, ok := v.words[Fold(s)]
	if !ok && v.loose != nil {
		w, ok = v.loose[Key(s)]
	}
	return w, ok
}

// Has reports whether s is a word of the vocabulary.
func (v *Vocabulary) Has(s string) bool {
	_, ok := v.Word(s)
	return ok
}

// HasFolded is Has for a string already folded with Fold: it saves a
// second fold on hot paths.
func (v *Vocabulary) HasFolded(f string) bool {
	if v == nil {
		return false
	}
	if _, ok := v.words[f]; ok {
		return true
	}
	if v.loose != nil {
		_, ok := v.loose[Key(f)]
		return ok
	}
	return false
}

// ChannelGroup is a channel hashgate knows, with the words exports use for
// it.
type ChannelGroup struct {
	Name  string
	Words []string
}

// channelGroups are how clinics' exports name the way a patient came, in
// English, 繁體中文 and 简体中文: ad platforms, messaging apps, booking
// channels, referral and walk-in. They are hashgate's words, so a source
// cell that is one of them may be shown and proposed as a channel (under
// its group's name); any other source value — a referrer's name, a campaign
// note — is counted, not shown.
var channelGroups = []ChannelGroup{
	{"Google", []string{"google", "google ads", "adwords", "谷歌", "google 廣告", "谷歌广告", "youtube"}},
	{"Meta", []string{"facebook", "fb", "instagram", "ig", "meta", "臉書", "脸书", "threads"}},
	{"LINE", []string{"line", "line@", "line 官方帳號", "line官方帳號", "line 官方", "line官方"}},
	{"WeChat", []string{"wechat", "微信", "企业微信", "企業微信", "公众号", "公眾號", "小程序", "小程式",
		"扫描二维码", "掃描二維碼", "搜索手机号", "名片分享", "群聊", "视频号", "視頻號"}},
	{"Yahoo", []string{"yahoo"}},
	{"Bing", []string{"bing"}},
	{"Baidu", []string{"百度", "baidu", "百度推广", "百度推廣", "百度竞价", "百度競價", "百度搜索", "百度搜尋", "百度地图", "百度地圖"}},
	{"360 Search", []string{"360搜索", "360搜尋", "360推广", "360推廣"}},
	{"Sogou", []string{"搜狗", "sogou", "搜狗搜索", "搜狗推广", "搜狗推廣"}},
	{"TikTok", []string{"tiktok"}},
	// Douyin is the mainland app, its ads bought through 巨量引擎 (Ocean
	// Engine); TikTok is the international one, with another ad system: one
	// channel for both would add two platforms' bookings together.
	{"Douyin", []string{"抖音", "douyin", "巨量引擎", "抖音团购", "抖音團購", "抖音广告", "抖音廣告", "巨量千川"}},
	{"Kuaishou", []string{"快手", "kuaishou", "磁力引擎"}},
	{"Tencent Ads", []string{"腾讯广告", "騰訊廣告", "广点通", "廣點通", "朋友圈广告", "朋友圈廣告"}},
	{"Weibo", []string{"微博", "weibo", "新浪微博"}},
	{"Bilibili", []string{"b站", "哔哩哔哩", "嗶哩嗶哩", "bilibili"}},
	{"Zhihu", []string{"知乎", "zhihu"}},
	{"Amap", []string{"高德地图", "高德地圖"}}, // not 高德 alone: a name too
	{"Xiaohongshu", []string{"小红书", "小紅書", "xiaohongshu"}},
	{"Dcard", []string{"dcard"}},
	{"PTT", []string{"ptt"}},
	{"Meituan", []string{"美团", "美團", "大众点评", "大眾點評", "点评", "點評", "美团点评", "美團點評", "美团团购", "美團團購"}},
	{"SoYoung", []string{"新氧", "soyoung"}},
	{"Website", []string{"website", "web", "官網", "官网", "網站", "网站", "seo"}},
	{"E-mail and SMS", []string{"email", "newsletter", "sms", "簡訊", "短信"}},
	{"Referral", []string{"referral", "friend", "friends", "word of mouth", "朋友介紹", "朋友介绍", "親友介紹", "亲友介绍",
		"介紹", "介绍", "轉介", "转介", "转介绍", "轉介紹", "老带新", "老帶新", "老客介绍", "老客介紹"}},
	{"Walk-in", []string{"walk-in", "walk in", "walkin", "路過", "路过", "自然到店", "自然進店", "自然进店", "現場", "现场", "招牌", "看板", "傳單", "传单", "dm", "flyer"}},
	{"Returning", []string{"returning", "existing patient", "舊客", "老客", "老客户", "舊病患", "回診", "复诊", "複診"}},
	{"Other", []string{"other", "其他"}},
}

// ChannelGroups lists the channels hashgate knows and their words.
func ChannelGroups() []ChannelGroup { return slices.Clone(channelGroups) }

// ChannelWords lists every channel word.
func ChannelWords() []string {
	var out []string
	for _, g := range channelGroups {
		out = append(out, g.Words...)
	}
	return out
}

// CurrencyCode reports whether s is an ISO 4217 code (USD, TWD): a word of
// the standard, not of a patient.
func CurrencyCode(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) != 3 || strings.ToUpper(s) != s {
		return false
	}
	_, err := currency.ParseISO(s)
	return err == nil
}

// Fold is how vocabulary words compare: trimmed, NFKC (full-width forms
// become ASCII), case-folded. It is consent.Fold's rule, repeated here so
// that this package depends on nothing of hashgate's.
func Fold(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.TrimSpace(cases.Fold().String(norm.NFKC.String(s)))
		}
	}
	return strings.ToLower(s)
}

// Key is how channel words compare (Vocabulary.Loose, the channel report's
// source matching): Fold, then without spaces, punctuation and symbols,
// and with the traditional characters of hashgate's channel vocabulary in
// their simplified form. "Google", "google ", "ＧＯＯＧＬＥ" fold alike
// already; "Google Ads", "Google-Ads" and "GoogleAds", "LINE@" and
// "Line @", "google 廣告" and "google 广告" have one Key. Empty for a
// value with nothing but spaces and punctuation.
func Key(s string) string {
	f := Fold(s)
	var b strings.Builder
	for _, r := range f {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		if t, ok := simplified[r]; ok {
			r = t
		}
		b.WriteRune(r)
	}
	return b.String()
}

// simplified maps the traditional characters of the channel words (and
// of the common words around them: 官方帳號, 客戶) to their simplified
// forms, character by character, as OpenCC's TSCharacters table does for
// these characters (github.com/BYVoid/OpenCC, data/dictionary). Only
// these: Key compares channel words, and a channel word is one of
// channelGroups' (TestKeyFoldsTheVocabularysScripts).
var simplified = map[rune]rune{
	'廣': '广', '臉': '脸', '帳': '帐', '號': '号', '紹': '绍', '親': '亲', '轉': '转', '過': '过',
	'進': '进', '現': '现', '場': '场', '傳': '传', '單': '单', '舊': '旧', '診': '诊', '複': '复',
	'團': '团', '眾': '众', '點': '点', '評': '评', '網': '网', '簡': '简', '訊': '讯', '業': '业',
	'掃': '扫', '維': '维', '碼': '码', '紅': '红', '書': '书', '機': '机', '戶': '户', '門': '门',
	'預': '预', '約': '约', '電': '电', '話': '话', '櫃': '柜', '臺': '台', '檯': '台',
}

// IdentifierShaped reports whether s looks like it could identify a person
// or a record: it holds an "@" (an address) or a run of 4 or more digits
// (phone, chart, date, postcode, account). Full-width forms count.
func IdentifierShaped(s string) bool {
	run := 0
	for _, r := range norm.NFKC.String(s) {
		switch {
		case r == '@':
			return true
		case unicode.IsDigit(r):
			run++
			if run >= 4 {
				return true
			}
		default:
			run = 0
		}
	}
	return false
}

// Safe reports whether s can be shown on a terminal at all: valid UTF-8,
// no control characters (escape sequences could rewrite the screen) and no
// bidirectional overrides or other invisible format characters (they can
// make a printed line read differently from what it holds).
func Safe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// Guard vetoes values that pass the rule but must still not be shown
// (health terms). It returns true to veto.
type Guard func(s string) bool

// Tokens records which of a fixed set of interesting tokens — those of the
// words a command may print (its vocabulary, the header cells) — appear in
// an export's identifying columns: names, e-mails, phones, chart numbers,
// notes. Only the interesting tokens are tracked, so memory is bounded by
// the vocabulary whatever the export holds, and the answer is exact and
// the same on every run (no hashing, no sampling).
type Tokens struct {
	index map[string]int // token → bit, shared by a set and its children
	bits  []uint64
	// first marks the bytes a tracked token begins with, and long is the
	// longest tracked token in bytes: addASCII looks a token up only when
	// it could be one (a phone's digits, an e-mail's domain, are not).
	first [4]uint64
	long  int
}

// NewTokens returns an empty set tracking the tokens of the given words.
func NewTokens(words ...[]string) *Tokens {
	t := &Tokens{index: map[string]int{}}
	for _, ws := range words {
		for _, w := range ws {
			eachToken(w, func(tok string) bool {
				if _, ok := t.index[tok]; !ok {
					t.index[tok] = len(t.index)
				}
				return true
			})
		}
	}
	t.bits = make([]uint64, (len(t.index)+63)/64)
	for tok := range t.index {
		t.first[tok[0]/64] |= 1 << (tok[0] % 64)
		t.long = max(t.long, len(tok))
	}
	return t
}

// Child returns an empty set tracking the same tokens, to be merged into t.
func (t *Tokens) Child() *Tokens {
	return &Tokens{index: t.index, bits: make([]uint64, len(t.bits)), first: t.first, long: t.long}
}

// Add records the tracked tokens of one cell of an identifying column.
func (t *Tokens) Add(cell string) {
	if t == nil || len(t.index) == 0 {
		return
	}
	if t.addASCII(cell) {
		return
	}
	eachToken(cell, func(tok string) bool {
		if i, ok := t.index[tok]; ok {
			t.bits[i/64] |= 1 << (i % 64)
		}
		return true
	})
}

// addASCII is Add for a cell of ASCII only, and reports whether it was
// one: its tokens are its runs of letters and digits lower-cased, as Fold
// and eachToken make them, looked up without a string made per token.
// The channel report adds every identifying cell of an export, and
// eachToken's folding and allocation per token cost it a second a million
// rows (FuzzAddASCIIIsAdd holds the two to each other).
func (t *Tokens) addASCII(cell string) bool {
	for i := 0; i < len(cell); i++ {
		if cell[i] >= utf8.RuneSelf {
			return false
		}
	}
	var buf [64]byte
	n := 0
	flush := func() {
		if n >= 2 && n <= t.long && t.first[buf[0]/64]&(1<<(buf[0]%64)) != 0 {
			if i, ok := t.index[string(buf[:n])]; ok {
				t.bits[i/64] |= 1 << (i % 64)
			}
		}
		n = 0
	}
	for i := 0; i < len(cell); i++ {
		c := cell[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		default:
			flush()
			continue
		}
		if n == len(buf) {
			return false // a longer token: eachToken's (the bits set so far it sets again)
		}
		buf[n] = c
		n++
	}
	flush()
	return true
}

// Merge adds every token of o, a Child of the same set.
func (t *Tokens) Merge(o *Tokens) {
	if t == nil || o == nil {
		return
	}
	for i := range t.bits {
		t.bits[i] |= o.bits[i]
	}
}

// Shares reports whether s has a token seen in the identifying columns.
// A token the set does not track was not looked for: s should be one of
// the words the set was made with.
func (t *Tokens) Shares(s string) bool {
	if t == nil {
		return false
	}
	hit := false
	eachToken(s, func(tok string) bool {
		if i, ok := t.index[tok]; ok && t.bits[i/64]&(1<<(i%64)) != 0 {
			hit = true
		}
		return !hit
	})
	return hit
}

// eachToken calls f with the folded tokens of s: runs of letters or
// digits of at least two characters, and for runs of Han characters every
// run and every pair in it (Chinese names have no spaces to split on:
// 介紹人陳大明 holds the name 陳大明, whose pairs 陳大 and 大明 are caught).
func eachToken(s string, f func(string) bool) {
	s = Fold(s)
	var run []rune
	flush := func() bool {
		defer func() { run = run[:0] }()
		if len(run) < 2 {
			return true
		}
		if !f(string(run)) {
			return false
		}
		if unicode.Is(unicode.Han, run[0]) {
			for i := 0; i+2 <= len(run) && len(run) > 2; i++ {
				if !f(string(run[i : i+2])) {
					return false
				}
			}
		}
		return true
	}
	for _, r := range s {
		letter := unicode.IsLetter(r) || unicode.IsDigit(r)
		if letter && len(run) > 0 && unicode.Is(unicode.Han, r) != unicode.Is(unicode.Han, run[0]) {
			if !flush() {
				return
			}
		}
		if letter {
			run = append(run, r)
			continue
		}
		if !flush() {
			return
		}
	}
	flush()
}

// Rule is the printing rule: the vocabulary whose words may be shown, the
// guard that vetoes health terms among them.
type Rule struct {
	Vocabulary *Vocabulary
	Guard      Guard
}

// Printable returns the text to show for one cell value, and whether it may
// be shown at all: hashgate's spelling of a vocabulary word that shares no
// token with the identifying columns (ident, nil when unknown) and that
// the guard lets through.
func (r Rule) Printable(v string, ident *Tokens) (string, bool) {
	w, ok := r.Vocabulary.Word(v)
	if !ok || !Safe(w) || ident.Shares(v) || (r.Guard != nil && r.Guard(w)) {
		return "", false
	}
	return w, true
}

// Column counts one column's values: vocabulary words by word, everything
// else only by number. The zero value is not usable; use Rule.Column.
type Column struct {
	rule   Rule
	vocab  map[string]int // vocabulary display form → rows
	others int            // rows whose value is no vocabulary word
}

// Column starts counting a column.
func (r Rule) Column() *Column {
	return &Column{rule: r, vocab: map[string]int{}}
}

// Add records one row's cell. Empty cells are ignored.
func (c *Column) Add(cell string) {
	v := strings.TrimSpace(cell)
	if v == "" {
		return
	}
	if w, ok := c.rule.Vocabulary.Word(v); ok {
		c.vocab[w]++
		return
	}
	c.others++
}

// Value is a printable value with the rows that hold it.
type Value struct {
	Text  string
	Count int
}

// Values lists the column's printable words, most frequent first, and how
// many filled rows hold a value that is not shown (no vocabulary word, or
// one vetoed by ident or the guard).
func (c *Column) Values(ident *Tokens) (shown []Value, hidden int) {
	hidden = c.others
	for w, n := range c.vocab {
		if _, ok := c.rule.Printable(w, ident); !ok {
			hidden += n
			continue
		}
		shown = append(shown, Value{Text: w, Count: n})
	}
	sort.Slice(shown, func(i, j int) bool {
		if shown[i].Count != shown[j].Count {
			return shown[i].Count > shown[j].Count
		}
		return shown[i].Text < shown[j].Text
	})
	return shown, hidden
}

// Header decides which cells of a header line may be printed as column
// names. A cell known(cell) says is one of hashgate's header words is
// hashgate's own word, never a patient's value: it is shown wherever it
// is. Any other cell is shown only when the line is known to be the header
// — the user named it (--header-row), or the shapes of the values change
// below it (couldBeData false) — and it is safe, has no identifier shape,
// is short, and shares no token with the identifying columns. A headerless
// export's first row is data, whatever header terms it holds, so its
// unknown cells (the names beside a 同意) are never shown.
//
// It returns, per cell, the name to print or "" to show the column number.
func Header(cells []string, known func(string) bool, couldBeData bool, ident *Tokens) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		c = strings.TrimSpace(strings.TrimPrefix(c, "\uFEFF"))
		switch {
		case c == "" || !Safe(c):
		case known(c):
			out[i] = c
		case !couldBeData && !IdentifierShaped(c) && utf8.RuneCountInString(c) <= MaxRunes && !ident.Shares(c):
			out[i] = c
		}
	}
	return out
}
