package main

// arrive26Mutations hold session 26's review of the platforms' limits: a
// 5xx or a Google server status does not prove a request was refused;
// the token endpoint's throttling is not a refusal of the credentials.
var arrive26Mutations = register([]mutation{
	{
		Name:     "arrive26/5xx-proves-refusal",
		Why:      "a request Meta processed and answered 504 would be recorded rejected retries_exhausted: its resend dated by the export's corrected time, counted twice by Meta",
		File:     "internal/destination/retry.go",
		Old:      "\treturn de.Status/100 == 5\n}",
		New:      "\treturn false\n}",
		Packages: []string{"./internal/destination"},
		Run:      "TestATimedOutRequestIsLeftOpen",
	},
	{
		Name:     "arrive26/google-server-status-ignored",
		Why:      "a Google INTERNAL or DEADLINE_EXCEEDED carried by another HTTP status would be read as a refusal",
		File:     "internal/destination/retry.go",
		Old:      "\tcase \"DEADLINE_EXCEEDED\", \"UNKNOWN\", \"INTERNAL\", \"DATA_LOSS\", \"UNAVAILABLE\", \"ABORTED\":\n\t\treturn true",
		New:      "\tcase \"DEADLINE_EXCEEDED\", \"UNKNOWN\", \"DATA_LOSS\", \"UNAVAILABLE\", \"ABORTED\":\n\t\treturn true",
		Packages: []string{"./internal/destination"},
		Run:      "TestATimedOutRequestIsLeftOpen",
	},
	{
		Name:     "arrive26/token-5xx-arrived",
		Why:      "the token endpoint's own 503 (no request sent) would leave the request open, its events held as possibly ingested",
		File:     "internal/destination/retry.go",
		Old:      "\tif de.Code == \"oauth\" {\n\t\treturn false\n\t}\n\tswitch de.Code {",
		New:      "\tswitch de.Code {",
		Packages: []string{"./internal/destination"},
		Run:      "TestATimedOutRequestIsLeftOpen",
	},
	{
		Name:     "arrive26/token-429-refused",
		Why:      "Google's token endpoint throttling (429) would stop the run saying it refused the credentials",
		File:     "internal/destination/google/google.go",
		Old:      "\tcase http.StatusTooManyRequests:\n\t\treturn true\n",
		New:      "\tcase http.StatusTooManyRequests:\n\t\treturn false\n",
		Packages: []string{"./internal/destination/google"},
		Run:      "TestAThrottledTokenEndpointIsRetriedNotRefused",
	},
	{
		Name:     "arrive26/token-html-403-refused",
		Why:      "the token endpoint's rate-limit 403 with an HTML body (gsutil#114) would stop the run as refused credentials",
		File:     "internal/destination/google/google.go",
		Old:      "\t\treturn re.ErrorCode == \"\"\n",
		New:      "\t\treturn false\n",
		Packages: []string{"./internal/destination/google"},
		Run:      "TestAThrottledTokenEndpointIsRetriedNotRefused",
	},
})
