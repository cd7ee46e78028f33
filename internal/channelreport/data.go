package channelreport

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/hashgate/hashgate/internal/channels"
	"github.com/hashgate/hashgate/internal/csvcell"
)

// WriteJSON writes the report as one JSON object:
//
//	{from, to, currency, min_cell, period, consented_only,
//	 channels: [{name, platform, clicks, bookings, visits, show_rate,
//	   booking_rate, spend, platform_conversions, cost_per_booking,
//	   cost_per_visit, revenue, roas, new_patients, cac, ltv,
//	   claimed_vs_visits, suppressed}],
//	 total: {…}, periods: [{from, to, channels, total}]}
//
// Every metric key is always present: null when the figure is suppressed
// (its key is then in "suppressed") or does not exist for the line.
func WriteJSON(w io.Writer, r *channels.Report) error {
	var b bytes.Buffer
	b.WriteString("{\n")
	field(&b, 1, "from", r.From.Format("2006-01-02"), true)
	field(&b, 1, "to", r.To.Format("2006-01-02"), true)
	field(&b, 1, "currency", r.Currency, true)
	field(&b, 1, "min_cell", r.MinCell, true)
	field(&b, 1, "period", r.Period, true)
	field(&b, 1, "consented_only", r.ConsentedOnly, true)
	writeTableJSON(&b, 1, &r.Table, len(r.Periods) > 0)
	if len(r.Periods) > 0 {
		b.WriteString(`  "periods": [`)
		for i := range r.Periods {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n    {\n")
			field(&b, 3, "from", r.Periods[i].From.Format("2006-01-02"), true)
			field(&b, 3, "to", r.Periods[i].To.Format("2006-01-02"), true)
			writeTableJSON(&b, 3, &r.Periods[i], false)
			b.WriteString("    }")
		}
		b.WriteString("\n  ]\n")
	}
	b.WriteString("}\n")
	_, err := w.Write(b.Bytes())
	return err
}

func writeTableJSON(b *bytes.Buffer, depth int, t *channels.Table, more bool) {
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
	b.WriteString(ind + `"total": `)
	lineJSON(b, &t.Total, false)
	if more {
		b.WriteString(",")
	}
	b.WriteString("\n")
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
	b.WriteString(`, "suppressed": `)
	writeJSONValue(b, l.Suppressed())
	b.WriteString("}")
}

func field(b *bytes.Buffer, depth int, key string, v any, comma bool) {
	b.WriteString(strings.Repeat("  ", depth) + strconv.Quote(key) + ": ")
	writeJSONValue(b, v)
	if comma {
		b.WriteString(",")
	}
	b.WriteString("\n")
}

func writeJSONValue(b *bytes.Buffer, v any) {
	enc, _ := json.Marshal(v) // strings, numbers, bools and string lists
	b.Write(enc)
}

// WriteCSV writes one record per channel and period (and per channel over
// the whole window), with a header of snake_case keys. A suppressed small
// count is "<k", any other suppressed figure "suppressed", a figure that
// does not exist is empty. Every cell is formula-safe: a label that a
// spreadsheet would run as a formula gets a leading "'" (package csvcell,
// the rule every CSV hashgate writes follows).
func WriteCSV(w io.Writer, r *channels.Report) error {
	cw := csv.NewWriter(w)
	head := []string{"from", "to", "channel", "platform"}
	for m := channels.Metric(0); m < channels.NumMetrics; m++ {
		head = append(head, m.Key())
	}
	if r.Currency != "" {
		head = append(head, "currency")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	tables := append(append([]channels.Table(nil), r.Periods...), r.Table)
	for _, t := range tables {
		lines := append(append([]channels.Line(nil), t.Channels...), t.Total)
		for i, l := range lines {
			platform := l.Platform
			if i == len(lines)-1 {
				platform = ""
			}
			rec := []string{t.From.Format("2006-01-02"), t.To.Format("2006-01-02"), csvcell.Neutralise(l.Name), platform}
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
					rec = append(rec, "")
				}
			}
			if r.Currency != "" {
				rec = append(rec, r.Currency)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
