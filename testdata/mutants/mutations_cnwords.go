package main

// cnwordsMutations hold the mends of a review that played a mainland
// clinic's night (GB18030 exports of 维乐口腔, 领健 e看牙 and a HIS):
// national IDs proposed as the phone, mainland "no" words accepted as
// consent, unknown source words silent in the channel report.
var cnwordsMutations = register([]mutation{
	{
		Name:     "inspect/national-id-read-as-phone",
		Why:      "a 证件号码 column of 18- and 15-digit 居民身份证 numbers would be classed \"phone, other\" and, with no phone header, proposed as the phone by format",
		File:     "internal/inspect/classify.go",
		Old:      "if identifier.NationalID(f) {",
		New:      "if false && identifier.NationalID(f) {",
		Packages: []string{"./internal/inspect"},
		Run:      "TestNationalIDsAreNoPhones",
	},
	{
		Name:     "inspect/id-header-no-veto",
		Why:      "身份证号码, 证件号码, 护照号 would not veto the phone, e-mail, order id and patient key",
		File:     "internal/inspect/nationalid.go",
		Old:      `"身份证", "身份證", "身分證", "身分证", "证件", "證件",`,
		New:      `"身份证x", "身份證x", "身分證x", "身分证x", "证件x", "證件x",`,
		Packages: []string{"./internal/inspect"},
		Run:      "TestNationalIDsAreNoPhones",
	},
	{
		Name:     "identifier/taiwan-id-hashed-as-phone",
		Why:      "a Taiwanese ID A123456789 mapped as the phone under region TW would be hashed and sent as +886123456789",
		File:     "internal/identifier/phone.go",
		Old:      "(s[0]|0x20) <= 'z' && NationalID(s) {",
		New:      "(s[0]|0x20) <= 'z' && NationalID(s) && false {",
		Packages: []string{"./internal/identifier"},
		Run:      "TestNationalIDsAreNoPhones",
	},
	{
		Name:     "identifier/id18-check-character-ignored",
		Why:      "18 digits with a wrong check character would be taken for a national ID: an ID class that proves nothing",
		File:     "internal/identifier/nationalid.go",
		Old:      "return f[17] == want || want == 'x' && f[17] == 'X'",
		New:      "return f[17] == want || true",
		Packages: []string{"./internal/inspect"},
		Run:      "TestNationalIDsAreNoPhones",
	},
	{
		Name:     "consent/cancelled-authorisation-grantable",
		Why:      "取消授权 (authorisation cancelled) would pass config validate in consent.granted and send the patients who withdrew",
		File:     "internal/consent/consent.go",
		Old:      `"已取消同意", "取消授权", "取消授權",`,
		New:      `"已取消同意", "取消授权x", "取消授權x",`,
		Packages: []string{"./internal/consent"},
		Run:      "TestMainlandNoWords",
	},
	{
		Name:     "consent/wechat-call-consent-grants",
		Why:      "同意(微信), 同意仅电话 — consent to WeChat or a call — would pass as consent to ad measurement",
		File:     "internal/consent/consent.go",
		Old:      `"电话", "電話", "微信", "wechat", "回访", "回訪",`,
		New:      `"电话x", "電話x", "微信x", "wechatx", "回访x", "回訪x",`,
		Packages: []string{"./internal/consent"},
		Run:      "TestMainlandNoWords",
	},
	{
		Name:     "consent/domestic-only-grants",
		Why:      "同意(境内), 同意但不外传 — a no to handing identifiers to platforms abroad — would be grantable and excluded only as unknown",
		File:     "internal/consent/consent.go",
		Old:      "if containsAny(v, scopeMarkers) || containsAny(v, domesticMarkers) || containsWord(v, boundMarkers) {",
		New:      "if containsAny(v, scopeMarkers) || containsWord(v, boundMarkers) {",
		Packages: []string{"./internal/consent"},
		Run:      "TestMainlandNoWords",
	},
	{
		Name:     "consent/partial-consent-grantable",
		Why:      "部分同意 and 未签署 would pass config validate in consent.granted",
		File:     "internal/consent/consent.go",
		Old:      "if containsAny(v, notGrantedMarkers) {",
		New:      "if false && containsAny(v, notGrantedMarkers) {",
		Packages: []string{"./internal/consent"},
		Run:      "TestMainlandNoWords",
	},
	{
		Name:     "consent/channel-word-inside-a-word",
		Why:      "\"Yes (online form)\" would be refused as a LINE-only consent if short English channel words matched inside words",
		File:     "internal/consent/consent.go",
		Old:      "if (j == 0 || !letter(v[j-1])) && (j+len(w) == len(v) || !letter(v[j+len(w)])) {",
		New:      "if (j == 0 || !letter(v[j-1]) || true) && (j+len(w) == len(v) || !letter(v[j+len(w)])) {",
		Packages: []string{"./internal/consent"},
		Run:      "TestMainlandNoWords",
	},
})
