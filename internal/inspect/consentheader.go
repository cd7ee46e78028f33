package inspect

import (
	"slices"
	"strings"
	"sync"
)

// channelConsent are header words of a consent to be contacted on one
// channel — texts, e-mail, a newsletter — which is no consent to ad
// measurement (consent.granted never grants it either: package consent's
// channelMarkers). Cliniko's accepted_email_marketing and
// accepted_sms_marketing are such columns.
//
// Open Dental's ShortCodeOptIn (its SMS short code), OpenEMR's
// allow_patient_portal and hipaa_voice, and a voice or WhatsApp consent
// are such columns too (docs/research/clinic-exports.md: "the existing
// fields cover contact channels (SMS, e-mail, voice, mail, portal)").
var channelConsent = []string{"sms", "text", "txt", "msg", "簡訊", "简讯", "短信", "email", "mail", "電郵", "邮件", "newsletter",
	"short code", "shortcode", "portal", "voice", "whatsapp"}

// channelGlue are the words a system glues to a channel word in one
// lower-case word, which normHeader cannot split: OpenEMR's
// hipaa_allowsms and hipaa_allowemail, "smsok", "emailconsent". A channel
// word is found in such a word only beside one of these ("context" holds
// "text" and names no channel).
var channelGlue = []string{"allow", "allows", "allowed", "accept", "accepts", "accepted", "ok", "okay", "opt", "optin", "optedin",
	"consent", "consents", "consented", "agree", "agreed", "permit", "permission", "yn", "pref", "prefer", "preferred"}

// contactPreference are header words of how a patient likes to be
// contacted or recalled — Open Dental's PreferContactMethod,
// PreferConfirmMethod and PreferRecallMethod (values such as Email,
// TextMessage, DoNotCall): a preference, no consent at all.
var contactPreference = []string{"prefer", "preferred", "preference", "preferences", "contact method", "recall method",
	"confirm method", "recall", "聯絡偏好", "联系偏好", "偏好"}

// recordSharing are header words of a consent to share records with other
// providers or registries — OpenEMR's allow_health_info_ex (a health
// information exchange), allow_imm_reg_use and allow_imm_info_share (an
// immunisation registry): the patients who agreed to that agreed to no ad
// measurement.
var recordSharing = []string{"health info", "health information", "info ex", "information exchange", "hie", "imm reg",
	"imm info", "immunization", "immunisation", "registry"}

// softOptIn is the UK's exemption for e-mailing existing customers
// (PracSuite's marketing status "Soft Opt-In": "your practice has
// decided"): the clinic's decision, not the patient's, which
// docs/research/clinic-exports.md a.2 says to treat as unknown. As a
// value consent.granted refuses it (package consent's neverGranted); as a
// header it is refused here, whatever else the header names.
var softOptIn = []string{"soft opt in", "softoptin", "soft optin"}

// outcomeWords are header words of what became of the appointment — an
// arrival, an attendance, a no-show, a cancellation — in English, 繁體中文
// and 简体中文. Such a column holds true/false or yes/no as a consent does
// (Cliniko's patient_arrived, did_not_arrive), and its "true" is a visit,
// not a consent: offered as a consent candidate, mapped as the consent,
// it sent every patient who came (a review of 2026-12-06).
var outcomeWords = []string{"arrive", "arrived", "arrival", "arrivals", "attend", "attended", "attendance", "showed", "no show", "noshow",
	"dna", "fta", "uta", "checked in", "check in", "missed", "cancel", "cancelled", "canceled", "cancellation", "cancelation",
	"到診", "到诊", "報到", "报到", "出席", "到店", "赴約", "赴约", "爽約", "爽约", "失約", "失约", "未到", "取消"}

// arrivalWords name an arrival positively: a column of true/false under
// one of them is the status, its true the visit (hashgate's Cliniko preset
// maps patient_arrived so). A negated one ("Did Not Arrive") is vetoed
// for the status (vetoTerms).
var arrivalWords = []string{"arrived", "arrival", "attended", "attendance", "showed", "checked in",
	"到診", "到诊", "報到", "报到", "出席", "到店", "赴約", "赴约"}

var (
	foldedOutcome  = sync.OnceValue(func() []string { return foldAll(outcomeWords) })
	foldedArrival  = sync.OnceValue(func() []string { return foldAll(arrivalWords) })
	foldedChannel  = sync.OnceValue(func() []string { return foldAll(channelConsent) })
	foldedCareWord = sync.OnceValue(func() []string { return foldAll(careConsent) })
	foldedGlue     = sync.OnceValue(func() []string { return foldAll(channelGlue) })
	foldedPrefer   = sync.OnceValue(func() []string { return foldAll(contactPreference) })
	foldedSharing  = sync.OnceValue(func() []string { return foldAll(recordSharing) })
	foldedSoftOpt  = sync.OnceValue(func() []string { return foldAll(softOptIn) })
)

// channelHeader says whether header names a contact channel (channelConsent):
// as a word, or glued to a word of channelGlue in one lower-case word
// ("hipaa_allowsms", "emailok"), which normHeader leaves whole. Before
// this, "allowsms" passed as a consent, and "hipaa_allowsms" was refused
// only for its "hipaa", as a consent to care (a review of 2026-12-07).
func channelHeader(header string) bool {
	if headerHas(foldedChannel(), header) {
		return true
	}
	for _, w := range normHeader(header) {
		for _, c := range foldedChannel() {
			if isCJK([]rune(c)[0]) || strings.Contains(c, " ") || len(w) <= len(c) {
				continue
			}
			if rest, ok := strings.CutPrefix(w, c); ok && slices.Contains(foldedGlue(), rest) {
				return true
			}
			if rest, ok := strings.CutSuffix(w, c); ok && slices.Contains(foldedGlue(), rest) {
				return true
			}
		}
	}
	return false
}

// headerHas reports whether header has one of the folded terms (hasTerm).
func headerHas(terms []string, header string) bool {
	hw := normHeader(header)
	return hasTerm(terms, hw, strings.Join(hw, ""))
}

// outcomeHeader says whether header names what became of the appointment
// (outcomeWords).
func outcomeHeader(header string) bool { return headerHas(foldedOutcome(), header) }

// OutcomeHeader is outcomeHeader for a run: a column named so (Cliniko's
// did_not_arrive, cancelled_at; 爽約, 取消) left unmapped while no status
// column is mapped means its no-shows and cancellations are counted as
// visits, which the run's summary says (package run). By the header only,
// never a cell.
func OutcomeHeader(header string) bool { return outcomeHeader(header) }

// arrivalFlag says whether header names an arrival positively, so that a
// column of true/false or yes/no under it is the status: "Patient
// Arrived", "Attended", 已報到; never "Did Not Arrive".
func arrivalFlag(header string) bool {
	return headerHas(foldedArrival(), header) && !vetoed("status", header)
}

// ConsentHeaderProblem says why a column named header cannot be the
// consent to ad measurement, "" when its name does not rule it out. The
// consent is default-deny: a column mapped as the consent that records
// something else — a consent to texts, e-mail, voice or a portal (a
// channel word glued to "allow" too: hipaa_allowsms), a contact or recall
// preference, a record exchange, a soft opt-in (the practice decided), an
// opt-out ("yes" means no), a consent to care (every patient signs it),
// an appointment status or arrival flag (its "true" is a visit) — sends
// patients who never
// agreed, the worst mistake a config can make. config validate and every
// run refuse such a mapping (package run); config init never proposes one
// (vetoTerms, consentCandidates). A header naming ads or their
// measurement beside a care or channel word (是否同意将个人信息用于广告) is
// the person's call and passes; an opt-out or an outcome never does.
//
// A header naming marketing (行銷, 营销) beside a care or privacy word
// (個資行銷同意, "Privacy & marketing consent") is a marketing consent
// that also names the data it uses, and one naming a consent or an
// opt-in is no status for a "status" in it ("Marketing Opt-In Status"):
// both passed before this rule, and refusing them stopped clinics whose
// column is the real consent, with no way around (the session's diff
// review: TestConsentHeadersThatAreConsentsPass).
func ConsentHeaderProblem(header string) string {
	consentNamed := adMeasurementHeader(header) || marketingHeader(header) || headerScore("consent", header) >= minScore
	switch {
	case optOutHeader(header):
		return "names an opt-out or a refusal (unsubscribed, do not contact, declined): \"yes\" there means the patient said no"
	case headerHas(foldedSoftOpt(), header):
		return "names a soft opt-in, which the practice decides, not the patient: no patient agreed to anything there"
	case !consentNamed && (outcomeHeader(header) || headerScore("status", header) >= minScore):
		return "names an appointment status or arrival, not a consent: its true or yes marks a visit, so every patient who came would be sent (map it as input.columns.status)"
	case adMeasurementHeader(header):
		return ""
	case channelHeader(header):
		return "names a consent to be contacted on one channel (SMS, text, e-mail, voice, a patient portal), not to ad measurement: the patients who agreed only to messages would be sent"
	case marketingHeader(header):
		return ""
	case headerHas(foldedPrefer(), header):
		return "names how the patient prefers to be contacted or recalled, not a consent: every patient with a preference would be sent"
	case headerHas(foldedSharing(), header):
		return "names a consent to share records with other providers or a registry (a health information exchange), not to ad measurement: the patients who agreed to that would be sent"
	case headerHas(foldedCareWord(), header):
		return "names a consent to care or a privacy notice (treatment, HIPAA, photos, privacy policy), not to ad measurement: every patient accepts it, so every visit would be sent"
	case headerHas(foldedVisitKindHeader(), header):
		return "names a kind of visit (first or return, new patient), not a consent: its yes marks a first visit, so every new patient would be sent"
	case headerHas(foldedNoticeWords(), header):
		return "names a reminder or notice sent to the patient, not a consent: its yes marks a message sent, so every patient reminded would be sent"
	case !consentNamed && headerHas(foldedBookingWays(), header):
		return "names how the appointment was booked (online, by API, through a channel), not a consent: every patient who booked that way would be sent"
	}
	return ""
}

// Yes/no columns that name something else, refused as the consent unless
// their header names ads or marketing (handled above): a consent named
// beside a first visit (初诊同意, "New patient consent") is the new
// patient's consent form, and beside a reminder a consent to messages;
// beside a way of booking ("Online booking consent") a consent word is
// the clinic's call and passes, as a bare one does. An older config
// init mapped a mainland export's 是否初诊 (first visit) and a Dentally
// export's booked_via_api as the consent, and after an upgrade the runs
// went on sending every first-visit patient: the refusal knew statuses,
// channels, care and opt-outs, and passed these as naming nothing (the
// upgrade review; testdata/exports 29 and 31 name them as traps, and
// 31's 是否已发送提醒, a reminder flag, beside it).
var (
	visitKindHeaderWords = append([]string{"new patient", "returning patient", "first time", "是否新客", "新客", "新患"}, visitKinds...)
	noticeWords          = []string{"reminder", "reminders", "reminded", "notified", "notification", "提醒", "已發送", "已发送"}
	bookingWays          = []string{"booked via", "via api", "api", "online booking", "booking channel", "booking source",
		"預約管道", "预约渠道", "預約方式", "预约方式", "預約來源", "预约来源"}

	foldedVisitKindHeader = sync.OnceValue(func() []string { return foldAll(visitKindHeaderWords) })
	foldedNoticeWords     = sync.OnceValue(func() []string { return foldAll(noticeWords) })
	foldedBookingWays     = sync.OnceValue(func() []string { return foldAll(bookingWays) })
)

// marketingWords name marketing in a consent's header: beside a care or
// privacy word the consent is still to marketing (個資行銷同意).
var marketingWords = []string{"marketing", "promotion", "promotional", "promotions", "行銷", "营销", "營銷", "推廣", "推广"}

var foldedMarketing = sync.OnceValue(func() []string { return foldAll(marketingWords) })

// marketingHeader says whether header names marketing, in brackets too
// ("個人資料使用同意(行銷)", "Data privacy consent (marketing)"), which
// normHeader drops as a system's annotation.
func marketingHeader(header string) bool {
	return headerHas(foldedMarketing(), unbracket.Replace(header))
}

var unbracket = strings.NewReplacer("(", " ", ")", " ", "（", " ", "）", " ", "[", " ", "]", " ", "【", " ", "】", " ")
