package crawler

import (
	"context"
	"fmt"
	"lede"
	"sync"

	"lede/extract"
)

// Article or front (issue 10). extract's Verdict weighs what the page shows (its body, links,
// metadata and URL, see extract/kind.go); a crawl adds what only it knows:
//
//   - provenance: a URL listed in a news sitemap (+2.5) or as a feed item (+2) is almost
//     surely an article; a plain sitemap lists fronts too (+0.5). A URL found in the menu of
//     at least 60% of a host's pages (5 counted at least) is a front (-2).
//   - the host's URL templates (extract.URLTemplate), learned as the crawl goes and kept in
//     the store: once 5 pages of a template were decided with confidence (|score| ≥ 2
//     without this signal), a template whose pages were 90% articles adds +1.5 (80%: +1),
//     one whose pages were 90% fronts -1.5 (80%: -1); the general template (plain words
//     replaced too) counts two thirds as much, when the specific one has too few pages.
//
// lede extract makes the same decision without provenance, with the templates of a store
// when there is one (Decide with Signals.Templates).

// viaScore is the evidence each listing gives.
var viaScore = map[lede.Via]struct {
	score  float64
	detail string
}{
	lede.ViaNewsSitemap: {2.5, "listed in a news sitemap"},
	lede.ViaFeed:        {2, "an item of the site's feed"},
	lede.ViaSitemap:     {0.5, "listed in a sitemap"},
}

// stronger reports whether listing a says more than b.
func stronger(a, b lede.Via) bool { return viaScore[a].score > viaScore[b].score }

// Thresholds of the crawl's signals.
const (
	navMinPages       = 5   // pages whose menus were counted before a menu link counts
	navMinShare       = 0.6 // share of those pages a URL must be in the menu of
	templateMinPages  = 5   // decided pages of a template before it counts
	templateConfident = 2.0 // least |score| (without the template) of a decision a template learns from
	// maxNavLinks bounds the menu URLs counted per host.
	maxNavLinks = 1024
	// templateFlush is how many decisions of a host are counted in memory before they are
	// written to the store.
	templateFlush = 32
	// hubKeepScore: the raw page of a front scoring above it (or with an article signal
	// from the crawl) is kept for lede reclassify.
	hubKeepScore = -3
)

// Templates are a host's learned URL templates: pages judged articles and fronts per
// template (extract.URLTemplate).
type Templates map[string]lede.TemplateCount

// TemplateStore is what learning URL templates needs from the store. *store.DB implements
// it; a Store without it crawls without learned templates.
type TemplateStore interface {
	AddURLTemplates(ctx context.Context, host string, counts map[string]lede.TemplateCount) error
	URLTemplates(ctx context.Context, host string) (map[string]lede.TemplateCount, error)
}

// LoadTemplates returns the learned URL templates of host (a host name or URL).
func LoadTemplates(ctx context.Context, ts interface {
	URLTemplates(ctx context.Context, host string) (map[string]lede.TemplateCount, error)
}, host string) (Templates, error) {
	t, err := ts.URLTemplates(ctx, lede.SiteOf(host))
	return Templates(t), err
}

// evidence is the template signal for pageURL, if its template has enough decided pages.
func (t Templates) evidence(pageURL string) (extract.Evidence, bool) {
	if len(t) == 0 {
		return extract.Evidence{}, false
	}
	spec, gen := extract.URLTemplate(pageURL)
	for i, tmpl := range []string{spec, gen} {
		c := t[tmpl]
		n := c.Articles + c.Hubs
		if tmpl == "" || n < templateMinPages {
			continue
		}
		w := 1.5
		if i == 1 {
			w = 1.0
		}
		share := float64(c.Articles) / float64(n)
		var s float64
		switch {
		case share >= 0.9:
			s = w
		case share >= 0.8:
			s = w * 2 / 3
		case share <= 0.1:
			s = -w
		case share <= 0.2:
			s = -w * 2 / 3
		default:
			return extract.Evidence{}, false // the template holds both
		}
		return extract.Evidence{Signal: extract.SignalTemplate, Score: s,
			Detail: fmt.Sprintf("%d of %d pages of %s were articles", c.Articles, n, tmpl)}, true
	}
	return extract.Evidence{}, false
}

// Signals are what a crawl knows of a page besides the page itself.
type Signals struct {
	Via       lede.Via  // the listing that found it
	Templates Templates // the host's learned URL templates (nil: none)
	// NavPages of the NavTotal pages of the host whose menus were counted link to the page
	// from their menu.
	NavPages, NavTotal int
}

// Decide returns the verdict on the page at pageURL: extract's verdict from the page itself,
// with the crawl's signals added. It runs doc.Article if it has not run.
func Decide(doc *extract.Document, pageURL string, s Signals) extract.Verdict {
	v := doc.Verdict()
	var ev []extract.Evidence
	if vs, ok := viaScore[s.Via]; ok {
		ev = append(ev, extract.Evidence{Signal: signalOf(s.Via), Score: vs.score, Detail: vs.detail})
	}
	if s.NavTotal >= navMinPages && float64(s.NavPages) >= navMinShare*float64(s.NavTotal) {
		ev = append(ev, extract.Evidence{Signal: extract.SignalNavigation, Score: -2,
			Detail: fmt.Sprintf("in the menu of %d of %d pages", s.NavPages, s.NavTotal)})
	}
	if e, ok := s.Templates.evidence(pageURL); ok {
		ev = append(ev, e)
	}
	return v.With(ev...)
}

// signalOf is the extract signal of a listing.
func signalOf(v lede.Via) extract.Signal {
	if v == lede.ViaFeed {
		return extract.SignalFeed
	}
	return extract.SignalSitemap
}

// articleSigns reports whether the crawl's own signals lean article: a news sitemap or feed
// listing, or the URL template (a plain sitemap lists fronts too). A front with them may be
// a lost article.
func articleSigns(v extract.Verdict) bool {
	for _, s := range []extract.Signal{extract.SignalSitemap, extract.SignalFeed, extract.SignalTemplate} {
		if score, ok := v.Has(s); ok && (score >= viaScore[lede.ViaFeed].score || s == extract.SignalTemplate && score > 0) {
			return true
		}
	}
	return false
}

// hostKinds is what a run knows of one host's pages for the decision.
type hostKinds struct {
	templates Templates                     // the store's, plus this run's decisions flushed (replaced, never changed)
	pending   map[string]lede.TemplateCount // this run's decisions not yet added to templates
	decided   int                           // decisions in pending
	navTotal  int                           // pages whose menus were counted
	nav       map[string]int                // menu URL → pages it was on (at most maxNavLinks)
	suspect   int                           // pages judged fronts with article signals
	example   string                        // one of them
}

// kindState is the run's hostKinds by ChromeHost.
type kindState struct {
	mu      sync.Mutex
	hosts   *hostLRU[*hostKinds] // the hosts used last
	evicted []evictedKinds       // hosts put out of hosts, for settleEvictedKinds
	// listed holds the listing of URLs a sitemap or feed gave after a link had queued them
	// (queue items carry their own): at most maxListed.
	listed map[string]listing
}

// listing is a sitemap's or feed's word on a URL.
type listing struct {
	via  lede.Via
	date int64 // Unix seconds of the date it gave; 0 when none
}

// maxListed bounds kindState.listed.
const maxListed = 200_000

// hostKindsLocked returns the host's state, loading its templates when the host is new to
// the run or was put out of memory (r.kinds.mu held).
func (r *run) hostKindsLocked(key string) *hostKinds {
	if hk, ok := r.kinds.hosts.Get(key); ok {
		return hk
	}
	hk := &hostKinds{templates: Templates{}, pending: map[string]lede.TemplateCount{}, nav: map[string]int{}}
	if ts, ok := r.c.store.(TemplateStore); ok {
		t, err := LoadTemplates(r.storeCtx, ts, key)
		if err != nil {
			r.log.Warn("learned URL templates not read", "host", key, "err", err)
		}
		for k, c := range t {
			hk.templates[k] = c
		}
	}
	r.kinds.hosts.Add(key, hk)
	return hk
}

// evictKindsLocked sets a host put out of memory aside for settleEvictedKinds (r.kinds.mu
// held): the store is written outside the lock.
func (r *run) evictKindsLocked(key string, hk *hostKinds) {
	r.kinds.evicted = append(r.kinds.evicted, evictedKinds{key, hk})
}

// evictedKinds is a host's state put out of memory, waiting for settleEvictedKinds.
type evictedKinds struct {
	key string
	hk  *hostKinds
}

// settleEvictedKinds saves what hosts put out of memory learned and the store does not have
// yet (their pending template decisions) and gives their warnings. Their menu-link counts,
// which only this run uses, start again if a host comes back.
func (r *run) settleEvictedKinds(evicted []evictedKinds) {
	ts, ok := r.c.store.(TemplateStore)
	for _, e := range evicted {
		if ok && len(e.hk.pending) > 0 {
			if err := ts.AddURLTemplates(r.storeCtx, e.key, e.hk.pending); err != nil {
				r.log.Warn("learned URL templates not written", "host", e.key, "err", err)
			}
		}
		r.warnSuspect(e.key, e.hk)
	}
}

// noteListedSeen notes the listings of the pages a sitemap or feed gave that this run has
// queued already (by a link, say): the queue items carry only the first finder's word. It
// runs as the listing is read, before the items are pushed, so that a page decided after
// the listing sees it.
func (r *run) noteListedSeen(items []lede.QueueItem) {
	var seen []lede.QueueItem
	r.mu.Lock()
	for _, it := range items {
		if r.seen.has(it.URL) && it.Via != "" {
			seen = append(seen, it)
		}
	}
	r.mu.Unlock()
	for _, it := range seen {
		r.noteListed(it)
	}
}

// noteListed remembers the listing of a URL already queued by a link.
func (r *run) noteListed(it lede.QueueItem) {
	v := lede.Via(it.Via)
	if v == lede.ViaLink {
		return
	}
	r.kinds.mu.Lock()
	defer r.kinds.mu.Unlock()
	old, ok := r.kinds.listed[it.URL]
	if !ok && len(r.kinds.listed) >= maxListed {
		return
	}
	if stronger(v, old.via) {
		old.via = v
	}
	if d := it.Listed.Unix(); !it.Listed.IsZero() && d > old.date {
		old.date = d
	}
	r.kinds.listed[it.URL] = old
}

// listingOf returns what the listings said of a queue item's URL: its own, or one noted later.
func (r *run) listingOf(it lede.QueueItem) listing {
	l := listing{via: lede.Via(it.Via)}
	if !it.Listed.IsZero() {
		l.date = it.Listed.Unix()
	}
	r.kinds.mu.Lock()
	noted, ok := r.kinds.listed[it.URL]
	r.kinds.mu.Unlock()
	if ok {
		if stronger(noted.via, l.via) {
			l.via = noted.via
		}
		l.date = max(l.date, noted.date)
	}
	return l
}

// decide makes the crawl's decision on a fetched page (final is its URL after redirects),
// counts its menu links and learns from it. It also returns the listing that found the page.
func (r *run) decide(it lede.QueueItem, final string, doc *extract.Document) (extract.Verdict, lede.Via) {
	key := lede.SiteOf(final)
	via := r.listingOf(it).via
	menu := doc.NavLinks()
	r.kinds.mu.Lock()
	hk := r.hostKindsLocked(key)
	s := Signals{Via: via, Templates: hk.templates, NavPages: hk.nav[final], NavTotal: hk.navTotal}
	if s.NavPages == 0 && final != it.URL {
		s.NavPages = hk.nav[it.URL]
	}
	evicted := r.kinds.evicted
	r.kinds.evicted = nil
	r.kinds.mu.Unlock()
	r.settleEvictedKinds(evicted)

	v := Decide(doc, final, s) // outside the lock: it extracts the page

	r.kinds.mu.Lock()
	r.learnKindLocked(key, final, menu, v)
	evicted = r.kinds.evicted
	r.kinds.evicted = nil
	r.kinds.mu.Unlock()
	r.settleEvictedKinds(evicted)
	return v, via
}

// learnKindLocked counts a decided page's menu links and learns its URL template from the
// decision v (r.kinds.mu held).
func (r *run) learnKindLocked(key, final string, menu []string, v extract.Verdict) {
	hk := r.hostKindsLocked(key) // the host may have been put out of memory since the decision began
	if len(menu) > 0 {
		hk.navTotal++
		for _, l := range menu {
			u, err := lede.Canonicalize(l)
			if err != nil {
				continue
			}
			if _, ok := hk.nav[u]; ok || len(hk.nav) < maxNavLinks {
				hk.nav[u]++
			}
		}
	}
	if v.Kind == lede.KindHub && articleSigns(v) {
		hk.suspect++
		if hk.example == "" {
			hk.example = final
		}
	}
	if w := v.Without(extract.SignalTemplate); (w.Kind == lede.KindArticle || w.Kind == lede.KindHub) &&
		(w.Score >= templateConfident || w.Score <= -templateConfident) {
		spec, gen := extract.URLTemplate(final)
		for _, t := range []string{spec, gen} {
			if t == "" {
				continue
			}
			p := hk.pending[t]
			if w.Kind == lede.KindArticle {
				p.Articles++
			} else {
				p.Hubs++
			}
			hk.pending[t] = p
		}
		hk.decided++
		if hk.decided >= templateFlush {
			r.flushTemplatesLocked(key, hk)
		}
	}
}

// flushTemplatesLocked adds a host's pending decisions to its templates and writes them to
// the store (r.kinds.mu held). The templates map is replaced, never changed: Decide reads it
// outside the lock.
func (r *run) flushTemplatesLocked(key string, hk *hostKinds) {
	if len(hk.pending) == 0 {
		return
	}
	if ts, ok := r.c.store.(TemplateStore); ok {
		if err := ts.AddURLTemplates(r.storeCtx, key, hk.pending); err != nil {
			r.log.Warn("learned URL templates not written", "host", key, "err", err)
		}
	}
	t := make(Templates, len(hk.templates)+len(hk.pending))
	for k, c := range hk.templates {
		t[k] = c
	}
	for k, p := range hk.pending {
		c := t[k]
		c.Articles += p.Articles
		c.Hubs += p.Hubs
		t[k] = c
	}
	hk.templates, hk.pending, hk.decided = t, map[string]lede.TemplateCount{}, 0
}

// finishKinds writes what is left of the templates and warns about hosts whose pages were
// judged fronts despite article signals.
func (r *run) finishKinds() {
	r.kinds.mu.Lock()
	defer r.kinds.mu.Unlock()
	for _, key := range r.kinds.hosts.Keys() {
		hk, _ := r.kinds.hosts.Peek(key)
		r.flushTemplatesLocked(key, hk)
		r.warnSuspect(key, hk)
	}
}

// warnSuspect warns about a host whose pages were judged fronts despite article signals.
func (r *run) warnSuspect(key string, hk *hostKinds) {
	if hk.suspect > 0 {
		r.log.Warn("pages judged fronts (not stored) although a sitemap, a feed or their URL template says article: see why with lede show URL, and after a fix run lede reclassify --site "+key,
			"host", key, "pages", hk.suspect, "example", hk.example)
		hk.suspect = 0
	}
}
