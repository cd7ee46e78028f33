package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChannelsSpendInAnotherCurrencyStops: a TWD clinic's Google Ads
// download with one cost written "USD 100" (or "€100") was summed as
// 100 TWD, exit 0, and the report's costs and ROAS were off by the
// exchange rate while looking right. The run stops before printing
// anything, naming the file, line and column (exit 1, as every spend
// file error), never the amount (looked for outside the file's path: a
// temporary directory's random digits held "100" one run in a few).
func TestChannelsSpendInAnotherCurrencyStops(t *testing.T) {
	for _, cell := range []string{"USD 100", "€100", "US$100"} {
		g := "Campaign report\r\nNovember 1, 2026 - November 30, 2026\r\nDay,Campaign,Currency code,Cost,Clicks,Conversions\r\n" +
			"2026-11-02,Brand,TWD,250.00,5,0\r\n2026-11-03,Brand,TWD,\"" + cell + "\",5,0\r\n"
		path := filepath.Join(t.TempDir(), "google.csv")
		if err := os.WriteFile(path, []byte(g), 0o600); err != nil {
			t.Fatal(err)
		}
		c := channelsCase{"en", []string{"meta=meta-daily.csv"}}
		res := runCLI(t, nil, "", append([]string{"channels", "--spend", "google=" + path}, channelsArgs(c, "--json")[1:]...)...)
		if res.code != ExitFailure || res.stdout != "" || !strings.Contains(res.stderr, path+":5:4") || !strings.Contains(res.stderr, "TWD") || strings.Contains(strings.ReplaceAll(res.stderr, path, ""), "100") {
			t.Errorf("%q: exit %d, stdout %.80q, stderr %s", cell, res.code, res.stdout, res.stderr)
		}
	}
}

// TestChannelsDecimalCommaSpend: a EUR clinic (input.decimal_comma) whose
// Google Ads download writes 1.234,50 € has its spend read as 1234.50;
// before, the cell was refused as not a number.
func TestChannelsDecimalCommaSpend(t *testing.T) {
	dir := t.TempDir()
	en, err := os.ReadFile(chPath("en.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfgText := strings.Replace(string(en), "  currency: TWD\n", "  currency: EUR\n", 1)
	// The English fixture's fees do not read under decimal_comma; this
	// test is of the spend, so a share of 1 lets the report print
	// (the fee stop: TestUnreadableFeesStopTheChannelReport).
	cfgText = strings.Replace(cfgText, "input:\n", "input:\n  decimal_comma: true\n  max_unreadable_value_share: 1\n", 1)
	if cfgText == string(en) || !strings.Contains(cfgText, "decimal_comma") {
		t.Fatal("en.yaml changed shape")
	}
	cfg := filepath.Join(dir, "eur.yaml")
	g := filepath.Join(dir, "google.csv")
	if err := os.WriteFile(cfg, []byte(cfgText), 0o600); err != nil {
		t.Fatal(err)
	}
	text := "Day;Campaign;Currency code;Cost;Clicks;Conversions\r\n2026-11-02;Brand;EUR;1.234,50 €;5;0\r\n2026-11-03;Brand;EUR;10,25;3;0\r\n"
	if err := os.WriteFile(g, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, nil, "", "channels", "--config", cfg, "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf, "--exact", "--json",
		"--spend", "google="+g, chPath("export-en.csv"))
	var rep jsonReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("exit %d: %v: %s", res.code, err, res.stderr)
	}
	if v, _ := rep.Channels[0].num("spend"); res.code != 0 || math.Abs(v-1244.75) > 0.005 || rep.Currency != "EUR" {
		t.Errorf("exit %d, Google spend %v %s; want 1244.75 EUR: %s", res.code, v, rep.Currency, res.stderr)
	}
	// The same clinic's download in English format (the account user's
	// number format, not the export's): it stopped at its first cell,
	// "reads as two numbers"; it is read in its own format.
	text = "Day,Campaign,Currency code,Cost,Clicks,Conversions\r\n2026-11-02,Brand,EUR,\"1,234.50\",5,0\r\n2026-11-03,Brand,EUR,10.25,3,0\r\n"
	if err := os.WriteFile(g, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	res = runCLI(t, nil, "", "channels", "--config", cfg, "--from", "2026-11-01", "--to", "2026-11-30", "--as-of", fixtureAsOf, "--exact", "--json",
		"--spend", "google="+g, chPath("export-en.csv"))
	rep = jsonReport{}
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("an English download: exit %d: %v: %s", res.code, err, res.stderr)
	}
	if v, _ := rep.Channels[0].num("spend"); res.code != 0 || math.Abs(v-1244.75) > 0.005 {
		t.Errorf("an English download: exit %d, Google spend %v; want 1244.75: %s", res.code, v, res.stderr)
	}
}

// TestChannelsBareDollarInATWDSheet: a Taiwanese clinic's hand-kept spend
// sheet writes NT dollars "$1,200" (spend.google.currency: TWD); it
// stopped `channels` at its first cell and is now read as TWD.
func TestChannelsBareDollarInATWDSheet(t *testing.T) {
	g := "Campaign report\r\nNovember 1, 2026 - November 30, 2026\r\nDay,Campaign,Currency code,Cost,Clicks,Conversions\r\n" +
		"2026-11-02,Brand,TWD,\"$1,200\",5,0\r\n2026-11-03,Brand,TWD,\"$250.00\",5,0\r\n"
	path := filepath.Join(t.TempDir(), "google.csv")
	if err := os.WriteFile(path, []byte(g), 0o600); err != nil {
		t.Fatal(err)
	}
	c := channelsCase{"en", []string{"meta=meta-daily.csv"}}
	res := runCLI(t, nil, "", append([]string{"channels", "--spend", "google=" + path}, channelsArgs(c, "--json")[1:]...)...)
	var rep jsonReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
		t.Fatalf("exit %d: %v: %s", res.code, err, res.stderr)
	}
	if res.code != 0 || rep.Currency != "TWD" {
		t.Errorf("exit %d, currency %s: %s", res.code, rep.Currency, res.stderr)
	}
}
