package crawler

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lede/store"
	"lede/warc"
)

// TestImportHoldsBoundedPages imports many more pages than the pipeline may hold at once and
// checks that the pages in memory never exceed maxHeldPages: the reader waits for the
// workers, and the workers for the writers, instead of reading the whole input ahead.
func TestImportHoldsBoundedPages(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "lede.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	const pages = 120
	records := iter.Seq[*warc.Record](func(yield func(*warc.Record) bool) {
		for n := range pages {
			title, paras, _ := chromeArticle(n)
			body := fmt.Sprintf("<html><head><title>%s</title></head><body><article><h1>%s</h1><p>%s</p></article></body></html>",
				title, title, strings.Join(paras, "</p><p>"))
			res := &warc.Response{
				URL:    fmt.Sprintf("http://news.test/2026/%d/story", n),
				Date:   time.Date(2026, 1, 1, 0, 0, n, 0, time.UTC),
				Status: 200,
				Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
				Body:   []byte(body),
			}
			if !yield(&warc.Record{Response: res}) {
				return
			}
		}
	})
	held := &heldPages{}
	const workers = 2
	sum, err := New(db, db.Frontier()).Import(context.Background(), records, ImportOptions{Workers: workers, held: held})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Fetched != pages || sum.New == 0 {
		t.Fatalf("imported %d pages (%d new articles), want %d", sum.Fetched, sum.New, pages)
	}
	if held.now != 0 {
		t.Errorf("%d pages still held after the import", held.now)
	}
	if bound := maxHeldPages(workers); held.peak > bound || held.peak == 0 {
		t.Errorf("held %d pages at once, want 1 to %d (of %d)", held.peak, bound, pages)
	}
	t.Logf("held at most %d pages of %d (bound %d)", held.peak, pages, maxHeldPages(workers))
}
