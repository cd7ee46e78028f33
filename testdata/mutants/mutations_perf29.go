package main

// perf29Mutations hold session 29's reading ahead in the channel report:
// the rows' record keys made on a goroutine of their own are the keys
// count asks for, and the reading stops with the counter.
var perf29Mutations = register([]mutation{
	{
		Name:     "perf29/ahead-key-unfolded",
		Why:      "the reader would key the order id as written, not folded as count asks: a full-width id's key is made twice, on the counter's goroutine again",
		File:     "internal/channels/readahead.go",
		Old:      "if k.order = celltext.Fold(order); k.order != \"\" {",
		New:      "if k.order = order + celltext.Fold(\"\"); k.order != \"\" {",
		Packages: []string{"./internal/channels"},
		Run:      "TestReadAheadCountsAsRowByRow",
	},
	{
		Name:     "perf29/ahead-key-unused",
		Why:      "count would key every row itself again, behind everything else it does: the reading ahead would save nothing",
		File:     "internal/channels/readahead.go",
		Old:      "\t\t\tcase kind == recordBooking && a.orderOK && a.order == id:\n\t\t\t\treturn a.orderKey\n",
		New:      "",
		Packages: []string{"./internal/channels"},
		Run:      "TestReadAheadCountsAsRowByRow",
	},
	{
		Name:     "perf29/ahead-patient-key-other",
		Why:      "a patient's key read ahead under the order's kind would group her visits under another record key: new and returning patients, and every draw keyed by patient, would change",
		File:     "internal/channels/readahead.go",
		Old:      "r.recordKey(recordPatient, pk)",
		New:      "r.recordKey(recordBooking, pk)",
		Packages: []string{"./internal/channels"},
		Run:      "TestReadAheadCountsAsRowByRow",
	},
	{
		Name:     "perf29/ahead-batch-cut-short",
		Why:      "a batch's last row would be dropped before counting: rows missing from the report",
		File:     "internal/channels/rows.go",
		Old:      "\t\tfor i, row := range b.rows {\n",
		New:      "\t\tfor i, row := range b.rows[:max(len(b.rows)-1, 0)] {\n",
		Packages: []string{"./internal/channels"},
		Run:      "TestReadAheadCountsAsRowByRow",
	},
})
