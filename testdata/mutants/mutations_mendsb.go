package main

// mendsbMutations hold the fixes of a review of the seventh of December:
// the config's folders judged by owner as well as mode, a path resolved
// as the kernel does, the names rule's false positives, currencies named
// in a value, and smaller leftovers.
var mendsbMutations = register([]mutation{
	{
		Name:     "mendsb/folder-owner-ignored",
		Why:      "a config in a 0755 folder another user owns would pass for uploads: they rename it away and put their graph_url in its place",
		File:     "internal/outfile/folders.go",
		Old:      "\t\t\tif _, foreign := ForeignOwner(dir); foreign {\n",
		New:      "\t\t\tif _, foreign := ForeignOwner(dir); foreign && false {\n",
		Packages: []string{"./internal/outfile", "./internal/cli"},
		Run:      "TestUnsafeFolderRefusesAFolderAnotherUserOwns|TestAConfigAnotherUserOwnsIsRefusedForUploads",
	},
	{
		Name:     "mendsb/config-owner-ignored",
		Why:      "a config file another user owns, which they may rewrite, would pass for uploads",
		File:     "internal/cli/secretfile.go",
		Old:      "\tif uid, foreign := outfile.ForeignOwner(path); foreign {\n",
		New:      "\tif uid, foreign := outfile.ForeignOwner(path); foreign && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAConfigAnotherUserOwnsIsRefusedForUploads",
	},
	{
		Name:     "mendsb/dotdot-cleaned-first",
		Why:      "safe/link/../cfg.yaml would be checked as safe/cfg.yaml while the kernel reads cfg.yaml beside link's target, from a folder others can write",
		File:     "internal/outfile/folders.go",
		Old:      "\tif real, err := filepath.EvalSymlinks(raw); err == nil {\n",
		New:      "\tif real, err := filepath.EvalSymlinks(filepath.Clean(raw)); err == nil {\n",
		Packages: []string{"./internal/outfile"},
		Run:      "TestUnsafeFolderFollowsDotDotAfterALink",
	},
})
