package inspect

// The channel report's other outcomes: status words of hashgate's
// vocabulary (statusVocabulary) whose class says the patient missed the
// appointment, or that it was called off. A word is proposed for one list
// only, by its class.

// NoShowChoices are the status values hashgate reads as a no-show
// (conversion.no_show_statuses), most frequent first.
func (p *Profile) NoShowChoices() []Choice {
	return p.outcomeChoices(StatusNoShow, "the patient did not come")
}

// CancelledChoices are the status values hashgate reads as a cancellation
// (conversion.cancelled_statuses), most frequent first.
func (p *Profile) CancelledChoices() []Choice {
	return p.outcomeChoices(StatusCancelled, "the appointment was called off")
}

func (p *Profile) outcomeChoices(class StatusClass, note string) []Choice {
	var out []Choice
	for _, v := range p.printableValues("status") {
		if cl, label := p.statusClass(v.Name); cl == class {
			out = append(out, Choice{Value: v.Name, Count: v.Count, Chosen: true, Class: class, Note: note + presetNote(p.Preset, label)})
		}
	}
	return out
}
