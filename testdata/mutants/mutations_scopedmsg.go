package main

// scopedmsgMutations: a channel-scoped word in consent.granted is refused
// with the way out for a cell that only says how the consent was taken.
var scopedmsgMutations = register([]mutation{
	{
		Name:     "config/scoped-granted-without-way-out",
		Why:      "a clinic whose consent cells say how consent was taken (同意(电话确认)) would be told only that the word says no and to remove it, with no way to grant those patients",
		File:     "internal/config/leaving.go",
		Old:      "\t\tif k.Reason == \"consent_scoped\" {",
		New:      "\t\tif false && k.Reason == \"consent_scoped\" {",
		Packages: []string{"./internal/cli"},
		Run:      "TestGrantedWordsThatSayNo",
	},
})
