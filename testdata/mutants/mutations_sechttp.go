package main

// sechttpMutations hold the findings of the security review of
// 2026-12-07 on requests and credentials: the per-request timeout, the
// scrubber's cut, Application Default Credentials and token endpoints.
var sechttpMutations = register([]mutation{
	{
		Name:     "sechttp/base-timeout-wins",
		Why:      "the base HTTP client's 60 s Timeout would cut every request before Google's 120 s timeout_seconds: an ingest answered in 61-120 s retried ten times, then left unanswered every night",
		File:     "internal/destination/clients/clients.go",
		Old:      "if hc == nil || hc.Timeout == 0 || hc.Timeout >= d {",
		New:      "if hc == nil || hc.Timeout == 0 || hc.Timeout >= 0 {",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfiguredTimeoutOutlastsTheBaseClients",
	},
	{
		Name:     "sechttp/scrub-cuts-first",
		Why:      "the text cut to 4,800 bytes before secrets and shapes are removed: what straddles the cut (part of a token, a phone number's first groups) matches nothing and is printed",
		File:     "internal/destination/scrub.go",
		Old:      "func Scrub(s string, secrets ...string) string {\n",
		New:      "func Scrub(s string, secrets ...string) string {\n\tif len(s) > 16*MaxMessage {\n\t\ts = s[:16*MaxMessage]\n\t}\n",
		Packages: []string{"./internal/destination"},
		Run:      "TestScrubRemovesASecretStraddlingTheCut",
	},
	{
		Name:     "sechttp/scrub-keeps-secret-prefix",
		Why:      "a text ending in the first bytes of a held secret (an answer cut at MaxAnswer) would print them",
		File:     "internal/destination/scrub.go",
		Old:      "\ts = dropSecretPrefix(s, list)\n",
		New:      "",
		Packages: []string{"./internal/destination"},
		Run:      "TestScrubRemovesASecretStraddlingTheCut",
	},
	{
		Name:     "sechttp/scrub-cut-splits-words",
		Why:      "the bounding cut would split a token no one holds (ya29.…) and leave a piece too short for its shape",
		File:     "internal/destination/scrub.go",
		Old:      "\tif !unicode.IsSpace(rune(s[cut])) {",
		New:      "\tif false && !unicode.IsSpace(rune(s[cut])) {",
		Packages: []string{"./internal/destination"},
		Run:      "TestScrubRemovesASecretStraddlingTheCut",
	},
	{
		Name:     "sechttp/adc-unchecked",
		Why:      "a service-account key given through GOOGLE_APPLICATION_CREDENTIALS would be used readable by others, where the same file in credentials_file is refused",
		File:     "internal/destination/clients/google.go",
		Old:      "\tif err := checkDefaultCredentialsFile(d); err != nil {",
		New:      "\tif err := checkDefaultCredentialsFile(d); false && err != nil {",
		Packages: []string{"./internal/destination/clients"},
		Run:      "TestDefaultCredentialsFollowTheKeyFileRules",
	},
	{
		Name:     "sechttp/token-uri-unchecked",
		Why:      "a key file's or stored token's token_uri over plain http to another host would carry the signed assertion or the refresh token and client secret in clear text",
		File:     "internal/destination/clients/google.go",
		Old:      "\tif p := config.EndpointProblem(u); p != \"\" {",
		New:      "\tif p := config.EndpointProblem(u); false && p != \"\" {",
		Packages: []string{"./internal/destination/clients"},
		Run:      "TestDefaultCredentialsFollowTheKeyFileRules",
	},
})
