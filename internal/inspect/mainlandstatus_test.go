package inspect

import "testing"

// TestMainlandStatusWords: a review of mainland exports (维乐口腔's
// 到诊明细表, 领健 e看牙, a HIS) found 取消(客户), 未就诊 and 待到店 unknown to
// config init, and 门诊号 not proposed as the patient key.
func TestMainlandStatusWords(t *testing.T) {
	for w, want := range map[string]StatusClass{
		"取消(客户)": StatusCancelled, "取消（客户）": StatusCancelled, "取消(診所)": StatusCancelled,
		"未就诊": StatusNoShow, "未就診": StatusNoShow, "待到店": StatusPending,
	} {
		if got := ClassOf(w); got != want {
			t.Errorf("%q: class %v, want %v", w, got, want)
		}
	}
	for _, h := range []string{"门诊号", "門診號"} {
		if headerScore("patient_key", h) < minScore {
			t.Errorf("%q: not proposed as the patient key", h)
		}
	}
}
