package csvcell

import "testing"

func TestDangerous(t *testing.T) {
	for s, want := range map[string]bool{
		"=1+2": true, "=HYPERLINK(\"http://x\",\"y\")": true, "+1": false, "+886912": false, "+a": true,
		"-2+3+cmd|' /C calc'!A0": true, "-12.5": false, "-5": false, "-": true, "--1": true, "-1e5": true, "-Inf": true, "-NaN": true,
		"@SUM(A1)": true, "\t=1": true, "\r=1": true, "\n": true, "\x00": true, "  =1": true,
		"＝1+2": true, "＠SUM": true, "－cmd": true, "＋1": true,
		"": false, "abc": false, "Purchase": false, "'=1": false, "a=1": false, "1-2": false, "TWD": false,
		"Cj0KCQ-abc": false, "-Cj0KCQabc": true, "_abc": false,
	} {
		if got := Dangerous(s); got != want {
			t.Errorf("Dangerous(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{"=1": "'=1", "-x": "'-x", "-1": "-1", "ok": "ok", "@a": "'@a"} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
		if got := string(AppendNeutral([]byte("x,"), in)); got != "x,"+want {
			t.Errorf("AppendNeutral(%q) = %q", in, got)
		}
	}
}

func FuzzNeutralised(f *testing.F) {
	for _, s := range []string{"=1", "-1", "+a", "@", "\t", "ok", "－1",
		"=\"0912345678\"", "\ufeff=1", " =1", "＝1", "＋886", "\u200b=1", "\r=1", "\n+1", "=HYPERLINK(\"x\")", "%0A=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Dangerous(Neutralise(s)) {
			t.Errorf("Neutralise(%q) = %q is still dangerous", s, Neutralise(s))
		}
	})
}
