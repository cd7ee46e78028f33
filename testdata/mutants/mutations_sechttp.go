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
})
