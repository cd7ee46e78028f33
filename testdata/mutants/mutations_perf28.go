package main

// perf28Mutations hold session 28's cut of the order-rows rule (issue 29):
// keys for an order's rows only when it has more than one, its rows
// compared only when they send different things.
var perf28Mutations = register([]mutation{
	{
		Name:     "perf28/every-order-single",
		Why:      "every order would be taken for one of a single row: a later row of a sent order sent again under the same event id",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\treturn !rep, err",
		New:      "\treturn true, err",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestALaterRowOfASentOrderIsItsDuplicate",
	},
	{
		Name:     "perf28/repeats-not-kept",
		Why:      "no order would be known repeated: the settler kept no key per destination, and an order's second row went again",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\tif _, err := or.repeated.Seen(o.dup, true); err != nil {",
		New:      "\t\tif _, err := or.repeated.Seen(o.dup, false); err != nil {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrderRowsAnswerAsComparingEveryRow",
	},
	{
		Name:     "perf28/different-rows-not-compared",
		Why:      "a row sending another conversion than its order's earlier row there would not hold the order: the first row's values went, as before session 27",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\tif had && !same {\n",
		New:      "\tif false && had && !same {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrderRowsThatDisagreeAreHeld",
	},
	{
		Name:     "perf28/row-digest-without-the-fee",
		Why:      "rows differing in the fee alone would be read back the same: never held, the first row's fee sent",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\t\trec = binary.BigEndian.AppendUint64(rec, d)\n",
		New:      "\t\t\trec = binary.BigEndian.AppendUint64(rec, o.bodies[p])\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrdersDifferingInTheFeeAloneAreCounted",
	},
	{
		Name:     "perf28/single-orders-read-back",
		Why:      "the rows read back would be the single orders': no repeated order compared, every disagreement missed",
		File:     "internal/pipeline/orderrows.go",
		Old:      "\t\tif rep, err := or.repeated.Has(dup); err != nil || !rep {",
		New:      "\t\tif rep, err := or.repeated.Has(dup); err != nil || rep {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOrderRowsAnswerAsComparingEveryRow",
	},
	{
		Name:     "perf28/single-ignored-by-the-settler",
		Why:      "an order of one row would still cost the settler keys: the cut undone (the bench's orders all single)",
		File:     "internal/pipeline/judge.go",
		Old:      "\tif single {\n",
		New:      "\tif single && false {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderOfOneRowKeepsNoKeyPerDestination",
	},
	{
		Name:     "perf28/three-digits-are-data",
		Why:      "a header cell with three digits in a row (a year-less label such as \"fee 100\") would make a repeated header read as a row",
		File:     "internal/export/secondheader.go",
		Old:      "'0' <= b && b <= '9' && run == 3:",
		New:      "'0' <= b && b <= '9' && run == 2:",
		Packages: []string{"./internal/export"},
		Run:      "FuzzASCIIShape",
	},
	{
		Name:     "perf28/non-ascii-data-trusted",
		Why:      "a cell whose four digits precede a non-ASCII rest would be judged by its ASCII prefix, where NFKC of the whole decides",
		File:     "internal/export/secondheader.go",
		Old:      "\t\t\treturn isASCIIString(c[i:]), true",
		New:      "\t\t\treturn true, true",
		Packages: []string{"./internal/export"},
		Run:      "FuzzASCIIShape",
	},
})
