package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// round is one more pair of dry-run and upload of csv, in a fresh state
// directory: the upload's CPU over the dry-run's.
func (b *bench) round(csv, name string) float64 {
	e := b.newEnv(name)
	defer e.t.close()
	dry, _ := b.run(e, "", csv, "upload", "--dry-run", "--quiet", "--config", e.config, "-")
	rep := filepath.Join(b.dir, "upload-"+name, "report.json")
	up, _ := b.run(e, "", "", "upload", "--backfill", "--quiet", "--report", rep, "--config", e.config, csv)
	for _, u := range readReport(rep).Uploads {
		if u.Conversions == 0 || u.Accepted != u.Conversions {
			log.Fatalf("round %s: %s accepted %d of %d", name, u.Destination, u.Accepted, u.Conversions)
		}
	}
	fmt.Printf("  round %s: dry-run %.2f CPU-s, upload %.2f CPU-s (%.2fx)\n", name, dry.cpu, up.cpu, up.cpu/dry.cpu)
	os.RemoveAll(filepath.Join(b.dir, "upload-"+name))
	return up.cpu / dry.cpu
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func fmtRatios(v []float64) string {
	out := make([]string, len(v))
	for i, r := range v {
		out[i] = fmt.Sprintf("%.2fx", r)
	}
	return strings.Join(out, " ")
}

// bodiesDigest is the SHA-256 of the bodies' own digests, sorted.
func bodiesDigest(bodies [][]byte) string {
	sums := make([]string, len(bodies))
	for i, b := range bodies {
		s := sha256.Sum256(b)
		sums[i] = hex.EncodeToString(s[:])
	}
	slices.Sort(sums)
	all := sha256.Sum256([]byte(strings.Join(sums, "\n")))
	return hex.EncodeToString(all[:8])
}

func dirMB(dir string) float64 {
	var n int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return float64(n) / 1e6
}
