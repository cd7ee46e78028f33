package keyset

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"unsafe"
)

// smapsOf returns the /proc/self/smaps entry (its header line and its
// fields) of the mapping that holds addr, or "" when none does.
func smapsOf(t *testing.T, addr uintptr) string {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x ", &lo, &hi); n == 2 && strings.Contains(line[:strings.IndexByte(line, ' ')], "-") {
			if in {
				break
			}
			in = addr >= lo && addr < hi
		}
		if in {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestFullTableAsksForHugePages: a table of 2 MiB (the default's most)
// starts at a 2 MiB boundary in a mapping of its own marked for
// transparent huge pages (VmFlags "hg"): on 4 KiB pages a lookup's random
// slot missed the TLB as well as the cache, and the settler waited for
// both (perf record of the 1M-row dry-run: keyset.Seen 5.2% of samples,
// 3.6% on huge pages). The 256 KiB table before it asks for none: a huge
// page would make 2 MiB resident for it. Close unmaps the whole of it.
func TestFullTableAsksForHugePages(t *testing.T) {
	s := New(t.TempDir(), Sizes{TableSlots: hugePage / 8})
	defer s.Close()
	small := false
	for k := uint64(1); uint64(len(s.table)) < hugePage/8; k++ {
		if _, err := s.Seen(k*0x9E3779B97F4A7C15, true); err != nil {
			t.Fatal(err)
		}
		if uint64(len(s.table)) == mapWordsMin && !small {
			small = true
			if strings.Contains(vmFlags(smapsOf(t, tableAddr(s))), " hg ") {
				t.Fatal("a 256 KiB table asks for huge pages")
			}
		}
	}
	addr := tableAddr(s)
	if addr%hugePage != 0 {
		t.Errorf("the 2 MiB table starts at %#x, not at a 2 MiB boundary", addr)
	}
	m := smapsOf(t, addr)
	if m == "" {
		t.Fatal("the table is in no mapping")
	}
	if !strings.Contains(vmFlags(m), " hg ") {
		t.Errorf("the 2 MiB table's mapping is not marked for huge pages:\n%s", m)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if m := smapsOf(t, addr); m != "" && strings.HasPrefix(m, fmt.Sprintf("%x-", addr)) {
		t.Errorf("the table's mapping outlived Close:\n%s", m)
	}
}

func tableAddr(s *Set) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(s.table))) }

func vmFlags(smaps string) string {
	for line := range strings.Lines(smaps) {
		if strings.HasPrefix(line, "VmFlags:") {
			return " " + strings.TrimSpace(line[len("VmFlags:"):]) + " "
		}
	}
	return ""
}
