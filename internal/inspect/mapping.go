package inspect

import (
	"slices"
	"sort"
	"strings"

	"github.com/hashgate/hashgate/internal/consent"
)

// minScore is the least a column must score to be proposed for a key.
const minScore = 0.6

// evidence is what a column's values say about it, as fractions of its
// filled cells.
type evidence struct {
	consentWords float64 // yes/no/同意/不同意/Y/N…
	statusWords  float64 // completed/no show/已完成/爽约…
	visitKinds   float64 // 初诊/复诊: kinds of visit, not outcomes
	dates        float64 // any date or date-time class
	dateTimes    float64 // date and time in one cell
	serials      float64 // five-digit numbers: Excel dates or ids
	times        float64 // clock times only
	ids          float64 // integers and codes
	distinctHigh bool    // (nearly) one value per row
	// repeated: more than one cell in five of the sample repeats an
	// earlier one (two at least). An export's reschedules and re-exported
	// rows repeat an appointment id in about one row in ten
	// (testdata/channels); Zenoti's group id, in one of two.
	repeated bool
	filled   bool // at least one cell is filled
}

func valueEvidence(c Column) evidence {
	var e evidence
	if c.Filled == 0 {
		return e
	}
	n := float64(c.Filled)
	e.filled = true
	for _, v := range c.Vocabulary {
		switch {
		case isStatusWord(v.Name):
			e.statusWords += float64(v.Count) / n
		case isConsentWord(v.Name):
			e.consentWords += float64(v.Count) / n
		case isVisitKind(v.Name):
			e.visitKinds += float64(v.Count) / n
		}
	}
	for _, s := range c.Classes {
		f := float64(s.Count) / n
		switch s.Name {
		case ClassDateTimeISO, ClassDateTimeROC, ClassDateTimeCJK, ClassDateTimeMDY:
			e.dates += f
			e.dateTimes += f
		case ClassDateISO, ClassDateROC, ClassDateROCCompact, ClassDateMinguo,
			ClassDateCJK, ClassDateNoYear, ClassDateMDY:
			e.dates += f
		case ClassExcelSerial: // a five-digit number: a date only where the header says so
			e.serials += f
			e.ids += f
		case ClassTime, ClassTimeAMPM, ClassTimeCJK:
			e.times += f
		case ClassInteger, ClassID:
			e.ids += f
		}
	}
	// A Column without a sample (built by hand) is judged by its
	// distinct values alone.
	e.repeated = c.Sampled > 0 && c.Repeats >= 2 && c.Repeats*5 > c.Sampled ||
		c.Sampled == 0 && !c.Many && c.Filled-c.Distinct >= 2 && c.Distinct*5 < c.Filled*4
	e.distinctHigh = !e.repeated && (c.Many || (c.Filled >= 3 && c.Distinct*10 >= c.Filled*9))
	return e
}

// adjust weighs a header score by what the values say: a column named
// like the consent column but holding dates is consent_at; a column named
// nothing in particular but holding 同意/不同意 is the consent column.
func adjust(key, header string, score float64, e evidence) float64 {
	switch key {
	case "consent":
		switch {
		case e.consentWords >= 0.5:
			score += 0.3
		case e.dates+e.times >= 0.5 || e.statusWords >= 0.5:
			score -= 0.5
		}
	case "status":
		switch {
		case e.statusWords >= 0.5:
			score += 0.3
		case visitKindsOnly(e):
			// 复诊/初诊 under 状态: what kind of visit, not whether it
			// happened (setAside says so).
			score -= 0.5
		case e.consentWords >= 0.5 && arrivalFlag(header):
			// An arrival flag of true/false (Cliniko's patient_arrived,
			// which hashgate's own preset maps as the status): its
			// values are yes/no words, and its name says what they are.
		case e.consentWords >= 0.5 && e.statusWords == 0, e.dates >= 0.5:
			score -= 0.5
		}
	case "appointment_at":
		switch {
		case e.dateTimes >= 0.5, e.serials >= 0.5:
			score += 0.2
		case e.dates >= 0.5: // dates alone: appointment_date, unless nothing better
		case e.times >= 0.5, e.consentWords+e.statusWords >= 0.5, e.ids >= 0.8:
			score -= 0.5
		}
	case "appointment_date", "consent_at":
		switch {
		case e.dates >= 0.5 && (key == "consent_at" || e.dateTimes < 0.5):
			score += 0.2
		case e.dates+e.serials < 0.5 && (e.consentWords+e.statusWords >= 0.5 || e.ids >= 0.8 || e.times >= 0.5):
			score -= 0.5
		}
	case "appointment_time":
		switch {
		case e.times >= 0.5:
			score += 0.2
		case e.dates >= 0.5, e.consentWords+e.statusWords >= 0.5:
			score -= 0.5
		case e.filled && e.times+e.serials < 0.2:
			// A form's slot (上午/下午, 希望時段) or a duration ("125秒"):
			// no clock time, and no row would parse.
			score -= 0.5
		}
	case "email", "phone":
		// A column of yes/no or status words is a flag about e-mail or
		// phone ("Email Remniders": Yes), whatever its header's typo
		// lets past the vetoes, never an address or a number.
		if e.consentWords+e.statusWords >= 0.5 {
			score -= 0.5
		}
	case "order_id", "patient_key":
		switch {
		case e.dates+e.times >= 0.5 || e.consentWords+e.statusWords >= 0.5:
			score -= 0.5
		case key == "order_id" && e.distinctHigh:
			score += 0.1
		case key == "order_id" && e.repeated:
			// Not nearly one value per row: Zenoti's "appointment group
			// id" (the services booked together). Every repeat would be
			// dropped as duplicate_order, and one row's refusal would
			// withdraw the others (consent_refused_order): asked instead.
			score -= 0.5
		}
	}
	return score
}

// visitKindsOnly: most of the column's filled cells are kinds of visit
// (初诊/复诊), and none is a status word.
func visitKindsOnly(e evidence) bool { return e.visitKinds >= 0.5 && e.statusWords == 0 }

// byValues proposes keys no header names, from the values alone: a
// column of status words is a status column. Never the consent: yes/no is
// what a first-visit flag (是否初诊), a booked_via_api, a Canceled and a
// reminder-sent column hold too, and which of them became the consent
// depended on column order (consentCandidates lists them instead).
func byValues(key string, e evidence) (float64, string) {
	if key == "status" && e.statusWords >= 0.8 {
		return minScore, "by its values (status words)"
	}
	return 0, ""
}

// consentCandidateShare is the share of a column's filled cells that must
// be consent words (yes/no, 是/否, true/false) for it to be offered as a
// consent column.
const consentCandidateShare = 0.8

// consentCandidates are the columns a person may mean as the consent when
// no header names one: unmapped, filled, mostly consent words, and named
// nothing that rules consent out (an SMS consent, an opt-out, a consent to
// care), nothing another key is proposed for by its name, and no
// appointment outcome (Cliniko's "Patient Arrived", "Did Not Arrive": the
// review that found them offered). config init lists them under the
// consent's ASK; none is mapped.
func consentCandidates(cols []Column, proposed []Mapping) []string {
	if has(proposed, "consent") {
		return nil
	}
	mapped := map[string]bool{}
	for _, m := range proposed {
		for _, h := range m.Headers {
			mapped[h] = true
		}
	}
	var out []string
	for _, c := range cols {
		if c.Header == "" || mapped[c.Header] || c.Filled == 0 || vetoed("consent", c.Header) || ConsentHeaderProblem(c.Header) != "" ||
			namesAnotherKey(c.Header) {
			continue
		}
		if valueEvidence(c).consentWords >= consentCandidateShare {
			out = append(out, c.Header)
		}
	}
	return out
}

// namesAnotherKey says whether header would be proposed for a key other
// than the consent by its name.
func namesAnotherKey(header string) bool {
	for _, key := range keyOrder {
		if key != "consent" && headerScore(key, header) >= minScore {
			return true
		}
	}
	return false
}

// anyFilled: the export has rows with a cell filled, so that a column
// without one is known to be empty (an export of only its header line
// still gets its columns proposed by name).
func anyFilled(cols []Column) bool {
	return slices.ContainsFunc(cols, func(c Column) bool { return c.Filled > 0 })
}

// proposeMapping maps config keys to columns: every (key, column) pair is
// scored by header similarity (headerScore) weighed by the values
// (adjust), and pairs are taken best first, each column once and each key
// once (email and phone take every column that qualifies). Columns left
// over are then tried by format (email, phone) and by values (consent,
// status). An export without an appointment id gets the chart number,
// date and time as its order key.
func proposeMapping(cols []Column) []Mapping {
	var cands []cand
	evs := make([]evidence, len(cols))
	rows := anyFilled(cols)
	for i, c := range cols {
		evs[i] = valueEvidence(c)
		if c.Header == "" {
			continue
		}
		empty := rows && c.Filled == 0
		for _, key := range keyOrder {
			// A column empty in every row is no key's that every row
			// needs (Square's Reference ID proposed as the order id
			// excluded every row); an optional one — gclid, fbclid,
			// consent_at, empty on the first day — is still mapped by its
			// header, or the click ids of later nights would never be
			// read (a review of the day's diff).
			if empty && everyRowNeeds(key) {
				continue
			}
			s := headerScore(key, c.Header)
			if s == 0 {
				continue
			}
			why := "by header name"
			if s < 1 {
				why = "by header similarity"
			}
			if s = adjust(key, c.Header, s, evs[i]); s >= minScore {
				cands = append(cands, cand{key, i, s, why})
			}
			// A "date" or "time" column whose cells hold both is the
			// appointment's date-time.
			if (key == "appointment_date" || key == "appointment_time") && evs[i].dateTimes >= 0.5 {
				cands = append(cands, cand{"appointment_at", i, headerScore(key, c.Header) + 0.2, why})
			}
		}
	}
	// A column empty in every row is mapped by its header only when no
	// filled column is a candidate for its key: 维乐口腔's empty 介绍人
	// outscored the filled 一级来源 as the source (a review).
	if rows {
		filledFor := map[string]bool{}
		for _, c := range cands {
			if cols[c.col].Filled > 0 {
				filledFor[c.key] = true
			}
		}
		cands = slices.DeleteFunc(cands, func(c cand) bool { return cols[c.col].Filled == 0 && filledFor[c.key] })
	}
	cands = preferPurposeConsent(cands, cols)
	preferChannelSources(cands, cols)
	rank := func(k string) int { return slices.Index(keyOrder, k) }
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].score != cands[b].score {
			return cands[a].score > cands[b].score
		}
		if cands[a].col != cands[b].col {
			return cands[a].col < cands[b].col
		}
		return rank(cands[a].key) < rank(cands[b].key)
	})
	used := map[int]bool{}
	var out []Mapping
	add := func(key, header, why string) {
		for i := range out {
			if out[i].Key == key {
				out[i].Headers = append(out[i].Headers, header)
				return
			}
		}
		out = append(out, Mapping{Key: key, Headers: []string{header}, Why: why})
	}
	take := func(c cand) {
		if used[c.col] || (has(out, c.key) && !listKeys[c.key]) {
			return
		}
		// order_id is a list only for composite keys built below; a second
		// column named like an order id is not part of the first.
		if c.key == "order_id" && has(out, c.key) {
			return
		}
		used[c.col] = true
		add(c.key, cols[c.col].Header, c.why)
	}
	for _, c := range cands {
		take(c)
	}
	for _, want := range []struct{ key, prefix string }{{"email", "email"}, {"phone", "phone"}} {
		if has(out, want.key) {
			continue
		}
		for i, c := range cols {
			// Not by format another person's: an emergency contact's
			// phone is a phone all the same. The header's other vetoes
			// are of flags (an SMS reminder's yes/no), which values
			// shaped like phone numbers disprove: Calendly's "Text
			// Reminder Number" is the invitee's phone.
			if c.Header != "" && !used[i] && strings.HasPrefix(top(c), want.prefix) && !anotherPersonHeader(c.Header) && !optOutHeader(c.Header) && !idDocumentHeader(c.Header) {
				used[i] = true
				add(want.key, c.Header, "by format")
			}
		}
	}
	if !has(out, "status") {
		for i, c := range cols {
			// Not by values what the header rules out: a payment
			// status is all status words too.
			if s, why := byValues("status", evs[i]); s > 0 && c.Header != "" && !used[i] && !vetoed("status", c.Header) {
				used[i] = true
				add("status", c.Header, why)
				break
			}
		}
	}
	// A column taken for the appointment's date-time whose cells hold no
	// date at all ("09:00-09:30", "9am": no clock time the default forms
	// read either), beside a column of dates, is the appointment's time:
	// the date stays, and a first run's date stop names the time column
	// and asks for its form (a review: the date column was dropped, and
	// time_formats could not help a column without dates).
	if has(out, "appointment_at") && has(out, "appointment_date") {
		at := mapped(out, "appointment_at")[0]
		for i, c := range cols {
			if e := evs[i]; c.Header == at && e.filled && e.dates+e.serials < 0.2 {
				out = drop(out, "appointment_time")
				for j := range out {
					if out[j].Key == "appointment_at" {
						out[j].Key, out[j].Why = "appointment_time", out[j].Why+"; no date in its cells, beside a date column"
					}
				}
				break
			}
		}
	}
	// A date-time column makes separate date and time columns redundant;
	// a time column alone is no appointment time.
	if has(out, "appointment_at") {
		out = drop(out, "appointment_date", "appointment_time")
	}
	if !has(out, "order_id") && has(out, "patient_key") {
		var key []string
		for _, k := range []string{"patient_key", "appointment_at", "appointment_date", "appointment_time"} {
			key = append(key, mapped(out, k)...)
		}
		if len(key) > 1 {
			out = append([]Mapping{{Key: "order_id", Headers: key, Why: "no appointment id: patient key + date + time"}}, out...)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return rank(out[a].Key) < rank(out[b].Key) })
	return out
}

// scopeHints sets the date hints from the columns they concern: the
// appointment and consent time columns proposed. A birth-date column in
// m/d/y does not make date_order REQUIRED, and a column of five-digit
// appointment numbers is no Excel date. Only when no appointment column
// was recognised do the hints speak for every column, since the user must
// then pick one by hand.
func (p *Profile) scopeHints() {
	var dateCols []Column
	for _, key := range []string{"appointment_at", "appointment_date", "consent_at"} {
		for _, h := range p.Mapped(key) {
			for _, c := range p.Columns {
				if c.Header == h {
					dateCols = append(dateCols, c)
				}
			}
		}
	}
	if !has(p.Proposed, "appointment_at") && !has(p.Proposed, "appointment_date") {
		dateCols = p.Columns
	}
	p.NeedDateOrder, p.NoYearDates, p.ROCDates, p.ExcelDates = false, false, false, false
	p.DateOrder, p.ZoneStated = "", false
	dayFirst, monthFirst, shortYear, numeric := 0, 0, 0, false
	p.ShortYearDates, p.UnreadDates = false, ""
	for _, c := range dateCols {
		dayFirst += c.DayFirst
		monthFirst += c.MonthFirst
		shortYear += c.ShortYear
		for _, s := range c.Classes {
			switch s.Name {
			case ClassDateMDY, ClassDateTimeMDY:
				numeric = true
			case ClassDateNoYear:
				p.NoYearDates = true
			case ClassDateROC, ClassDateROCCompact, ClassDateTimeROC, ClassDateMinguo:
				p.ROCDates = true
			case ClassExcelSerial:
				p.ExcelDates = true
			}
		}
	}
	// A day above 12 proves the order; both kinds, or neither, leave it
	// to the user.
	switch {
	case !numeric:
	case shortYear > 0:
		p.NeedDateOrder, p.ShortYearDates = true, true
	case monthFirst > 0 && dayFirst == 0:
		p.DateOrder = "mdy"
	case dayFirst > 0 && monthFirst == 0:
		p.DateOrder = "dmy"
	default:
		p.NeedDateOrder = true
	}
	// An appointment column whose values are mostly no date form read by
	// default needs input.time_formats: mapped silently, its config
	// excluded every row as invalid_time.
	for _, key := range []string{"appointment_at", "appointment_date"} {
		if c := p.column(key); c != nil && c.Filled > 0 {
			if e := valueEvidence(*c); e.dates+e.serials < 0.5 {
				p.UnreadDates = c.Header
			}
			break
		}
	}
	// Fees written with a decimal comma, in the column proposed for the
	// value: most of its filled cells.
	p.DecimalComma = false
	if c := p.column("value"); c != nil && c.Filled > 0 {
		n := 0
		for _, s := range c.Classes {
			if s.Name == ClassAmountDecimalComma {
				n += s.Count
			}
		}
		p.DecimalComma = n*2 > c.Filled
	}
	// The export states its zone when every appointment date-time carries
	// an offset.
	if at := p.column("appointment_at"); at != nil && at.Offsets > 0 && at.Offsets == at.Filled {
		p.ZoneStated = true
	}
}

func isConsentWord(w string) bool {
	f := consent.Fold(w)
	return slices.ContainsFunc(consent.Vocabulary(), func(v string) bool { return consent.Fold(v) == f })
}

// Choice is one value seen in a column, proposed or offered for a list in
// the config (consent.granted, conversion.statuses), with why.
type Choice struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	// Chosen: hashgate reads it as yes (granted) or as a visit (statuses);
	// the others are offered commented out.
	Chosen bool        `json:"chosen"`
	Class  StatusClass `json:"class,omitempty"` // status words only
	Note   string      `json:"note"`
}

// GrantedChoices lists the words of hashgate's consent vocabulary seen in
// the proposed consent column: yes-words chosen, the rest offered with what
// hashgate reads them as. Other values are never shown: Unshown("consent")
// counts them.
func (p *Profile) GrantedChoices() []Choice {
	var out []Choice
	for _, v := range p.printableValues("consent") {
		c := Choice{Value: v.Name, Count: v.Count}
		switch {
		case consent.IsGrantWord(v.Name):
			c.Chosen, c.Note = true, "means yes"
		case isConsentWord(v.Name):
			c.Note = "hashgate reads it as no, revoked or one channel only"
		default:
			c.Note = "not a consent word: add it only if it means the patient agreed to ad measurement"
		}
		out = append(out, c)
	}
	return chosenFirst(out)
}

// StatusChoices lists the words of hashgate's status vocabulary seen in the
// proposed status column, with their class (StatusClass): visit words
// chosen, the others offered. A new class of proposal (no_show,
// cancelled) reads the same Choice.Class.
func (p *Profile) StatusChoices() []Choice {
	var out []Choice
	for _, v := range p.printableValues("status") {
		cl, label := p.statusClass(v.Name)
		if cl == StatusUnknown && p.booleanStatus() {
			cl = boolStatusClass(v.Name)
		}
		c := Choice{Value: v.Name, Count: v.Count, Class: cl, Note: cl.Note() + presetNote(p.Preset, label)}
		c.Chosen = cl == StatusVisit
		out = append(out, c)
	}
	return chosenFirst(out)
}

// booleanStatus: the status column is an "arrived" flag of true/false
// (Cliniko's patient_arrived): its header names an arrival and every
// filled cell is a yes/no word ("true" is one of hashgate's consent words,
// so such a cell classes as a vocabulary word, not as ClassBoolean).
func (p *Profile) booleanStatus() bool {
	c := p.column("status")
	if c == nil || c.Filled == 0 {
		return false
	}
	if top(*c) == ClassBoolean {
		return true
	}
	n := 0
	for _, v := range c.Vocabulary {
		switch consent.Fold(v.Name) {
		case "true", "false", "yes", "no", "y", "n":
			n += v.Count
		}
	}
	return n == c.Filled && arrivalFlag(c.Header)
}

func boolStatusClass(w string) StatusClass {
	switch consent.Fold(w) {
	case "true", "yes", "y":
		return StatusVisit
	}
	return StatusNoShow
}

// Unshown is how many filled rows of key's proposed column hold a value
// that is not shown.
func (p *Profile) Unshown(key string) int {
	if c := p.column(key); c != nil {
		return c.Unshown
	}
	return 0
}

// chosenFirst puts the proposed values before the offered ones, each
// group most frequent first.
func chosenFirst(cs []Choice) []Choice {
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].Chosen && !cs[b].Chosen })
	return cs
}

// printableValues are the words of key's proposed column that may be
// shown: hashgate's own words (Vocabulary), nothing else.
func (p *Profile) printableValues(key string) []Share {
	if c := p.column(key); c != nil {
		return c.Vocabulary
	}
	return nil
}

// everyRowNeeds says whether key's column must hold a value on every row
// that counts: an empty one excludes them all (the consent, default-deny,
// too: an empty one is asked about, not mapped).
func everyRowNeeds(key string) bool {
	switch key {
	case "order_id", "appointment_at", "appointment_date", "appointment_time", "status", "consent":
		return true
	}
	return false
}
