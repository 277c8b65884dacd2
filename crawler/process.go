package crawler

// Processing a 2xx answer by what was queued: sitemap, feed or page; queuing what it links to.

import (
	"context"
	"errors"
	"fmt"
	"lede"
	"net/url"
	"path"
	"strings"
	"time"

	"lede/extract"
)

// process handles a 2xx answer according to what was queued.
func (r *run) process(h *host, it lede.QueueItem, res *fetchResult, old lede.FetchRecord, have bool) outcome {
	rec := &lede.FetchRecord{
		Status:       res.status,
		ETag:         res.header.Get("ETag"),
		LastModified: res.header.Get("Last-Modified"),
		LastFetch:    time.Now(),
		Depth:        it.Depth,
	}
	truncated := res.truncated(r.c.cfg.maxBodySize)
	if truncated && it.Kind == lede.KindSitemap {
		// A sitemap may hold up to 50 MB: read the entries before the cap, and ask for the
		// whole file again next time.
		r.log.Warn("sitemap cut at the body limit: reading the entries before it", "url", it.URL, "limit", r.c.cfg.maxBodySize)
		rec.ETag, rec.LastModified = "", ""
		return r.processSitemap(it, res, rec)
	}
	if truncated {
		limit := r.c.cfg.maxBodySize
		reason := fmt.Sprintf("truncated: body reached the %d-byte limit", limit)
		r.log.Warn("page too large: not stored", "url", it.URL, "limit", limit)
		rec.Kind, rec.Reason, rec.ETag, rec.LastModified = lede.KindSkipped, reason, "", ""
		return outcome{counter: lede.OutcomeSkipped, status: res.status, reason: reason, rec: rec}
	}
	switch it.Kind {
	case lede.KindSitemap:
		return r.processSitemap(it, res, rec)
	case lede.KindFeed:
		o := r.processFeed(it, res, rec)
		if rec.Kind == lede.KindFeed {
			setRecheck(rec, old, have, o.fresh)
		}
		return o
	default:
		// A page's blocks count toward its host's chrome once: on its first fetch.
		o := r.processPage(h, it, res, rec, !have, have && old.Kind == lede.KindHub)
		if rec.Kind == lede.KindHub {
			setRecheck(rec, old, have, r.anyFresh(r.storeCtx, o.children))
		}
		return o
	}
}

// processSitemap queues a sitemap's pages, or an index's child sitemaps, that are new or may
// have changed (see listedAgain).
func (r *run) processSitemap(it lede.QueueItem, res *fetchResult, rec *lede.FetchRecord) outcome {
	sm, err := parseSitemap(res.body)
	if sm == nil {
		rec.Kind, rec.Reason = lede.KindSkipped, err.Error()
		return outcome{counter: lede.OutcomeSkipped, status: res.status, reason: err.Error(), rec: rec}
	}
	if err != nil {
		r.log.Warn("sitemap read in part", "url", it.URL, "err", err)
	}
	rec.Kind = lede.KindSitemap
	var children, listed []lede.QueueItem // listed: every page it lists, queued or not
	locs := make([]string, len(sm.Items))
	for i, e := range sm.Items {
		locs[i] = e.Loc
	}
	urls, sv := r.resolveListed(res.finalURL, locs)
	for i, e := range sm.Items {
		u := urls[i]
		if u == "" {
			continue
		}
		if sm.Index {
			if queue, _ := r.listedAgain(r.storeCtx, u, lede.KindSitemap, e.Until, sv); queue {
				children = append(children, lede.QueueItem{URL: u, Depth: it.Depth, Kind: lede.KindSitemap})
			}
			continue
		}
		if s := r.siteOf(u); s != nil && s.allowed(u) && !binaryPath(u) {
			via := lede.ViaSitemap
			if e.News {
				via = lede.ViaNewsSitemap
			}
			item := lede.QueueItem{URL: u, Depth: it.Depth, Kind: lede.KindPage, Via: via, Listed: e.Until}
			listed = append(listed, item)
			if queue, _ := r.listedAgain(r.storeCtx, u, lede.KindPage, e.Until, sv); queue {
				children = append(children, item)
			}
		}
	}
	r.noteListedSeen(listed)
	rec.Reason = fmt.Sprintf("%d entries", len(sm.Items))
	return outcome{counter: lede.OutcomeSitemap, status: res.status, rec: rec, children: children}
}

// resolveListed resolves the URLs a sitemap or feed at base lists ("" for one that does not
// resolve) and returns what the processes of a shared crawl recorded of them, in one lookup.
func (r *run) resolveListed(base string, locs []string) ([]string, visits) {
	urls := make([]string, len(locs))
	var known []string
	for i, loc := range locs {
		if u, err := resolve(base, loc); err == nil {
			urls[i] = u
			known = append(known, u)
		}
	}
	return urls, r.listedVisits(r.storeCtx, known)
}

// processFeed queues a feed's items that are new or may have changed (see listedAgain); the
// outcome says whether any was never seen (fresh).
func (r *run) processFeed(it lede.QueueItem, res *fetchResult, rec *lede.FetchRecord) outcome {
	entries, err := parseFeed(res.body)
	if err != nil {
		rec.Kind, rec.Reason = lede.KindSkipped, err.Error()
		return outcome{counter: lede.OutcomeSkipped, status: res.status, reason: err.Error(), rec: rec}
	}
	rec.Kind = lede.KindFeed
	var children, listed []lede.QueueItem // listed: every page it lists, queued or not
	var fresh bool
	links := make([]string, len(entries))
	for i, e := range entries {
		links[i] = e.Link
	}
	urls, sv := r.resolveListed(res.finalURL, links)
	for i, e := range entries {
		u := urls[i]
		if u == "" {
			continue
		}
		if s := r.siteOf(u); s != nil && s.allowed(u) {
			item := lede.QueueItem{URL: u, Depth: it.Depth, Kind: lede.KindPage, Via: lede.ViaFeed, Listed: e.Date}
			listed = append(listed, item)
			queue, isNew := r.listedAgain(r.storeCtx, u, lede.KindPage, e.Date, sv)
			if queue {
				children = append(children, item)
			}
			fresh = fresh || isNew
		}
	}
	r.noteListedSeen(listed)
	rec.Reason = fmt.Sprintf("%d items", len(entries))
	return outcome{counter: lede.OutcomeFeed, status: res.status, rec: rec, children: children, fresh: fresh}
}

// processPage parses an HTML page once: its links and feeds are queued, it is extracted and
// decided (pagekind.go); an article is stored, a front, media page or soft 404 recorded.
// wasHub says the page's last record was a front's.
func (r *run) processPage(h *host, it lede.QueueItem, res *fetchResult, rec *lede.FetchRecord, learn, wasHub bool) (o outcome) {
	defer func() {
		// One hostile page must not end the crawl: record it and go on.
		if p := recover(); p != nil {
			reason := fmt.Sprintf("extract panicked: %v", p)
			r.log.Error("page not processed", "url", it.URL, "reason", reason)
			rec.Kind, rec.Reason = lede.KindError, reason
			o = outcome{counter: lede.OutcomeError, status: res.status, reason: reason, rec: rec}
		}
	}()
	final := it.URL
	if res.finalURL != "" && res.finalURL != it.URL {
		if u, err := lede.Canonicalize(res.finalURL); err == nil {
			final = u
			r.markSeen(u)
			if r.siteOf(u) == nil {
				reason := "redirected off-site to " + u
				rec.Kind, rec.Reason = lede.KindSkipped, reason
				return outcome{counter: lede.OutcomeSkipped, status: res.status, reason: reason, rec: rec}
			}
		}
	}
	key := lede.SiteOf(final)
	chrome, digest := r.chromeFor(key)
	doc, err := extract.Parse(res.body, final, append([]extract.Option{extract.WithContentType(res.contentType)}, chrome.Options()...)...)
	if err != nil {
		reason := "parse: " + err.Error()
		if errors.Is(err, extract.ErrNotHTML) {
			reason = "not HTML"
		}
		rec.Kind, rec.Reason = lede.KindSkipped, reason
		return outcome{counter: lede.OutcomeSkipped, status: res.status, reason: reason, rec: rec}
	}
	children, feeds := r.pageChildren(it, doc)
	var blocks []uint64
	if learn && r.learnsChrome() {
		blocks = doc.BlockFingerprints() // before Article, which rewrites the page
	}
	art, err := doc.Article()
	v, via := r.decide(it, final, doc)
	why := v.Reason()
	rec.Reason, rec.Via = why, via
	o = outcome{status: res.status, reason: why, rec: rec, children: children, chromeHost: key, blocks: blocks}
	switch v.Kind {
	case lede.KindHub:
		rec.Kind, rec.Feeds, o.counter = lede.KindHub, feeds, lede.OutcomeHub
		if v.Score > hubKeepScore || articleSigns(v) {
			o.hubPage = res.body // a close call: kept for lede reclassify
		}
		return o
	case lede.KindMedia:
		rec.Kind, o.counter = lede.KindMedia, lede.OutcomeSkipped
		return o
	case lede.KindNotFound:
		rec.Kind, o.counter = lede.KindNotFound, lede.OutcomeSkipped
		return o
	}
	if err != nil {
		reason := "no article: " + err.Error()
		rec.Kind, rec.Reason, o.counter, o.reason = lede.KindSkipped, reason, lede.OutcomeSkipped, reason
		return o
	}
	if art.URL == "" {
		art.URL = final
	}
	art.FetchedAt = rec.LastFetch
	if c, err := lede.Canonicalize(art.CanonicalURL); err == nil {
		r.markSeen(c) // the store keeps the article under it too
	}
	rec.Kind = lede.KindArticle
	o.counter, o.article, o.raw, o.chromeDigest, o.dropHubPage = lede.OutcomeNew, art, res.body, digest, wasHub
	return o
}

// pageChildren returns what the page of it links to, to queue: its feeds (also returned
// alone, for its fetch record), then the in-site links within the depth limit.
func (r *run) pageChildren(it lede.QueueItem, doc *extract.Document) (children []lede.QueueItem, feeds []string) {
	// Feeds first: what they list is known when the pages linked here are decided.
	for _, f := range doc.Feeds() {
		if u, err := lede.Canonicalize(f); err == nil {
			children = append(children, lede.QueueItem{URL: u, Depth: it.Depth, Kind: lede.KindFeed})
			feeds = append(feeds, u)
		}
	}
	if depth := it.Depth + 1; depth <= r.c.cfg.maxDepth {
		for _, l := range doc.Links() {
			u, err := lede.Canonicalize(l)
			if err != nil || binaryPath(u) {
				continue
			}
			if s := r.siteOf(u); s != nil && s.allowed(u) {
				children = append(children, lede.QueueItem{URL: u, Depth: depth, Kind: lede.KindPage})
			}
		}
	}
	return children, feeds
}

// resolve makes ref absolute against base and canonical.
func resolve(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u, err := b.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", err
	}
	return lede.Canonicalize(u.String())
}

// binaryExt lists file extensions that are never news pages.
var binaryExt = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".svg": true, ".ico": true,
	".pdf": true, ".zip": true, ".gz": true, ".mp3": true, ".mp4": true, ".avi": true, ".mov": true,
	".css": true, ".js": true, ".woff": true, ".woff2": true, ".doc": true, ".docx": true, ".xls": true,
	".xlsx": true, ".ppt": true, ".exe": true, ".dmg": true, ".apk": true,
}

// binaryPath reports whether a URL's path names a file type that is never an HTML page.
func binaryPath(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	return binaryExt[strings.ToLower(path.Ext(u.Path))]
}

// markSeen records a URL as handled in this run without queueing it.
func (r *run) markSeen(u string) {
	r.mu.Lock()
	r.seen.add(u)
	r.mu.Unlock()
}

// push queues the items not yet seen in this run.
func (r *run) push(ctx context.Context, items []lede.QueueItem) error {
	if len(items) == 0 {
		return nil
	}
	fresh := items[:0:0]
	_, shared := r.c.frontier.(SharedFrontier)
	r.mu.Lock()
	for _, it := range items {
		if !r.seen.add(it.URL) {
			continue
		}
		fresh = append(fresh, it)
		if !shared { // see listingQueued
			r.listingQueued(it)
		}
	}
	r.mu.Unlock()
	if len(fresh) == 0 {
		return nil
	}
	// A sitemap can list 50,000 URLs: queued in chunks, each write stays small.
	const chunk = 64
	for len(fresh) > 0 {
		n := min(chunk, len(fresh))
		if _, err := r.c.frontier.Push(ctx, fresh[:n]...); err != nil {
			return fmt.Errorf("frontier push: %w", err)
		}
		fresh = fresh[n:]
	}
	r.mu.Lock()
	r.pushed = true
	r.mu.Unlock()
	return nil
}

// discoverSitemaps queues a site's sitemaps (robots.txt Sitemap lines, else /sitemap.xml)
// the first time one of its hosts is fetched.
func (r *run) discoverSitemaps(h *host, scheme string) {
	if h.site == nil {
		return
	}
	r.mu.Lock()
	done := h.site.discovered
	h.site.discovered = true
	r.mu.Unlock()
	if done {
		return
	}
	var items []lede.QueueItem
	for _, s := range h.sitemaps {
		if u, err := lede.Canonicalize(s); err == nil {
			items = append(items, lede.QueueItem{URL: u, Kind: lede.KindSitemap})
		}
	}
	if len(items) == 0 {
		items = append(items, lede.QueueItem{URL: scheme + "://" + h.name + "/sitemap.xml", Kind: lede.KindSitemap})
	}
	if err := r.push(r.storeCtx, items); err != nil {
		r.fail(err)
	}
}
