package report

import "fmt"

// FeeOnly counts the orders held as order_rows_disagree whose rows differ
// in the fee alone — same time, identifiers and click ids. An export
// listing one row per treatment line (common in dental practice systems)
// under conversion.value actual or bucket has every multi-line visit held
// so, where before the rule it sent the first line's fee: a clinic
// upgrading saw its conversions drop, told only by one count among the
// excluded rows. A count, never a fee or an order id.
type FeeOnly struct {
	OrdersDifferingInFeeOnly int `json:"orders_differing_in_fee_only,omitempty"`
}

// feeOnlyLine is the summary's warning on such orders, "" when none; said
// with the summary's other warnings (not under --quiet: the JSON report
// keeps the count).
func (f *FeeOnly) feeOnlyLine() string {
	if f.OrdersDifferingInFeeOnly == 0 {
		return ""
	}
	return fmt.Sprintf("  warning: %d order(s) have rows that differ only in their fee — one row per treatment line? — all held as order_rows_disagree: export one row per appointment with its total fee, or set conversion.value: fixed\n", f.OrdersDifferingInFeeOnly)
}
