package inspect

import (
	"sync"

	"github.com/hashgate/hashgate/internal/consent"
)

// StatusClass is what an appointment status word says happened.
type StatusClass int

// The classes of clinic-exports.md §a.3. Only StatusVisit rows are
// conversions; the others exist so that config init can say what a word is
// read as (and, later, propose no_show and cancelled lists).
const (
	StatusUnknown StatusClass = iota
	StatusVisit
	StatusNoShow
	StatusCancelled
	StatusPending
)

// Note is how config init explains a class beside a word.
func (c StatusClass) Note() string {
	switch c {
	case StatusVisit:
		return "the patient came"
	case StatusNoShow:
		return "a no-show"
	case StatusCancelled:
		return "a cancellation"
	case StatusPending:
		return "not yet a visit (booked, pending)"
	}
	return "not a word hashgate knows"
}

// statusVocabulary holds the appointment status words of the systems in
// clinic-exports.md §a.3 and testdata/exports, by class: Open Dental
// (Complete, Broken), OpenEMR list titles, Cliniko and Jane (Arrived, Did
// not arrive), SimplePractice (Show, Late Canceled), Curve (Missed),
// Dental4Windows (FTA, UTA), Taiwanese and mainland clinics, and group-buy
// channels (美团: 已核销 — the voucher was redeemed at the clinic). A new
// class or word is one line here.
var statusVocabulary = map[StatusClass][]string{
	StatusVisit: {"completed", "complete", "done", "checked out", "checked-out", "arrived", "fulfilled", "show", "attended",
		"seen", "checked in", "checked-in", "in chair", "kept",
		"已完成", "已報到", "完診", "已到診", "到診", "已就診", "完成", "已看診", "看診完畢", "已到店",
		"已到诊", "到店", "到诊", "已就诊", "已看诊", "已核销", "已核銷", "已消费", "已消費"},
	// Open Dental's Broken is a missed or a cancelled appointment (the
	// break workflow charts D9986 or D9987); the channel report counts it
	// as a no-show, the outcome it is more often.
	StatusNoShow: {"no show", "no-show", "noshow", "missed", "broken", "did not arrive", "did not attend", "dna", "fta", "failed",
		"未到", "爽約", "失約", "未到診", "未報到", "未到店", "爽约", "失约", "未到诊",
		// 未就诊 (not seen): a mainland export's no-show; an appointment
		// still to come is pending by --as-of whatever its word.
		"未就诊", "未就診"},
	StatusCancelled: {"cancelled", "canceled", "late canceled", "late cancelled", "clinician canceled", "uta",
		"已取消", "取消", "已退款", "退款", "已退費",
		// Who cancelled, in brackets (a mainland HIS): full-width brackets
		// fold to these.
		"取消(客户)", "取消(客戶)", "取消(患者)", "取消(诊所)", "取消(診所)", "客户取消", "客戶取消", "患者取消", "诊所取消", "診所取消"},
	StatusPending: {"scheduled", "confirmed", "planned", "pending", "booked", "rescheduled", "none", "unconfirmed",
		"預約中", "待診", "預約", "改約", "待到診", "待到诊", "改约", "待确认", "已确认", "预约中", "未核销", "未核銷", "未消费",
		"待到店", "待就诊", "待就診"},
}

// visitKinds are words of what kind a visit is — a first visit, a
// return visit — not of whether the patient came: 维乐口腔's 到诊明细表
// (his.wellekq.com/article/255) writes 复诊/初诊 under 状态. They are shown
// (config init names them), never counted as status words: a column of
// them is set aside, not mapped as the status (WhyVisitKind), since a
// status list of one kind dropped the other's visits. 复诊 and 複診 are
// channel words too (printable's Returning group).
var visitKinds = []string{"初诊", "初診", "复诊", "複診", "首诊", "首診", "first visit", "return visit"}

var visitKindIndex = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range visitKinds {
		m[consent.Fold(w)] = true
	}
	return m
})

func isVisitKind(w string) bool { return visitKindIndex()[consent.Fold(w)] }

// statusIndex is built on first use, as inspect's other tables (see
// vocabulary).
var statusIndex = sync.OnceValue(func() map[string]StatusClass {
	m := map[string]StatusClass{}
	for c, ws := range statusVocabulary {
		for _, w := range ws {
			m[consent.Fold(w)] = c
		}
	}
	return m
})

// ClassOf returns the class of a status word (StatusUnknown when it is
// none of hashgate's).
func ClassOf(w string) StatusClass { return statusIndex()[consent.Fold(w)] }

func allStatusWords() []string {
	var out []string
	for _, c := range []StatusClass{StatusVisit, StatusNoShow, StatusCancelled, StatusPending} {
		out = append(out, statusVocabulary[c]...)
	}
	return out
}

func isStatusWord(w string) bool    { return ClassOf(w) != StatusUnknown }
func isCompletedWord(w string) bool { return ClassOf(w) == StatusVisit }
