// Command benchserve measures lede serve's pages on a store of many articles (20,000 by
// default): it builds the store once (kept with -dir), starts the UI as lede serve does
// (the store opened read-only for each request) on 127.0.0.1, reads the store into the
// search index, then requests each page many times over real HTTP and prints its latency
// (first request, median, 95th percentile, slowest).
//
// The articles are made from the real text of the pages under testdata (pagekind's written
// news sites in nine languages, the extraction fixtures, the demo site): each one a headline
// and paragraphs drawn from one language's pool with a sentence of its own, wrapped in a
// news page with chrome (skip links, a text-size selector, share bar, related box, footer)
// that is stored as its raw page, so the explain view extracts a realistic page. Each of the
// 20 sites has fetch records (articles, hubs, skipped pages, errors), learned chrome, and the
// store holds 200 crawl runs.
//
// Two yardsticks are measured in the same run: the same pages with the store held open (as
// during a run of lede schedule --serve), which shows what opening the file per request
// costs; and search by scanning every article's text (what the UI would do without its
// index).
//
//	go run ./cmd/benchserve                      # 20,000 articles in a temporary store
//	go run ./cmd/benchserve -dir /tmp/bs -reuse  # keep the store and measure it again
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io"
	"lede"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"lede/extract"
	"lede/store"
	"lede/web"
)

func main() {
	n := flag.Int("n", 20000, "articles in the store")
	dir := flag.String("dir", "", "directory for the store (default: a temporary directory, removed)")
	reuse := flag.Bool("reuse", false, "with -dir: measure the store left there by an earlier run")
	reps := flag.Int("reps", 30, "requests per page")
	only := flag.String("only", "", "measure only these pages (comma-separated names, such as site,explain)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the index and the requests (not of building the store) to FILE")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()

	if *dir == "" {
		d, err := os.MkdirTemp("", "benchserve-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	path := filepath.Join(*dir, "serve.db")
	if _, err := os.Stat(path); err == nil && !*reuse {
		log.Fatalf("%s exists: remove it, or pass -reuse to measure it", path)
	} else if err != nil {
		start := time.Now()
		if err := build(ctx, path, *n); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("store    %d articles built in %.1fs\n", *n, time.Since(start).Seconds())
	}
	info, err := os.Stat(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("file     %.1f MB, %s, GOMAXPROCS %d\n", float64(info.Size())/1e6, time.Now().UTC().Format(time.RFC3339), runtime.GOMAXPROCS(0))

	// The index: read the whole store once, as lede serve does at start.
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	srv := web.New(web.OpenPerRequest(path, 100*time.Millisecond))
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
	}
	start := time.Now()
	if err := srv.Sync(ctx); err != nil {
		log.Fatal(err)
	}
	took := time.Since(start)
	if *cpuprofile != "" {
		defer pprof.StopCPUProfile()
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	fmt.Printf("index    %d articles read and indexed in %.2fs; live heap %.0f MB (%.1f kB per article)\n",
		*n, took.Seconds(), float64(after.HeapAlloc-before.HeapAlloc)/1e6, float64(after.HeapAlloc-before.HeapAlloc)/1e3/float64(*n))

	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	pages := pagesOf(ctx, path)
	if *only != "" {
		want := strings.Split(*only, ",")
		pages = slices.DeleteFunc(pages, func(p page) bool { return !slices.Contains(want, p.name) })
	}
	fmt.Printf("\nlede serve (the store opened read-only per request), %d requests per page, ms:\n\n", *reps)
	perRequest := measure(ts.URL, pages, *reps)

	// Yardstick 1: the store held open.
	db, err := store.Open(path, store.ReadOnly())
	if err != nil {
		log.Fatal(err)
	}
	held := web.New(web.Fixed(db))
	if err := held.Sync(ctx); err != nil {
		log.Fatal(err)
	}
	ts2 := httptest.NewServer(held.Handler())
	defer ts2.Close()
	fmt.Printf("\nyardstick: the store held open (lede schedule --serve during a run), ms:\n\n")
	heldOpen := measure(ts2.URL, pages, *reps)
	fmt.Printf("\nmedian per-request / held open:")
	for _, p := range pages {
		fmt.Printf(" %s %.2f×", p.name, perRequest[p.name]/heldOpen[p.name])
	}
	fmt.Println()

	// Yardstick 2: search by scanning every article.
	for _, q := range []string{"the council", "اللاجئين"} {
		start := time.Now()
		hits := scanSearch(ctx, db, q)
		d := time.Since(start)
		fmt.Printf("\nyardstick: search %q by scanning every article: %d hits in %.0f ms (the index: %.1f ms median)",
			q, hits, float64(d.Microseconds())/1000, searchMedian(ts.URL, q, *reps))
	}
	fmt.Println()
	db.Close()
}

// page is one URL to measure.
type page struct {
	name string
	urls []string // requested in turn
}

// pagesOf picks the URLs to measure from the store: a busy site, random articles, searches.
func pagesOf(ctx context.Context, path string) []page {
	db, err := store.Open(path, store.ReadOnly())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	st, err := db.Stats(ctx)
	if err != nil {
		log.Fatal(err)
	}
	sites := make([]string, 0, len(st.BySite))
	for s := range st.BySite {
		sites = append(sites, s)
	}
	slices.SortFunc(sites, func(a, b string) int { return cmp.Compare(st.BySite[b], st.BySite[a]) })
	var ids, urls []string
	r := rand.New(rand.NewPCG(7, 7))
	err = db.ArticlesSeenAfter(ctx, store.SeenCursor{}, func(a *lede.Article) error {
		if r.IntN(200) == 0 {
			ids = append(ids, a.ID)
			urls = append(urls, a.URL)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	each := func(f string, args []string) []string {
		var out []string
		for _, a := range args {
			out = append(out, fmt.Sprintf(f, a))
		}
		return out
	}
	q := func(s string) string { return "/search?q=" + url.QueryEscape(s) }
	return []page{
		{"overview", []string{"/"}},
		{"site", each("/site/%s", sites[:5])},
		{"site-middle", each("/site/%s?page="+strconv.Itoa(max(st.BySite[sites[0]]/50/2, 1)), sites[:5])},
		{"article", each("/a/%s", ids)},
		{"explain", each("/a/%s/explain", ids)},
		{"json", each("/a/%s/json", ids)},
		{"search-common", []string{q("the"), q("في"), q("der")}},
		{"search-2words", []string{q("the council"), q("city budget"), q("الحكومة اللاجئين")}},
		{"search-rare", []string{q("quokka"), q("budget harbour ferry")}},
		{"search-cjk", []string{q("東京"), q("市"), q("日本")}},
		{"lookup", each("/lookup?url=%s", urls)},
		{"metrics", []string{"/metrics"}},
	}
}

// measure requests each page reps times and prints its latencies and the CPU time the
// process spent per request (server and client: on a busy machine, wall times mostly measure
// the wait for a core, CPU time what the page costs); it returns the medians.
func measure(base string, pages []page, reps int) map[string]float64 {
	fmt.Printf("%-14s %8s %8s %8s %8s %8s %8s\n", "page", "first", "p50", "p95", "max", "CPU", "kB")
	medians := map[string]float64{}
	for _, p := range pages {
		var ms []float64
		size := 0
		cpu0 := cpuTime()
		for i := range reps {
			u := base + p.urls[i%len(p.urls)]
			start := time.Now()
			resp, err := http.Get(u)
			if err != nil {
				log.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			ms = append(ms, float64(time.Since(start).Microseconds())/1000)
			if resp.StatusCode != http.StatusOK {
				log.Fatalf("%s: HTTP %d\n%s", u, resp.StatusCode, b)
			}
			size = max(size, len(b))
		}
		cpu := float64((cpuTime() - cpu0).Microseconds()) / 1000 / float64(reps)
		first := ms[0]
		slices.Sort(ms)
		p50, p95 := ms[len(ms)/2], ms[min(len(ms)-1, len(ms)*95/100)]
		medians[p.name] = p50
		fmt.Printf("%-14s %8.1f %8.1f %8.1f %8.1f %8.1f %8.0f\n", p.name, first, p50, p95, ms[len(ms)-1], cpu, float64(size)/1000)
	}
	return medians
}

func searchMedian(base, q string, reps int) float64 {
	return measure2(base+"/search?q="+url.QueryEscape(q), reps)
}

func measure2(u string, reps int) float64 {
	var ms []float64
	for range reps {
		start := time.Now()
		resp, err := http.Get(u)
		if err != nil {
			log.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		ms = append(ms, float64(time.Since(start).Microseconds())/1000)
	}
	slices.Sort(ms)
	return ms[len(ms)/2]
}

// scanSearch counts the articles holding every word of q by reading each one: search
// without an index.
func scanSearch(ctx context.Context, db *store.DB, q string) int {
	words := lede.Words(q)
	hits := 0
	err := db.ArticlesSeenAfter(ctx, store.SeenCursor{}, func(a *lede.Article) error {
		have := map[string]bool{}
		for _, w := range lede.Words(a.Title + " " + a.Text) {
			have[w] = true
		}
		for _, w := range words {
			if !have[w] {
				return nil
			}
		}
		hits++
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	return hits
}

// --- the synthetic store ---

// pool is the paragraphs of one language.
type pool struct {
	lang  string
	paras []string
}

// pools extracts the articles of the pages under testdata and groups their paragraphs by
// language.
func pools() []pool {
	var files []string
	for _, pattern := range []string{"testdata/pagekind/pages/*.html", "testdata/extract/*.html", "internal/demosite/news/*.html"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if len(files) == 0 {
		log.Fatal("no pages under testdata: run benchserve from the repository's root")
	}
	byLang := map[string][]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		a, err := extract.Extract(b, "https://source.example/"+filepath.Base(f))
		if err != nil || a.WordCount < 40 {
			continue
		}
		lang, _, _ := strings.Cut(a.Lang, "-")
		for _, p := range strings.Split(a.Text, "\n\n") {
			if len([]rune(p)) >= 60 {
				byLang[lang] = append(byLang[lang], p)
			}
		}
	}
	var out []pool
	for lang, paras := range byLang {
		if len(paras) >= 8 {
			out = append(out, pool{lang: lang, paras: paras})
		}
	}
	slices.SortFunc(out, func(a, b pool) int { return cmp.Compare(a.lang, b.lang) })
	return out
}

// Words for the sentence each article gets of its own.
var (
	latinWords  = strings.Fields("council harbour budget ferry minister election market school river bridge hospital court strike festival police storm museum airport rail farmers")
	arabicWords = strings.Fields("الحكومة المجلس الميناء الميزانية الوزير الانتخابات السوق المدرسة النهر الجسر المستشفى المحكمة الإضراب المهرجان الشرطة العاصفة المتحف المطار")
)

// build writes the synthetic store of n articles at path.
func build(ctx context.Context, path string, n int) error {
	ps := pools()
	langs := []string{}
	for _, p := range ps {
		langs = append(langs, fmt.Sprintf("%s (%d paragraphs)", p.lang, len(p.paras)))
	}
	fmt.Printf("text     from testdata: %s\n", strings.Join(langs, ", "))
	// Bigger batches than a crawl's: building is not what is measured.
	db, err := store.Open(path, store.WithBatch(50*time.Millisecond, 2000))
	if err != nil {
		return err
	}
	defer db.Close()
	const sites = 20
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	work := make(chan int)
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				a, raw := article(ps, i, sites, start)
				if _, err := db.PutArticle(ctx, a, raw); err != nil {
					errs <- err
					return
				}
				rec := lede.FetchRecord{URL: a.URL, Status: 200, Kind: lede.KindArticle, ArticleID: a.ID, LastFetch: a.FetchedAt, Depth: 1}
				if err := db.PutFetch(ctx, rec); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range n {
		select {
		case err := <-errs:
			close(work)
			return err
		case work <- i:
		}
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	// Hubs, skipped pages and errors of each site; its learned chrome; the crawl runs.
	for s := range sites {
		host := siteName(s)
		for j := range 300 {
			kind, status, reason := lede.KindHub, 200, "link density 0.71"
			switch j % 3 {
			case 1:
				kind, status, reason = lede.KindSkipped, 404, "HTTP 404"
			case 2:
				if j%9 == 2 {
					kind, status, reason = lede.KindError, 503, "HTTP 503 after 5 attempts"
				}
			}
			rec := lede.FetchRecord{URL: fmt.Sprintf("https://%s/section/%d/", host, j), Status: status, Kind: kind, Reason: reason,
				LastFetch: start.Add(time.Duration(j) * time.Hour)}
			if err := db.PutFetch(ctx, rec); err != nil {
				return err
			}
		}
		counts := map[uint64]int{}
		for _, block := range chromeBlocks(host) {
			counts[lede.Fingerprint(block)] = 100
		}
		if err := db.AddBlockCounts(ctx, host, 100, counts); err != nil {
			return err
		}
	}
	for r := range 200 {
		sum := map[string]any{"fetched": 120 + r, "new_articles": 100, "hubs": 12, "skipped": 3, "errors": r % 4,
			"hosts": map[string]any{siteName(r % sites): map[string]int{"fetched": 120, "errors": r % 4}}, "elapsed_s": 61.5}
		b, _ := json.Marshal(sum)
		if err := db.PutRun(ctx, start.Add(time.Duration(r)*15*time.Minute), b); err != nil {
			return err
		}
	}
	return nil
}

func siteName(i int) string { return fmt.Sprintf("news%02d.example", i) }

// chromeBlocks is the page chrome of host's pages.
func chromeBlocks(host string) []string {
	return []string{"Accessibility links", "Skip to content", "XS SM MD LG", "Share Facebook Twitter Email Print",
		"Sign up for our daily briefing, delivered to your inbox every morning.", "About us · Contact · © " + host}
}

// article makes article i: its site picks its language; paragraphs from that language's
// pool, one sentence of its own, and its raw page.
func article(ps []pool, i, sites int, start time.Time) (*lede.Article, []byte) {
	r := rand.New(rand.NewPCG(uint64(i), 99))
	s := i % sites
	p := ps[s%len(ps)]
	host := siteName(s)
	var paras []string
	for range 5 + r.IntN(10) {
		paras = append(paras, p.paras[r.IntN(len(p.paras))])
	}
	words := latinWords
	if p.lang == "ar" {
		words = arabicWords
	}
	own := fmt.Sprintf("%s %s %d %s %d.", words[r.IntN(len(words))], words[r.IntN(len(words))], i, words[r.IntN(len(words))], r.IntN(10000))
	paras = slices.Insert(paras, r.IntN(len(paras)), own)
	title := firstWords(paras[0], 9)
	pub := start.Add(time.Duration(r.IntN(365*24)) * time.Hour)
	u := fmt.Sprintf("https://%s/news/%s/story-%d.html", host, pub.Format("2006/01/02"), i)

	var page bytes.Buffer
	fmt.Fprintf(&page, `<!doctype html><html lang="%s"><head><meta charset="utf-8"><title>%s | %s</title>`+
		`<meta property="og:title" content="%s"><meta property="article:published_time" content="%s"></head><body>`,
		p.lang, html.EscapeString(title), host, html.EscapeString(title), pub.Format(time.RFC3339))
	chrome := chromeBlocks(host)
	fmt.Fprintf(&page, `<div class="skip"><a href="#c">%s</a> <a href="#c">%s</a></div><nav><a href="/">Home</a> <a href="/world/">World</a> <a href="/sport/">Sport</a></nav>`, chrome[0], chrome[1])
	fmt.Fprintf(&page, `<main id="c"><article><h1>%s</h1><div class="font-size">%s</div>`, html.EscapeString(title), chrome[2])
	for _, para := range paras {
		fmt.Fprintf(&page, "<p>%s</p>", html.EscapeString(para))
	}
	fmt.Fprintf(&page, `<div class="share">%s</div><aside class="related"><h3>Related</h3><ul>`, chrome[3])
	for k := range 4 {
		fmt.Fprintf(&page, `<li><a href="/news/%d.html">%s</a></li>`, i+k+1, html.EscapeString(firstWords(p.paras[r.IntN(len(p.paras))], 7)))
	}
	fmt.Fprintf(&page, `</ul></aside></article></main><div class="newsletter"><p>%s</p></div><footer>%s</footer></body></html>`, chrome[4], html.EscapeString(chrome[5]))

	text := strings.Join(paras, "\n\n")
	return &lede.Article{URL: u, CanonicalURL: u, Site: host, Title: title, Lang: p.lang, Published: pub,
		Text: text, HTML: "<p>" + strings.Join(paras, "</p><p>") + "</p>", FetchedAt: pub.Add(time.Hour),
		FirstSeen: pub.Add(time.Hour)}, page.Bytes()
}

// firstWords returns the first n words of s (the first 3n characters of unspaced text).
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) >= n {
		return strings.Join(f[:n], " ")
	}
	if r := []rune(s); len(r) > 3*n {
		return string(r[:3*n])
	}
	return s
}
