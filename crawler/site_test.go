package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"lede"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lede/store"
)

// enPara and arPara are prose paragraphs long enough for extract to see an article.
var (
	enPara = "The minister told parliament on Tuesday that the agreement on water and energy would be signed before the winter, after months of talks between the two governments and the regional council."
	arPara = "جددت الولايات المتحدة دعوتها لروسيا إلى التعاون من أجل محاربة تنظيم الدولة الإسلامية في سورية، بدلا من تعزيز وجودها العسكري هناك، في حين أكدت موسكو مواصلة دعمها العسكري لدمشق."
)

// prose returns n distinct paragraphs for an article, seeded by its title, so that no two
// test articles are near-duplicates.
func prose(title, lang string, n int) []string {
	words := strings.Fields(enPara)
	if lang == "ar" {
		words = strings.Fields(arPara)
	}
	seed := uint64(14695981039346656037)
	for _, c := range []byte(title) {
		seed = (seed ^ uint64(c)) * 1099511628211
	}
	out := make([]string, n)
	for i := range out {
		w := make([]string, 40)
		for j := range w {
			seed = seed*6364136223846793005 + 1442695040888963407
			w[j] = words[(seed>>33)%uint64(len(words))]
		}
		out[i] = strings.Join(w, " ") + "."
	}
	return out
}

// articleHTML is a news article wrapped in the seed's kinds of chrome: skip links, a
// text-size selector, a share bar and a related box.
func articleHTML(title, lang string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="%s"><head><meta charset="utf-8"><title>%s | Test News</title>`+
		`<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>`+
		`<div class="skip"><h2>Accessibility links</h2><a href="#c">Skip to content</a></div>`+
		`<nav><a href="/">Home</a> <a href="/world/">World</a></nav><main id="c"><article><h1>%s</h1>`+
		`<time datetime="2026-03-04T10:00:00Z">4 March 2026</time>`, lang, title, title)
	for _, p := range prose(title, lang, n) {
		fmt.Fprintf(&b, "<p>%s</p>", p)
	}
	b.WriteString(`<div class="text-size"><span>XS</span> <span>SM</span> <span>MD</span> <span>LG</span></div>` +
		`<div class="share"><a href="#f">Facebook</a> <a href="#t">Twitter</a></div></article></main></body></html>`)
	return b.String()
}

// hubHTML is a listing page linking to hrefs.
func hubHTML(title string, hrefs ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>%s</title>`+
		`<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body><h1>%s</h1><ul>`, title, title)
	for _, h := range hrefs {
		fmt.Fprintf(&b, `<li><a href="%s">Story at %s</a></li>`, h, h)
	}
	b.WriteString("</ul></body></html>")
	return b.String()
}

// testSite is an httptest news site that logs every request path.
type testSite struct {
	*httptest.Server
	mux *http.ServeMux
	mu  sync.Mutex
	log []string
	at  []time.Time
}

func newTestSite(t *testing.T) *testSite {
	t.Helper()
	s := &testSite{mux: http.NewServeMux()}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.log = append(s.log, r.URL.RequestURI())
		s.at = append(s.at, time.Now())
		s.mu.Unlock()
		s.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// page serves body at path with Content-Type ct.
func (s *testSite) page(path, ct, body string) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Write([]byte(body))
	})
}

func (s *testSite) html(path, body string) { s.page(path, "text/html; charset=utf-8", body) }

// count returns how often path (with query) was requested.
func (s *testSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.log {
		if p == path {
			n++
		}
	}
	return n
}

func (s *testSite) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

func gz(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}

// openStore opens a fresh store in a temporary directory.
func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "lede.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// crawl runs one crawl of the given start URLs with test-friendly defaults (no delay).
func crawl(t *testing.T, db *store.DB, starts []string, opts ...Option) *Summary {
	t.Helper()
	opts = append([]Option{WithDelay(0), WithParallelism(2), WithTimeout(5 * time.Second)}, opts...)
	c := New(db, db.Frontier(), opts...)
	sum, err := c.Run(context.Background(), Site{Start: starts}) // no time limit: a loaded machine is slow, not wrong

	if err != nil {
		t.Fatalf("crawl: %v", err)
	}
	return sum
}

// storedArticles returns the stored articles by URL.
func storedArticles(t *testing.T, db *store.DB) map[string]*lede.Article {
	t.Helper()
	out := map[string]*lede.Article{}
	err := db.Articles(context.Background(), store.Filter{}, func(a *lede.Article) error {
		if _, dup := out[a.URL]; dup {
			t.Errorf("article %s listed twice", a.URL)
		}
		out[a.URL] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func fetchRecord(t *testing.T, db *store.DB, u string) lede.FetchRecord {
	t.Helper()
	rec, ok, err := db.GetFetch(context.Background(), u)
	if err != nil || !ok {
		t.Fatalf("no fetch record for %s (err %v)", u, err)
	}
	return rec
}
