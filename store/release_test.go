package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"lede"
)

// TestReleaseDue releases the mapped pages when the file-backed resident memory has grown by
// mappedBudget since the last release, and then only once.
func TestReleaseDue(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the resident set is read from /proc/self/statm")
	}
	now := fileResident()
	if now < mappedBudget { // the test binary alone maps more than that
		t.Fatalf("fileResident() = %d, want the test binary's resident pages at least", now)
	}
	db := &DB{}
	if !db.releaseDue() {
		t.Fatal("a release is due when the resident memory grew by the budget since the last")
	}
	if db.releaseDue() {
		t.Fatal("a second transaction at the same moment must not release again")
	}
	db.residentAfterRelease.Store(fileResident() - mappedBudget/2)
	if db.releaseDue() {
		t.Fatal("a release is not due before the resident memory grew by the budget")
	}
}

// TestWritesKeepTheMapWithinBudget: a store written and read far beyond the budget keeps its
// mapped pages' share of the resident set within it.
func TestWritesKeepTheMapWithinBudget(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the mapped pages are given back with madvise on Linux")
	}
	db, path := openTemp(t)
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range 600 {
		var text strings.Builder // words that do not compress: a few pages per article
		for range 2000 {
			fmt.Fprintf(&text, "w%x ", rnd.Uint32())
		}
		a := &lede.Article{URL: fmt.Sprintf("https://example.com/news/%d", i), Title: "T", Text: text.String()}
		if _, err := db.PutArticle(ctx, a, []byte(a.Text)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Get(ctx, fmt.Sprintf("https://example.com/news/%d", i*7%(i+1))); err != nil {
			t.Fatal(err) // reads pages all over the file, as a crawl's lookups do
		}
		if i%50 == 49 {
			if got := mappedResident(t, path); got > 2*mappedBudget {
				t.Fatalf("after %d articles the store's map holds %d kB resident, want at most about %d kB",
					i+1, got>>10, mappedBudget>>10)
			}
		}
	}
}

// mappedResident returns the resident bytes of this process's mappings of the file at path.
func mappedResident(t *testing.T, path string) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if strings.Contains(fields[0], "-") && len(fields) >= 5 { // a mapping's first line
			in = len(fields) >= 6 && fields[len(fields)-1] == path
			continue
		}
		if in && fields[0] == "Rss:" && len(fields) >= 2 {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			total += kb << 10
		}
	}
	return total
}
