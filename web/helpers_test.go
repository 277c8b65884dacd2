package web

import (
	"context"
	"encoding/json"
	"io"
	"lede"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lede/crawler"
	"lede/internal/demosite"
	"lede/store"
)

// The script a stored article carries in its title and text: pages must show it as text.
const xssScript = "<script>alert(1)</script>"

// corpus is a store holding the demo crawl and a hostile article, with the IDs tests use.
type testCorpus struct {
	db     *store.DB
	path   string
	base   string // the demo site's address
	arabic string // ID of the Arabic demo article whose page carries "XS SM MD LG"
	xss    string // ID of the article whose title and text hold xssScript
}

// newTestCorpus crawls the demo site (served on loopback) into a fresh store, records the
// run, and stores an article whose title and text hold a script.
func newTestCorpus(t testing.TB) *testCorpus {
	t.Helper()
	ctx := context.Background()
	site := httptest.NewServer(demosite.Handler())
	t.Cleanup(site.Close)
	path := filepath.Join(t.TempDir(), "lede.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	started := time.Now()
	sum, err := crawler.New(db, db.Frontier(), crawler.WithDelay(0), crawler.WithParallelism(2)).
		Run(ctx, crawler.Site{Start: []string{site.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 5 {
		t.Fatalf("demo crawl stored %d articles, want 5", sum.New)
	}
	b, _ := json.Marshal(sum)
	if err := db.PutRun(ctx, started, b); err != nil {
		t.Fatal(err)
	}
	c := &testCorpus{db: db, path: path, base: site.URL}
	a, err := db.Get(ctx, site.URL+"/news/washington-moscow-syria.html")
	if err != nil {
		t.Fatal(err)
	}
	c.arabic = a.ID

	text := "The council met on Tuesday. A reader wrote " + xssScript + " in a comment that was quoted here.\n\n" +
		`A second paragraph holds <img src=x onerror="alert(2)"> and the budget figures for the harbour.`
	raw := "<html><head><title>" + xssScript + "</title></head><body><article><h1>Hostile</h1><p>" +
		strings.Repeat("The council met on Tuesday to vote on the harbour budget. ", 8) + "</p><script>alert(3)</script></article></body></html>"
	evil := &lede.Article{URL: "https://evil.example/news/hostile.html", Title: "Hostile title " + xssScript,
		Byline: xssScript, Lang: "en", Text: text, HTML: "<p>" + text + "</p>", FetchedAt: time.Now()}
	if _, err := db.PutArticle(ctx, evil, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	c.xss = evil.ID
	return c
}

// get fetches path from h and returns the status and body.
func get(t testing.TB, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// fixedServer serves the corpus's open store, its index read.
func fixedServer(t testing.TB, c *testCorpus, opts ...Option) *Server {
	t.Helper()
	s := New(Fixed(c.db), opts...)
	if err := s.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// httptestGet fetches path from h and returns the recorded answer.
func httptestGet(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
