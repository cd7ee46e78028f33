package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGenerate: one man page per command, each with its examples, and
// completion scripts for four shells, all from the live command tree.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"hashgate.1", "hashgate-upload.1", "hashgate-config-validate.1", "hashgate-ledger-stats.1", "hashgate-completion-bash.1"} {
		b, err := os.ReadFile(filepath.Join(dir, "man", page))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), ".SH EXAMPLE") || !strings.Contains(string(b), `"Dec 2026"`) {
			t.Errorf("%s lacks its EXAMPLE section or the fixed date:\n%.300s", page, b)
		}
	}
	for name, want := range map[string]string{
		"hashgate.bash": "__start_hashgate",
		"hashgate.zsh":  "#compdef hashgate",
		"hashgate.fish": "complete -c hashgate",
		"hashgate.ps1":  "Register-ArgumentCompleter",
	} {
		b, err := os.ReadFile(filepath.Join(dir, "completion", name))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: %v, lacks %q", name, err, want)
		}
	}
}
