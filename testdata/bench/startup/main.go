// Command startup measures what every hashgate command pays before it
// starts (make bench-startup; docs/performance.md, Start-up). It runs the
// binaries it is given alternately, ROUNDS times each, on `hashgate
// version` and on a dry-run of the bundled example, and prints for each
// the median CPU time (user + system, from the kernel's rusage of the
// child: microseconds, not a sampled profile) and wall time; then, from
// one GODEBUG=inittrace=1 run each, what package initialisation allocated
// in all packages and in this module's. Alternating puts a burst of the
// shared machine's load on both sides; CPU time moves less with load than
// wall time does, so compare the CPU figures.
//
// Usage: startup -rounds 21 OLD-BINARY NEW-BINARY
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

const module = "github.com/hashgate/hashgate/"

var commands = []struct {
	name string
	args []string
}{
	{"version", []string{"version"}},
	{"dry-run of the example", []string{"upload", "--dry-run", "--config", "configs/example.yaml", "testdata/example/appointments.csv"}},
}

func main() {
	rounds := flag.Int("rounds", 21, "runs of each binary per command, alternating")
	flag.Parse()
	bins := flag.Args()
	if len(bins) == 0 || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "usage: startup [-rounds N] BINARY...")
		os.Exit(2)
	}
	for _, c := range commands {
		fmt.Printf("%s, %d alternating runs each:\n", c.name, *rounds)
		cpu := make([][]time.Duration, len(bins))
		wall := make([][]time.Duration, len(bins))
		for r := range *rounds {
			for k := range bins {
				i := k
				if r%2 == 1 { // the other order every other round
					i = len(bins) - 1 - k
				}
				u, w, err := run(bins[i], c.args)
				if err != nil {
					fmt.Fprintf(os.Stderr, "%s: %v\n", bins[i], err)
					os.Exit(1)
				}
				cpu[i], wall[i] = append(cpu[i], u), append(wall[i], w)
			}
		}
		for i, b := range bins {
			fmt.Printf("  %-24s CPU %6.1f ms (%.1f–%.1f)   wall %6.1f ms (%.1f–%.1f)\n", filepath.Base(b),
				ms(median(cpu[i])), ms(slices.Min(cpu[i])), ms(slices.Max(cpu[i])),
				ms(median(wall[i])), ms(slices.Min(wall[i])), ms(slices.Max(wall[i])))
		}
	}
	fmt.Println("package initialisation (GODEBUG=inittrace=1 version):")
	for _, b := range bins {
		all, allocs, ours, oursAllocs, err := inittrace(b)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", b, err)
			os.Exit(1)
		}
		fmt.Printf("  %-24s all %8d bytes %6d allocs   %s* %7d bytes %5d allocs\n", filepath.Base(b), all, allocs, module, ours, oursAllocs)
	}
}

// run runs bin once and returns its CPU (user + system) and wall time.
func run(bin string, args []string) (cpu, wall time.Duration, err error) {
	cmd := exec.Command(bin, args...)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, 0, fmt.Errorf("%v\n%s", err, out)
	}
	wall = time.Since(start)
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), wall, nil
}

// inittrace sums the bytes and allocations of the runtime's inittrace
// lines ("init PKG @T ms, C ms clock, B bytes, A allocs"), in all packages
// and in this module's.
func inittrace(bin string) (all, allocs, ours, oursAllocs int, err error) {
	cmd := exec.Command(bin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return 0, 0, 0, 0, err
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		f := strings.Fields(l)
		if len(f) != 11 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		b, _ := strconv.Atoi(f[7])
		a, _ := strconv.Atoi(f[9])
		all, allocs = all+b, allocs+a
		if strings.HasPrefix(f[1], module) {
			ours, oursAllocs = ours+b, oursAllocs+a
		}
	}
	return all, allocs, ours, oursAllocs, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
