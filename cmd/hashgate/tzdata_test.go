package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestZoneDatabaseInEveryReleaseBuild: time/tzdata is among the
// dependencies of hashgate as built for each of the release's targets
// (.goreleaser.yaml's goos × goarch, CGO_ENABLED=0), so README's "the time
// zone database is in the binary" holds where it matters — on Windows. It
// needs no namespace and no /usr/share/zoneinfo, so it runs where
// TestTimeZonesWithoutTheSystemDatabase skips (GitHub's ubuntu-24.04
// runners refuse unprivileged user namespaces). It asks `go list -deps`
// rather than reading tzdata.go's import: a build constraint that leaves
// the file out of one target, or the file's removal, fails here too, and
// an import that moves to another package of the binary still passes.
func TestZoneDatabaseInEveryReleaseBuild(t *testing.T) {
	cfg, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	list := func(key string) []string {
		m := regexp.MustCompile(`(?m)^\s+` + key + `: \[([a-z0-9, ]+)\]`).FindSubmatch(cfg)
		if m == nil {
			t.Fatalf(".goreleaser.yaml: no %s: [...] list", key)
		}
		return strings.Split(strings.ReplaceAll(string(m[1]), " ", ""), ",")
	}
	for _, goos := range list("goos") {
		for _, goarch := range list("goarch") {
			t.Run(goos+"/"+goarch, func(t *testing.T) {
				t.Parallel()
				cmd := exec.Command("go", "list", "-deps", ".")
				cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
				out, err := cmd.Output()
				if err != nil {
					t.Fatalf("go list -deps: %v", err)
				}
				if !slices.Contains(strings.Fields(string(out)), "time/tzdata") {
					t.Errorf("hashgate for %s/%s does not import time/tzdata: on a host without a zone database every timezone is refused as unknown", goos, goarch)
				}
			})
		}
	}
}

// TestTimeZonesWithoutTheSystemDatabase runs hashgate where the host has
// no zone database, as on Windows: /usr/share/zoneinfo hidden under a
// tmpfs in a private mount namespace (unshare -rm), and GOROOT pointing
// nowhere, as in a -trimpath release build on a PC without Go. Without
// the embedded database every `timezone` was refused as unknown (the
// time review: config validate exited 2 on Asia/Taipei). Linux only, and
// skipped where user namespaces are not allowed — there
// TestZoneDatabaseInEveryReleaseBuild still checks the database is linked.
func TestTimeZonesWithoutTheSystemDatabase(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("hides the zone database with a Linux mount namespace")
	}
	if _, err := os.Stat("/usr/share/zoneinfo"); err != nil {
		t.Skip("no /usr/share/zoneinfo to hide")
	}
	if out, err := exec.Command("unshare", "-rm", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare -rm: %v %s", err, out)
	}
	config, err := filepath.Abs("../../configs/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("unshare", "-rm", "sh", "-c",
		`mount -t tmpfs none /usr/share/zoneinfo && [ -z "$(ls /usr/share/zoneinfo)" ] && exec "$0" "$@"`,
		os.Args[0], "config", "validate", "--config", config)
	cmd.Env = append(os.Environ(), "HASHGATE_TEST_RUN_MAIN=1", "GOROOT="+t.TempDir(), "ZONEINFO=")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Contains(string(out), "unknown IANA time zone") {
		t.Fatalf("config validate without the system's zone database: %v\n%s", err, out)
	}
}
