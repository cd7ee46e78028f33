package main

// lines27Mutations hold session 27's one row per treatment line: orders
// held as order_rows_disagree whose rows differ in the fee alone are
// counted apart and said in one warning line, never a fee or an id.
var lines27Mutations = register([]mutation{
	{
		Name:     "lines27/fee-compared-in-the-body",
		Why:      "rows differing in the fee alone would count as a real conflict: the warning never said, the clinic's drop told by one excluded count",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\to.bodies[cv.Platform] = body | 1\n",
		New:      "\t\to.bodies[cv.Platform] = r.feeDigest(body, cv) | 1\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrdersDifferingInTheFeeAloneAreCounted",
	},
	{
		Name:     "lines27/time-not-a-real-conflict",
		Why:      "rows at another time would be said to differ in the fee only: the clinic told to export a total fee when two visits share an id",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\t\t\tif f[p].body != d.body {",
		New:      "\t\t\t\tif false && f[p].body != d.body {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrdersDifferingInTheFeeAloneAreCounted",
	},
	{
		Name:     "lines27/later-rows-not-compared",
		Why:      "a fee-only order whose third row is at another time would stay counted fee-only: the count would hang on the rows' order",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\t\tcase f[p].send != d.send:",
		New:      "\t\t\tcase f[p].send != d.send && dis.held&(1<<p) == 0:",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrdersDifferingInTheFeeAloneAreCounted",
	},
	{
		Name:     "lines27/counted-per-row",
		Why:      "an order of three lines would be counted three times: the warning's count of orders would be one of rows",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\tif d.counted {",
		New:      "\tif false {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrdersDifferingInTheFeeAloneAreCounted",
	},
	{
		Name:     "lines27/count-not-summed",
		Why:      "the run report and the summary would never carry the count",
		File:     "internal/pipeline/settle.go",
		Old:      "\ts.sum.OrdersDifferingInFeeOnly += s.orders.feeOnly",
		New:      "\t_ = s.orders.feeOnly",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "TestOrdersDifferingInTheFeeAloneAreCounted|TestRowsDifferingOnlyInTheirFeeAreSaid",
	},
	{
		Name:     "lines27/warning-not-said",
		Why:      "the count would stay in the JSON report, the summary silent: the clinic's drop unexplained",
		File:     "internal/report/report.go",
		Old:      "\tb.WriteString(s.feeOnlyLine() + s.ageLine())",
		New:      "\tb.WriteString(s.ageLine())",
		Packages: []string{"./internal/cli"},
		Run:      "TestRowsDifferingOnlyInTheirFeeAreSaid",
	},
})
