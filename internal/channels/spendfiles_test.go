package channels

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/spend"
)

// buildWithSpend builds the English fixture's November report with the
// given downloads, named "platform:name" → content.
func buildWithSpend(t *testing.T, files ...[3]string) (*Report, error) {
	t.Helper()
	var in []SpendInput
	for _, f := range files {
		p, err := platform.Parse(f[0])
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, SpendInput{Platform: p, Name: f[1], R: strings.NewReader(f[2])})
	}
	header, rows := fixtureExport(t)
	rep, _, err := Build(context.Background(), Options{
		Config: fixtureConfig(), Input: strings.NewReader(header + "\r\n" + strings.Join(rows, "\r\n") + "\r\n"), InputName: "export.csv",
		From: day("2026-11-01"), To: day("2026-11-30"), AsOf: day("2026-11-26"), Exact: true, Spend: in,
	})
	return rep, err
}

func fixtureText(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/channels/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestOneAccountsDownloadsDoNotSum: the same account's spend in two
// downloads was summed whenever the two did not hold the same figure for
// the very same range: Meta by day beside Meta for the month gave
// November 156,580.72 for 78,290.36, with a warning that called them two
// accounts; and a campaign report beside an ad report of the same day
// compared their figures as float64, whose sums in another order differ
// in the last bits (616.78 against 0.01 + 1.32 + 615.45). Figures are
// compared in exact hundredths now, over ranges that hold others (a month
// against its days), and two downloads naming the same campaigns are one
// account's whatever their figures.
func TestOneAccountsDownloadsDoNotSum(t *testing.T) {
	stops := func(name string, err error, want ...string) {
		t.Helper()
		var se *spend.Error
		if !errors.As(err, &se) {
			t.Errorf("%s: %v; want a stop", name, err)
			return
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v; want %q in it", name, err, w)
			}
		}
	}
	daily, total := fixtureText(t, "meta-daily.csv"), fixtureText(t, "meta-total.csv")
	_, err := buildWithSpend(t, [3]string{"meta", "meta-daily.csv", daily}, [3]string{"meta", "meta-total.csv", total})
	stops("by day beside the month", err, "meta-total.csv:2:", "2026-11-01 to 2026-11-30", "meta-daily.csv's on line", "to the cent")

	// The month's download made after Meta revised a day: other figures,
	// the same campaigns.
	revised := strings.Replace(total, "34818.23", "34819.23", 1)
	_, err = buildWithSpend(t, [3]string{"meta", "meta-daily.csv", daily}, [3]string{"meta", "meta-total.csv", revised})
	stops("revised", err, "meta-daily.csv and meta-total.csv name the same meta campaigns", "2026-11-01 to 2026-11-30")

	// One day by campaign and by ad: no campaign column in the ad report,
	// so only the figures can tell, to the cent.
	campaigns := "Day,Campaign,Currency code,Cost,Clicks\n2026-11-03,Dental Implant Search,TWD,616.78,14\n"
	ads := "Day,Ad group,Currency code,Cost,Clicks\n2026-11-03,Implant A,TWD,0.01,1\n2026-11-03,Implant B,TWD,1.32,3\n2026-11-03,Implant C,TWD,615.45,10\n2026-11-04,Implant A,TWD,5.00,1\n"
	_, err = buildWithSpend(t, [3]string{"google", "campaigns.csv", campaigns}, [3]string{"google", "ads.csv", ads})
	stops("by campaign and by ad", err, "campaigns.csv's on line 2", "2026-11-03")
	// In the other order the later file is named at its own line.
	_, err = buildWithSpend(t, [3]string{"google", "ads.csv", ads}, [3]string{"google", "campaigns.csv", campaigns})
	stops("by ad and by campaign", err, "campaigns.csv:2:", "ads.csv's on line 2")

	// Two accounts: other campaigns, summed without a word; with no
	// column naming either, summed with a warning.
	other := "Campaign name,Day,Amount spent (TWD),Link clicks,Results,Result indicator,Reporting starts,Reporting ends\n"
	for d := 1; d <= 30; d++ {
		other += fmt.Sprintf("North Invisalign,2026-11-%02d,100.01,5,1,actions:lead,2026-11-%02d,2026-11-%02d\n", d, d, d)
	}
	rep, err := buildWithSpend(t, [3]string{"meta", "meta-daily.csv", daily}, [3]string{"meta", "north.csv", other})
	if err != nil {
		t.Errorf("two accounts' campaigns: %v", err)
	} else if strings.Contains(strings.Join(rep.Warnings, "\n"), "north.csv") {
		t.Errorf("two accounts' campaigns: warned %q", rep.Warnings)
	} else if got := fmt.Sprintf("%.2f", rep.Table.Channels[1].Values[Spend].V); got != "81290.66" {
		t.Errorf("two accounts' campaigns: spend %s, want 81290.66", got)
	}
	a := "Day,Currency code,Cost,Clicks\n2026-11-03,TWD,10.00,1\n2026-11-04,TWD,20.00,2\n"
	b := "Day,Currency code,Cost,Clicks\n2026-11-03,TWD,11.00,1\n2026-11-04,TWD,21.00,2\n"
	rep, err = buildWithSpend(t, [3]string{"google", "a.csv", a}, [3]string{"google", "b.csv", b})
	if err != nil {
		t.Errorf("two accounts' days, unnamed: %v", err)
	} else if !strings.Contains(strings.Join(rep.Warnings, "\n"), "a.csv and b.csv both hold google spend for 2026-11-03 to 2026-11-04") {
		t.Errorf("two accounts' days, unnamed: warnings %q", rep.Warnings)
	}
}
