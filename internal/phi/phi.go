// Package phi keeps health-revealing words out of everything hashgate sends
// or writes besides hashes: event names, conversion names, custom data keys
// and values, file names.
//
// Meta flags health-suggestive custom conversions and restricts health
// advertisers; Google treats health as a sensitive category; Taiwan's PDPA,
// China's PIPL, HIPAA and GDPR all treat this data as sensitive. A name like
// "Implant_Completed" tells a platform what was done to whom, so a hit stops
// the run before anything is written or sent.
//
// Matching folds case and width (NFKC), so "IMPLANT", "Ｉｍｐｌａｎｔ" and
// "implant" are one term. A name is split into words at separators, at
// CamelCase and at letter/digit boundaries ("IVFConsult" is "ivf consult"),
// and then checked by the token rule: Latin-script terms of five letters or
// more match anywhere ("implantvisit"), shorter ones and those common words
// hold ("ortho" in "Northolt": wordOnly) only as whole words ("hiv" does
// not match "archive"); a term of several words matches as those whole
// words, with or without its separators ("RootCanal", "rootcanal"), never
// across a word's edge ("Supplemental Health"); CJK terms match anywhere,
// since those scripts do not separate words. A click id is checked for
// Latin terms of six letters or more anywhere (FindInToken).
package phi

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// builtin lists procedures, conditions, specialties and drugs in English,
// 繁體中文 and 简体中文. It errs on the side of refusing: a refused run costs a
// config change (privacy.allow_terms); a leak cannot be taken back.
var builtin = []string{
	// English: procedures and specialties
	"implant", "implants", "orthodontic", "orthodontics", "braces", "invisalign", "root canal", "extraction",
	"crown", "veneer", "veneers", "whitening", "periodontal", "denture", "dentures", "wisdom tooth",
	"ivf", "in vitro", "fertility", "infertility", "egg freezing", "surrogacy", "embryo", "obstetric", "gynecology", "gynaecology",
	"botox", "filler", "fillers", "hyaluronic", "liposuction", "rhinoplasty", "facelift", "blepharoplasty",
	"breast augmentation", "plastic surgery", "cosmetic surgery", "laser hair removal", "lasik",
	"abortion", "vasectomy", "circumcision", "erectile", "urology", "andrology", "hair transplant",
	"dermatology", "oncology", "chemotherapy", "dialysis", "psychiatry", "psychiatric", "psychotherapy", "rehab", "rehabilitation",
	// English: everyday specialty and department words, which a clinic
	// names its events after ("DentalVisit", "OrthoConsult", "Therapy"):
	// a review's dry-runs sent each of them as Meta's event_name.
	"dental", "dentist", "dentistry", "ortho", "orthodontist", "orthopedic", "orthopaedic", "perio", "periodontics",
	"periodontist", "endo", "endodontic", "endodontics", "endodontist", "prosthodontic", "prosthodontics",
	"physio", "physiotherapy", "physical therapy", "chiropractic", "chiropractor", "therapy", "therapist",
	"counseling", "counselling", "counselor", "counsellor", "mental health", "behavioral health", "behavioural health",
	"psychiatrist", "psychologist", "psychology", "dermatologist", "pediatric", "pediatrics", "paediatric", "paediatrics",
	"obgyn", "ob gyn", "apnea", "apnoea", "cosmetic", "aesthetic", "aesthetics", "esthetic",
	// English: conditions and drugs
	"hiv", "aids", "std", "sti", "herpes", "syphilis", "hepatitis", "cancer", "tumor", "tumour", "diabetes", "obesity",
	"depression", "anxiety", "adhd", "autism", "addiction", "pregnancy", "pregnant", "prep", "viagra", "cialis",
	"ozempic", "wegovy", "semaglutide", "methadone", "antidepressant", "diagnosis", "treatment", "surgery",
	// 繁體中文
	"植牙", "人工植牙", "矯正", "牙齒矯正", "隱適美", "根管", "拔牙", "智齒", "假牙", "牙周", "美白", "贋復",
	"玻尿酸", "肉毒", "抽脂", "隆鼻", "隆乳", "雙眼皮", "拉皮", "醫美", "整形", "雷射", "微整",
	"試管", "試管嬰兒", "人工受孕", "凍卵", "不孕", "婦產", "婦科", "產檢", "懷孕", "墮胎", "人工流產",
	"男科", "泌尿", "陽痿", "性病", "愛滋", "梅毒", "皰疹", "肝炎", "癌", "腫瘤", "化療", "洗腎", "糖尿病",
	"精神科", "憂鬱", "焦慮", "身心科", "戒癮", "減重", "減肥", "植髮",
	"牙科", "牙醫", "齒顎", "物理治療", "復健", "整脊", "治療", "心理", "諮商", "皮膚科", "兒科", "呼吸中止", "美容", "美學",
	// 简体中文
	"种植牙", "种牙", "矫正", "牙齿矫正", "隐适美", "拔牙", "智齿", "假牙", "牙周", "美白",
	"玻尿酸", "肉毒", "抽脂", "隆鼻", "隆胸", "双眼皮", "医美", "整形", "激光", "微整",
	"试管", "试管婴儿", "人工授精", "冻卵", "不孕", "不育", "妇产", "妇科", "产检", "怀孕", "堕胎", "人流",
	"男科", "泌尿", "阳痿", "性病", "艾滋", "梅毒", "疱疹", "肝炎", "肿瘤", "化疗", "透析", "糖尿病",
	"精神科", "抑郁", "焦虑", "戒毒", "减重", "减肥", "植发",
	"牙科", "牙医", "口腔", "正畸", "物理治疗", "理疗", "康复", "整脊", "治疗", "心理", "咨询师", "皮肤科", "儿科", "呼吸暂停", "美容", "美学",
}

// wordOnly are built-in terms of five letters or more that common words
// hold inside them — "perio" in "period" and "superior", "ortho" in
// "NorthOffice", "Northolt" and "Portholes", "dental" in "Occidental" and
// "AccidentalBooking" — so they match only as whole words of the split
// name, as the short terms do: "PerioVisit", "OrthoConsult", "DentalVisit"
// and "dental_visit" are refused, "TrialPeriod" and "northoffice.csv"
// pass. A review (2026-12-07) found those refused as channel labels and
// --out names, stopping every run. The price: a term glued in lower case
// to another word ("dentalvisit", "orthoconsult") passes; a clinic that
// writes its names so adds them to privacy.deny_terms.
var wordOnly = []string{"perio", "ortho", "dental"}

// Guard checks strings against the built-in terms plus a clinic's own.
type Guard struct {
	terms []string // folded
	allow map[string]bool
	token []tokenTerm // FindInToken's view of terms[i]
}

// tokenTerm is what FindInToken needs of a term, worked out once in New:
// it ran a rune count for each term on every click id.
type tokenTerm struct {
	// anywhere: five runes or more, one word, not wordOnly: matched
	// anywhere in a name.
	anywhere bool
	// inToken: six runes or more, one word, not wordOnly: matched
	// anywhere in a click id (FindInToken).
	inToken bool
	ascii   bool // can be found in an ASCII token at all
	// glued is a term of several words without its separators ("root
	// canal": "rootcanal"), "" for a term of one word: Find looks for it
	// among runs of whole words of the name, glued.
	glued string
}

// New returns a guard with the built-in list, the clinic's deny terms, and
// the exact terms it allows (privacy.allow_terms). An allowed term is
// skipped wherever it appears; other terms in the same text still match.
func New(deny, allow []string) *Guard {
	g := &Guard{allow: map[string]bool{}}
	for _, a := range allow {
		if k := fold(a); k != "" {
			g.allow[k] = true
		}
	}
	for _, k := range foldedBuiltin() {
		if !g.allow[k] {
			g.terms = append(g.terms, k)
		}
	}
	for _, t := range deny {
		if k := fold(t); k != "" && !g.allow[k] && !slices.Contains(g.terms, k) {
			g.terms = append(g.terms, k)
		}
	}
	g.token = make([]tokenTerm, len(g.terms))
	for i, t := range g.terms {
		n, j := utf8.RuneCountInString(t), glue(t)
		free := j == t && !slices.Contains(foldedWordOnly(), t)
		g.token[i] = tokenTerm{anywhere: free && n >= 5, inToken: free && n >= 6, ascii: isASCII(t)}
		if j != t && utf8.RuneCountInString(j) >= 5 {
			g.token[i].glued = j
		}
	}
	return g
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldedBuiltin is builtin folded, without empty and repeated terms, in
// its order: what New made of it each time. A run builds a guard several
// times (config validation, the pipeline, the upload, the report's name),
// and folding the few hundred terms through x/text each time was an eighth
// of a dry-run's instructions on the bundled example (docs/performance.md,
// Start-up). It is folded on first use, not at package
// initialisation. New filters it by the allowed terms, which keeps the
// order New gave: an allowed term was never added, and a repeat was
// skipped either way (TestNewKeepsTheTermsOfTheFoldEachTime).
var foldedBuiltin = sync.OnceValue(func() []string {
	var out []string
	for _, t := range builtin {
		if k := fold(t); k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return slices.Clip(out)
})

var foldedWordOnly = sync.OnceValue(func() []string {
	out := make([]string, len(wordOnly))
	for i, t := range wordOnly {
		out[i] = fold(t)
	}
	return out
})

// Hit is a health term found in a checked string.
type Hit struct {
	Key  string // the config key or flag the text came from
	Term string // the (folded) term that matched
}

func (h *Hit) Error() string {
	return fmt.Sprintf("%s: contains the health term %q, which must not leave as a name, custom field or file name "+
		"(choose a neutral name such as Purchase; if the term is not health-related here, add it to privacy.allow_terms)", h.Key, h.Term)
}

// Check returns a *Hit when text contains a health term; key names where
// the text came from (e.g. "conversion.event_name").
func (g *Guard) Check(key, text string) error {
	if t, ok := g.Find(text); ok {
		return &Hit{Key: key, Term: t}
	}
	return nil
}

// Find returns the first term found in a name — an event or conversion
// name, a channel label, a file name: anything that leaves the process as
// a name or a label. The name is split into words at CamelCase and at
// letter/digit boundaries, then checked as FindInToken checks a token, and
// a term of several words also without separators. The whole-word rule
// alone let "ImplantCompleted", "DentalVisit", "IVFConsult" and
// "RootCanal" through as Meta's event_name (a review's dry-runs,
// 2026-12-07), and Meta flags custom conversions that "suggest specific
// health conditions" from 2 September 2025
// (developers.facebook.com/docs/marketing-api/reference/custom-conversion;
// docs/contract.md MCC).
func (g *Guard) Find(text string) (string, bool) {
	// A term matched anywhere is looked for in the name as written
	// (a clinic's deny term "glowpackage" is in "GlowPackage"), a whole
	// word in the name split.
	//
	// A term of several words matches as those whole words, with or
	// without separators between them ("Mental Health Visit",
	// "MentalHealthVisit", "rootcanal"), never across a word's edge: it
	// was looked for in the whole name glued, and "Supplemental Health",
	// "supplemental_health_visit" and "EnvironmentalHealth" were refused
	// as "mental health" (a review, 2026-12-07).
	whole, s := fold(text), fold(splitName(text))
	var words []string
	for i, t := range g.terms {
		k := g.token[i]
		if k.anywhere && strings.Contains(whole, t) || contains(s, t) {
			return t, true
		}
		if k.glued != "" {
			if words == nil {
				words = strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) })
			}
			if wordRun(words, k.glued) {
				return t, true
			}
		}
	}
	return "", false
}

// wordRun reports whether consecutive whole words, glued, spell glued.
func wordRun(words []string, glued string) bool {
	for i := range words {
		rest := glued
		for j := i; j < len(words) && strings.HasPrefix(rest, words[j]); j++ {
			rest = rest[len(words[j]):]
			if rest == "" {
				return true
			}
		}
	}
	return false
}

// splitName puts a space where a name changes from a lower-case to an
// upper-case letter ("DentalVisit"), before the last capital of a run
// followed by a lower-case letter ("IVFConsult": "IVF Consult"), and
// between letters and digits ("Botox2024"), so that a term written in
// CamelCase is a word of its own.
func splitName(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range rs {
		if i > 0 {
			p := rs[i-1]
			camel := unicode.IsLower(p) && unicode.IsUpper(r) ||
				unicode.IsUpper(p) && unicode.IsUpper(r) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
			digits := unicode.IsLetter(p) && unicode.IsDigit(r) || unicode.IsDigit(p) && unicode.IsLetter(r)
			if camel || digits {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// glue is s with its letters and digits only: "root canal", "Root-Canal"
// and "root_canal" are all "rootcanal".
func glue(s string) string {
	return strings.Map(func(r rune) rune {
		if isWordRune(r) {
			return r
		}
		return -1
	}, s)
}

// FindInToken returns the first term found in a token that has no word
// separators of its own — a click id, where a term can sit between random
// characters ("Cj0KimplantQ…"): Latin-script terms of six or more
// letters match anywhere, shorter ones ("hiv", "std", "ivf", "botox",
// "ortho") only as whole words, since a few letters turn up by chance in
// random text (a 100-character token holds a given three-letter string
// with probability about 0.3%, a given five-letter one about 1 in
// 600,000 over its 36 folded symbols). Five letters matched anywhere
// until a review (2026-12-07) counted "ortho", "apnea" and "obgyn"
// together in about 1 in 110,000 real-shaped ids: each one dropped as
// click_id_health_term, its conversion silently lost. CJK terms match
// anywhere, as in Find.
//
// A term with a byte above 0x7F cannot be in an ASCII token (a click id
// always is, by its grammar), so those are skipped for one: about half the
// built-in list is CJK. The terms that can match are tried in the same
// order, so the first found is the same (FuzzFoldASCII holds it).
func (g *Guard) FindInToken(token string) (string, bool) {
	s := fold(token)
	ascii := isASCII(s)
	for i, t := range g.terms {
		k := g.token[i]
		if ascii && !k.ascii {
			continue
		}
		if k.inToken && strings.Contains(s, t) || contains(s, t) {
			return t, true
		}
	}
	return "", false
}

// contains matches Latin-script terms as whole words and others anywhere.
func contains(s, term string) bool {
	r, _ := utf8.DecodeRuneInString(term)
	if r >= 0x2E80 { // CJK and beyond: no word boundaries to rely on
		return strings.Contains(s, term)
	}
	for i := 0; ; {
		j := strings.Index(s[i:], term)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(term)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if (start == 0 || !isWordRune(before)) && (end == len(s) || !isWordRune(after)) {
			return true
		}
		i = start + 1
	}
}

// isWordRune: letters and digits join words; "_", "-" and spaces separate
// them, so "Implant_Completed" and "botox-2024" are caught.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// fold is how a term and a checked text are compared: NFKC, then Unicode
// case folding, then without surrounding white space.
func fold(s string) string {
	if f, ok := foldASCII(s); ok {
		return f
	}
	return foldUnicode(s)
}

// foldUnicode is the general path, through golang.org/x/text.
func foldUnicode(s string) string {
	return strings.TrimSpace(cases.Fold().String(norm.NFKC.String(s)))
}

// foldASCII is fold for a string of ASCII bytes only (ok false for any
// other): NFKC leaves ASCII as it is (every ASCII code point is its own
// normal form: Unicode's UAX #15, the Normalization Stability policy), and
// Unicode's simple and full case foldings map only 'A'–'Z' among ASCII, to
// 'a'–'z' (https://unicode.org/Public/UNIDATA/CaseFolding.txt: "All code points not
// listed in this file map to themselves");
// TrimSpace then trims the same ASCII white space. A click id is ASCII by
// its grammar, and FindInToken runs on every click id of every row: the
// general path built a Caser and ran NFKC's transformer for each.
// TestFoldASCIIIsFoldUnicode and FuzzFoldASCII hold it to foldUnicode.
func foldASCII(s string) (string, bool) {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return "", false
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	s = strings.TrimSpace(s)
	if !upper {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String(), true
}
