package main

// canary25Mutations hold session 25's canary audit: each mutant is a
// channel personal data could leave by that the canary tests did not look
// in — a request's URL and headers, the ledger's patient-key records, a
// phone in E.164 form in a trap's output, spill files, a state file the
// minors test did not find, a network call from a dry-run.
var canary25Mutations = register([]mutation{
	{
		Name:     "canary25/fake-keeps-bodies-only",
		Why:      "the fakes would keep request bodies only again: a value put in a query parameter or a header (URL-escaped or not) would leave unseen by every canary test",
		File:     "internal/destination/destinationtest/shared.go",
		Old:      `in.heads = append(in.heads, head(r))`,
		New:      `in.heads = append(in.heads, "")`,
		Packages: []string{"./internal/destination/destinationtest"},
		Run:      "TestSentHoldsTheURLAndTheHeaders",
	},
	// No raw value reaches the code that builds a request (a conversion
	// holds digests, event ids, click ids), so these two stand a canary
	// export's value in for the leak: what they prove is that the canary
	// tests look in the URL and the headers of what reaches the platforms.
	{
		Name:     "canary25/meta-query-param",
		Why:      "a debugging query parameter on every Conversions API request would carry an email (URL-escaped, zqcanary.one%40example.com): TestNoRawPersonalDataInTheUploadsTrail looked in request bodies only",
		File:     "internal/destination/meta/meta.go",
		Old:      "\treq.Header.Set(\"Content-Type\", \"application/json\")\n\tresp, err := c.http.Do(req)",
		New:      "\treq.Header.Set(\"Content-Type\", \"application/json\")\n\treq.URL.RawQuery = url.Values{\"dbg\": {\"zqcanary.one@example.com\"}}.Encode()\n\tresp, err := c.http.Do(req)",
		Packages: []string{"./internal/cli"},
		Run:      "TestNoRawPersonalDataInTheUploadsTrail",
	},
	{
		Name:     "canary25/google-header",
		Why:      "a header on every Data Manager request would carry a phone number in E.164 form: the uploads-trail canary looked in request bodies only",
		File:     "internal/destination/google/encode.go",
		Old:      `req.Header.Set("User-Agent", googleapi.UserAgent+" hashgate")`,
		New:      `req.Header.Set("User-Agent", googleapi.UserAgent+" hashgate"); req.Header.Set("X-Debug", "+886912701701")`,
		Packages: []string{"./internal/cli"},
		Run:      "TestNoRawPersonalDataInTheUploadsTrail",
	},
	{
		Name:     "canary25/withdrawal-digest-is-the-key",
		Why:      "a withdrawal would be remembered under the patient key's first 8 bytes instead of a keyed digest: the ledger file holds the chart key (zqpk0009) raw; the uploads-trail canary mapped no patient key",
		File:     "internal/pipeline/withdraw.go",
		Old:      "\tvar buf [64]byte\n\treturn d.RevokedPatient(string(consent.Key(buf[:0], patientKey)))\n}",
		New:      "\tvar buf [64]byte\n\tk := consent.Key(buf[:0], patientKey)\n\tvar u uint64\n\tfor _, c := range k[:min(8, len(k))] {\n\t\tu = u<<8 | uint64(c)\n\t}\n\treturn u\n}",
		Packages: []string{"./internal/cli"},
		Run:      "TestNoRawPersonalDataInTheUploadsTrail",
	},
	{
		Name:     "canary25/dry-run-default-client",
		Why:      "a dry-run would make a request through http.DefaultClient, past the factory's HTTPClient hook — the only guard the dry-run tests had, so it failed unseen",
		File:     "internal/cli/factory.go",
		Old:      "\t\t\treturn clients.Preflight(cfg, p)",
		New:      "\t\t\tif resp, err := http.Get(\"http://127.0.0.1:9/\"); err == nil {\n\t\t\t\tresp.Body.Close()\n\t\t\t}\n\t\t\treturn clients.Preflight(cfg, p)",
		Packages: []string{"./internal/cli"},
		Run:      "TestDryRunsReachNoDefaultTransport",
	},
})
