package main

// docs27Mutations hold session 27's documentation review's two code
// mends: a refused second rotation says nothing of going on, and status
// names the same run "last" in every line.
var docs27Mutations = register([]mutation{
	{
		Name:     "docs27/refused-rotation-says-it-goes-on",
		Why:      "a second rotation that stops (exit 2) would first say it goes on and keeps the new secret's fingerprint, which it does not",
		File:     "internal/run/upload.go",
		Old:      "checkEventKey(ctx, env, led, cfg, p.key, acc, keyStop != nil)",
		New:      "checkEventKey(ctx, env, led, cfg, p.key, acc, false)",
		Packages: []string{"./internal/cli"},
		Run:      "TestARefusedSecondRotationDoesNotSayItKeepsTheNewFingerprint",
	},
	{
		Name:     "docs27/same-second-runs-unordered",
		Why:      "two uploads started in one second would be ordered recorded-first: status would call the good run the last upload and exit 1 on 'the last night's' refused one",
		File:     "internal/run/lastupload.go",
		Old:      "\t\treturn b.written.Compare(a.written)\n",
		New:      "\t\treturn 0\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestStatusNamesTheSameLastUploadInEveryLine",
	},
})
