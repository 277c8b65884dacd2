package crawler

import (
	"context"
	"lede"
	"time"
)

// Re-runs. A scheduled crawl must find every new article however it is listed, while asking
// again only for what may have changed:
//
//   - start pages, configured feeds and sitemaps, and the sitemaps robots.txt names are asked
//     for on every run, conditionally (If-None-Match / If-Modified-Since); a hub's feeds are
//     asked for whenever the hub is, even when it answers 304 (FetchRecord.Feeds), so a start
//     page's feeds are read on every run;
//   - a sitemap or feed entry whose URL lede never fetched is always queued, whatever its
//     date; one fetched before is queued again only when it may have changed (listedAgain);
//   - hubs (sections, listings) and feeds found on earlier runs are asked for again on their
//     own schedule, even when the page linking to them answers 304 Not Modified: each keeps a
//     recheck interval in its fetch record, 0 (every run) while it brings URLs never seen,
//     doubled from recheckFirst up to recheckMax each time it brings none (nextRecheck);
//   - with --refresh every stored article of the run's sites is queued again, with
//     --refresh-after those whose last fetch is older than that (dueAgain).

const (
	recheckFirst = 15 * time.Minute // a listing's interval after its first fetch that brought nothing new
	recheckMax   = 24 * time.Hour   // the longest a known hub or feed goes unchecked
)

// nextRecheck returns a hub's or feed's recheck interval after a fetch: 0 when it brought URLs
// never seen (check it on every run), else the previous interval doubled, from recheckFirst
// up to recheckMax.
func nextRecheck(prev time.Duration, fresh bool) time.Duration {
	if fresh {
		return 0
	}
	return min(max(2*prev, recheckFirst), recheckMax)
}

// recheckDue reports whether a hub or feed is due again at now. A quarter of the interval is
// forgiven: a cron run starts one period after the previous one, while the listing was
// fetched some way into that run.
func recheckDue(rec lede.FetchRecord, now time.Time) bool {
	return !now.Before(rec.LastFetch.Add(rec.Recheck - rec.Recheck/4))
}

// setRecheck records in rec (a new fetch record) the recheck interval of a hub or feed that
// brought URLs never seen (fresh) or not, following on from its previous record old.
func setRecheck(rec *lede.FetchRecord, old lede.FetchRecord, have, fresh bool) {
	var prev time.Duration
	if have && old.Kind == rec.Kind {
		prev = old.Recheck
	}
	rec.Recheck = nextRecheck(prev, fresh)
}

// requeueBatch is how many known URLs requeue pushes to the frontier at a time.
const requeueBatch = 1024

// requeue queues the known URLs of the run's sites that are due again (see dueAgain).
func (r *run) requeue(ctx context.Context) error {
	var batch []lede.QueueItem
	err := r.walkDue(ctx, func(it lede.QueueItem) error {
		if batch = append(batch, it); len(batch) == requeueBatch {
			err := r.push(ctx, batch)
			batch = batch[:0]
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	return r.push(ctx, batch)
}

// walkDue calls fn with each known URL of the run's sites that is due again (see dueAgain).
// It walks the fetch records of each site host, with and without "www.", http and https,
// and, for a refresh, the articles any process of a shared crawl stored (visits.go).
func (r *run) walkDue(ctx context.Context, fn func(lede.QueueItem) error) error {
	now := time.Now()
	due := func(rec lede.FetchRecord) error {
		if it, ok := r.dueAgain(rec, now); ok {
			return fn(it)
		}
		return nil
	}
	walked := map[string]bool{}
	for _, s := range r.sites {
		for hk := range s.hosts {
			for _, prefix := range []string{"http://" + hk + "/", "https://" + hk + "/", "http://www." + hk + "/", "https://www." + hk + "/"} {
				if walked[prefix] {
					continue
				}
				walked[prefix] = true
				if err := r.c.store.FetchRecords(ctx, prefix, due); err != nil {
					return err
				}
			}
			if !r.c.cfg.refresh && r.c.cfg.refreshAfter <= 0 {
				continue // the record of a shared crawl holds no hub nor feed: only articles
			}
			for _, host := range []string{hk, "www." + hk} {
				if walked[host] {
					continue
				}
				walked[host] = true
				if err := r.eachSharedRecord(ctx, host, due); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// dueAgain reports whether a URL fetched on an earlier run is to be fetched again now, and
// how it is queued: a hub or feed whose recheck is due; a stored article with --refresh, or
// with --refresh-after once its last fetch is older than that. A URL found deeper than
// --max-depth, or that the site's patterns no longer allow, is left alone.
func (r *run) dueAgain(rec lede.FetchRecord, now time.Time) (lede.QueueItem, bool) {
	cfg := r.c.cfg
	site := r.siteOf(rec.URL)
	if site == nil || rec.Depth > cfg.maxDepth {
		return lede.QueueItem{}, false
	}
	it := lede.QueueItem{URL: rec.URL, Depth: rec.Depth, Kind: lede.KindPage}
	switch rec.Kind {
	case lede.KindFeed:
		it.Kind = lede.KindFeed
		return it, recheckDue(rec, now)
	case lede.KindHub:
		return it, site.allowed(rec.URL) && recheckDue(rec, now)
	case lede.KindArticle:
		return it, site.allowed(rec.URL) && r.refreshDue(rec, now)
	}
	return lede.QueueItem{}, false
}

// refreshDue reports whether a stored article is to be fetched again: always with --refresh,
// with --refresh-after once its last fetch is older than that.
func (r *run) refreshDue(rec lede.FetchRecord, now time.Time) bool {
	cfg := r.c.cfg
	return cfg.refresh || cfg.refreshAfter > 0 && now.Sub(rec.LastFetch) > cfg.refreshAfter
}

// listedAgain decides whether a URL a sitemap or feed lists (as kind: a page or a child
// sitemap, dated until: see changedSince) is queued, and whether lede never saw it (fresh).
// A URL never fetched is always queued, whatever its date. One fetched before is queued
// again when its last fetch failed; when it is a stored article due for a refresh; when it is
// a child sitemap, undated or dated after its last fetch; and when it was a hub or a skipped
// page (404, say) and its date is after its last fetch. Otherwise it has not changed, or it
// is a stored article lede never fetches again (without --refresh), or a hub left to its
// recheck schedule. sv holds what the processes of a shared crawl recorded of the listed URLs.
func (r *run) listedAgain(ctx context.Context, u string, kind lede.Kind, until time.Time, sv visits) (queue, fresh bool) {
	rec, have, err := r.fetchRecord(ctx, u, sv)
	if err != nil {
		r.log.Warn("fetch record unreadable: queueing the URL", "url", u, "err", err)
		return true, false
	}
	if !have {
		if kind != lede.KindPage {
			return true, true
		}
		stored, err := r.hasArticle(ctx, u, sv) // saved by lede extract, or an alias
		if err != nil || !stored {
			return true, err == nil
		}
		return r.c.cfg.refresh, false
	}
	switch {
	case rec.Kind == lede.KindError:
		return true, false
	case kind == lede.KindSitemap:
		return until.IsZero() || changedSince(until, rec.LastFetch), false
	case rec.Kind == lede.KindArticle:
		return r.refreshDue(rec, time.Now()), false
	}
	return !until.IsZero() && changedSince(until, rec.LastFetch), false
}

// changedSince reports whether something dated until may have changed after t. until is the
// latest instant a sitemap or feed date may stand for (see parseW3CDate): the time itself,
// or for a date without a time (2026-03-04) the end of that day in the westernmost time zone.
func changedSince(until, t time.Time) bool { return until.After(t) }

// anyFresh reports whether any page among items was never fetched (nor stored), by any
// process of a shared crawl: whether the hub that links to them brought something new.
func (r *run) anyFresh(ctx context.Context, items []lede.QueueItem) bool {
	var pages []string
	for _, it := range items {
		if it.Kind == lede.KindPage {
			pages = append(pages, it.URL)
		}
	}
	sv := r.listedVisits(ctx, pages)
	for _, u := range pages {
		if _, have, err := r.fetchRecord(ctx, u, sv); err != nil || have {
			continue
		}
		if stored, err := r.hasArticle(ctx, u, sv); err == nil && !stored {
			return true
		}
	}
	return false
}
