package inspect

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// presetStatus is one status word of a preset in configs/presets that is no
// word of hashgate's own vocabulary: what hashgate reads it as, and what the
// system that writes it calls it.
type presetStatus struct {
	class StatusClass
	label string
}

// presetStatuses are the status words of the presets whose statuses are
// not words: OpenEMR's list apptstat writes one symbol per status in
// pc_apptstatus (shared/docs/clinic-exports.md, the OpenEMR row; openemr/
// openemr sql/database.sql). Read as configs/presets/openemr.yaml reads
// them: its conversion.statuses are the visits, and "x", "%", "?" and "!"
// are "never conversions" (TestPresetStatusesMatchThePresets keeps the two
// equal). The others are not yet a visit: "<" (in the exam room) becomes
// ">" once the patient is checked out. A symbol is printed because it is
// hashgate's own word (this table), never because a cell held it.
//
// Built on first use, as inspect's other tables (see vocabulary): every
// command links this package (cmd/hashgate's TestInitAllocationBudget).
var presetStatuses = sync.OnceValue(func() map[string]map[string]presetStatus {
	return map[string]map[string]presetStatus{
		"openemr": {
			">": {StatusVisit, "Checked out"},
			"$": {StatusVisit, "Coding done"},
			"@": {StatusVisit, "Arrived"},
			"~": {StatusVisit, "Arrived late"},
			"x": {StatusCancelled, "Canceled"},
			"%": {StatusCancelled, "Canceled < 24h"},
			"?": {StatusNoShow, "No show"},
			// Left without a visit: not seen, as a no-show is.
			"!": {StatusNoShow, "Left w/o visit"},
			"-": {StatusPending, "None"},
			"*": {StatusPending, "Reminder done"},
			"+": {StatusPending, "Chart pulled"},
			"#": {StatusPending, "Ins/fin issue"},
			"<": {StatusPending, "In exam room"},
		},
	}
})

// presetWordMax is the longest preset status word in bytes: a longer cell
// is none, judged without a lookup (add runs on every cell). A constant,
// not computed from the table at start-up (cmd/hashgate's init budget);
// TestPresetStatusesMatchThePresets holds every word to it.
const presetWordMax = 1

// presetTally counts, per preset, the column's cells that are one of its
// status words: at most the tables' few words, whatever the input.
type presetTally map[string]int

func (t *presetTally) add(cell string) {
	if len(cell) > presetWordMax {
		return
	}
	for name, words := range presetStatuses() {
		if _, ok := words[cell]; ok {
			if *t == nil {
				*t = presetTally{}
			}
			(*t)[name+"\x00"+cell]++
		}
	}
}

// choosePreset names the preset whose status words the status column
// holds: most of its filled cells are that preset's words (so fewer are
// hashgate's own status words: the two never overlap, which
// TestPresetStatusesMatchThePresets checks). A stray ">" among
// hashgate's words names no preset. The preset's words then join
// the column's shown words (they are hashgate's, from presetStatuses),
// no longer counted among the values not shown; config init reads them by
// the preset (statusClass) and suggests input.preset.
func (p *Profile) choosePreset(tallies func(col int) presetTally) {
	st := p.column("status")
	if st == nil || st.Filled == 0 {
		return
	}
	t := tallies(st.Index - 1)
	names := make([]string, 0, len(presetStatuses()))
	for name := range presetStatuses() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		rows := 0
		var words []Share
		for k, n := range t {
			if pre, w, _ := strings.Cut(k, "\x00"); pre == name {
				rows += n
				words = append(words, Share{w, n})
			}
		}
		if rows*2 <= st.Filled {
			continue
		}
		p.Preset = name
		for _, w := range words {
			if !slices.ContainsFunc(st.Vocabulary, func(v Share) bool { return v.Name == w.Name }) {
				st.Vocabulary = append(st.Vocabulary, w)
				st.Unshown -= w.Count
			}
		}
		sort.SliceStable(st.Vocabulary, func(i, j int) bool {
			if st.Vocabulary[i].Count != st.Vocabulary[j].Count {
				return st.Vocabulary[i].Count > st.Vocabulary[j].Count
			}
			return st.Vocabulary[i].Name < st.Vocabulary[j].Name
		})
		return
	}
}

// statusClass is what a status word of this export says: hashgate's own
// reading, else the chosen preset's.
func (p *Profile) statusClass(w string) (StatusClass, string) {
	if c := ClassOf(w); c != StatusUnknown {
		return c, ""
	}
	if ps, ok := presetStatuses()[p.Preset][w]; ok {
		return ps.class, ps.label
	}
	return StatusUnknown, ""
}

// presetNote names a preset word's meaning in its system, beside the
// class config init writes: "the patient came (openemr: Checked out)".
func presetNote(preset, label string) string {
	if label == "" {
		return ""
	}
	return " (" + preset + ": " + label + ")"
}
