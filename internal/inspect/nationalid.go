package inspect

import "sync"

// National identity numbers (居民身份证, 身分證字號) are classed by their
// shape (identifier.NationalID): all digits, read as a phone they were
// "phone, other", and with no phone header config init proposed a mainland
// clinic's 证件号码 as the phone by format (a review). Hashed and sent as a
// phone, an ID that parsed as a possible number would hand the platform a
// hash of someone's national ID. Their own class is never a phone, and
// their header words veto the identifier keys (idDocumentTerms).

// idDocumentTerms are header words of an identity document's number:
// 身份证号码, 证件号码, 护照号, 社保卡号, "ID card", "passport", "SSN". Such a
// column is never the phone, e-mail, order id or patient key, whatever its
// values look like, and no value of it is printed.
var idDocumentTerms = []string{"身份证", "身份證", "身分證", "身分证", "证件", "證件", "护照", "護照", "医保卡", "醫保卡", "社保卡", "健保卡",
	"居留证", "居留證", "id card", "idcard", "passport", "national id", "ssn", "social security"}

var foldedIDDocument = sync.OnceValue(func() []string { return foldAll(idDocumentTerms) })

// idDocumentHeader says whether header names an identity document's number
// (idDocumentTerms).
func idDocumentHeader(header string) bool { return headerHas(foldedIDDocument(), header) }
