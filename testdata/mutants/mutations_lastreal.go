package main

// lastrealMutations: the morning's last upload is the newest for real
// (the session of 2026-12-06, seventh).
var lastrealMutations = register([]mutation{
	{
		Name:     "status/validation-taken-for-the-last-upload",
		Why:      "a --validate run the morning after an outage would hide from status the events the night left waiting",
		File:     "internal/run/lastupload.go",
		Old:      "\t\tif !sum.Validation {",
		New:      "\t\tif true {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAValidationDoesNotHideWhatTheLastUploadLeft",
	},
})
