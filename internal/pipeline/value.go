package pipeline

import (
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/money"
	"github.com/hashgate/hashgate/internal/plaintext"
)

// value applies the value policy: the fee itself, its bucket, a fixed
// amount, or nothing.
func (r *runner) value(row export.Row, sum *tally) (float64, bool, string) {
	conv := r.cfg.Conversion
	if conv.Value == config.ValueNone {
		return 0, false, ""
	}
	cur := strings.ToUpper(row.Get(export.Currency))
	if cur == "" {
		cur = strings.ToUpper(conv.Currency)
	}
	var v float64
	if conv.Value == config.ValueFixed {
		v = conv.FixedValue
		if conv.Currency != "" { // a fixed amount is stated in the configured currency
			cur = strings.ToUpper(conv.Currency)
		}
	} else {
		raw := row.Get(export.Value)
		if raw == "" {
			sum.note(NoteValueMissing)
			return 0, false, ""
		}
		// A fee naming another currency than the row's ("USD 120" in a
		// TWD clinic) is unreadable, never sent as the row's (ParseIn).
		var err error
		if v, err = money.ParseIn(raw, cur, r.cfg.Input.DecimalComma); err != nil {
			unreadValue(sum, row, raw, cur, r.cfg.Input.DecimalComma, err)
			return 0, false, ""
		}
		sum.feeRead = true
		if conv.Value == config.ValueBucket {
			v = money.Bucket(v, conv.ValueBuckets)
		}
	}
	if !r.validCurrency(cur) {
		sum.note(NoteCurrencyInvalid)
		return 0, false, ""
	}
	return v, true, cur
}

// validCurrency checks an ISO 4217 code, remembering answers: an export
// holds a handful of distinct currencies.
func (r *runner) validCurrency(code string) bool {
	ok, seen := r.currencies[code]
	if !seen {
		ok = plaintext.Currency(code)
		if len(r.currencies) < 64 {
			// A copy: code is a view of the chunk's text (chunk.text),
			// which the next chunk read into it overwrites.
			r.currencies[strings.Clone(code)] = ok
		}
	}
	return ok
}
