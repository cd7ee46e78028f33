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
})
