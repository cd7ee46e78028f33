package main

// spendcurMutations hold the spend amounts' currency: "USD 100", "US$100"
// and "$100" in a TWD clinic's spend file were summed as 100 TWD, the
// channel report's costs and ROAS off by the exchange rate, exit 0.
//
// A bare "$" is the row's own dollar since spend24 (a Taiwanese
// hand-kept sheet writes NT dollars so), and a download is read in its
// own number format rather than input.decimal_comma: the mutants of the
// USD-only "$" and of the shared decimal comma went with them
// (mutations_spend24.go holds their successors).
var spendcurMutations = register([]mutation{
	{
		Name:     "spendcur/amount-currency-ignored",
		Why:      "a spend cell naming another currency (USD 100, US$100, €100) would be summed as the row's currency again",
		File:     "internal/spend/amount.go",
		Old:      "vp, errp := money.ParseIn(s, currency, false)\n\tvc, errc := money.ParseIn(s, currency, true)",
		New:      "vp, errp := money.ParseIn(s, \"\", false)\n\tvc, errc := money.ParseIn(s, \"\", true)",
		Packages: []string{"./internal/spend"},
		Run:      "TestAmountInAnotherCurrencyStops",
	},
})
