package main

// rekeyfamily25Mutations hold the changed-keys warning's family check
// (session 25): a family's children open charts with a parent's phone,
// and the parents keep coming; a migration's old charts stop.
var rekeyfamily25Mutations = register([]mutation{
	{
		Name:     "rekeyfamily25/stayed-ignored",
		Why:      "families (children's charts carrying a parent's phone, the parents still visiting) would again be warned that the patient keys changed",
		File:     "internal/channels/rekeyed.go",
		Old:      "\tif float64(stayed) >= rekeyStayed*float64(linked) {\n",
		New:      "\tif false && float64(stayed) >= rekeyStayed*float64(linked) {\n",
		Packages: []string{"./internal/channels"},
		Run:      "TestNoKeysWarningForFamilies",
	},
	{
		Name:     "rekeyfamily25/last-is-first",
		Why:      "a key's last visit read as its first: every parent would look gone before the switch, and families warned again",
		File:     "internal/channels/funnel.go",
		Old:      "\t\tlastAt = v.at\n",
		New:      "\t\tlastAt = first.at\n",
		Packages: []string{"./internal/channels"},
		Run:      "TestNoKeysWarningForFamilies",
	},
	{
		Name:     "rekeyfamily25/stayed-inverted",
		Why:      "the old charts that stopped at the switch would count as still visiting: the review's migration would no longer be warned",
		File:     "internal/channels/rekeyed.go",
		Old:      "\t\t\tif last && lastDay >= day {\n",
		New:      "\t\t\tif last && lastDay < day {\n",
		Packages: []string{"./internal/channels"},
		Run:      "TestChangedPatientKeysAreSaid",
	},
	{
		Name:     "rekeyfamily25/linked-outside-window",
		Why:      "keys linked only to patients new before the switch day would be weighed: a family's old link would decide a migration's warning",
		File:     "internal/channels/rekeyed.go",
		Old:      "\t\t\tif d := dayOf(v.at); d >= lo && d <= to {\n",
		New:      "\t\t\tif d := dayOf(v.at); d >= min(lo, from) && d <= to {\n",
		Packages: []string{"./internal/channels"},
		Run:      "TestRekeyedAddKeepsTheFirstCarrier",
	},
	{
		Name:     "rekeyfamily25/carrier-untold",
		Why:      "without the carrier's record no earlier key's last visit is filed: every earlier key looks gone, and families warned again",
		File:     "internal/channels/rekeyed.go",
		Old:      "\t\tif !carrier {\n",
		New:      "\t\tif false && !carrier {\n",
		Packages: []string{"./internal/channels"},
		Run:      "TestNoKeysWarningForFamilies",
	},
})
