package store

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

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

	var out bytes.Buffer
	n, err := ExportShards(ctx, []*DB{a, b}, Filter{}, &out, "jsonl")
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
	slices.Sort(urls)
	want := []string{"https://news.example/1", "https://news.example/2", "https://news.example/4"}
	if n != 3 || !slices.Equal(urls, want) {
		t.Fatalf("exported %d: %v; want %v", n, urls, want)
	}
}
