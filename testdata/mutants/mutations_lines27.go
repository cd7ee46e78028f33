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
		Old:      "\t\t\tif had && !sameBody && p&bookingSlot == 0 { // in more than the fee",
		New:      "\t\t\tif false && had && !sameBody && p&bookingSlot == 0 { // in more than the fee",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrdersDifferingInTheFeeAloneAreCounted",
	},
	{
		Name:     "lines27/later-rows-not-compared",
		Why:      "a fee-only order whose third row is at another time would stay counted fee-only: the count would hang on the rows' order",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\t\tif had && !same {\n",
		New:      "\t\t\tif had && !same {\n\t\t\t\tif was, _ := or.found.Has(heldKey(dup, p)); was {\n\t\t\t\t\tcontinue\n\t\t\t\t}\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrdersDifferingInTheFeeAloneAreCounted",
	},
	{
		Name:     "lines27/counted-per-row",
		Why:      "an order of three lines would be counted three times: the warning's count of orders would be one of rows",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\tif err != nil || was {\n\t\treturn err\n\t}\n\tbeyond",
		New:      "\tif err != nil {\n\t\treturn err\n\t}\n\t_ = was\n\tbeyond",
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
