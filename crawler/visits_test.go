package crawler

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"lede/crawler/redisfrontier/redistest"
)

// growingSite is a news site whose front links articles /news/first … /news/n-1 and whose
// sitemap lists /listed/0 … /listed/n-1, and a dead link: both grow between runs.
type growingSite struct {
	*testSite
	mu       sync.Mutex
	first, n int
}

func newGrowingSite(t *testing.T, n int) *growingSite {
	g := &growingSite{testSite: newTestSite(t), n: n}
	g.page("/robots.txt", "text/plain", "User-agent: *\nSitemap: "+g.URL+"/sitemap.xml\n")
	g.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		first, n := g.first, g.n
		g.mu.Unlock()
		var i int
		switch {
		case r.URL.Path == "/":
			hrefs := []string{"/gone.html"}
			for i := first; i < n; i++ {
				hrefs = append(hrefs, fmt.Sprintf("/news/%d", i))
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, hubHTML("Front", hrefs...))
		case r.URL.Path == "/sitemap.xml":
			var b strings.Builder
			b.WriteString(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			for i := range n {
				fmt.Fprintf(&b, "<url><loc>%s/listed/%d</loc></url>", g.URL, i)
			}
			b.WriteString("</urlset>")
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprint(w, b.String())
		case scan(r.URL.Path, "/news/%d", &i) && i < n, scan(r.URL.Path, "/listed/%d", &i) && i < n:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, articleHTML(fmt.Sprintf("Story %s", strings.ReplaceAll(r.URL.Path, "/", " ")), "en", 5))
		default:
			http.NotFound(w, r)
		}
	})
	return g
}

func scan(path, format string, i *int) bool {
	_, err := fmt.Sscanf(path, format, i)
	return err == nil
}

// set changes the site between runs.
func (g *growingSite) set(first, n int) {
	g.mu.Lock()
	g.first, g.n = first, n
	g.mu.Unlock()
}

// articleFetches is how often each article path was asked for.
func (g *growingSite) articleFetches() map[string]int {
	out := map[string]int{}
	for _, p := range g.requests() {
		if strings.HasPrefix(p, "/news/") || strings.HasPrefix(p, "/listed/") {
			out[p]++
		}
	}
	return out
}

// sharedRun runs one crawl of g with a worker per store, all at once, on the frontier of srv.
func sharedRun(t *testing.T, g *growingSite, srv *redistest.Server, workers map[string]Store, opts ...Option) map[string]*Summary {
	t.Helper()
	opts = append([]Option{WithDelay(0), WithParallelism(2), WithTimeout(5 * time.Second)}, opts...)
	var wg sync.WaitGroup
	var mu sync.Mutex
	sums := map[string]*Summary{}
	for name, db := range workers {
		fr := sharedFrontier(t, srv, name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum, err := New(db, fr, opts...).Run(context.Background(), Site{Start: []string{g.URL + "/"}})
			if err != nil {
				t.Errorf("worker %s: %v", name, err)
			}
			mu.Lock()
			sums[name] = sum
			mu.Unlock()
		}()
	}
	wg.Wait()
	return sums
}

// A re-run of a shared crawl judges which URLs are new for the whole crawl: a worker whose
// shard is new fetches none of the articles the first run's workers stored, whether a link
// or the sitemap brings them, nor the dead link they found; it fetches the articles added
// since, once. With --refresh-after, it fetches again every article due, even one no page
// links to any more.
func TestSharedReRunFetchesOnlyWhatNoWorkerStored(t *testing.T) {
	g := newGrowingSite(t, 6)
	srv := redistest.Start(t)
	a, b := openStore(t), openStore(t)
	sums := sharedRun(t, g, srv, map[string]Store{"a": a, "b": b})
	if got := len(storedArticles(t, a)) + len(storedArticles(t, b)); got != 12 {
		t.Fatalf("first run stored %d articles in the two shards; want 12 (%+v, %+v)", got, sums["a"].Counts, sums["b"].Counts)
	}
	if n := g.count("/gone.html"); n != 1 {
		t.Fatalf("the dead link was asked for %d times in the first run", n)
	}

	g.set(0, 8) // two more articles linked, two more listed
	c := openStore(t)
	sum := sharedRun(t, g, srv, map[string]Store{"c": c})["c"]
	for p, n := range g.articleFetches() {
		if n != 1 {
			t.Errorf("%s fetched %d times over two runs; want once", p, n)
		}
	}
	if got := storedArticles(t, c); len(got) != 4 || sum.New != 4 {
		t.Errorf("the new shard stored %d articles (summary %+v); want the 4 added", len(got), sum.Counts)
	}
	if sum.AlreadyStored == 0 {
		t.Errorf("the new shard met no stored article (summary %+v): the test tests nothing", sum.Counts)
	}
	if n := g.count("/gone.html"); n != 1 || sum.DeadLinks == 0 {
		t.Errorf("the dead link was asked for %d times over two runs, %d dead links skipped; want once, and skipped", n, sum.DeadLinks)
	}

	g.set(1, 8) // /news/0 is linked no more
	d := openStore(t)
	sum = sharedRun(t, g, srv, map[string]Store{"d": d}, WithRefreshAfter(time.Nanosecond))["d"]
	if sum.New+sum.Duplicates+sum.Updated != 16 {
		t.Errorf("the refresh stored %+v; want the 16 articles", sum.Counts)
	}
	for p, n := range g.articleFetches() {
		if n != 2 {
			t.Errorf("%s fetched %d times over three runs, the last refreshing every article; want twice", p, n)
		}
	}
	if len(g.articleFetches()) != 16 {
		t.Errorf("%d articles fetched; want 16", len(g.articleFetches()))
	}
}
