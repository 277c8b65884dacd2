package main

import (
	"context"
	"encoding/json"
	"fmt"
	"lede"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lede/chrome"
	"lede/extract"
	"lede/store"
)

// chromedPage is article n of a site whose chrome (made-up words, in English and Arabic,
// in markup no generic rule knows) sits inside the article body, and whose articles all
// close with the same attribution line.
func chromedPage(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<html><head><meta charset="utf-8"><title>Council story %d</title></head><body><div class="wrap"><h1>Council story %d</h1><div class="body">`+
		`<div class="zq-lead"><i>Glorp the Snarfle</i> <i>زلبطة فنرك</i></div>`, n, n)
	for i := range 5 {
		fmt.Fprintf(&b, "<p>Paragraph %d of story %d: the river council met on %d March and voted on the bridge, the ferry and the long-delayed flood wall after a night of debate.</p>", i, n, n%28+1)
	}
	b.WriteString(`<p>المصدر: وكالات</p><div class="zq-end"><b>Frumious Bandersnatch Quarterly</b></div></div></div></body></html>`)
	return b.String()
}

// seedChromedStore stores n chromedPage articles of news.example as extracted without
// learned chrome, counts their blocks, and returns the store's path and the articles' IDs.
func seedChromedStore(t *testing.T, n int) (string, []string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "lede.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []string
	for i := range n {
		page, u := []byte(chromedPage(i)), fmt.Sprintf("https://www.news.example/story/%d", i)
		doc, err := extract.Parse(page, u)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.AddPageBlocks(ctx, lede.SiteOf(u), doc.BlockFingerprints()); err != nil {
			t.Fatal(err)
		}
		a, err := doc.Article()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Text, "Glorp") {
			t.Fatalf("the generic rules removed the made-up chrome; the test proves nothing:\n%s", a.Text)
		}
		if _, err := db.PutArticle(ctx, a, page); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	return path, ids
}

func TestReclean(t *testing.T) {
	path, ids := seedChromedStore(t, 25)

	code, out, errOut := runStoreCLI(t, "stats", "--db", path, "--site", "news.example", "--json")
	var st struct {
		Chrome struct {
			Pages        int `json:"pages_counted"`
			Fingerprints int `json:"block_fingerprints"`
			Learned      int `json:"chrome_blocks"`
		}
	}
	if err := json.Unmarshal([]byte(out), &st); code != exitOK || err != nil {
		t.Fatalf("stats: exit %d, %v, %s", code, err, errOut)
	}
	// Learned: the two chrome lines and the attribution line (on every page; kept in the
	// articles by its structure).
	if st.Chrome.Pages != 25 || st.Chrome.Fingerprints < 25*5 || st.Chrome.Learned < 3 {
		t.Errorf("stats --site: %+v, want 25 pages counted and the repeated blocks learned", st.Chrome)
	}
	code, out, _ = runStoreCLI(t, "stats", "--db", path, "--site", "news.example")
	if code != exitOK || !strings.Contains(out, "chrome blocks") {
		t.Errorf("stats --site text: exit %d\n%s", code, out)
	}

	code, out, errOut = runStoreCLI(t, "reclean", "--db", path, "--site", "www.news.example")
	if code != exitOK {
		t.Fatalf("reclean exit %d: %s", code, errOut)
	}
	var res chrome.RecleanResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("summary line %q: %v", out, err)
	}
	if res.Site != "news.example" || res.ChromeBlocks == 0 || res.Checked != 25 || res.Updated != 25 {
		t.Errorf("reclean summary = %+v, want all 25 articles updated", res)
	}

	db, err := store.Open(path, store.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		a, err := db.Get(context.Background(), id)
		if err != nil {
			t.Fatalf("article %d lost: %v", i, err)
		}
		if strings.Contains(a.Text, "Glorp") || strings.Contains(a.Text, "زلبطة") || strings.Contains(a.Text, "Bandersnatch") {
			t.Errorf("article %d keeps learned chrome:\n%s", i, a.Text)
		}
		if !strings.Contains(a.Text, "المصدر: وكالات") || !strings.Contains(a.Text, fmt.Sprintf("Paragraph 4 of story %d", i)) {
			t.Errorf("article %d lost its own text:\n%s", i, a.Text)
		}
	}
	db.Close()

	// Again: nothing left to change.
	code, out, _ = runStoreCLI(t, "reclean", "--db", path, "--site", "news.example")
	if code != exitOK || !strings.Contains(out, `"updated":0`) || !strings.Contains(out, `"unchanged":25`) {
		t.Errorf("second reclean: exit %d, %s", code, out)
	}
}

func TestRecleanNothingLearned(t *testing.T) {
	path, ids := seedChromedStore(t, 5) // too few pages to learn from
	code, out, errOut := runStoreCLI(t, "reclean", "--db", path, "--site", "news.example")
	if code != exitOK || !strings.Contains(out, `"updated":0`) || !strings.Contains(errOut, "no chrome learned") {
		t.Errorf("exit %d, %q, %q", code, out, errOut)
	}
	db, err := store.Open(path, store.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if a, err := db.Get(context.Background(), ids[0]); err != nil || !strings.Contains(a.Text, "Glorp") {
		t.Errorf("an article changed though nothing was learned: %v", err)
	}
}

func TestRecleanUsage(t *testing.T) {
	if code, _, _ := runStoreCLI(t, "reclean", "--db", filepath.Join(t.TempDir(), "x.db")); code != exitUsage {
		t.Errorf("no --site: exit %d, want %d", code, exitUsage)
	}
	missing := filepath.Join(t.TempDir(), "none.db")
	if code, _, errOut := runStoreCLI(t, "reclean", "--db", missing, "--site", "a.example"); code != exitFailed || !strings.Contains(errOut, "none.db") {
		t.Errorf("missing store: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("reclean created a store")
	}
}

func TestExtractUsesLearnedChrome(t *testing.T) {
	path, _ := seedChromedStore(t, 25)
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, []byte(chromedPage(99)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runStoreCLI(t, "extract", "--db", path, "--explain", "--url", "https://news.example/story/99", file)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "Glorp") || strings.Contains(out, "Bandersnatch") || !strings.Contains(out, "المصدر: وكالات") {
		t.Errorf("learned chrome not applied, or the attribution line removed:\n%s", out)
	}
	if !strings.Contains(errOut, "removed by learned-chrome: Glorp") {
		t.Errorf("--explain does not show the learned-chrome removal:\n%s", errOut)
	}

	// No store, a locked store, another host: extraction goes on without learned chrome.
	for name, args := range map[string][]string{
		"missing store": {"--db", filepath.Join(t.TempDir(), "none.db")},
		"other host":    {"--db", path, "--url", "https://other.example/story/99"},
	} {
		args = append(append([]string{"extract"}, args...), file)
		if !containsString(args, "--url") {
			args = append(args[:len(args)-1], "--url", "https://news.example/story/99", file)
		}
		code, out, errOut := runStoreCLI(t, args...)
		if code != exitOK || !strings.Contains(out, "Glorp") {
			t.Errorf("%s: exit %d, %q\n%s", name, code, errOut, out)
		}
	}
	held, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, out, errOut = runStoreCLI(t, "extract", "--db", path, "--url", "https://news.example/story/99", file)
	if code != exitOK || !strings.Contains(out, "Glorp") {
		t.Errorf("locked store: exit %d, %q\n%s", code, errOut, out)
	}
}

// TestCrawlLearnsChrome crawls a loopback site of chromedPage articles: with learning (the
// default) every stored article is clean and keeps its attribution line; without, the
// made-up chrome stays.
func TestCrawlLearnsChrome(t *testing.T) {
	const n = 30
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscanf(r.URL.Path, "/story/%d", &i); err == nil && i >= 0 && i < n {
			fmt.Fprint(w, chromedPage(i))
			return
		}
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "<html><body><h1>Front</h1><ul>")
		for i := range n {
			fmt.Fprintf(w, `<li><a href="/story/%d">Story %d</a></li>`, i, i)
		}
		fmt.Fprint(w, "</ul></body></html>")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, learn := range []bool{true, false} {
		path := filepath.Join(t.TempDir(), "lede.db")
		code, out, errOut := runStoreCLI(t, "crawl", "--db", path, "--delay", "0", "--ignore-robots", "--quiet",
			fmt.Sprintf("--learn-chrome=%v", learn), srv.URL+"/")
		if code != exitOK {
			t.Fatalf("crawl (learn %v): exit %d: %s", learn, code, errOut)
		}
		if learn != strings.Contains(out, `"recleaned"`) {
			t.Errorf("learn %v: summary %s", learn, out)
		}
		db, err := store.Open(path, store.ReadOnly())
		if err != nil {
			t.Fatal(err)
		}
		stored := 0
		err = db.Articles(context.Background(), store.Filter{}, func(a *lede.Article) error {
			stored++
			if strings.Contains(a.Text, "Glorp") == learn || strings.Contains(a.Text, "Bandersnatch") == learn {
				t.Errorf("learn %v: %s:\n%s", learn, a.URL, a.Text)
			}
			if !strings.Contains(a.Text, "المصدر: وكالات") {
				t.Errorf("learn %v: %s lost its attribution line", learn, a.URL)
			}
			return nil
		})
		db.Close()
		if err != nil || stored != n {
			t.Errorf("learn %v: %d articles stored, %v", learn, stored, err)
		}
	}
}
