package crawler

import (
	"context"
	"fmt"
	"lede"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"lede/store"
)

// chromeWords are the made-up chrome of chromeSite, in English and Arabic, in markup no
// generic rule knows: only learning them from the site's pages removes them.
// (The site's top and bottom bars are left out of the article by readability already.)
var chromeWords = []string{"Glorp the Snarfle", "Kwazzle Florp", "زلبطة فنرك", "Frumious Bandersnatch", "مجلة البندرسناتش"}

// attributionLines close every article of chromeSite: on every page, yet the article's text.
var attributionLines = []string{"المصدر: وكالات", "(Reuters)"}

// chromeArticle is article n of chromeSite.
func chromeArticle(n int) (title string, paras []string, page string) {
	lang := "en"
	if n%2 == 1 {
		lang = "ar"
	}
	title = fmt.Sprintf("Story %d of the river council", n)
	paras = prose(title, lang, 5)
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="%s"><head><meta charset="utf-8"><title>%s</title></head><body>`+
		`<div class="zq-top"><a href="/">Home</a> <span class="zq-t">Zorblat Fnerk</span> <span class="zq-t">فنرك</span></div>`+
		`<div class="zq-wrap"><h1>%s</h1><div class="story-body">`+
		`<div class="zq-lead"><i>Glorp the Snarfle</i> <i>Mimsy Borogove</i></div>`, lang, title, title)
	for i, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>", p)
		if i == 2 {
			b.WriteString(`<div class="zq-mid"><span>Kwazzle Florp</span> <span>زلبطة فنرك</span></div>`)
		}
	}
	for _, l := range attributionLines {
		fmt.Fprintf(&b, "<p>%s</p>", l)
	}
	b.WriteString(`<div class="zq-end"><b>Frumious Bandersnatch</b> <b>مجلة البندرسناتش</b></div>` +
		`</div></div><div class="zq-foot">Snicker Snack Vorpal</div></body></html>`)
	return title, paras, b.String()
}

// chromeSite serves a front page linking to n articles that share chromeWords.
func chromeSite(t *testing.T, n int) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		var hrefs []string
		for i := range n {
			hrefs = append(hrefs, fmt.Sprintf("/story/%d", i))
		}
		fmt.Fprint(w, hubHTML("Front", hrefs...))
	})
	mux.HandleFunc("/story/{n}", func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscan(r.PathValue("n"), &i); err != nil || i < 0 || i >= n {
			http.NotFound(w, r)
			return
		}
		_, _, page := chromeArticle(i)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// crawlChromeSite crawls srv into db.
func crawlChromeSite(t *testing.T, db *store.DB, srv *httptest.Server, opts ...Option) *Summary {
	t.Helper()
	opts = append([]Option{WithDelay(0), IgnoreRobots(true), WithMaxDepth(2), WithParallelism(4)}, opts...)
	sum, err := New(db, db.Frontier(), opts...).Run(context.Background(), Site{Start: []string{srv.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// checkClean checks every stored article of the site: its paragraphs and attribution lines
// are there, the learned chrome is not (or is, when wantChrome). It returns the articles by URL.
func checkClean(t *testing.T, db *store.DB, srv *httptest.Server, n int, wantChrome bool) map[string]*lede.Article {
	t.Helper()
	got := map[string]*lede.Article{}
	err := db.Articles(context.Background(), store.Filter{}, func(a *lede.Article) error {
		got[a.URL] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d articles stored, want %d", len(got), n)
	}
	for i := range n {
		u := fmt.Sprintf("%s/story/%d", srv.URL, i)
		a := got[u]
		if a == nil {
			t.Fatalf("%s not stored", u)
		}
		_, paras, _ := chromeArticle(i)
		for _, p := range append(paras, attributionLines...) {
			if !strings.Contains(a.Text, p) {
				t.Errorf("%s lost its own text %.40q:\n%s", u, p, a.Text)
			}
		}
		for _, c := range chromeWords {
			if strings.Contains(a.Text, c) != wantChrome {
				t.Errorf("%s: chrome %q present = %v, want %v:\n%s", u, c, !wantChrome, wantChrome, a.Text)
			}
		}
	}
	return got
}

func TestLearnedChromeCrawl(t *testing.T) {
	const n = 30
	srv := chromeSite(t, n)

	// Without learning, the made-up chrome stays: the generic rules do not know it.
	plain, err := store.Open(filepath.Join(t.TempDir(), "plain.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	crawlChromeSite(t, plain, srv, WithLearnedChrome(false))
	checkClean(t, plain, srv, n, true)
	if pages, _, _ := plain.ChromeStats(context.Background(), srv.URL); pages != 0 {
		t.Errorf("pages counted with learning off: %d", pages)
	}

	db, err := store.Open(filepath.Join(t.TempDir(), "lede.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sum := crawlChromeSite(t, db, srv)
	checkClean(t, db, srv, n, false)
	if sum.Recleaned == 0 {
		t.Errorf("no article cleaned again at the end of the crawl: %+v", sum.Counts)
	}
	pages, fps, err := db.ChromeStats(context.Background(), lede.SiteOf(srv.URL))
	if err != nil || pages != n+1 || fps == 0 {
		t.Errorf("ChromeStats = %d pages, %d fingerprints, %v; want %d pages", pages, fps, err, n+1)
	}

	// A second run fetches nothing new: nothing is counted twice, nothing cleaned again.
	sum = crawlChromeSite(t, db, srv)
	if again, _, _ := db.ChromeStats(context.Background(), lede.SiteOf(srv.URL)); again != pages {
		t.Errorf("pages counted after a second run: %d, want %d (each page once)", again, pages)
	}
	if sum.Recleaned != 0 {
		t.Errorf("second run cleaned %d articles again; the learned chrome did not change", sum.Recleaned)
	}
}

func TestLearnedChromeRecleansEarlierRuns(t *testing.T) {
	const n = 30
	srv := chromeSite(t, n)
	db, err := store.Open(filepath.Join(t.TempDir(), "lede.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// The first run stops before enough pages were seen: its articles keep the chrome.
	sum := crawlChromeSite(t, db, srv, WithMaxPages(10))
	if sum.Stopped != "max-pages" || sum.New == 0 {
		t.Fatalf("first run: %+v", sum)
	}
	early := map[string]string{} // URL → ID
	err = db.Articles(context.Background(), store.Filter{}, func(a *lede.Article) error {
		if !strings.Contains(a.Text, "Glorp the Snarfle") {
			t.Errorf("%s cleaned before enough pages were seen", a.URL)
		}
		early[a.URL] = a.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The second run learns the chrome and cleans the first run's articles in place.
	crawlChromeSite(t, db, srv)
	got := checkClean(t, db, srv, n, false)
	for u, id := range early {
		if got[u] == nil || got[u].ID != id {
			t.Errorf("%s: stored under another ID after cleaning again", u)
		}
	}
}
