package main

// secfiles2Mutations hold a security review's findings about hashgate's
// own files: an output that replaced the ledger, channels.key or the
// config in use.
var secfiles2Mutations = register([]mutation{
	{
		Name:     "secfiles2/own-files-not-checked",
		Why:      "upload --dry-run --out $XDG_STATE_HOME/hashgate/ledger.db would replace the ledger with the review CSV again, and --report the channels key",
		File:     "internal/run/outputs.go",
		Old:      "\tif err := ownFileError(env, cfg, flag, path); err != nil {\n",
		New:      "\tif err := ownFileError(env, cfg, flag, path); err != nil && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestOutputsNeverReplaceHashgatesOwnFiles",
	},
	{
		Name:     "secfiles2/config-file-not-passed",
		Why:      "--out cfg.yaml would replace the config in use with the review CSV again",
		File:     "internal/cli/factory.go",
		Old:      "\t\tConfigFile:     configFileOf(f, root),\n",
		New:      "\t\tConfigFile:     \"\",\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestOutputsNeverReplaceHashgatesOwnFiles",
	},
	{
		Name:     "secfiles2/auth-token-uri-unchecked",
		Why:      "hashgate auth google would send the code and the client secret to a client file's plain-http token_uri again",
		File:     "internal/cli/auth.go",
		Old:      "\tif err := clients.TokenURIProblem(conf.Endpoint.TokenURL); err != nil {\n",
		New:      "\tif err := clients.TokenURIProblem(conf.Endpoint.TokenURL); err != nil && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAuthGoogleRefusesAPlainTokenURI",
	},
	{
		Name:     "secfiles2/secret-in-file-ignored-with-env",
		Why:      "a 0644 config holding secret: would pass uploads again whenever HASHGATE_SECRET is also set",
		File:     "internal/cli/secretfile.go",
		Old:      "\t\tif _, ok := fileSecret(path); ok {\n",
		New:      "\t\tif _, ok := fileSecret(path); ok && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestASecretInAReadableConfigIsRefusedWhateverTheEnvironment",
	},
	{
		Name:     "secfiles2/writable-config-accepted",
		Why:      "a config group or others can write — it chooses graph_url and the credential files — would be accepted for uploads again",
		File:     "internal/cli/secretfile.go",
		Old:      "\t} else if st.Mode().Perm()&0o022 != 0 {\n",
		New:      "\t} else if st.Mode().Perm()&0o022 != 0 && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAConfigOthersCanWriteIsRefusedForUploads",
	},
})
