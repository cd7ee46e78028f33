package money

import "testing"

// TestCurrencyBeforeTheAmount: a mainland HIS writes "CNY 500" and
// "人民币1000元"; a review found both unread (counted as unreadable fees).
func TestCurrencyBeforeTheAmount(t *testing.T) {
	for in, want := range map[string]float64{"CNY 500": 500, "人民币1000元": 1000, "人民幣 1,000 元": 1000, "TWD 1,200": 1200, "CNY500.50": 500.5, "USD 80": 80} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"CNY", "人民币", "CNY -5"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("%q read as an amount", in)
		}
	}
}
