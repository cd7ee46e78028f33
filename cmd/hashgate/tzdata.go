package main

// The IANA time zone database, embedded (about 450 KB of the binary).
// Windows has no zone database Go can read, and a release build
// (-trimpath, .goreleaser.yaml) has no GOROOT zip to fall back on: on a
// clinic PC without Go every `timezone` was refused as unknown, so no
// upload of local times and no channel report could run (the time
// review reproduced it with /usr/share/zoneinfo hidden). The package is
// used only when the system has no database: "If this package is imported
// anywhere in the program, then if the time package cannot find tzdata
// files on the system, it will use this embedded information"
// (pkg.go.dev/time/tzdata), so a host's newer rules still win.
import _ "time/tzdata"
