package inspect

import (
	"slices"

	"github.com/hashgate/hashgate/internal/consent"
)

// The channel report's other outcomes: status words meaning the patient
// missed the appointment, and words meaning it was called off, from the
// systems of clinic-exports.md in English, 繁體中文 and 简体中文. Each is
// also a status word (statusWords, moreStatusWords), so it is printable.
var (
	noShowWords    = []string{"no show", "no-show", "noshow", "missed", "broken", "did not arrive", "未到", "爽約", "失約", "爽约", "未到店", "未到诊", "失约"}
	cancelledWords = []string{"cancelled", "canceled", "late canceled", "已取消", "取消"}
)

// NoShowChoices are the status values hashgate reads as a no-show
// (conversion.no_show_statuses), most frequent first.
func (p *Profile) NoShowChoices() []Choice {
	return p.outcomeChoices(noShowWords, "the patient did not come")
}

// CancelledChoices are the status values hashgate reads as a cancellation
// (conversion.cancelled_statuses), most frequent first.
func (p *Profile) CancelledChoices() []Choice {
	return p.outcomeChoices(cancelledWords, "the appointment was called off")
}

func (p *Profile) outcomeChoices(words []string, note string) []Choice {
	var out []Choice
	for _, v := range p.printableValues("status") {
		if slices.ContainsFunc(words, func(w string) bool { return consent.Fold(w) == consent.Fold(v.Name) }) {
			out = append(out, Choice{Value: v.Name, Count: v.Count, Chosen: true, Note: note})
		}
	}
	return out
}
