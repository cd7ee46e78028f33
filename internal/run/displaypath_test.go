package run

import "testing"

func TestDisplayPath(t *testing.T) {
	for in, want := range map[string]string{
		"exports/2026-12-05.csv":   "exports/2026-12-05.csv",
		"預約匯出 12月.csv":             "預約匯出 12月.csv",
		"a\x1b[2Jb.csv":            `"a\x1b[2Jb.csv"`,
		"invoice\u202evsc.exe":     `"invoice\u202evsc.exe"`,
		"tab\there.csv":            `"tab\there.csv"`,
		"bad\xffutf8.csv":          `"bad\xffutf8.csv"`,
		"line\nbreak.csv":          `"line\nbreak.csv"`,
		"isolate\u2066x\u2069.csv": `"isolate\u2066x\u2069.csv"`,
	} {
		if got := DisplayPath(in); got != want {
			t.Errorf("DisplayPath(%q) = %s, want %s", in, got, want)
		}
	}
}
