package money

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	ok := map[string]float64{
		"1500": 1500, "1,500": 1500, "NT$1,500": 1500, "$8,000": 8000, `5,985.00`: 5985,
		"￥1,880.00": 1880, "12800元": 12800, " 99.5 ": 99.5, "0": 0, "１２００": 1200,
	}
	for in, want := range ok {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("%q: got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "健保", "N/A", "-5", "1e5", "Inf", "NaN", "0x1p3", "1.250,00", "12,5", "1.2.3"} {
		if _, err := Parse(in); !errors.Is(err, ErrNotAmount) {
			t.Errorf("%q: want ErrNotAmount, got %v", in, err)
		}
	}
}

func TestParseDecimalComma(t *testing.T) {
	for in, want := range map[string]float64{"1.250,00": 1250, "12,5": 12.5, "€ 1.250": 1250, "300": 300, "1.250,00 €": 1250} {
		got, err := ParseDecimalComma(in)
		if err != nil || got != want {
			t.Errorf("%q: got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"12.5", "1,2,3", "健保"} {
		if _, err := ParseDecimalComma(in); !errors.Is(err, ErrNotAmount) {
			t.Errorf("%q: want ErrNotAmount, got %v", in, err)
		}
	}
}

func TestBucket(t *testing.T) {
	edges := []float64{500, 1000, 5000}
	for _, c := range []struct{ v, want float64 }{
		{0, 0}, {499.99, 0}, {500, 500}, {999, 500}, {1000, 1000}, {4999, 1000}, {5000, 5000}, {1e9, 5000},
	} {
		if got := Bucket(c.v, edges); got != c.want {
			t.Errorf("Bucket(%v) = %v, want %v", c.v, got, c.want)
		}
	}
}
