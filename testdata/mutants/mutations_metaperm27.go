package main

// metaperm27Mutations hold session 27's rule for Meta's permission errors:
// Graph codes 10 and 200–299 ("Permission is either not granted or has
// been removed", Graph error-handling) stop Meta only, naming the dataset
// permission to give; an expired token (190, 102) still stops the run.
var metaperm27Mutations = register([]mutation{
	{
		Name:     "metaperm27/code-10-stops-the-run",
		Why:      "a code 10 on one Meta dataset would stop Google too: that night's Google conversions not sent",
		File:     "internal/platform/errors.go",
		Old:      `{Code: "10", Action: StopDestination,`,
		New:      `{Code: "10", Action: StopRun,`,
		Packages: []string{"./internal/platform", "./internal/destination/meta"},
		Run:      "TestErrorTables|TestErrorsAreClassifiedAndTokenFree|TestAPermissionErrorStopsMetaAfterOneRequest",
	},
	{
		Name:     "metaperm27/code-200-stops-the-run",
		Why:      "a Meta permission removed (200–299) would stop Google too: the clinic loses the night's Google conversions",
		File:     "internal/platform/errors.go",
		Old:      `{Code: "200-299", Action: StopDestination,`,
		New:      `{Code: "200-299", Action: StopRun,`,
		Packages: []string{"./internal/cli"},
		Run:      "TestAMetaPermissionErrorStopsMetaOnly",
	},
	{
		Name:     "metaperm27/expired-session-stops-meta-only",
		Why:      "an expired Meta session (102) is the token, not a dataset: it must still stop the run",
		File:     "internal/platform/errors.go",
		Old:      `{Code: "102", Action: StopRun,`,
		New:      `{Code: "102", Action: StopDestination,`,
		Packages: []string{"./internal/platform", "./internal/destination/meta"},
		Run:      "TestErrorTables|TestErrorsAreClassifiedAndTokenFree",
	},
	{
		Name:     "metaperm27/permission-fix-blames-the-token",
		Why:      "the stop would tell the clinic to renew a token that is fine instead of giving the system user the dataset",
		File:     "internal/platform/errors.go",
		Old:      `{Code: "200-299", Action: StopDestination, Fix: metaPermission,`,
		New:      `{Code: "200-299", Action: StopDestination, Fix: "the Meta access token expired or is invalid: " + metaToken,`,
		Packages: []string{"./internal/destination/meta"},
		Run:      "TestAPermissionErrorStopsMetaAfterOneRequest",
	},
	{
		Name:     "metaperm27/permission-range-starts-at-201",
		Why:      "code 200 itself, Meta's usual permissions error, would fall to the unknown-answer row",
		File:     "internal/platform/errors.go",
		Old:      "\tcase code >= 200 && code <= 299:\n",
		New:      "\tcase code > 200 && code <= 299:\n",
		Packages: []string{"./internal/destination/meta"},
		Run:      "TestAPermissionErrorStopsMetaAfterOneRequest",
	},
	{
		Name:     "metaperm27/quality-permission-advice-lost",
		Why:      "the Dataset Quality note for a code 200 would no longer say the token's system user needs Manage Pixel",
		File:     "internal/destination/meta/quality.go",
		Old:      "\tn, err := strconv.Atoi(code)\n\treturn err == nil && (n == 10 || platform.MetaCode(n) == \"200-299\")",
		New:      `return false`,
		Packages: []string{"./internal/destination/meta"},
		Run:      "TestDatasetQualityThrottledIsNotAPermissionProblem",
	},
})
