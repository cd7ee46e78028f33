package spend

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// FuzzRead: a spend download never panics the reader, and an error never
// carries a cell of the file (campaign names may name a treatment).
func FuzzRead(f *testing.F) {
	f.Add([]byte("Campaign report\n\"Nov 1, 2026 - Nov 30, 2026\"\nDay,Campaign,Currency code,Cost,Clicks,Conversions\n2026-11-01,Implant,TWD,\"1,234.00\",12,1.00\nTotal: Account,--,TWD,\"1,234.00\",12,1.00\n"))
	f.Add([]byte("\ufeffCampaign name,Amount spent (TWD),Link clicks,Results,Reporting starts,Reporting ends\nLeads,1000,10,1,2026-11-01,2026-11-30\n"))
	f.Add([]byte("\xff\xfeD\x00a\x00y\x00\t\x00C\x00o\x00s\x00t\x00\n\x00"))
	f.Add([]byte("\ufeffDay,Campaign,Currency code,Cost\r\n2026-12-07,植牙,TWD,\"1,234\"\r\n2026/12/08,植牙,TWD,=\"500\"\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range []platform.Platform{platform.Google, platform.Meta} {
			_, err := Read(bytes.NewReader(data), "f.csv", Options{Platform: p, Columns: Preset(p), Currency: "TWD"})
			if err == nil {
				continue
			}
			for _, cell := range strings.FieldsFunc(string(data), func(r rune) bool { return r == ',' || r == '\n' || r == '\t' || r == '"' }) {
				if len(cell) >= 12 && strings.Contains(err.Error(), cell) && !strings.Contains("no cost column no date column Reporting starts Amount spent", cell) {
					t.Fatalf("error %q quotes the cell %q", err, cell)
				}
			}
		}
	})
}
