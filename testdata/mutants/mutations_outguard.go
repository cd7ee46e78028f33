package main

// outguardMutations hold the security review's leftovers: config init
// --out and the auth google token file written as the run outputs are,
// the outputs checked before any credential is read, and a config in a
// folder others can write refused for uploads.
var outguardMutations = register([]mutation{
	{
		Name:     "outguard/init-own-file",
		Why:      "config init --out LEDGER --force would replace the ledger with a starting config: every visit sent again",
		File:     "internal/cli/configinit_out.go",
		Old:      `if what := run.OwnFile(o.f.env(nil), nil, o.Out); what != "" {`,
		New:      `if what := run.OwnFile(o.f.env(nil), nil, o.Out); what != "" && false {`,
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitNeverReplacesHashgatesOwnFiles",
	},
	{
		Name:     "outguard/init-replaces-what-appeared",
		Why:      "config init without --force would replace a config made between its check and its write",
		File:     "internal/cli/configinit_out.go",
		Old:      "\tif o.Force {\n\t\treturn out.Commit()\n\t}",
		New:      "\tif o.Force || true {\n\t\treturn out.Commit()\n\t}",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitWithoutForceKeepsAFileThatAppears",
	},
	{
		Name:     "outguard/secret-through-link",
		Why:      "auth google would accept a link at the token's path: the refresh token written into /dev/null (lost) or wherever it points",
		File:     "internal/outfile/secret.go",
		Old:      "\tcase st.Mode()&fs.ModeSymlink != 0:\n",
		New:      "\tcase st.Mode()&fs.ModeSymlink != 0 && false:\n",
		Packages: []string{"./internal/outfile", "./internal/cli"},
		Run:      "TestASecretIsWrittenOnlyAsARegularFile0600|TestAuthGoogleStoresTheTokenOnlyInARegularFile",
	},
	{
		Name:     "outguard/token-checked-after-consent",
		Why:      "auth google would find a FIFO or link at the token's path only after the person consented and the code was exchanged",
		File:     "internal/cli/auth.go",
		Old:      "if err := outfile.CheckSecret(path); err != nil {",
		New:      "if err := outfile.CheckSecret(path); err != nil && false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAuthGoogleStoresTheTokenOnlyInARegularFile",
	},
	{
		Name:     "outguard/credentials-before-outputs",
		Why:      "an upload would read its token, key and secret files before finding its --report unusable",
		File:     "internal/run/upload.go",
		Old:      "\tguard := cfg.PHIGuard()\n",
		New:      "\tif !r.DryRun {\n\t\tif err := preflight(ctx, env, cfg, r.Validate); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n\tguard := cfg.PHIGuard()\n",
		Packages: []string{"./internal/run", "./internal/cli"},
		Run:      "TestAnUploadChecksItsOutputsBeforeReadingAnyCredential|TestABadReportStopsAnUploadBeforeItsCredentials",
	},
})
