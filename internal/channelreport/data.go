package channelreport

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/hashgate/hashgate/internal/channels"
	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/csvcell"
)

// WriteJSON writes the report as one JSON object:
//
//	{from, to, as_of, currency, min_cell, period, consented_only, not_for_sharing,
//	 weaker_than_default: [{key, value, default}], ltv_days, export_days_missing,
//	 platforms_without_spend: [{platform, reason}],
//	 new_patient_warnings: [{kind, from}],
//	 channels: [{name, platform, <every metric key>, spend_days_missing,
//	   incomplete, indistinct_from, suppressed, not_computed}],
//	 paid: {…}, total: {…},
//	 unmatched_sources: [{word, bookings, suppressed}],
//	 periods: [{from, to, incomplete_period, export_days_missing, channels, paid, total}]}
//
// Every metric key is always present: null when the figure is suppressed
// (its key is then in "suppressed"), cannot be computed (its key is then
// in "not_computed" with the reason: "cost_per_visit": "no_visits" for
// spend that bought no visit), or does not exist for the line.
// weaker_than_default lists the release settings below hashgate's default
// protection ([] for none, and for exact figures): {"key":
// "channels.min_cell", "value": 2, "default": 5}.
// spend_days_missing is null for a line no platform reports on;
// export_days_missing counts the span's days before --as-of that the
// export does not cover (the same for every line); incomplete lists the
// figures that divide spend with days missing, or set spend against the
// clinic's figures over a span the export covers in part.
// new_patient_warnings names, without a count, what makes new_patients
// count returning patients as new from a day on: {"kind":
// "patient_keys_changed", "from": "2026-09-01"} when patients counted new
// carry an e-mail or phone an earlier row carried under another patient
// key ([] for none).
func WriteJSON(w io.Writer, r *channels.Report) error {
	var b bytes.Buffer
	b.WriteString("{\n")
	field(&b, 1, "from", r.From.Format("2006-01-02"), true)
	field(&b, 1, "to", r.To.Format("2006-01-02"), true)
	var asOf any
	if !r.AsOf.IsZero() {
		asOf = r.AsOf.Format("2006-01-02")
	}
	field(&b, 1, "as_of", asOf, true)
	field(&b, 1, "currency", r.Currency, true)
	field(&b, 1, "min_cell", r.MinCell, true)
	field(&b, 1, "period", r.Period, true)
	field(&b, 1, "consented_only", r.ConsentedOnly, true)
	field(&b, 1, "not_for_sharing", r.NotForSharing, true)
	b.WriteString(`  "weaker_than_default": [`)
	for i, k := range r.Weaker {
		writeObject(&b, i, "key", k.Key, "value", k.Value, "default", k.Default)
	}
	b.WriteString("],\n")
	field(&b, 1, "ltv_days", r.LTVDays, true)
	field(&b, 1, "export_days_missing", r.ExportDaysMissing, true)
	b.WriteString(`  "platforms_without_spend": [`)
	for i, g := range r.SpendGaps {
		writeObject(&b, i, "platform", g.Platform, "reason", g.Reason)
	}
	b.WriteString("],\n")
	b.WriteString(`  "new_patient_warnings": [`)
	for i, w := range r.NewPatientWarnings {
		writeObject(&b, i, "kind", w.Kind, "from", w.From.Format("2006-01-02"))
	}
	b.WriteString("],\n")
	writeTableJSON(&b, 1, &r.Table)
	b.WriteString(`  "unmatched_sources": [`)
	for i, u := range r.Unmatched {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    {\"word\": ")
		writeJSONValue(&b, u.Word)
		b.WriteString(`, "bookings": `)
		if u.Bookings.State == channels.Shown {
			b.WriteString(machine(channels.Bookings, u.Bookings.V))
			b.WriteString(`, "suppressed": []}`)
		} else {
			b.WriteString(`null, "suppressed": ["bookings"]}`)
		}
	}
	if len(r.Unmatched) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]")
	if len(r.Periods) > 0 {
		b.WriteString(",\n  \"periods\": [")
		for i := range r.Periods {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n    {\n")
			field(&b, 3, "from", r.Periods[i].From.Format("2006-01-02"), true)
			field(&b, 3, "to", r.Periods[i].To.Format("2006-01-02"), true)
			field(&b, 3, "incomplete_period", r.Periods[i].IncompletePeriod, true)
			field(&b, 3, "export_days_missing", r.Periods[i].ExportDaysMissing, true)
			writeTableJSON(&b, 3, &r.Periods[i])
			b.Truncate(b.Len() - 2) // the table's trailing ",\n"
			b.WriteString("\n    }")
		}
		b.WriteString("\n  ]")
	}
	b.WriteString("\n}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// writeTableJSON writes channels, paid and total, each followed by ",\n".
func writeTableJSON(b *bytes.Buffer, depth int, t *channels.Table) {
	ind := strings.Repeat("  ", depth)
	b.WriteString(ind + `"channels": [`)
	for i := range t.Channels {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n" + ind + "  ")
		lineJSON(b, &t.Channels[i], true)
	}
	b.WriteString("\n" + ind + "],\n")
	b.WriteString(ind + `"paid": `)
	lineJSON(b, &t.Paid, false)
	b.WriteString(",\n" + ind + `"total": `)
	lineJSON(b, &t.Total, false)
	b.WriteString(",\n")
}

// lineJSON writes one line on one line of text, keys in metric order.
func lineJSON(b *bytes.Buffer, l *channels.Line, platform bool) {
	b.WriteString(`{"name": `)
	writeJSONValue(b, l.Name)
	if platform {
		b.WriteString(`, "platform": `)
		writeJSONValue(b, l.Platform)
	}
	for m := channels.Metric(0); m < channels.NumMetrics; m++ {
		b.WriteString(`, "` + m.Key() + `": `)
		if v := l.Values[m]; v.State == channels.Shown {
			b.WriteString(machine(m, v.V))
		} else {
			b.WriteString("null")
		}
	}
	b.WriteString(`, "spend_days_missing": `)
	if l.SpendDaysMissing == nil {
		b.WriteString("null")
	} else {
		writeJSONValue(b, *l.SpendDaysMissing)
	}
	b.WriteString(`, "incomplete": `)
	writeJSONValue(b, nonNil(l.Incomplete))
	b.WriteString(`, "indistinct_from": `)
	writeJSONValue(b, nonNil(l.IndistinctFrom))
	b.WriteString(`, "suppressed": `)
	writeJSONValue(b, l.Suppressed())
	b.WriteString(`, "not_computed": {`)
	for i, kv := range l.NotComputed() {
		if i > 0 {
			b.WriteString(", ")
		}
		writeJSONValue(b, kv[0])
		b.WriteString(": ")
		writeJSONValue(b, kv[1])
	}
	b.WriteString("}}")
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func field(b *bytes.Buffer, depth int, key string, v any, comma bool) {
	b.WriteString(strings.Repeat("  ", depth) + strconv.Quote(key) + ": ")
	writeJSONValue(b, v)
	if comma {
		b.WriteString(",")
	}
	b.WriteString("\n")
}

// writeObject writes the i-th object of a one-line array, {"k": v, …},
// from alternating keys and values (a comma before all but the first).
func writeObject(b *bytes.Buffer, i int, kv ...any) {
	if i > 0 {
		b.WriteString(", ")
	}
	b.WriteByte('{')
	for j := 0; j+1 < len(kv); j += 2 {
		if j > 0 {
			b.WriteString(", ")
		}
		writeJSONValue(b, kv[j].(string))
		b.WriteString(": ")
		writeJSONValue(b, kv[j+1])
	}
	b.WriteByte('}')
}

func writeJSONValue(b *bytes.Buffer, v any) {
	enc, _ := json.Marshal(v) // strings, numbers, bools and string lists
	b.Write(enc)
}

// WriteCSV writes one record per line (channels, Paid, Total) and period,
// then per line over the whole window; the first column, level, says
// which (period or window). The header is of snake_case keys. A suppressed small
// count is "<k", any other suppressed figure "suppressed", a figure that
// cannot be computed its reason ("no_visits"), a figure that does not
// exist is empty. A report released under a setting weaker than
// hashgate's default has a below_default_protection column naming it on
// every record. Every cell is formula-safe: a label that a
// spreadsheet would run as a formula gets a leading "'" (package csvcell,
// the rule every CSV hashgate writes follows).
//
// A CSV holding any character beyond ASCII (a Chinese channel name)
// starts with a UTF-8 byte-order mark: Excel on Windows reads a CSV
// without one in the machine's legacy code page and garbled 朋友介紹 when
// it was double-clicked. An ASCII CSV has none, so a program reading an
// English report sees the bytes it always did. hashgate's other CSVs
// write no mark: the manual-upload files are read by the platforms'
// importers, and the review CSV holds hashes, ids and event names.
func WriteCSV(w io.Writer, r *channels.Report) error {
	var buf bytes.Buffer
	if err := writeCSV(&buf, r); err != nil {
		return err
	}
	if !isASCII(buf.Bytes()) {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return err
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// utf8BOM is U+FEFF in UTF-8, the mark Excel reads a CSV's encoding from.
const utf8BOM = "\uFEFF"

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func writeCSV(w io.Writer, r *channels.Report) error {
	cw := csv.NewWriter(w)
	head := []string{"level", "from", "to", "channel", "platform"}
	for m := channels.Metric(0); m < channels.NumMetrics; m++ {
		head = append(head, m.Key())
	}
	head = append(head, "spend_days_missing", "export_days_missing", "incomplete_period")
	if r.Currency != "" {
		head = append(head, "currency")
	}
	if r.NotForSharing {
		head = append(head, "not_for_sharing")
	}
	weaker := lexicon["en"].weakerSettings(r, "; ")
	if weaker != "" {
		head = append(head, "below_default_protection")
	}
	head = append(head, "note")
	if err := cw.Write(head); err != nil {
		return err
	}
	tables := append(append([]channels.Table(nil), r.Periods...), r.Table)
	for ti, t := range tables {
		level := "period"
		if ti == len(tables)-1 {
			level = "window"
		}
		lines := append(append([]channels.Line(nil), t.Channels...), t.Paid, t.Total)
		for _, l := range lines {
			rec := []string{level, t.From.Format("2006-01-02"), t.To.Format("2006-01-02"), csvcell.Neutralise(l.Name), l.Platform}
			for m := channels.Metric(0); m < channels.NumMetrics; m++ {
				v := l.Values[m]
				switch v.State {
				case channels.Shown:
					rec = append(rec, machine(m, v.V))
				case channels.Small:
					rec = append(rec, "<"+strconv.Itoa(r.MinCell))
				case channels.Hidden:
					rec = append(rec, "suppressed")
				default:
					rec = append(rec, v.Why.Key()) // "" when the figure does not exist
				}
			}
			missing := ""
			if l.SpendDaysMissing != nil {
				missing = strconv.Itoa(*l.SpendDaysMissing)
			}
			rec = append(rec, missing, strconv.Itoa(t.ExportDaysMissing), strconv.FormatBool(t.IncompletePeriod))
			if r.Currency != "" {
				rec = append(rec, r.Currency)
			}
			if r.NotForSharing {
				rec = append(rec, "NOT FOR SHARING")
			}
			if weaker != "" {
				rec = append(rec, weaker)
			}
			note := ""
			if s := unmatchedList(r); level == "window" && l.Name == config.Unattributed && len(s) > 0 {
				note = fmt.Sprintf(unmatchedNote, strings.Join(s, ", "))
			}
			if err := cw.Write(append(rec, csvcell.Neutralise(note))); err != nil {
				return err
			}
		}
	}
	// How each ratio is computed, one record each after the table, of
	// level "definition": the text in note, every other cell empty but
	// those that mark every record (not_for_sharing,
	// below_default_protection).
	for _, d := range csvDefinitions(r) {
		rec := make([]string, len(head))
		rec[0], rec[len(rec)-1] = "definition", csvcell.Neutralise(d)
		if weaker != "" {
			rec[len(rec)-2] = weaker
		}
		if r.NotForSharing {
			rec[slices.Index(head, "not_for_sharing")] = "NOT FOR SHARING"
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// unmatchedNote is the note of the window's Unattributed record in the
// CSV: the source words no channel lists, counted there, as the terminal
// and the page name them (chanmarks: they reached the JSON alone).
const unmatchedNote = "source words no channel lists, counted here (add them to channels.list): %s"
