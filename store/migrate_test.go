package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lede"
)

// v1Articles are the articles testdata/schema-v1.db.gz holds, as lede before schema 2
// stored them (see testdata/README.md): their URL as the crawler gave it and their ID.
var v1Articles = []struct{ url, id string }{
	{"https://news.example/2025/03/04/harbour-bridge.html", "b0b4810447e28b35"},
	{"https://news.example/article.php?id=7&lang=en", "96343e7afa160e68"},
	{"https://news.example/story?q=caf%C3%A9%20au%20lait&x=1", "d570b23666f95423"},
	{"https://news.example/go?url=http://other.example/a&b=1", "491ef021a4df4780"},
	{"https://news.example/flag?amp", "369cba547f192a0d"},
	{"http://[::1]:8080/a/local.html", "2789287544866cbf"},
	{"http://[::1]/a/noport.html", "5092bfc0383a8c65"},
	{"https://www.news.example/2025/03/05/museum.html", "3a57c4f2a968d541"},
	{"https://news.example/2025/03/05/museum.html", "3a57c4f2a968d541"},                    // its canonical URL
	{"https://m.news.example/2025/03/04/harbour-bridge.html?from=app", "b0b4810447e28b35"}, // an alias
}

// v1Store copies the schema-1 store of testdata to a temporary file and returns its path.
func v1Store(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v1.db")
	if err := os.WriteFile(path, mustGunzip(t, "testdata/schema-v1.db.gz"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSchemaV1Upgrade: a store written by lede before schema 2 is read as it is while opened
// read-only, and upgraded when opened for writing: every article is found by its URL with the
// ID it had, the same pages crawled again are duplicates of it, and the rest of the crawl
// state (fetch records, queue, learned chrome and templates, kept fronts) is untouched.
func TestSchemaV1Upgrade(t *testing.T) {
	ctx := context.Background()
	path := v1Store(t)

	ro, err := Open(path, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	if st, err := ro.Stats(ctx); err != nil || st.Schema != 1 || st.Articles != 8 {
		t.Fatalf("read-only: stats %+v, %v; want schema 1 and 8 articles", st, err)
	}
	for _, a := range v1Articles {
		if got, err := ro.Get(ctx, a.id); err != nil || got.ID != a.id {
			t.Errorf("read-only: Get(%s) = %v, %v", a.id, got, err)
		}
	}
	ro.Close()
	if b, _ := os.ReadFile(path); !bytes.Equal(b, mustGunzip(t, "testdata/schema-v1.db.gz")) {
		t.Fatal("opening the store read-only changed the file")
	}

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.Stats(ctx)
	if err != nil || st.Schema != SchemaVersion || st.Articles != 8 || st.Fetches != 2 || st.Queued != 1 || st.HubsBySite["news.example"] != 1 {
		t.Fatalf("upgraded: stats %+v, %v", st, err)
	}
	for _, a := range v1Articles {
		got, err := db.Get(ctx, a.url)
		if err != nil || got.ID != a.id {
			t.Errorf("Get(%s) = %v, %v; want the article %s", a.url, got, err, a.id)
			continue
		}
		if ok, err := db.HasArticle(ctx, a.url); !ok || err != nil {
			t.Errorf("HasArticle(%s) = %v, %v", a.url, ok, err)
		}
		again := &lede.Article{URL: a.url, Title: got.Title, Text: got.Text, Lang: got.Lang}
		if res, err := db.PutArticle(ctx, again, nil); err != nil || res != Duplicate || again.ID != a.id {
			t.Errorf("the page of %s stored again: %v, %v, ID %s; want a duplicate of %s", a.url, res, err, again.ID, a.id)
		}
	}
	if rec, ok, err := db.GetFetch(ctx, "https://news.example/world/"); !ok || err != nil || rec.Kind != lede.KindHub || rec.Recheck != time.Hour {
		t.Errorf("fetch record: %+v, %v, %v", rec, ok, err)
	}
	if items, err := db.Frontier().Pop(ctx, 10); err != nil || len(items) != 1 || items[0].Via != lede.ViaFeed || items[0].Depth != 2 {
		t.Errorf("queue: %+v, %v", items, err)
	}
	if set, err := db.HostChrome(ctx, "news.example", 20, 0.6); err != nil || len(set) != 2 {
		t.Errorf("learned chrome: %v, %v", set, err)
	}
	if tmpl, err := db.URLTemplates(ctx, "news.example"); err != nil || tmpl["/{yyyy}/{n}/{n}/{slug}.html"].Articles != 6 {
		t.Errorf("URL templates: %v, %v", tmpl, err)
	}
	if page, err := db.HubPage(ctx, "https://news.example/world/"); err != nil || !bytes.Contains(page, []byte("World")) {
		t.Errorf("kept front: %q, %v", page, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// Upgraded once: opening it again writes nothing.
	before, _ := os.ReadFile(path)
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("opening an upgraded store changed it again")
	}
}

func mustGunzip(t *testing.T, name string) []byte {
	t.Helper()
	gz, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return b
}
