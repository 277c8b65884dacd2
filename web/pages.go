package web

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"lede"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"lede/chrome"
	"lede/crawler"
	"lede/store"
)

// routes registers the pages. Every path not listed gets the 404 page.
func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.withStore(s.overview))
	m.HandleFunc("GET /site/{site}", s.withStore(s.site))
	m.HandleFunc("GET /site/{site}/records/{kind}", s.withStore(s.siteRecords))
	m.HandleFunc("GET /a/{id}", s.withStore(s.article))
	m.HandleFunc("GET /a/{id}/explain", s.withStore(s.explain))
	m.HandleFunc("GET /a/{id}/raw", s.withStore(s.raw))
	m.HandleFunc("GET /a/{id}/json", s.withStore(s.articleJSON))
	m.HandleFunc("GET /search", s.withStore(s.search))
	m.HandleFunc("GET /lookup", s.withStore(s.lookup))
	m.Handle("GET /metrics", s.metricsHandler())
	m.Handle("GET /static/", s.staticHandler())
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r, "No such page.") })
	s.mux = m
}

// Handler returns the UI's HTTP handler. A panic in a page is logged and answered with a
// 500 page; it never takes the server down.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("page failed", "path", r.URL.Path, "panic", v)
				s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong", "This page failed; the log says why.")
			}
		}()
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if h.Get("Content-Security-Policy") == "" {
			h.Set("Content-Security-Policy", pageCSP)
		}
		s.mux.ServeHTTP(w, r)
	})
}

// pageCSP keeps the UI's pages to their own stylesheet: no script at all, nothing fetched
// from elsewhere, so stored text can never run or call out even if escaping failed.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// pageHandler is a page that reads the store. It returns its answer, which is written after
// the store is let go, so a slow visitor never keeps a crawl out of the file.
type pageHandler func(ctx context.Context, st Store, r *http.Request) (*answer, error)

// answer is a page to render (tmpl, title, data) or a body to send as it is.
type answer struct {
	tmpl, title string
	data        any

	contentType string
	csp         string
	body        []byte
}

func show(tmpl, title string, data any) (*answer, error) {
	return &answer{tmpl: tmpl, title: title, data: data}, nil
}

// httpError is an error with the status and page a visitor gets.
type httpError struct {
	status  int
	heading string
	msg     string
}

func (e *httpError) Error() string { return e.msg }

func notFound(msg string) error { return &httpError{http.StatusNotFound, "Not found", msg} }

// withStore runs h with the store held for the request, then renders its page after
// letting the store go. A crawl holding the file gets a 503 page that says so.
func (s *Server) withStore(h pageHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		st, release, err := s.acc.acquire(ctx)
		if err != nil {
			s.storeError(w, r, err)
			return
		}
		ans, err := func() (*answer, error) {
			defer release()
			return h(ctx, st, r)
		}()
		var he *httpError
		switch {
		case errors.As(err, &he):
			s.errorPage(w, r, he.status, he.heading, he.msg)
		case errors.Is(err, store.ErrNotFound):
			s.notFound(w, r, "No such article in the store.")
		case err != nil:
			s.storeError(w, r, err)
		case ans.tmpl == "":
			w.Header().Set("Content-Type", ans.contentType)
			w.Header().Set("Content-Security-Policy", ans.csp)
			w.Write(ans.body)
		default:
			s.render(w, r, http.StatusOK, ans.tmpl, ans.title, ans.data)
		}
	}
}

// storeError answers a request the store could not serve.
func (s *Server) storeError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrBusy):
		w.Header().Set("Retry-After", "5")
		s.errorPage(w, r, http.StatusServiceUnavailable, "A crawl is writing",
			"A crawl is writing to the store, try again in a moment. (lede serve reads the store between crawls: bbolt lets one process hold the file at a time.)")
	case errors.Is(err, ErrNoStore):
		w.Header().Set("Retry-After", "30")
		s.errorPage(w, r, http.StatusServiceUnavailable, "No store yet", "The store does not exist yet: the first crawl has not run.")
	case errors.Is(err, context.Canceled):
		// the visitor left
	default:
		s.log.Error("reading the store", "path", r.URL.Path, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, "The store could not be read", err.Error())
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, msg string) {
	s.errorPage(w, r, http.StatusNotFound, "Not found", msg)
}

// --- overview ---

type countRow struct {
	Name  string
	Count int
}

type runRow struct {
	Started time.Time
	crawler.Summary
	Hosts int
}

type hostRow struct {
	Host    string
	Site    string
	Started time.Time
	Errors  int
	Retries int
	Paused  int
}

type overviewData struct {
	Stats    *store.Stats
	Sites    []countRow
	Langs    []countRow
	Chart    barChart
	Runs     []runRow
	Troubled []hostRow
	Latest   []entry
	Indexed  int
}

// recentRuns is how many crawl runs the overview lists.
const recentRuns = 10

func (s *Server) overview(ctx context.Context, st Store, r *http.Request) (*answer, error) {
	stats, err := st.Stats(ctx)
	if err != nil {
		return nil, err
	}
	runs, err := st.Runs(ctx, recentRuns)
	if err != nil {
		return nil, err
	}
	c := s.corpus.Load()
	d := &overviewData{Stats: stats, Sites: sortedCounts(stats.BySite), Langs: sortedCounts(stats.ByLang),
		Latest: c.latest(10), Indexed: c.size()}
	if last, ok := c.lastDay(dayOf(time.Now())); ok {
		first := last - chartDays + 1
		d.Chart = dayChart(first, c.perDay(first, last))
	}
	for _, run := range runs {
		row := runRow{Started: run.Started}
		if err := json.Unmarshal(run.Summary, &row.Summary); err != nil {
			continue // a record this lede cannot read: skip it
		}
		row.Hosts = len(row.Summary.Hosts)
		d.Runs = append(d.Runs, row)
		for host, c := range row.Summary.Hosts {
			if c.Errors > 0 || c.Paused > 0 {
				d.Troubled = append(d.Troubled, hostRow{Host: host, Site: lede.SiteOf(host), Started: run.Started,
					Errors: c.Errors, Retries: c.Retries, Paused: c.Paused})
			}
		}
	}
	slices.SortStableFunc(d.Troubled, func(a, b hostRow) int {
		if r := b.Started.Compare(a.Started); r != 0 {
			return r
		}
		return strings.Compare(a.Host, b.Host)
	})
	return show("overview", "Overview", d)
}

// sortedCounts lists m's counts, largest first.
func sortedCounts(m map[string]int) []countRow {
	rows := make([]countRow, 0, len(m))
	for k, v := range m {
		rows = append(rows, countRow{Name: k, Count: v})
	}
	slices.SortFunc(rows, func(a, b countRow) int {
		if r := cmp.Compare(b.Count, a.Count); r != 0 {
			return r
		}
		return strings.Compare(a.Name, b.Name)
	})
	return rows
}

// --- site ---

// sitePageSize is how many articles a site page lists.
const sitePageSize = 50

type siteData struct {
	Site     string
	Count    int
	Articles []entry
	Pager    pager
	Chrome   chromeView
	Fetch    *fetchSummary
	Previews []fetchList // the latest records of each kind (fetchPreview)
}

func (s *Server) site(ctx context.Context, st Store, r *http.Request) (*answer, error) {
	site := lede.NormalizeHost(r.PathValue("site"))
	if !validSite(site) {
		return nil, notFound("No such site.")
	}
	page, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	c := s.corpus.Load()
	d := &siteData{Site: site}
	d.Articles, d.Count = c.siteEntries(site, (page-1)*sitePageSize, sitePageSize)
	d.Pager = newPager(r, page, d.Count, sitePageSize)
	s.noteViewed(site)
	if d.Fetch, err = s.fetchSummary(ctx, st, site); err != nil {
		return nil, err
	}
	for _, l := range d.Fetch.Lists {
		d.Previews = append(d.Previews, fetchList{Kind: l.Kind, Records: l.Records[:min(len(l.Records), fetchPreview)], Total: l.Total})
	}
	if d.Count == 0 && d.Fetch.Total == 0 {
		return nil, notFound(fmt.Sprintf("lede has no article and no fetch record of %s.", site))
	}
	if page > 1 && len(d.Articles) == 0 {
		return nil, notFound("No such page of articles.")
	}
	if d.Chrome, err = s.chromeView(ctx, st, site, c); err != nil {
		return nil, err
	}
	return show("site", site, d)
}

type recordsData struct {
	Site    string
	Kind    lede.Kind
	Count   int
	Records []lede.FetchRecord
	Pager   pager
}

// siteRecords lists a site's fetch records of one kind, the latest first.
func (s *Server) siteRecords(ctx context.Context, st Store, r *http.Request) (*answer, error) {
	site, kind := lede.NormalizeHost(r.PathValue("site")), lede.Kind(r.PathValue("kind"))
	if !validSite(site) || !slices.Contains(listedKinds, kind) {
		return nil, notFound("No such list of fetch records.")
	}
	pageNo, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	sum, err := s.fetchSummary(ctx, st, site)
	if err != nil {
		return nil, err
	}
	if sum.Total == 0 {
		return nil, notFound(fmt.Sprintf("lede has no fetch record of %s.", site))
	}
	recs := sum.list(kind)
	from := (pageNo - 1) * recordsPageSize
	if from >= len(recs) && pageNo > 1 {
		return nil, notFound("No such page of fetch records.")
	}
	d := &recordsData{Site: site, Kind: kind, Count: len(recs), Records: recs[min(from, len(recs)):min(from+recordsPageSize, len(recs))],
		Pager: newPager(r, pageNo, len(recs), recordsPageSize)}
	return show("records", site+": "+string(kind), d)
}

// validSite accepts a host name or address as the store names sites.
func validSite(site string) bool {
	if site == "" || len(site) > 253 {
		return false
	}
	for _, r := range site {
		if !(r == '.' || r == '-' || r == ':' || r == '_' || r == '[' || r == ']' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || r > 127) {
			return false
		}
	}
	return true
}

// --- article ---

type articleData struct {
	A      *lede.Article
	Blocks [][]string // paragraphs, each a list of lines
	Dir    string
	Entry  entry
}

func (s *Server) article(ctx context.Context, st Store, r *http.Request) (*answer, error) {
	a, err := s.getArticle(ctx, st, r)
	if err != nil {
		return nil, err
	}
	d := &articleData{A: a, Dir: textDir(a.Lang)}
	for _, para := range strings.Split(a.Text, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			d.Blocks = append(d.Blocks, strings.Split(para, "\n"))
		}
	}
	return show("article", a.Title, d)
}

// getArticle reads the article the path's {id} names; a malformed ID is a 404.
func (s *Server) getArticle(ctx context.Context, st Store, r *http.Request) (*lede.Article, error) {
	id := r.PathValue("id")
	if !validID(id) {
		return nil, notFound("No such article: an article ID is 16 hexadecimal digits.")
	}
	return st.Get(ctx, id)
}

// validID reports whether id has the form of a store article ID.
func validID(id string) bool {
	if len(id) != 16 {
		return false
	}
	for _, r := range id {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// --- explain ---

type explainData struct {
	A      *lede.Article
	Dir    string
	Ex     *explanation
	Groups []blockGroup
	Chrome int // learned chrome blocks of the host applied
}

// blockGroup is a run of blocks shown together; a long run of blocks outside the article
// is folded away.
type blockGroup struct {
	Folded bool
	Blocks []explainedBlock
}

// foldOutside is the shortest run of blocks outside the article that is folded.
const foldOutside = 4

func (s *Server) explain(ctx context.Context, st Store, r *http.Request) (*answer, error) {
	a, err := s.getArticle(ctx, st, r)
	if err != nil {
		return nil, err
	}
	raw, err := st.Raw(ctx, a.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("This article was stored without its page, so there is nothing to explain.")
	}
	if err != nil {
		return nil, err
	}
	set, err := chrome.Load(ctx, st, a.URL)
	if err != nil {
		return nil, err
	}
	ex, err := explainPage(raw, a.URL, set.Options()...)
	if err != nil {
		return nil, fmt.Errorf("explain %s: %w", a.URL, err)
	}
	d := &explainData{A: a, Dir: textDir(a.Lang), Ex: ex, Chrome: len(set)}
	for i := 0; i < len(ex.Blocks); {
		j := i
		for j < len(ex.Blocks) && ex.Blocks[j].Fate == fateOutside {
			j++
		}
		switch {
		case j-i >= foldOutside:
			d.Groups = append(d.Groups, blockGroup{Folded: true, Blocks: ex.Blocks[i:j]})
		case j > i:
			d.Groups = append(d.Groups, blockGroup{Blocks: ex.Blocks[i:j]})
		default:
			for j < len(ex.Blocks) && ex.Blocks[j].Fate != fateOutside {
				j++
			}
			d.Groups = append(d.Groups, blockGroup{Blocks: ex.Blocks[i:j]})
		}
		i = j
	}
	return show("explain", "Explain: "+a.Title, d)
}

// --- raw page and JSON ---

// rawCSP shows a stored page as it was, inert: no script runs, nothing is fetched (its
// images and stylesheets stay out), and its origin is opaque (sandbox).
const rawCSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"

func (s *Server) raw(ctx context.Context, st Store, r *http.Request) (*answer, error) {
	id := r.PathValue("id")
	if !validID(id) {
		return nil, notFound("No such article: an article ID is 16 hexadecimal digits.")
	}
	page, err := st.Raw(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("No raw page stored for this article.")
	}
	if err != nil {
		return nil, err
	}
	if r.URL.Query().Get("view") == "source" {
		return &answer{contentType: "text/plain; charset=utf-8", csp: "default-src 'none'", body: utf8Source(page)}, nil
	}
	// The page's own <meta charset> (or the browser's guess) decides how it reads.
	return &answer{contentType: "text/html", csp: rawCSP, body: page}, nil
}

func (s *Server) articleJSON(ctx context.Context, st Store, r *http.Request) (*answer, error) {
	a, err := s.getArticle(ctx, st, r)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc, err := store.NewEncoder(&buf, "jsonl")
	if err != nil {
		return nil, err
	}
	if err := enc.Encode(a); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return &answer{contentType: "application/json; charset=utf-8", csp: "default-src 'none'", body: buf.Bytes()}, nil
}

// --- search ---

// searchPageSize is how many results a search page lists.
const searchPageSize = 20

type searchData struct {
	Q, Site, Lang string
	Results       []result
	Total         int
	Pager         pager
	Sites, Langs  []string
	Indexing      bool // the index is still being read: results may be missing
}

type result struct {
	entry
	Snippet []snippetPart
}

func (s *Server) search(ctx context.Context, st Store, r *http.Request) (*answer, error) {
	q := r.URL.Query()
	d := &searchData{Q: strings.TrimSpace(q.Get("q")), Site: lede.NormalizeHost(q.Get("site")), Lang: strings.TrimSpace(q.Get("lang")),
		Indexing: !s.ready.Load()}
	page, err := pageNumber(r)
	if err != nil {
		return nil, err
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		return nil, err
	}
	for _, row := range sortedCounts(stats.BySite) {
		d.Sites = append(d.Sites, row.Name)
	}
	for _, row := range sortedCounts(stats.ByLang) {
		if row.Name != "" {
			d.Langs = append(d.Langs, row.Name)
		}
	}
	qy := query{site: d.Site, lang: d.Lang}
	seen := map[string]bool{}
	terms(d.Q, func(t string) {
		if !seen[t] {
			seen[t] = true
			qy.terms = append(qy.terms, t)
		}
	})
	title := "Search"
	if d.Q != "" {
		title = "Search: " + d.Q
	}
	if len(qy.terms) == 0 {
		return show("search", title, d)
	}
	entries, total := s.corpus.Load().search(qy, (page-1)*searchPageSize, searchPageSize)
	d.Total = total
	d.Pager = newPager(r, page, total, searchPageSize)
	for _, e := range entries {
		res := result{entry: e}
		if a, err := st.Get(ctx, e.ID); err == nil {
			res.Snippet = snippet(a.Text, seen)
		}
		d.Results = append(d.Results, res)
	}
	return show("search", title, d)
}

// --- lookup: why is this page (not) in the corpus? ---

type lookupData struct {
	URL     string
	Tried   []string
	Found   string            // the URL form a fetch record was found under
	Record  *lede.FetchRecord // nil: never fetched
	Article *lede.Article     // the stored article of that URL, if any
	Site    string
}

func (s *Server) lookup(ctx context.Context, st Store, r *http.Request) (*answer, error) {
	raw := strings.TrimSpace(r.URL.Query().Get("url"))
	d := &lookupData{URL: raw}
	if raw == "" {
		return show("lookup", "Look up a URL", d)
	}
	if a, err := st.Get(ctx, raw); err == nil {
		d.Article = a
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	for _, u := range urlForms(raw) {
		d.Tried = append(d.Tried, u)
		rec, ok, err := st.GetFetch(ctx, u)
		if err != nil {
			return nil, err
		}
		if ok {
			d.Found, d.Record = u, &rec
			break
		}
	}
	if p, err := url.Parse(raw); err == nil && p.Host != "" {
		d.Site = lede.NormalizeHost(p.Hostname())
	}
	if d.Article == nil && d.Record != nil && d.Record.ArticleID != "" {
		if a, err := st.Get(ctx, d.Record.ArticleID); err == nil {
			d.Article = a
		}
	}
	return show("lookup", "Look up "+raw, d)
}

// urlForms lists the forms of a URL its fetch record may be kept under: as given, as the
// crawler canonicalises it, and with the other scheme and with or without "www.".
func urlForms(raw string) []string {
	var out []string
	add := func(u string) {
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	add(raw)
	canon, err := lede.Canonicalize(raw)
	if err != nil {
		return out
	}
	add(canon)
	p, err := url.Parse(canon)
	if err != nil {
		return out
	}
	for _, scheme := range []string{p.Scheme, "https", "http"} {
		for _, www := range []bool{false, true} {
			q := *p
			q.Scheme = scheme
			host := strings.TrimPrefix(q.Host, "www.")
			if www {
				host = "www." + host
			}
			q.Host = host
			add(q.String())
		}
	}
	return out
}

// --- helpers ---

// pager links the pages of a list.
type pager struct {
	Page, Pages int
	Prev, Next  string
}

// pageNumber reads ?page= (1 when absent); a bad value is a 404.
func pageNumber(r *http.Request) (int, error) {
	v := r.URL.Query().Get("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, notFound(fmt.Sprintf("No page %q of this list.", v))
	}
	return n, nil
}

func newPager(r *http.Request, page, total, size int) pager {
	p := pager{Page: page, Pages: max((total+size-1)/size, 1)}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}

// rtlLangs are the languages written right to left (base subtags).
var rtlLangs = map[string]bool{"ar": true, "arc": true, "ckb": true, "dv": true, "fa": true, "he": true, "iw": true,
	"ks": true, "ku": true, "nqo": true, "ps": true, "sd": true, "syr": true, "ug": true, "ur": true, "yi": true}

// textDir is the direction of text in lang: "rtl", "ltr", or "auto" when the language is
// unknown (the browser then follows the first strong letter).
func textDir(lang string) string {
	if lang == "" {
		return "auto"
	}
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	if rtlLangs[base] {
		if strings.Contains(strings.ToLower(lang), "-latn") {
			return "ltr"
		}
		return "rtl"
	}
	return "ltr"
}
