package crawler

import (
	"context"
	"fmt"
	"lede"
	"strconv"
	"strings"
	"time"
)

// Re-runs of a crawl shared by several processes. Each process keeps its own store (a shard),
// so a shard alone cannot say whether a URL is new: another process may have stored its
// article, and a process whose shard is new knows nothing. So each process also records, in
// the frontier's VisitRecord (which outlives each crawl), what it fetched that the rules of
// a re-run look up: the pages it stored an article from (and that article's own and
// canonical URLs) and the dead links it found, each with its fetch time and depth. Lookups
// (fetchRecord, hasArticle) read the shard and that record, and take the later of the two;
// the rules of one store (recheck.go, deadlinks.go) then decide as they do for one process:
// a stored article is not fetched again, unless --refresh, or --refresh-after once its
// latest fetch by any process is older than that; a dead link is left alone for
// --retry-dead-after; hubs and feeds follow the shard's own schedule, and a shard that does
// not know one reads it.

// A visit is what the VisitRecord keeps of a URL.
type visit struct {
	kind   lede.Kind // KindArticle or KindNotFound; "" for a URL an article is stored under, fetched from another
	at     time.Time // the fetch
	depth  int
	status int // of a dead link
}

// encode writes v as the record keeps it: "a ms depth", "n ms depth status" or "s", a few
// dozen bytes.
func (v visit) encode() string {
	switch v.kind {
	case lede.KindArticle:
		return fmt.Sprintf("a %d %d", v.at.UnixMilli(), v.depth)
	case lede.KindNotFound:
		return fmt.Sprintf("n %d %d %d", v.at.UnixMilli(), v.depth, v.status)
	}
	return "s"
}

// decodeVisit reads a value encode wrote; ok is false for anything else.
func decodeVisit(s string) (v visit, ok bool) {
	f := strings.Fields(s)
	if len(f) == 1 && f[0] == "s" {
		return visit{}, true
	}
	if len(f) < 3 {
		return visit{}, false
	}
	ms, err1 := strconv.ParseInt(f[1], 10, 64)
	depth, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil {
		return visit{}, false
	}
	v.at, v.depth = time.UnixMilli(ms), depth
	switch {
	case f[0] == "a" && len(f) == 3:
		v.kind = lede.KindArticle
	case f[0] == "n" && len(f) == 4:
		v.kind = lede.KindNotFound
		if v.status, err1 = strconv.Atoi(f[3]); err1 != nil {
			return visit{}, false
		}
	default:
		return visit{}, false
	}
	return v, true
}

// record returns v as the fetch record of u.
func (v visit) record(u string) lede.FetchRecord {
	rec := lede.FetchRecord{URL: u, Kind: v.kind, LastFetch: v.at, Depth: v.depth, Status: v.status}
	if v.kind == lede.KindArticle {
		rec.Status = 200
	}
	if v.kind == lede.KindNotFound && v.status == 200 {
		rec.Reason = "soft 404"
	}
	return rec
}

// visits are the visits recorded for some URLs, by URL key (lede.URLKey).
type visits map[string]visit

// visitRecord returns the record of a shared crawl's visits, or nil.
func (r *run) visitRecord() VisitRecord {
	vr, _ := r.c.frontier.(VisitRecord)
	return vr
}

// sharedVisits returns what any process of a shared crawl recorded of urls; nil when the
// crawl is not shared.
func (r *run) sharedVisits(ctx context.Context, urls []string) (visits, error) {
	vr := r.visitRecord()
	if vr == nil || len(urls) == 0 {
		return nil, nil
	}
	keys := make([]string, len(urls))
	for i, u := range urls {
		keys[i] = lede.URLKey(u)
	}
	vals, err := vr.Visits(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("the crawl's record of visits: %w", err)
	}
	out := visits{}
	for i, s := range vals {
		if v, ok := decodeVisit(s); ok {
			out[keys[i]] = v
		}
	}
	return out, nil
}

// listedVisits is sharedVisits for the pages a sitemap or feed lists: should the record be
// out of reach, they are looked up in the shard alone (and queued if unknown).
func (r *run) listedVisits(ctx context.Context, urls []string) visits {
	sv, err := r.sharedVisits(ctx, urls)
	if err != nil {
		r.log.Warn("listed URLs judged by this shard alone", "err", err)
	}
	return sv
}

// fetchRecord returns u's fetch record: the shard's, or what sv says another process
// recorded later.
func (r *run) fetchRecord(ctx context.Context, u string, sv visits) (lede.FetchRecord, bool, error) {
	rec, have, err := r.c.store.GetFetch(ctx, u)
	if err != nil {
		return rec, have, err
	}
	if v, ok := sv[lede.URLKey(u)]; ok && v.kind != "" && (!have || v.at.After(rec.LastFetch)) {
		return v.record(u), true, nil
	}
	return rec, have, nil
}

// hasArticle reports whether an article is stored under u, in the shard or, as sv says, by
// any process.
func (r *run) hasArticle(ctx context.Context, u string, sv visits) (bool, error) {
	if v, ok := sv[lede.URLKey(u)]; ok && v.kind != lede.KindNotFound {
		return true, nil
	}
	return r.c.store.HasArticle(ctx, u)
}

// recordVisit records, for every process of a shared crawl, what the fetch of u brought when
// a re-run must know it: an article stored (rec; a, under its own and canonical URLs too) or
// a dead link.
func (r *run) recordVisit(ctx context.Context, u string, rec lede.FetchRecord, a *lede.Article) error {
	vr := r.visitRecord()
	if vr == nil || rec.Kind != lede.KindArticle && rec.Kind != lede.KindNotFound {
		return nil
	}
	key := lede.URLKey(u)
	v := visit{kind: rec.Kind, at: rec.LastFetch, depth: rec.Depth, status: rec.Status}
	if err := vr.Visit(ctx, key, v.encode(), false); err != nil {
		return err
	}
	if a == nil {
		return nil
	}
	done := map[string]bool{key: true}
	for _, other := range []string{a.URL, a.CanonicalURL} {
		k := lede.URLKey(other)
		if other == "" || done[k] {
			continue
		}
		done[k] = true
		if err := vr.Visit(ctx, k, visit{}.encode(), true); err != nil {
			return err
		}
	}
	return nil
}

// eachSharedRecord calls fn with the fetch record every URL of host recorded by any process
// of a shared crawl has (see requeue); none when the crawl is not shared.
func (r *run) eachSharedRecord(ctx context.Context, host string, fn func(lede.FetchRecord) error) error {
	vr := r.visitRecord()
	if vr == nil {
		return nil
	}
	return vr.EachVisit(ctx, host, func(u, s string) error {
		if v, ok := decodeVisit(s); ok && v.kind != "" {
			return fn(v.record(u))
		}
		return nil
	})
}
