// Package consent decides whether an appointment row may be used at all.
//
// The gate is default-deny: a row passes only with a consent value the
// clinic listed as meaning yes. Every other value excludes it, and each rule
// has its own reason code so the run summary and `hashgate check` can tell
// them apart:
//
//	consent_missing       the cell is blank
//	consent_revoked       a revocation ("revoked 2024-06-01", "撤回 113/06/01"),
//	                      or any value that mentions a withdrawal ("yes
//	                      (revoked)", "同意(已撤回)", "opted-out"): withdrawal.go
//	consent_scoped        consent to one channel ("yes - sms only", "同意(僅簡訊)"):
//	                      agreeing to texts is not agreeing to ad measurement
//	consent_denied        an explicit no ("no", "不同意", "否"; "0" where "1"
//	                      is granted, "f" where "t" is)
//	consent_not_granted   any other value: unknown means no
//	consent_time_missing  require_timestamp is on and there is no consent time
//	consent_time_invalid  the consent time cannot be read
//	consent_after_event   consent was given after the appointment
//	consent_revoked_list  the order or patient is in the revocations file
//	consent_expired       the consent had expired at the appointment or at the send
//	consent_expiry_invalid the consent's expiry cannot be read
//	minor                 the patient was under consent.min_age at the appointment
//	birth_date_invalid    the birth date cannot be read, or is after the appointment
//	birth_date_missing    require_birth_date is on and there is no birth date
//
// (the last five: patient.go)
//
// The package is pure (no I/O but ReadRevocations, revocations.go), easy
// to table-test.
package consent

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Reason codes for rows the gate excludes.
const (
	ReasonMissing     = "consent_missing"
	ReasonRevoked     = "consent_revoked"
	ReasonScoped      = "consent_scoped"
	ReasonDenied      = "consent_denied"
	ReasonNotGranted  = "consent_not_granted"
	ReasonTimeMissing = "consent_time_missing"
	ReasonTimeInvalid = "consent_time_invalid"
	ReasonAfterEvent  = "consent_after_event"
	ReasonListed      = "consent_revoked_list"
)

// Built-in vocabularies in English, 繁體中文 and 简体中文. A clinic adds its own
// through Options; nothing here ever grants consent.
var (
	// 取消授权 is how a mainland export says a consent was cancelled (a
	// review of a mainland clinic's night found it accepted as granted).
	//
	// These are the words a dated revocation starts with ("revoked
	// 2024-06-01"); a cell that mentions a withdrawal anywhere is one too
	// (withdrawalMarkers, withdrawal.go). An opt-out is a withdrawal, not
	// a plain no: "opted out" on a later visit withholds the earlier ones.
	builtinRevoked = []string{"revoked", "withdrawn", "consent withdrawn", "已撤回", "撤回", "已撤銷", "撤銷", "已撤销", "撤销", "取消同意",
		"已取消同意", "取消授权", "取消授權", "已取消授权", "已取消授權", "opt-out", "opt out", "opted out"}
	builtinDenied = []string{"no", "n", "false", "declined", "refused", "不同意", "否", "拒絕", "拒绝", "不願意", "不愿意"}
	// A value carrying one of these markers is scoped to a channel, unless
	// the clinic lists the exact value as granted — which it may do for the
	// generic markers ("同意(僅廣告成效)" is consent to ad measurement only),
	// never for channelMarkers (GrantedConflicts).
	scopeMarkers = slices.Concat([]string{"only", "僅", "仅", "只限", "限簡訊", "限短信"}, channelMarkers)
	// channelMarkers name a contact channel that is not ad measurement:
	// consent to texts, e-mail, calls (回访: a follow-up call) or WeChat
	// never grants it. The mainland's 同意-仅微信, 同意(微信), 同意仅电话
	// and 同意（仅电话回访） passed config validate before these (a review).
	channelMarkers = []string{"sms", "簡訊", "短信", "email", "e-mail", "電郵", "邮件", "text message", "whatsapp", "line only",
		"电话", "電話", "微信", "wechat", "回访", "回訪", "来电", "來電", "致电", "致電"}
	// boundMarkers are the short English channel words, matched as words
	// only: "line" is not "online", "call" not "recall".
	boundMarkers = []string{"phone", "call", "calls", "line", "telephone", "tel"}
	// domesticMarkers say the data stays in the country or with the clinic
	// (同意(境内), 同意但不外传, 不提供给第三方): a no to exactly this
	// upload, which hands identifiers to Google and Meta abroad. Never
	// grantable, as channelMarkers are.
	domesticMarkers = []string{"境内", "境內", "不外传", "不外傳", "不提供给第三方", "不提供給第三方", "不出境", "不得出境",
		"domestic only", "not shared", "no third part", "not to third part"}
	// notGrantedMarkers say the consent is not (wholly) there: 部分同意
	// (part agreed — to what, the cell does not say), 未签署 (not signed).
	// Unknown words at run time (consent_not_granted); listing one as
	// granted is refused.
	notGrantedMarkers = []string{"部分同意", "部份同意", "未签署", "未簽署", "未签", "未簽", "partial", "not signed", "unsigned"}
)

// GrantedConflicts lists the values of o.Granted that say no: a built-in or
// configured denial ("no", "不同意"), a revocation ("revoked", "撤回
// 113/06/01"), a configured scoped value, or consent to a channel that is
// not ad measurement ("yes - sms only", "同意(僅簡訊)"). Listing one as
// granted would send exactly the patients who refused, so config
// validation refuses it; so are "soft opt-in" and "unknown". Each conflict names the value (a config word, not
// patient data) and the reason it says no.
func GrantedConflicts(o Options) []Conflict {
	p := NewPolicy(Options{Denied: o.Denied, Revoked: o.Revoked, Scoped: o.Scoped})
	var out []Conflict
	for _, g := range o.Granted {
		v := fold(g)
		if v == "" {
			continue
		}
		if r, ok := neverGranted[v]; ok {
			out = append(out, Conflict{Value: g, Reason: r})
			continue
		}
		if containsAny(v, notGrantedMarkers) {
			out = append(out, Conflict{Value: g, Reason: ReasonNotGranted})
			continue
		}
		reason, _ := p.classify(v)
		switch reason {
		case ReasonDenied, ReasonRevoked:
		case ReasonScoped:
			if !p.scoped[v] && !containsAny(v, channelMarkers) && !containsWord(v, boundMarkers) && !containsAny(v, domesticMarkers) {
				continue // "僅" or "only" alone: the clinic may grant the exact value
			}
		default:
			continue
		}
		out = append(out, Conflict{Value: g, Reason: reason})
	}
	return out
}

// neverGranted are values that are no consent to ad measurement whatever
// the clinic means by them: "soft opt-in" is the UK's e-mail marketing
// exemption, "unknown" is the absence of an answer.
var neverGranted = map[string]string{"soft opt-in": ReasonScoped, "unknown": ReasonNotGranted}

// Conflict is a consent.granted value that says no.
type Conflict struct {
	Value  string
	Reason string // consent_denied, consent_revoked or consent_scoped
}

// containsWord reports whether v holds one of the ASCII words as a word:
// not inside a longer run of letters ("line" is in "line only", not in
// "online").
func containsWord(v string, words []string) bool {
	letter := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
	for _, w := range words {
		for i := 0; i+len(w) <= len(v); {
			j := index(v[i:], w)
			if j < 0 {
				break
			}
			j += i
			if (j == 0 || !letter(v[j-1])) && (j+len(w) == len(v) || !letter(v[j+len(w)])) {
				return true
			}
			i = j + 1
		}
	}
	return false
}

func containsAny(v string, markers []string) bool {
	for _, m := range markers {
		if index(v, m) >= 0 {
			return true
		}
	}
	return false
}

// index is strings.Index written out for classify's values, which are
// often a view of the caller's stack buffer (foldInto). A call hands its
// argument to the callee's escape summary, and strings.Index's changes with
// the profile the standard library is built with: the PGO profile taken at
// 031cf29 had it leak its argument, which moved Screen's, ScreenDated's and
// Decide's buffers to the heap, one allocation a row (docs/performance.md,
// "Why a refreshed profile was worse"). This loop calls nothing but the
// compiler's string comparison, so no profile and no inlining decision can
// make v escape. The values are short: a stack-folded one is at most
// foldBuf bytes, the markers a few.
func index(s, sub string) int {
	n := len(sub)
	if n == 0 {
		return 0
	}
	for i := 0; i+n <= len(s); i++ {
		if s[i] == sub[0] && s[i:i+n] == sub {
			return i
		}
	}
	return -1
}

// grantWords are values that commonly mean yes. They never grant anything
// here (the config's consent.granted does); `hashgate inspect` and
// `config init` use them to recognise and propose a consent column.
//
// "Opted in"/"Opted out" are Phorest's consent words (support.phorest.com,
// "Marketing Consent": Opt in, Opt out, Not now), and Pabau's by a review
// of 2026-12-06;
// a spreadsheet's tick is √, ✓, ✔ or ☑. "Not now" is no answer yet: an
// unknown word, excluded (consent_not_granted).
var grantWords = []string{"yes", "y", "true", "granted", "opt-in", "opt in", "opted in", "同意", "是", "√", "✓", "✔", "☑", "已同意"}

// Vocabulary lists the built-in consent words (yes, no, revoked, and
// typical scoped forms) for tools that recognise columns.
func Vocabulary() []string {
	scoped := []string{"yes - sms only", "yes - email only", "同意(僅簡訊)", "同意-仅短信", "同意(仅短信)", "soft opt-in", "unknown"}
	return append(append(append(append([]string(nil), grantWords...), builtinDenied...), builtinRevoked...), scoped...)
}

// IsGrantWord reports whether v is a common yes-word (see grantWords).
func IsGrantWord(v string) bool {
	for _, w := range grantWords {
		if fold(w) == fold(v) {
			return true
		}
	}
	return false
}

// Options configure a Policy.
type Options struct {
	Granted []string // values that mean yes; required for anything to pass
	Denied  []string // more explicit-no values, besides the built-in ones
	Revoked []string // more revocation keywords, besides the built-in ones
	Scoped  []string // exact values known to be channel-scoped
	// RequireTimestamp: exclude rows without a consent time, or consented
	// after the appointment.
	RequireTimestamp bool
	// RevokedAllowsEarlier: a revocation with a date excludes only
	// appointments on or after that date. Off by default: a patient who
	// withdrew consent is usually taken to have withdrawn it for the data
	// already held too.
	RevokedAllowsEarlier bool
	// Location reads revocation dates ("revoked 2024-06-01") as local days.
	Location *time.Location
	// MinAge and RequireBirthDate: the age rule (patient.go); 0 judges
	// no age.
	MinAge           int
	RequireBirthDate bool
}

// Policy is the clinic's consent rule.
type Policy struct {
	granted, denied, scoped map[string]bool
	revoked                 []string
	withdrawals             []marker // withdrawalMarkers and consent.revoked's words (withdrawal.go)
	requireTimestamp        bool
	allowsEarlier           bool
	loc                     *time.Location
	zoned                   bool // Options.Location was set (patient.go)
	minAge                  int
	requireBirthDate        bool
}

// NewPolicy builds a policy. Values are compared trimmed, NFKC-normalised
// (full-width forms fold) and case-folded.
func NewPolicy(o Options) *Policy {
	p := &Policy{
		granted: set(o.Granted), denied: set(append(append([]string(nil), builtinDenied...), o.Denied...)),
		scoped: set(o.Scoped), requireTimestamp: o.RequireTimestamp, allowsEarlier: o.RevokedAllowsEarlier, loc: o.Location,
		minAge: o.MinAge, requireBirthDate: o.RequireBirthDate, zoned: o.Location != nil,
	}
	if p.loc == nil {
		p.loc = time.UTC
	}
	words := slices.Clone(withdrawalMarkers)
	for i, r := range append(append([]string(nil), builtinRevoked...), o.Revoked...) {
		if k := fold(r); k != "" {
			p.revoked = append(p.revoked, k)
			if i >= len(builtinRevoked) {
				words = append(words, k) // the clinic's own: read anywhere too
			}
		}
	}
	p.withdrawals = newMarkers(words)
	// A value that mentions a withdrawal is never granted, listed or not:
	// config validation refuses to list one (GrantedConflicts), but the
	// channel report's config is not asked, and the gate must not depend
	// on it. Dropped here, the rows' lookup stays one map access.
	for k := range p.granted {
		if mentionsWithdrawal(k, p.withdrawals) {
			delete(p.granted, k)
		}
	}
	for no, yes := range plainRefusals {
		if p.granted[yes] && !p.granted[no] {
			p.denied[no] = true
		}
	}
	return p
}

// plainRefusals maps the refusal of a yes/no, 1/0 or t/f column to its
// positive counterpart. Where consent.granted holds the counterpart, the
// refusal is a denial (consent_denied), as "no" always is: in a column
// whose "1" means yes, "0" is the patient saying no, not a word nobody
// knows (consent_not_granted). A cell that said 1 the night a visit was
// sent and says 0 now is consent withdrawn — any later refusal by the
// person who gave it (GDPR Art. 7(3), the PDPA) — and counted as
// withdrawn after sent, as a cell turned to "revoked" is; as
// consent_not_granted it was not (TestAPlainRefusalAfterAGrantIsAWithdrawal).
// The consent drift check reads such a night as every patient refusing.
var plainRefusals = map[string]string{"0": "1", "n": "y", "f": "t", "no": "yes", "false": "true"}

func set(vals []string) map[string]bool {
	m := map[string]bool{}
	for _, v := range vals {
		if k := fold(v); k != "" {
			m[k] = true
		}
	}
	return m
}

// Input is what the gate looks at for one row and one destination.
type Input struct {
	Value string // the consent cell
	// At is the consent time; HasAt is false when the cell is blank, and
	// AtErr is set when it is present but unreadable.
	At    time.Time
	HasAt bool
	AtErr error
	Event time.Time // the appointment time
	// The consent's expiry and the moment of sending, and the patient's
	// birth date (patient.go).
	Expires, Now time.Time
	HasExpires   bool
	ExpiresErr   error
	Born         time.Time
	HasBorn      bool
	BornErr      error
}

// Screen judges the consent value alone, before the appointment time is
// known: it returns the exclusion reason, or "" when the value may pass.
func (p *Policy) Screen(value string) string {
	var buf [foldBuf]byte
	reason, _ := p.classify(foldInto(&buf, value))
	return reason
}

// ScreenDated is Screen that also returns the day a dated revocation in
// value takes effect, under RevokedAllowsEarlier ("revoked 2024-06-01"):
// the reason is "" for such a value, as Screen's is, and the pipeline
// withdraws the patient's other rows from that day on, as Decide withdraws
// the row's own. The day is zero for any other value. One classification
// serves both: asking Screen and then for the day folded and matched each
// such cell twice.
func (p *Policy) ScreenDated(value string) (reason string, revokedOn time.Time) {
	var buf [foldBuf]byte
	return p.classify(foldInto(&buf, value))
}

// Decide returns "" when the row may be used, or the reason it may not.
func (p *Policy) Decide(in Input) string {
	var buf [foldBuf]byte
	reason, revokedOn := p.classify(foldInto(&buf, in.Value))
	if reason != "" {
		return reason
	}
	if !revokedOn.IsZero() && !in.Event.Before(revokedOn) {
		return ReasonRevoked
	}
	return p.decideTime(in)
}

// DecideScreened is Decide for a value Screen passed (returned "" for):
// granted, or — under RevokedAllowsEarlier — a dated revocation, whose date
// only Decide reads. The pipeline screens every row's consent value before
// its appointment time is read, and classifying a granted value again for
// Decide was a second fold and map lookup per row (issue 29).
// TestDecideScreenedIsDecide and FuzzDecideScreened hold it to Decide.
func (p *Policy) DecideScreened(in Input) string {
	if p.allowsEarlier {
		return p.Decide(in)
	}
	return p.decideTime(in)
}

// decideTime is Decide's rule for the consent time. A consent time the
// export gives is honoured whether or not one is required: consent
// recorded after the visit did not cover it, and a garbled date cannot
// show that it did.
func (p *Policy) decideTime(in Input) string {
	switch {
	case in.HasAt && in.AtErr != nil:
		return ReasonTimeInvalid
	case in.HasAt && in.At.After(in.Event):
		return ReasonAfterEvent
	case !in.HasAt && p.requireTimestamp:
		return ReasonTimeMissing
	}
	return p.decidePatient(in)
}

// Words is a set of vocabulary values (conversion.statuses), compared as
// Fold compares them.
type Words map[string]bool

// NewWords folds vals into a set.
func NewWords(vals []string) Words { return Words(set(vals)) }

// Has reports whether v, folded, is one of w: a short ASCII v is folded on
// the stack (foldInto), not into a new string — every row's status cell is
// asked (issue 29).
func (w Words) Has(v string) bool {
	var buf [foldBuf]byte
	return w[foldInto(&buf, v)]
}

// classify returns the value-only reason. For a dated revocation under
// RevokedAllowsEarlier it returns "" and the start of the revocation day,
// which Decide compares with the appointment. A revocation keyword is read
// with its date only at the start of the value; a withdrawal mentioned
// anywhere else (withdrawal.go) is undated, and withdraws every visit.
func (p *Policy) classify(v string) (string, time.Time) {
	if v == "" {
		return ReasonMissing, time.Time{}
	}
	if p.granted[v] {
		return "", time.Time{}
	}
	for _, kw := range p.revoked {
		if strings.HasPrefix(v, kw) {
			if p.allowsEarlier {
				// A copy: v may be foldInto's buffer, and the date's
				// parse errors keep the text they failed on.
				if day, ok := revocationDate(strings.Clone(v[len(kw):]), p.loc); ok {
					return "", day
				}
			}
			return ReasonRevoked, time.Time{}
		}
	}
	if mentionsWithdrawal(v, p.withdrawals) {
		return ReasonRevoked, time.Time{} // "yes (revoked)", "同意(已撤回)", "opted-out"
	}
	if p.scoped[v] {
		return ReasonScoped, time.Time{}
	}
	if p.denied[v] {
		return ReasonDenied, time.Time{}
	}
	if containsAny(v, scopeMarkers) || containsAny(v, domesticMarkers) || containsWord(v, boundMarkers) {
		return ReasonScoped, time.Time{}
	}
	return ReasonNotGranted, time.Time{}
}

// revocationDate reads the date written after a revocation keyword:
// 2024-06-01, 2024/06/01, 2024.06.01, ROC 113/06/01 or 1130601, in any
// brackets. A day-month order that cannot be told apart (06/03/2024) is not
// read: the revocation then applies to every appointment.
func revocationDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.Trim(strings.TrimSpace(s), "()（）[]:：-— ")
	var parts []string
	if len(s) == 7 && isDigits(s) { // ROC compact yyyMMdd
		parts = []string{s[:3], s[3:5], s[5:]}
	} else {
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	}
	if len(parts) != 3 {
		return time.Time{}, false
	}
	n := make([]int, 3)
	for i, part := range parts {
		v, err := strconv.Atoi(part)
		if err != nil || !isDigits(part) {
			return time.Time{}, false
		}
		n[i] = v
	}
	y, m, d := n[0], n[1], n[2]
	switch len(parts[0]) {
	case 4:
	case 2, 3: // ROC (Minguo) year: 113 → 2024
		y += 1911
	default:
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if t.Year() != y || t.Month() != time.Month(m) || t.Day() != d {
		return time.Time{}, false // 2024-02-31 and the like
	}
	return t, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Fold is how vocabulary values (consent and status) compare: trimmed,
// NFKC (full-width letters), case-folded.
func Fold(s string) string { return fold(s) }

// fold trims, applies NFKC and case-folds. ASCII takes a fast path: the
// common "yes"/"Y" values should not pay for building a Caser, which is
// stateful and so is made per call rather than shared between goroutines.
func fold(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.TrimSpace(cases.Fold().String(norm.NFKC.String(s)))
		}
	}
	return strings.ToLower(s)
}

// foldBuf is the longest ASCII value foldInto folds into its buffer.
const foldBuf = 32

// foldInto is fold for a value the caller only reads during a call
// (classify): a short ASCII value is trimmed and lower-cased into buf,
// and the result is a view of buf. The consent cells of an export —
// "Y", "Yes" — made strings.ToLower allocate on every row, twice (Screen,
// then Decide), for 2–3% of a dry-run's CPU (issue 29); anything else
// takes fold. FuzzFoldInto holds the two equal.
func foldInto(buf *[foldBuf]byte, s string) string {
	s = strings.TrimSpace(s)
	if len(s) > len(buf) {
		return fold(s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return fold(s)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return unsafe.String(&buf[0], len(s))
}
