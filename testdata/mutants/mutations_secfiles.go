package main

// secfilesMutations hold the output-file guards of the security review of
// 2026-12-07: what a link, a FIFO or a device planted at an output path
// could make a run (as root) write, hand over, or wait for.
var secfilesMutations = register([]mutation{
	{
		Name:     "outfile/descriptor-by-prefix",
		Why:      "a link to /proc/self/fd/../root/ANY/PATH would pass as the process's own output: the hashed CSV written over the start of any file on the system",
		File:     "internal/outfile/outfile.go",
		Old:      "\t\tdest = filepath.Clean(dest)\n\t\tif ownFD(dest) {",
		New:      "\t\tif strings.HasPrefix(dest, \"/proc/self/fd/\") {",
		Packages: []string{"./internal/outfile"},
		Run:      "TestOwnDescriptorIsExact",
	},
	{
		Name:     "outfile/any-own-descriptor",
		Why:      "a link to /proc/self/fd/N would be written whatever N holds: the ledger or the export hashgate has open",
		File:     "internal/outfile/outfile.go",
		Old:      "\t\tif viaLink && ownDescriptor(path) && isStdStream(st) {",
		New:      "\t\tif viaLink && ownDescriptor(path) {",
		Packages: []string{"./internal/outfile"},
		Run:      "TestAnOwnDescriptorThatIsNotStdoutIsRefused",
	},
	{
		Name:     "outfile/opened-not-rechecked",
		Why:      "a link swapped from a FIFO to a victim's file between the look and the open would be written",
		File:     "internal/outfile/pin_linux.go",
		Old:      "\tpin := os.NewFile(uintptr(fd), path)\n\tdefer pin.Close()",
		New:      "\tpin := os.NewFile(uintptr(fd), path)\n\tdefer pin.Close()\n\tif true {\n\t\treturn os.OpenFile(path, os.O_WRONLY, 0)\n\t}",
		Packages: []string{"./internal/outfile"},
		Run:      "TestALinkSwappedBeforeTheOpenIsRefused",
	},
	{
		Name:     "outfile/fifo-blocks",
		Why:      "a FIFO nobody reads would hold the run in open for ever, deaf to SIGTERM, after everything was sent",
		File:     "internal/outfile/outfile.go",
		Old:      "\t\treturn os.O_WRONLY | nonBlock",
		New:      "\t\treturn os.O_WRONLY",
		Packages: []string{"./internal/outfile"},
		Run:      "TestAFIFOWithoutAReaderFailsAtOnce",
	},
	{
		Name:     "outfile/foreign-fifo",
		Why:      "a FIFO another user planted at --report would receive the run's output",
		File:     "internal/outfile/outfile.go",
		Old:      "\t\tif uid, ok := owner(st); ok && uid != os.Geteuid() && !isStdStream(st) {",
		New:      "\t\tif uid, ok := owner(st); ok && uid != os.Geteuid() && false {",
		Packages: []string{"./internal/outfile"},
		Run:      "TestAFIFOOfAnotherUserIsRefused",
	},
	{
		Name:     "outfile/any-device-through-link",
		Why:      "a link planted to /dev/kmsg or /dev/watchdog would be written as root",
		File:     "internal/outfile/outfile.go",
		Old:      "\t\tif viaLink && m.Perm()&0o002 == 0 && !isStdStream(st) {",
		New:      "\t\tif false {",
		Packages: []string{"./internal/outfile"},
		Run:      "TestALinkToADeviceNotEveryoneMayWriteIsRefused",
	},
})
