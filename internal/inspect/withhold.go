package inspect

import (
	"slices"
	"strings"
	"sync"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/printable"
)

// Which columns never show a value, whatever the printing rule would allow:
// identifying columns (order id, e-mail, phone, names, patient key, click
// ids), fees, and clinical columns (treatment, procedure, diagnosis, notes)
// in any language.

// identifyingColumn judges, from its header cell and its values, whether a
// column holds people's data — names, e-mails, phones, chart numbers,
// notes — whose tokens no printed word may contain.
func identifyingColumn(header string, c Column) bool {
	switch top(c) {
	case ClassVocabulary, ClassBoolean:
		return false // yes/no, statuses: hashgate's words, whatever the header says
	}
	// Another person's e-mail or phone is a person's data all the same,
	// though no key maps it.
	if identifyingHeaders().Has(header) || clinicalHeader(header) || contactOfAnother(header) || idDocumentHeader(header) || top(c) == ClassNationalID {
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
		if c.Header == "" || mapped[c.Header] || identifyingHeaders().Has(c.Header) || clinicalHeader(c.Header) || idDocumentHeader(c.Header) {
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
	"postal_code": true, "patient_key": true, platform.KeyGCLID: true, platform.KeyFBCLID: true, "value": true,
}

// identifyingHeaders name columns of people and free text that map to no
// key: patients' and staff names, notes, addresses, birthdays, national ids.
// Built on first use, as inspect's other tables (see vocabulary).
var identifyingHeaders = sync.OnceValue(func() *printable.Vocabulary { return printable.NewVocabulary(identifyingHeaderNames) })

var identifyingHeaderNames = []string{
	"name", "full name", "patient", "patient name", "client", "client name", "first", "last", "given", "family", "middle name", "nickname",
	"birthday", "birthdate", "dob", "date of birth", "address", "address1", "address2", "street",
	"note", "notes", "remark", "remarks", "comment", "comments", "memo", "description",
	"doctor", "dentist", "provider", "practitioner", "therapist", "staff", "referred by", "referrer",
	"姓名", "病患姓名", "患者姓名", "客戶姓名", "客户姓名", "病人", "患者", "生日", "出生日期", "地址", "住址",
	"備註", "备注", "說明", "说明", "附註", "附注", "醫師", "医师", "醫生", "医生", "主治醫師", "主治医师", "治療師", "治疗师",
	"介紹人", "介绍人", "推薦人", "推荐人", "身分證", "身份證", "身份证", "身分證字號", "健保卡號", "微信", "line 名稱", "line id",
}

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
