package store

import (
	"context"
	"errors"
	"fmt"
	"lede"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestHubCounts: fronts are counted per site as fetch records change kind, and a store
// written before they were counted is counted once when opened for writing.
func TestHubCounts(t *testing.T) {
	ctx := context.Background()
	db, path := openTemp(t)
	put := func(u string, kind lede.Kind) {
		t.Helper()
		if err := db.PutFetch(ctx, lede.FetchRecord{URL: u, Kind: kind, Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	put("https://www.news.example/world/", lede.KindHub)
	put("https://news.example/sport/", lede.KindHub)
	put("https://news.example/sport/", lede.KindHub) // fetched again: still one front
	put("https://news.example/a/1.html", "article")
	put("https://other.example/", lede.KindHub)
	put("https://other.example/", "article") // decided again: no longer a front
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"news.example": 2}; fmt.Sprint(st.HubsBySite) != fmt.Sprint(want) {
		t.Errorf("HubsBySite = %v, want %v", st.HubsBySite, want)
	}

	// A store from before fronts were counted: no counters, no mark, and none of the buckets
	// added with them.
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketCounts).Delete(countKey("hub", "news.example")); err != nil {
			return err
		}
		for _, b := range [][]byte{bucketTemplates, bucketHubPages} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Delete(metaHubsCountedKey)
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if st, err := db.Stats(ctx); err != nil || st.HubsBySite["news.example"] != 2 {
		t.Errorf("after reopening an older store: HubsBySite = %v (%v), want news.example: 2", st.HubsBySite, err)
	}
}

// TestURLTemplatesBounded: counts add up per host and template; a host keeps at most
// maxTemplates templates, the least seen evicted.
func TestURLTemplatesBounded(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	for range 3 {
		if err := db.AddURLTemplates(ctx, "www.news.example", map[string]lede.TemplateCount{"/{yyyy}/{n}/{slug}": {Articles: 2}, "/tag/{w}/": {Hubs: 1}}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.URLTemplates(ctx, "news.example")
	if err != nil {
		t.Fatal(err)
	}
	if got["/{yyyy}/{n}/{slug}"] != (lede.TemplateCount{Articles: 6}) || got["/tag/{w}/"] != (lede.TemplateCount{Hubs: 3}) || len(got) != 2 {
		t.Errorf("URLTemplates = %v", got)
	}
	many := map[string]lede.TemplateCount{}
	for i := range maxTemplates + 10 {
		many[fmt.Sprintf("/t%d/{slug}", i)] = lede.TemplateCount{Hubs: 1}
	}
	if err := db.AddURLTemplates(ctx, "news.example", many); err != nil {
		t.Fatal(err)
	}
	got, _ = db.URLTemplates(ctx, "news.example")
	if len(got) > maxTemplates || got["/{yyyy}/{n}/{slug}"].Articles != 6 {
		t.Errorf("after %d more templates: %d kept (cap %d), the most seen %v", len(many), len(got), maxTemplates, got["/{yyyy}/{n}/{slug}"])
	}
}

// TestHubPagesBounded: kept front pages round-trip, are dropped on request, and a site keeps
// at most maxHubPages of them.
func TestHubPagesBounded(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	u := "https://www.news.example/topics/rain"
	page := []byte("<html><body><h1>Rain</h1></body></html>")
	if err := db.PutHubPage(ctx, u, page); err != nil {
		t.Fatal(err)
	}
	if got, err := db.HubPage(ctx, u); err != nil || string(got) != string(page) {
		t.Fatalf("HubPage = %q, %v", got, err)
	}
	if urls, err := db.HubPageURLs(ctx, "news.example"); err != nil || len(urls) != 1 || urls[0] != u {
		t.Errorf("HubPageURLs = %v, %v", urls, err)
	}
	if err := db.DeleteHubPage(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := db.HubPage(ctx, u); !errors.Is(err, ErrNotFound) {
		t.Errorf("after DeleteHubPage: %v, want ErrNotFound", err)
	}
	for i := range maxHubPages + 5 {
		if err := db.PutHubPage(ctx, fmt.Sprintf("https://news.example/tag/%d", i), page); err != nil {
			t.Fatal(err)
		}
	}
	if urls, _ := db.HubPageURLs(ctx, "news.example"); len(urls) > maxHubPages || len(urls) < maxHubPages/2 {
		t.Errorf("%d front pages kept, want at most %d", len(urls), maxHubPages)
	}
}
