package main

// cellname25Mutations hold the upload summary's naming of the first
// unreadable fee (value_not_a_number) by file:line:column, why, and the
// input.decimal_comma setting that would read it (internal/pipeline/valuecell.go).
var cellname25Mutations = register([]mutation{
	{
		Name:     "pipeline/unread-fee-position-not-held",
		Why:      "a held row would lose where its unreadable fee is: the summary would say value_not_a_number 312 and name no cell again",
		File:     "internal/pipeline/record.go",
		Old:      "\tb = binary.AppendUvarint(b, uint64(o.t.unread.line))\n",
		New:      "\tb = binary.AppendUvarint(b, uint64(0))\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestTheFirstUnreadableFeeIsNamed",
	},
	{
		Name:     "pipeline/unread-fee-setting-not-said",
		Why:      "a German fee (1.234,50) under input.decimal_comma: false would be named as not a number, without the key that reads it",
		File:     "internal/pipeline/valuecell.go",
		Old:      "\tcase money.ReadsWithOtherMark(raw, cur, decimalComma):\n",
		New:      "\tcase false && money.ReadsWithOtherMark(raw, cur, decimalComma):\n",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "TestTheFirstUnreadableFeeIsNamed|TestAnUnreadableFeeIsNamedNotShown",
	},
	{
		Name:     "pipeline/unread-fee-of-a-duplicate-named",
		Why:      "a duplicate row, counted under duplicate_order and nothing else, would be named as the first value_not_a_number, a cell no note counts",
		File:     "internal/pipeline/settle.go",
		Old:      "\t\t\tsum.Notes[x]++\n\t\t}\n\t\ts.nameUnread(o.t.unread)\n\t}\n",
		New:      "\t\t\tsum.Notes[x]++\n\t\t}\n\t}\n\ts.nameUnread(o.t.unread)\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestTheFirstUnreadableFeeIsNamed",
	},
	{
		Name:     "report/unread-fee-not-printed",
		Why:      "the run report would name the first unreadable fee and the summary a person reads would not",
		File:     "internal/report/notecells.go",
		Old:      "\t\tif s.Notes[note] > 0 {\n",
		New:      "\t\tif s.Notes[note] < 0 {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnUnreadableFeeIsNamedNotShown",
	},
})
