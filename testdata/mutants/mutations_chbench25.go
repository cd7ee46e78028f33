package main

// chbench25Mutations hold the changed-keys warning's cheaper identifier
// sort (internal/channels/identsort.go) and its cache of recent
// (identifier, patient) pairs (rekeyed.go, add): faster, and the warning
// must read what it read before.
var chbench25Mutations = register([]mutation{
	{
		Name:     "channels/rekey-cache-keeps-the-earliest",
		Why:      "a pair's record earlier than the one cached (rows out of order) would be left out: an identifier's first carrier would move to another key, and a patient counted new would be warned of, or not, by the row order",
		File:     "internal/channels/rekeyed.go",
		Old:      "c.patient == v.patient && identCmp(c.identRow, v) <= 0 {",
		New:      "c.patient == v.patient {",
		Packages: []string{"./internal/channels"},
		Run:      "TestRekeyedAddKeepsTheFirstCarrier",
	},
	{
		Name:     "channels/rekey-sort-by-tie",
		Why:      "two rows carrying an identifier at the same time would be ordered by patient key, not by the row's hash: the first carrier would depend on the keys, not on the rows",
		File:     "internal/channels/identsort.go",
		Old:      "case a.tie != b.tie:",
		New:      "case false:",
		Packages: []string{"./internal/channels"},
		Run:      "TestSortIdentRowsIsSortFunc",
	},
	{
		Name:     "channels/rekey-sort-every-bucket",
		Why:      "a bucket's records would be left in the order distribution left them: identifiers sharing their top bits unsorted, and link would read one identifier as several",
		File:     "internal/channels/identsort.go",
		Old:      "\t\tif len(bucket) <= identInsertion {\n\t\t\tinsertIdentRows(bucket)\n\t\t} else {",
		New:      "\t\tif len(bucket) <= identInsertion {\n\t\t} else {",
		Packages: []string{"./internal/channels"},
		Run:      "TestSortIdentRowsIsSortFunc|TestRekeyedAddKeepsTheFirstCarrier",
	},
	{
		Name:     "channels/spill-merge-least-child",
		Why:      "the merge of the spill files would sift toward the greater run: records out of order, an identifier read as several and its first carrier lost, orders and visits misread alike",
		File:     "internal/channels/spill.go",
		Old:      "if j2 := j + 1; j2 < n && h.less(j2, j) {",
		New:      "if j2 := j + 1; j2 < n && h.less(j, j2) {",
		Packages: []string{"./internal/channels"},
		Run:      "TestRekeyedAddKeepsTheFirstCarrier|TestChangedPatientKeysAreSaid",
	},
})
