package inspect

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/editdistance"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/printable"
)

// headerTerms are what the columns a config maps are called, per key, in
// English, 繁體中文 and 简体中文: the exact names of the systems in
// docs/research/clinic-exports.md and the words those names are made of. Matching is by
// normalised similarity (headerScore), so "AdConsent (patfield)", "行銷同意",
// "营销授权", "到诊状态" and "病歷號碼" are found from "consent", "同意",
// "授权", "到诊" and "病歷" without listing every combination; what the
// column's values look like then confirms or overrules the name
// (valueEvidence).
var headerTerms = map[string][]string{
	"order_id": {"appointment id", "appointment no", "appointment number", "appt id", "aptnum", "pc_eid", "booking id",
		"booking no", "booking number", "booking reference", "order id", "appt no", "appointment no.", "visit no", "order no", "order number", "reservation id",
		"reservation no", "visit id", "encounter id", "id", "appointment pk", "appt pk", "pk",
		"預約編號", "预约编号", "預約號碼", "预约号码", "預約號", "预约号", "預約單號", "预约单号", "掛號編號", "挂号编号",
		"掛號號碼", "挂号号码", "掛號序號", "挂号序号", "單號", "单号", "訂單編號", "订单编号", "訂單號", "订单号",
		"預約序號", "预约序号", "就診序號", "就诊序号"},
	"appointment_at": {"appointment time", "appointment datetime", "appointment date time", "aptdatetime", "starts_at",
		"start", "starts", "start datetime", "start at", "scheduled at", "scheduled", "datetime", "date time", "at", "when",
		"event time", "conversion time",
		"預約時間", "预约时间", "就診時間", "就诊时间", "到診時間", "到诊时间", "看診時間", "看诊时间", "預約日期時間", "预约日期时间",
		"就診日期時間", "就诊日期时间", "預約到店時間", "预约到店时间", "到店時間", "到店时间"},
	"appointment_date": {"appointment date", "appt date", "date", "visit date", "pc_eventdate", "service date", "date of service",
		"就診日期", "就诊日期", "預約日期", "预约日期", "到診日期", "到诊日期", "看診日期", "看诊日期", "日期"},
	"appointment_time": {"time", "start time", "appt time", "pc_starttime", "appointment start", "時間", "时间", "時段", "时段", "開始時間", "开始时间"},
	"status": {"status", "aptstatus", "pc_apptstatus", "appointment status", "visit status", "attendance", "arrival",
		"arrived", "patient_arrived", "show status", "outcome", "visit status", "appt status",
		"狀態", "状态", "預約狀態", "预约状态", "就診狀態", "就诊状态", "到診", "到诊", "到診狀態", "到诊状态",
		"報到", "报到", "報到狀態", "报到状态", "出席", "赴約", "赴约", "到店", "到店狀態", "到店状态", "核銷狀態", "核销状态"},
	"email": {"email", "e-mail", "mail", "email address", "e-mail address", "電子郵件", "电子邮件", "电子邮箱", "邮箱", "郵箱", "電郵", "电邮", "信箱"},
	"phone": {"phone", "mobile", "cell", "wirelessphone", "phone_cell", "mobile_number", "mobile phone", "cell phone",
		"hmphone", "wkphone", "telephone", "tel", "手機", "手机", "手机号", "手機號碼", "手机号码", "電話", "电话",
		"聯絡電話", "联系电话", "行動電話", "移动电话", "聯絡方式", "联系方式", "phone number", "home phone", "work phone",
		"landline", "市話", "市话", "座機", "座机", "家用電話", "住家電話", "公司電話"},
	"first_name":  {"first name", "fname", "given name", "patient_first", "patient first name", "fn", "名"},
	"last_name":   {"last name", "lname", "surname", "family name", "patient_last", "patient last name", "ln", "姓"},
	"postal_code": {"zip", "zip code", "zipcode", "postal code", "postcode", "post_code", "郵遞區號", "邮编", "郵編", "郵政編碼", "邮政编码"},
	"value": {"fee", "amount", "price", "procfee", "charge", "total", "value", "conversion value", "金額", "金额", "自費金額", "自费金额", "費用", "费用",
		"收費", "收费", "實收", "实收", "實付金額", "实付金额", "消費金額", "消费金额"},
	"currency": {"currency", "conversion currency", "幣別", "币种", "幣種", "貨幣", "货币"},
	"consent": {"consent", "marketing consent", "ad consent", "adconsent", "advertising consent", "accepted_ad_measurement",
		"ad measurement", "opt in", "marketing opt in", "marketing permission", "permission", "marketing ok", "consent to ads",
		"ads consent", "ads measurement",
		"同意", "授權", "授权", "行銷同意", "营销同意", "行銷授權", "营销授权", "廣告同意", "广告同意", "廣告授權", "广告授权",
		"廣告成效同意", "广告效果授权", "行銷", "营销", "廣告", "广告"},
	"consent_at": {"consent time", "consent at", "consent date", "consented at", "consent timestamp", "opt in date",
		"同意日期", "同意時間", "同意时间", "授權時間", "授权时间", "授權日期", "授权日期"},
	"patient_key": {"patnum", "patient id", "patient no", "patient number", "chart", "chart no", "chart number",
		"chart no.", "chartnumber", "mrn", "medical record number", "pubpid", "pid", "pat id", "patid", "member id", "customer id", "client id",
		"patient no.",
		"病歷號", "病历号", "病歷號碼", "病历号码", "病歷", "病历", "病歷編號", "病历编号", "客户编号", "客戶編號",
		"會員編號", "会员编号", "患者編號", "患者编号", "病患編號", "病人編號", "病人编号",
		// 门诊号: a mainland HIS's outpatient number, the patient's (rw-bsoft/his).
		"门诊号", "門診號", "门诊号码", "門診號碼"},
	platform.KeyGCLID:  {platform.KeyGCLID, "google click id"},
	platform.KeyFBCLID: {platform.KeyFBCLID, "facebook click id", "meta click id"},
	// Not 介紹人/推薦人 (introducer, referrer): a person (otherPeople), whose
	// name no channel matches; 维乐口腔's, empty, was proposed over the
	// filled 一级来源 (a review).
	"source": {"source", "utm_source", "utm source", "lead source", "referral source", "referred by", "referrer", "channel",
		"how did you hear", "how did you hear about us", "marketing source", "來源", "来源", "渠道", "管道", "來源管道", "来源渠道",
		"得知管道", "獲知管道", "获客渠道"},
}

// vetoTerms rule a key out for a header that has one of these words,
// whatever else it says: a birth date is not the appointment date, an SMS
// consent is not consent to ad measurement, a patient id is not an order
// id, a payment status is not an appointment status.
var vetoTerms = map[string][]string{
	"appointment_at":   dateVeto,
	"appointment_date": dateVeto,
	"appointment_time": dateVeto,
	"consent": slices.Concat(channelConsent, []string{"date", "time", "at", "日期", "時間", "时间", "來源", "来源", "渠道", "管道", "source", "channel", "method"},
		careConsent, optOut, softOptIn),
	// A column of how or where consent was collected (同意來源, 授权渠道)
	// is not how the patient found the clinic: channel names there would
	// report consent paperwork as marketing channels.
	// "Resource" (a room, a chair) holds "source" inside one word.
	"source": {"consent", "consented", "同意", "授權", "授权", "opt", "resource", "resources"},
	// An appointment group (Zenoti's "appointment group id": the services
	// booked together) holds several appointments.
	"order_id": slices.Concat(idDocumentTerms, []string{"patient", "chart", "pat", "member", "customer", "client", "病歷", "病历", "客户", "客戶", "會員", "会员", "患者", "病患", "病人",
		"group"}),
	// Square's "Email Subscription Status" is the e-mail list's, not the
	// appointment's.
	// A negated outcome ("Did Not Arrive", "No Show", 未到診) is a
	// no-show flag: as the status, its true/yes would read as the visit.
	"status": {"consent", "同意", "授權", "授权", "payment", "paid", "insurance", "付款", "繳費", "缴费", "保險", "保险", "婚姻", "marital",
		"subscription", "subscribed", "unsubscribed", "email", "sms", "訂閱", "订阅",
		"not", "didnt", "dna", "no show", "noshow", "missed", "未到", "未報到", "未报到", "沒到", "没到", "爽約", "爽约", "失約", "失约"},
	"patient_key": slices.Concat(idDocumentTerms, []string{"appointment", "appt", "booking", "預約", "预约", "掛號", "挂号"}),
	// accepted_email_marketing, "Email OK", "Email Okay", "allow email",
	// "Email Unsubscribed" are consents (or their refusal) to be e-mailed,
	// not addresses.
	"email": slices.Concat([]string{"marketing", "accepted", "consent", "opt", "ok", "okay", "allow", "allowed", "optout", "reminder", "reminders",
		"subscribed", "subscription", "subscribe", "同意", "授權", "授权", "訂閱", "订阅"}, optOut, otherPeople, idDocumentTerms),
	// "cancelled_at" and "Cancellation reason" hold "cell" inside a word.
	"phone": slices.Concat([]string{"marketing", "accepted", "consent", "opt", "ok", "okay", "allow", "allowed", "optout", "reminder", "reminders", "sms",
		"subscribed", "subscription", "cancel", "cancelled", "canceled", "cancellation", "cancelation", "cancellations", "reason",
		"同意", "授權", "授权"}, optOut, otherPeople, idDocumentTerms),
	"first_name":  otherPeople,
	"last_name":   otherPeople,
	"postal_code": otherPeople,
}

// otherPeople are header words that name someone other than the patient:
// an emergency contact, a guarantor or parent, the referring practitioner,
// the clinic's own staff. Their e-mail, phone, name or postcode is that
// person's: hashed and sent as the patient's it matches a stranger's
// account to the clinic's visit, and hands the platform an identifier of
// someone who consented to nothing. config init leaves such columns
// unmapped for a person to decide (a parent's phone may be what a
// children's clinic books with); "contact" alone is not one of them —
// 联系电话, "contact phone", is the patient's. The words come from the
// layouts of docs/research/clinic-exports.md and testdata/exports: Dentrix's
// and Open Dental's guarantor, a Dentally-like export's guardian_name and
// guardian_date_of_birth, US systems' "Responsible Party" and insurance
// subscriber, a mainland 紧急联系人, Taiwan's 家長 and 法定代理人 (a
// minor's legal representative). A birth date is judged by them too
// (BirthDateHeaderProblem): a guardian's birth date passed children as
// adults (a review, 2026-12-07). Who pays or holds the account is another
// person too — "DOB (account holder)" passed as the patient's (a review,
// 2026-12-07): an account or card holder, a payer, Dentrix's
// Head-Of-House (its guarantor), 付款人, 帳戶持有人, 持卡人, 戶長/户主,
// and Taiwan's 要保人 (the policyholder; an insurance's, like the
// subscriber).
var otherPeople = []string{"emergency", "guarantor", "guardian", "guardians", "parent", "parents", "mother", "father", "mom", "dad",
	"responsible party", "carer", "carers", "representative",
	"holder", "holders", "accountholder", "cardholder", "payer", "payor", "head of household", "head of house", "household head",
	"spouse", "partner", "kin", "relative", "relatives", "referring", "referrer", "referral", "practitioner", "provider",
	"doctor", "dentist", "physician", "clinician", "therapist", "hygienist", "dr", "staff", "employee", "employer",
	"insurer", "insurance", "insured", "subscriber", "policyholder", "sponsor", "agent", "caregiver",
	"緊急", "紧急", "聯絡人", "联络人", "联系人", "監護人", "监护人", "代理人", "家長", "家长", "父母", "父親", "父亲", "母親", "母亲", "配偶",
	"親屬", "亲属", "家屬", "家属", "保證人", "担保人", "推薦人", "推荐人", "介紹人", "介绍人", "醫師", "医师", "醫生", "医生",
	"員工", "员工", "保險", "保险",
	"付款人", "付費人", "付费人", "繳費人", "缴费人", "持有人", "持卡人", "戶長", "户长", "戶主", "户主", "要保人"}

// optOut are header words of an opt-out: unsubscribed, do not contact,
// 拒收, 退订 — and of a consent refused or withdrawn (不同意行銷, Consent
// withdrawn, Declined consent: a review of the day's diff found each
// proposed as the consent). "Yes" there means the patient said no:
// proposed as the consent, config init's config sent the unsubscribed and
// held back the subscribed. A phrase ("do not contact") matches its words
// in order.
var optOut = []string{"unsubscribed", "unsubscribe", "unsubscribes", "unsub", "opt out", "optout", "opted out", "opts out",
	"do not contact", "do not email", "do not call", "do not text", "do not mail", "do not market", "dnc",
	"no marketing", "no contact", "no correspondence", "no email", "no sms", "no auto", "blocked", "blacklist", "blacklisted",
	"declined", "decline", "declines", "refused", "refuse", "refuses", "refusal", "withdrawn", "withdraw", "withdrew",
	"withdrawal", "revoked", "revoke", "revokes", "revocation", "no consent", "not consented", "non consent", "nonconsent",
	"退订", "退訂", "拒收", "取消訂閱", "取消订阅", "勿擾", "勿扰", "黑名單", "黑名单", "不接收", "拒絕", "拒绝",
	"不同意", "未同意", "撤回", "撤銷", "撤销", "取消同意"}

// careConsent are header words of consents to care, not to ad measurement:
// consent to treatment, informed consent, HIPAA or privacy-practice
// acknowledgements (a privacy notice's or terms' consent, 個資同意,
// 个人信息授权), photo releases. Every patient signs them, so a column of
// them is all "yes": mapped as the ad consent it would send every visit
// (docs/contract.md: consent is the ad-measurement consent,
// default-deny). A header that names both (是否同意将个人信息用于广告) is
// vetoed too, and config init asks: the safe side.
var careConsent = []string{"treat", "treatment", "treatments", "hipaa", "photo", "photos", "photograph", "photography",
	"procedure", "procedures", "surgery", "surgical", "anesthesia", "anaesthesia", "informed", "financial", "payment",
	"medical", "clinical", "xray", "imaging", "telehealth", "research", "privacy", "terms",
	"知情", "治療", "治疗", "手術", "手术", "麻醉", "照片", "拍照", "攝影", "摄影", "醫療", "医疗", "診療", "诊疗", "檢查", "检查", "研究",
	"隱私", "隐私", "個資", "个资", "個人資料", "个人资料", "個人信息", "个人信息", "條款", "条款"}

// A form's Timestamp (時間戳記) is when it was sent, and 问卷星's 所用时间
// how long answering took ("125秒"): neither is the visit.
var dateVeto = []string{"birth", "birthday", "dob", "born", "created", "updated", "modified", "consent", "consented",
	"submitted", "submit", "submission", "timestamp", "end", "ends", "生日", "出生", "建檔", "建档", "同意", "授權", "授权", "提交", "下单", "下單",
	"建立", "创建", "添加", "結束", "结束", "時間戳", "时间戳", "所用", "用時", "用时", "耗時", "耗时"}

// vetoed reports whether header has a word that rules key out.
func vetoed(key, header string) bool {
	hw := normHeader(header)
	return vetoedNorm(key, hw, strings.Join(hw, ""))
}

// foldedVetoes are vetoTerms folded once, on first use (like normTerms
// and termWords: not at package initialisation, which every command pays).
var foldedVetoes = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for k, vs := range vetoTerms {
		for _, v := range vs {
			m[k] = append(m[k], consent.Fold(v))
		}
	}
	return m
})

// vetoedNorm is vetoed for a header already split by normHeader.
func vetoedNorm(key string, hw []string, hj string) bool {
	return hasTerm(foldedVetoes()[key], hw, hj)
}

// foldedOptOut and foldedOthers are optOut and otherPeople folded once,
// on first use.
var (
	foldedOptOut = sync.OnceValue(func() []string { return foldAll(optOut) })
	foldedOthers = sync.OnceValue(func() []string { return foldAll(otherPeople) })
)

func foldAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = consent.Fold(v)
	}
	return out
}

// optOutHeader says whether header names an opt-out (unsubscribed, do not
// contact, 拒收, 退订).
func optOutHeader(header string) bool {
	return headerHas(foldedOptOut(), header)
}

// adWords name ads or their measurement in a consent's header.
var adWords = []string{"ad", "ads", "advert", "adverts", "advertising", "advertisement", "advertisements", "measurement", "measure",
	"廣告", "广告", "成效", "效果"}

var foldedAdWords = sync.OnceValue(func() []string { return foldAll(adWords) })

// adMeasurementHeader says whether header names ads or their measurement
// ("Ads consent", "AdConsent", 廣告成效同意).
func adMeasurementHeader(header string) bool {
	return headerHas(foldedAdWords(), header)
}

// anotherPersonHeader says whether header names someone other than the
// patient (otherPeople).
func anotherPersonHeader(header string) bool {
	return headerHas(foldedOthers(), header)
}

// hasTerm reports whether a header split by normHeader has one of the
// folded terms: a CJK term anywhere, a word as a word, a phrase as its
// words in order ("do not contact"), and a term of four letters or more
// inside a header written as one word ("birthdate", "adconsent",
// "DoNotContact").
func hasTerm(terms, hw []string, hj string) bool {
	for _, fv := range terms {
		if isCJK([]rune(fv)[0]) {
			if strings.Contains(hj, fv) {
				return true
			}
			continue
		}
		words := strings.Fields(fv)
		if containsWords(hw, words) {
			return true
		}
		if j := strings.Join(words, ""); len(j) >= 4 && len(hw) == 1 && strings.Contains(hj, j) {
			return true
		}
	}
	return false
}

// keyOrder is the order keys are decided in when scores tie: the columns
// that decide what is sent first.
var keyOrder = []string{"order_id", "consent", "status", "appointment_at", "appointment_date", "appointment_time",
	"email", "phone", "consent_at", "patient_key", "first_name", "last_name", "postal_code", "value", "currency", platform.KeyGCLID,
	platform.KeyFBCLID, "source"}

// headerWordList lists every header term, for finding the header line.
func headerWordList() []string {
	var out []string
	for _, k := range keyOrder {
		out = append(out, headerTerms[k]...)
	}
	return out
}

// normHeader folds a header for comparison (NFKC, case) and splits it into
// words: camelCase, snake_case, punctuation and spaces separate them, and
// a bracketed qualifier ("(patfield)", "（選填）") is dropped. CJK text
// stays one word: it has no spaces to split on.
func normHeader(h string) []string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "\uFEFF")
	h = dropBracketed(h)
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, consent.Fold(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(h)
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// AdConsent → ad consent; AptDateTime → apt date time; but
			// "ID" and "MRN" stay whole.
			if unicode.IsUpper(r) && i > 0 && unicode.IsLower(rs[i-1]) {
				flush()
			}
			if isCJK(r) != (len(cur) > 0 && isCJK(cur[len(cur)-1])) && len(cur) > 0 {
				flush()
			}
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// dropBracketed removes (…), （…）, […] and 【…】 parts, unless nothing
// else is left.
func dropBracketed(h string) string {
	var b strings.Builder
	depth := 0
	for _, r := range h {
		switch r {
		case '(', '（', '[', '【':
			depth++
			continue
		case ')', '）', ']', '】':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return h
	}
	return b.String()
}

func isCJK(r rune) bool { return unicode.Is(unicode.Han, r) }

// headerScore says how well header names key: 1 for a known name (any
// spacing or case), less for a header that contains a known term among
// other words ("AdConsent (patfield)", "行銷同意", "到诊状态"), scaled by how
// much of the header the term covers, and less again for a near-miss
// spelling ("stauts"). 0 when nothing fits.
func headerScore(key, header string) float64 {
	hw := normHeader(header)
	return scoreNorm(key, hw, strings.Join(hw, ""))
}

// scoreNorm is headerScore for a header already split by normHeader.
func scoreNorm(key string, hw []string, hj string) float64 {
	if len(hw) == 0 || vetoedNorm(key, hw, hj) {
		return 0
	}
	hRunes := len([]rune(hj))
	best := 0.0
	for _, t := range normTerms()[key] {
		switch {
		case t.joined == hj:
			return 1
		case containsWords(hw, t.words):
			best = max(best, 0.6+0.35*float64(t.runes)/float64(hRunes))
		case t.cjk && t.runes >= 2 && strings.Contains(hj, t.joined):
			best = max(best, 0.6+0.35*float64(t.runes)/float64(hRunes))
		case !t.cjk && t.runes >= 4 && joinedAtWordStart(hw, t.joined):
			// "appttime", "APPTSTATUS": a header written without the case
			// or separators that split it into words.
			best = max(best, 0.6+0.3*float64(t.runes)/float64(hRunes))
		case t.runes >= 5 && hRunes >= 5 && abs(t.runes-hRunes) <= 1 && editdistance.OSA(hj, t.joined) == 1:
			// One typo — a letter wrong, missing, extra or two swapped
			// ("stauts") — in a word long enough that one edit cannot
			// make another word ("state" is two edits from "status").
			best = max(best, 0.65)
		case !t.cjk && containsWordsTypo(hw, t.words):
			// The same typo in one word of a longer header
			// ("Appointment Prcie").
			best = max(best, 0.6+0.25*float64(t.runes)/float64(hRunes))
		}
	}
	return best
}

// joinedAtWordStart: term, a header term written as one word, is inside a
// header written as one word ("APPTSTATUS"), or starts at one of a longer
// header's words ("Mobile PhoneNumber"); never in the middle of a word of
// a header with separators ("cell" in "cancelled_at").
func joinedAtWordStart(hw []string, term string) bool {
	if len(hw) == 1 {
		return strings.Contains(hw[0], term)
	}
	for i := range hw {
		if strings.HasPrefix(strings.Join(hw[i:], ""), term) {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// normTerm is a header term normalised once (normHeader), so that scoring
// a header against every term does not normalise the terms again.
type normTerm struct {
	words  []string
	joined string
	runes  int
	cjk    bool
}

var normTerms = sync.OnceValue(func() map[string][]normTerm {
	m := map[string][]normTerm{}
	for key, terms := range headerTerms {
		for _, term := range terms {
			tw := normHeader(term)
			tj := strings.Join(tw, "")
			if tj == "" {
				continue
			}
			m[key] = append(m[key], normTerm{words: tw, joined: tj, runes: len([]rune(tj)), cjk: isCJK([]rune(tj)[0])})
		}
	}
	return m
})

// isHeaderWord reports whether a header cell is one of hashgate's header
// words: an exact name it knows (headerWords), or a name that scores for a
// config key by similarity ("AdConsent (patfield)", "行銷同意", "到诊状态"),
// and is shaped like no identifier.
func isHeaderWord(c string) bool {
	if headerWords().Has(c) {
		return true
	}
	if printable.IdentifierShaped(c) || !printable.Safe(c) || len([]rune(c)) > printable.MaxRunes {
		return false
	}
	headerCache.Lock()
	known, ok := headerCache.m[c]
	headerCache.Unlock()
	if ok {
		return known
	}
	hw := normHeader(c)
	hj := strings.Join(hw, "")
	for _, key := range keyOrder {
		if scoreNorm(key, hw, hj) >= minScore {
			known = true
			break
		}
	}
	headerCache.Lock()
	if len(headerCache.m) >= 4096 {
		clear(headerCache.m) // bounded: the cells of the first lines of a few exports
	}
	headerCache.m[c] = known
	headerCache.Unlock()
	return known
}

// headerCache remembers isHeaderWord's answers: finding the header line
// asks about the same cells under every candidate delimiter.
var headerCache = struct {
	sync.Mutex
	m map[string]bool
}{m: map[string]bool{}}

// termWords are the words header names are made of (every term's and
// every other header's): a header word that is one of them is that word,
// not a typo of another ("name" is no misspelt "fname").
var termWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, ts := range normTerms() {
		for _, t := range ts {
			for _, w := range t.words {
				m[w] = true
			}
		}
	}
	for _, h := range otherHeaders {
		for _, w := range normHeader(h) {
			m[w] = true
		}
	}
	return m
})

// containsWordsTypo is containsWords allowing one word of five letters or
// more to be one edit (a swap included) away, unless the header's word is
// itself a word of hashgate's header names.
func containsWordsTypo(h, term []string) bool {
	if len(term) == 0 || len(term) > len(h) {
		return false
	}
	words := termWords()
	for i := 0; i+len(term) <= len(h); i++ {
		typos, ok := 0, true
		for j := range term {
			switch {
			case h[i+j] == term[j]:
			case len(term[j]) >= 5 && !words[h[i+j]] && abs(len(h[i+j])-len(term[j])) <= 1 && editdistance.OSA(h[i+j], term[j]) == 1:
				typos++
			default:
				ok = false
			}
			if !ok || typos > 1 {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// containsWords: every word of term appears, in order and adjacent, in h.
func containsWords(h, term []string) bool {
	if len(term) == 0 || len(term) > len(h) {
		return false
	}
	for i := 0; i+len(term) <= len(h); i++ {
		ok := true
		for j := range term {
			if h[i+j] != term[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
