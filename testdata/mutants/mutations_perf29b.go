package main

// perf29bMutations hold the key sets' huge pages (issue 29, session 21):
// a lookup of a 2 MiB table or filter missed the TLB on 4 KiB pages.
var perf29bMutations = register([]mutation{
	{
		Name:     "perf29b/table-without-huge-pages",
		Why:      "the 2 MiB table would stay on 4 KiB pages: each lookup on the settler's one goroutine would miss the TLB again (keyset.Seen 3.6% -> 5.2% of the 1M dry-run's samples, +4% CPU)",
		File:     "internal/keyset/words_linux.go",
		Old:      "syscall.Syscall(syscall.SYS_MADVISE, p, size, 14)",
		New:      "syscall.Syscall(syscall.SYS_MADVISE, p, size, 0)",
		Packages: []string{"./internal/keyset"},
		Run:      "TestFullTableAsksForHugePages",
	},
	{
		Name:     "perf29b/table-off-the-boundary",
		Why:      "a 2 MiB table not on a 2 MiB boundary holds no whole huge page, so the kernel gives it none",
		File:     "internal/keyset/words_linux.go",
		Old:      "start := (p + hugePage - 1) &^ (hugePage - 1)",
		New:      "start := p + 4096",
		Packages: []string{"./internal/keyset"},
		Run:      "TestFullTableAsksForHugePages",
	},
})
