package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestTimeZonesWithoutTheSystemDatabase runs hashgate where the host has
// no zone database, as on Windows: /usr/share/zoneinfo hidden under a
// tmpfs in a private mount namespace (unshare -rm), and GOROOT pointing
// nowhere, as in a -trimpath release build on a PC without Go. Without
// the embedded database every `timezone` was refused as unknown (the
// time review: config validate exited 2 on Asia/Taipei). Linux only, and
// skipped where user namespaces are not allowed.
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
