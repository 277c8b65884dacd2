package crawler

import (
	"context"
	"fmt"
	"iter"
	"lede"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lede/store"
	"lede/warc"
)

// manyHostsRecords are the records of an archive in which news.test's pages come in two
// runs (first 0..47, then 48..57) with pages of other hosts between them.
func manyHostsRecords(others int) iter.Seq[*warc.Record] {
	return func(yield func(*warc.Record) bool) {
		n := 0
		page := func(host string, i int) bool {
			_, _, body := chromeArticle(i)
			n++
			return yield(&warc.Record{Response: &warc.Response{
				URL:    fmt.Sprintf("http://%s/story/%d", host, i),
				Date:   time.Date(2026, 1, 1, 0, 0, n, 0, time.UTC),
				Status: 200,
				Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
				Body:   []byte(body),
			}})
		}
		for i := range 48 {
			if !page("news.test", i) {
				return
			}
		}
		for h := range others {
			if !page(fmt.Sprintf("h%d.test", h), 100+h) {
				return
			}
		}
		for i := 48; i < 58; i++ {
			if !page("news.test", i) {
				return
			}
		}
	}
}

// importManyHosts imports manyHostsRecords into a fresh store holding at most maxHosts hosts
// in memory, and returns the store's articles by URL, news.test's URL templates and the
// hosts the run held at most.
func importManyHosts(t *testing.T, maxHosts, others int) (map[string]string, map[string]lede.TemplateCount, int) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "lede.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var peakMu sync.Mutex // onRun runs in every writer
	peak := 0
	opts := ImportOptions{Workers: 2, onRun: func(r *run) {
		r.kinds.mu.Lock()
		n := r.kinds.hosts.Len()
		r.kinds.mu.Unlock()
		r.chromeMu.Lock()
		n = max(n, r.chrome.Len())
		r.chromeMu.Unlock()
		peakMu.Lock()
		peak = max(peak, n)
		peakMu.Unlock()
	}}
	sum, err := New(db, db.Frontier(), WithMaxHosts(maxHosts)).Import(context.Background(), manyHostsRecords(others), opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 58+others {
		t.Fatalf("%d new articles, want %d: %+v", sum.New, 58+others, sum.Counts)
	}
	texts := map[string]string{}
	err = db.Articles(context.Background(), store.Filter{}, func(a *lede.Article) error {
		texts[a.URL] = a.Text
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := db.URLTemplates(context.Background(), "news.test")
	if err != nil {
		t.Fatal(err)
	}
	return texts, tmpl, peak
}

// TestImportBoundsHostsInMemory imports pages of more hosts than the run may hold: it never
// holds more, and a host put out of memory and met again loses nothing of what it learned.
// Its learned chrome is stripped from every one of its articles (those stored before the host
// went out are cleaned again as it goes, those after are cleaned with the chrome read back
// from the store), and its URL templates count every decision (the pending ones are written
// as the host goes out): the store ends as with no bound at all.
func TestImportBoundsHostsInMemory(t *testing.T) {
	const others, bound = 6, 3
	free, freeTmpl, freePeak := importManyHosts(t, DefaultMaxHosts, others)
	got, gotTmpl, peak := importManyHosts(t, bound, others)
	if freePeak != others+1 {
		t.Errorf("without a bound the run held %d hosts at most, want %d", freePeak, others+1)
	}
	if peak == 0 || peak > bound {
		t.Errorf("held %d hosts at once, want 1 to %d", peak, bound)
	}
	for i := range 58 {
		u := fmt.Sprintf("http://news.test/story/%d", i)
		for _, c := range chromeWords {
			if strings.Contains(got[u], c) {
				t.Errorf("%s keeps the learned chrome %q", u, c)
				break
			}
		}
	}
	if len(got) != len(free) {
		t.Errorf("%d articles stored, %d without a bound", len(got), len(free))
	}
	for u, text := range free {
		if got[u] != text {
			t.Errorf("%s: text differs from the run without a bound:\n%.300q\nwant\n%.300q", u, got[u], text)
		}
	}
	if len(freeTmpl) == 0 {
		t.Fatal("no URL template learned for news.test: the test proves nothing")
	}
	if fmt.Sprint(gotTmpl) != fmt.Sprint(freeTmpl) {
		t.Errorf("news.test's URL templates %v, without a bound %v", gotTmpl, freeTmpl)
	}
}
