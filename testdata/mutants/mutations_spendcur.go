package main

// spendcurMutations hold the spend amounts' currency: "USD 100", "US$100"
// and "$100" in a TWD clinic's spend file were summed as 100 TWD, the
// channel report's costs and ROAS off by the exchange rate, exit 0.
var spendcurMutations = register([]mutation{
	{
		Name:     "spendcur/amount-currency-ignored",
		Why:      "a spend cell naming another currency (USD 100, US$100, €100) would be summed as the row's currency again",
		File:     "internal/spend/amount.go",
		Old:      "v, err := money.ParseIn(s, currency, decimalComma)",
		New:      "v, err := money.ParseIn(s, \"\", decimalComma)",
		Packages: []string{"./internal/spend"},
		Run:      "TestAmountInAnotherCurrencyStops",
	},
	{
		Name:     "spendcur/bare-dollar-passes",
		Why:      "\"$100\" in a TWD clinic's spend file would be read as NT$100 whatever dollar it was",
		File:     "internal/spend/amount.go",
		Old:      "if _, dollar := money.Marks(s); dollar {",
		New:      "if _, dollar := money.Marks(s); dollar && false {",
		Packages: []string{"./internal/spend", "./internal/cli"},
		Run:      "TestAmountInAnotherCurrencyStops|TestChannelsSpendInAnotherCurrencyStops",
	},
	{
		Name:     "spendcur/english-cell-read-with-decimal-comma",
		Why:      "under input.decimal_comma an English download's \"1,234.56\" would be refused as not a number, without saying it is an English cell or what to do",
		File:     "internal/spend/amount.go",
		Old:      "decimalComma && werr == nil {",
		New:      "decimalComma && werr == nil && false {",
		Packages: []string{"./internal/spend"},
		Run:      "TestDecimalCommaSpend",
	},
	{
		Name:     "spendcur/decimal-comma-not-shared",
		Why:      "a EUR clinic's download written 1.234,50 € would stop the report as not a number",
		File:     "internal/channels/spendfiles.go",
		Old:      "DecimalComma: cfg.Input.DecimalComma,",
		New:      "DecimalComma: false,",
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsDecimalCommaSpend",
	},
})
