package main

// moneymarksMutations hold the signs and the decimal comma: "$100" in a
// EUR clinic and "100元" in a USD one were read as the clinic's own
// currency, and under input.decimal_comma "1,234.56" was read as
// 1.23456 — a fee sent a thousandth of itself.
var moneymarksMutations = register([]mutation{
	{
		Name:     "moneymarks/dollar-any-currency",
		Why:      "\"$100\" in a EUR, GBP, CNY or JPY clinic would be read as 100 of its own currency again",
		File:     "internal/money/money.go",
		Old:      `{"RMB", cny}, {"$", dollars},`,
		New:      `{"RMB", cny}, {"$", nil},`,
		Packages: []string{"./internal/money"},
		Run:      "TestBareDollarAndYuanAreTheirCurrencies",
	},
	{
		Name:     "moneymarks/yuan-any-currency",
		Why:      "\"100元\" in a EUR or USD clinic would be read as 100 of its own currency again",
		File:     "internal/money/money.go",
		Old:      "if !named(mark{y, yuans}) {",
		New:      "if !named(mark{y, nil}) {",
		Packages: []string{"./internal/money"},
		Run:      "TestBareDollarAndYuanAreTheirCurrencies",
	},
	{
		Name:     "moneymarks/marks-widen",
		Why:      "\"人民币120元\" in a TWD clinic would pass: 元 would widen CNY back to every yuan",
		File:     "internal/money/money.go",
		Old:      "		codes = both\n",
		New:      "		codes = m.codes\n",
		Packages: []string{"./internal/money"},
		Run:      "TestParseInRefusesAnotherCurrency",
	},
	{
		Name:     "moneymarks/dot-after-decimal-comma",
		Why:      "under input.decimal_comma \"1,234.56\" would be read as 1.23456 and sent a thousandth of the fee",
		File:     "internal/money/money.go",
		Old:      `if hasComma && (strings.ContainsAny(frac, ".,") ||`,
		New:      `if hasComma && (false ||`,
		Packages: []string{"./internal/money"},
		Run:      "TestDecimalCommaRefusesEnglishCells",
	},
	{
		Name:     "moneymarks/comma-groups-thousands",
		Why:      "under input.decimal_comma \"1,234\" would be read as 1.234, a thousandth of what an English cell means",
		File:     "internal/money/money.go",
		Old:      `!strings.Contains(whole, ".") && len(frac) == 3 && whole != "0") {`,
		New:      `false) {`,
		Packages: []string{"./internal/money"},
		Run:      "TestDecimalCommaRefusesEnglishCells",
	},
	{
		Name:     "moneymarks/spend-dollar-listed",
		Why:      "a bare $ in a EUR spend file would be said as \"marked USD or TWD or … \", 28 currencies, not as every dollar's sign",
		File:     "internal/spend/amount.go",
		Old:      "return &markError{codes: codes, dollar: dollar}",
		New:      "return &markError{codes: codes, dollar: dollar && false}",
		Packages: []string{"./internal/spend"},
		Run:      "TestAmountInAnotherCurrencyStops",
	},
})
