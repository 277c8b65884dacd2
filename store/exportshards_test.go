package store

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"lede"
)

// Shards of one shared crawl: an article two workers stored, and one stored under two URLs,
// are exported once; everything else is exported.
func TestExportShardsWritesEachArticleOnce(t *testing.T) {
	ctx := context.Background()
	a, _ := openTemp(t)
	b, _ := openTemp(t)
	put := func(db *DB, art lede.Article) {
		t.Helper()
		if _, err := db.PutArticle(ctx, &art, nil); err != nil {
			t.Fatal(err)
		}
	}
	put(a, lede.Article{URL: "https://news.example/1", Text: "The harbour closed after the storm and the ferries stayed in port."})
	put(a, lede.Article{URL: "https://news.example/2", Text: "Parliament passed the budget on its second reading late on Tuesday."})
	put(b, lede.Article{URL: "https://news.example/1", Text: "The harbour closed after the storm and the ferries stayed in port."})                  // both workers
	put(b, lede.Article{URL: "https://news.example/2?amp=1", Text: "Parliament passed the budget on its second reading late on Tuesday."})           // same text
	put(b, lede.Article{URL: "https://news.example/3", CanonicalURL: "https://news.example/2", Text: "Parliament passed the budget, a later edit."}) // same canonical URL
	put(b, lede.Article{URL: "https://news.example/4", Text: "The museum reopens after two years of renovation work on its roof."})

	n, urls := exportShardURLs(t, a, b)
	slices.Sort(urls)
	want := []string{"https://news.example/1", "https://news.example/2", "https://news.example/4"}
	if n != 3 || !slices.Equal(urls, want) {
		t.Fatalf("exported %d: %v; want %v", n, urls, want)
	}
}

// Two shards holding an exact copy and a near copy under other URLs export each article once,
// merged in published order across the shards (not one shard after the other).
func TestExportShardsNearCopiesAndOrder(t *testing.T) {
	ctx := context.Background()
	a, _ := openTemp(t)
	b, _ := openTemp(t)
	day := func(d int) time.Time { return time.Date(2025, 3, d, 9, 0, 0, 0, time.UTC) }
	put := func(db *DB, u string, published time.Time, text string) {
		t.Helper()
		if _, err := db.PutArticle(ctx, &lede.Article{URL: u, Published: published, Text: text}, nil); err != nil {
			t.Fatal(err)
		}
	}
	storm := "The harbour closed after the storm on Monday and the ferries stayed in port while crews " +
		"checked the breakwater, the cranes and the fuel depot for damage before the port reopened to traffic on Wednesday morning."
	put(a, "https://news.example/storm", day(1), storm)
	put(b, "https://mirror.example/harbour-storm", day(1).Add(time.Hour), strings.Replace(storm, "Wednesday morning", "Wednesday at dawn", 1)) // near copy
	put(b, "https://news.example/budget", day(2), "Parliament passed the budget on its second reading late on Tuesday.")
	put(a, "https://news.example/budget-amp", day(2), "Parliament passed the budget on its second reading late on Tuesday.") // exact copy
	put(a, "https://news.example/museum", day(3), "The museum reopens after two years of renovation work on its roof.")
	put(b, "https://news.example/bridge", day(4), "The new bridge opened to cyclists and walkers ahead of schedule this spring.")

	n, urls := exportShardURLs(t, a, b)
	want := []string{"https://news.example/storm", "https://news.example/budget", "https://news.example/museum", "https://news.example/bridge"}
	if n != len(want) || !slices.Equal(urls, want) {
		t.Fatalf("exported %d: %v; want %v (each article once, in published order)", n, urls, want)
	}
}

// exportShardURLs exports shards as jsonl and returns how many articles ExportShards counted
// and the URLs written, in order.
func exportShardURLs(t *testing.T, shards ...*DB) (int, []string) {
	t.Helper()
	var out bytes.Buffer
	n, err := ExportShards(context.Background(), shards, Filter{}, &out, "jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var rec struct{ URL string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		urls = append(urls, rec.URL)
	}
	return n, urls
}
