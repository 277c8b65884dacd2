package web

import (
	"cmp"
	"context"
	"fmt"
	"lede"
	"net/url"
	"slices"
	"sync"
	"time"

	"lede/chrome"
	"lede/extract"
)

// What a site page shows besides its articles: the fetch records of its URLs by kind (so
// "why is this page not in the corpus?" is one click) and the chrome learned from its pages.
// Both cost a walk of the store, so they are cached (see cache).

// fetchPreview is how many records of each kind a site page shows, the latest first; the
// kind's own page (/site/{site}/records/{kind}) lists them all, recordsPageSize a page.
const (
	fetchPreview    = 20
	recordsPageSize = 100
)

type fetchList struct {
	Kind    lede.Kind
	Records []lede.FetchRecord // the latest first
	Total   int                // records of this kind (more than Records in a preview)
}

type fetchSummary struct {
	Total int
	Kinds []countRow  // records per kind
	Lists []fetchList // hubs, feeds, sitemaps, skipped, errors
	Other []countRow  // kinds this lede does not know
	Hosts []string    // the host names (with ports) the records were found under
}

// list returns the records of kind (nil when there are none).
func (f *fetchSummary) list(kind lede.Kind) []lede.FetchRecord {
	for _, l := range f.Lists {
		if l.Kind == kind {
			return l.Records
		}
	}
	return nil
}

// listedKinds are the record kinds a site page lists, in order; articles are the articles.
var listedKinds = []lede.Kind{lede.KindError, lede.KindNotFound, lede.KindSkipped, lede.KindMedia,
	lede.KindHub, lede.KindFeed, lede.KindSitemap}

// fetchSummary walks the fetch records of site's URLs (http and https, with and without
// "www.", any port).
func (s *Server) fetchSummary(ctx context.Context, st Store, site string) (*fetchSummary, error) {
	key := "fetch " + site
	if sum, ok := s.cache.get(key, s.acc.version()); ok {
		return sum.(*fetchSummary), nil
	}
	version := s.acc.version() // before the walk: a write during it makes the next view read again
	sum := &fetchSummary{}
	kinds := map[string]int{}
	lists := map[lede.Kind][]lede.FetchRecord{}
	hosts := map[string]bool{}
	for _, prefix := range []string{"http://" + site, "https://" + site, "http://www." + site, "https://www." + site} {
		err := st.FetchRecords(ctx, prefix, func(rec lede.FetchRecord) error {
			// The prefix also matches other hosts ("site.example.org"): keep the site's.
			u, err := url.Parse(rec.URL)
			if err != nil || lede.NormalizeHost(u.Hostname()) != site {
				return nil
			}
			sum.Total++
			kinds[string(rec.Kind)]++
			hosts[u.Host] = true
			if slices.Contains(listedKinds, rec.Kind) {
				lists[rec.Kind] = append(lists[rec.Kind], rec)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, k := range append([]lede.Kind{lede.KindArticle}, listedKinds...) {
		if n := kinds[string(k)]; n > 0 {
			sum.Kinds = append(sum.Kinds, countRow{Name: string(k), Count: n})
		}
		delete(kinds, string(k))
	}
	sum.Other = sortedCounts(kinds)
	for _, k := range listedKinds {
		recs := lists[k]
		if len(recs) == 0 {
			continue
		}
		slices.SortFunc(recs, func(a, b lede.FetchRecord) int {
			if r := b.LastFetch.Compare(a.LastFetch); r != 0 {
				return r
			}
			return cmp.Compare(a.URL, b.URL)
		})
		sum.Lists = append(sum.Lists, fetchList{Kind: k, Records: recs, Total: len(recs)})
	}
	for h := range hosts {
		sum.Hosts = append(sum.Hosts, h)
	}
	slices.Sort(sum.Hosts)
	s.cache.put(key, version, sum)
	return sum, nil
}

// chromeView is what a site page shows of the chrome learned from the site's pages.
type chromeView struct {
	Pages        int      // pages counted
	Fingerprints int      // block fingerprints kept
	Learned      int      // blocks that are chrome (on enough of the pages)
	Blocks       []string // their text, as found on the site's latest stored pages
	MinPages     int
	MinShare     int // percent
}

// chromeSample is how many of a site's latest raw pages are read to find the text of its
// learned blocks (the store keeps fingerprints only). Chrome is on most pages, so the first
// page or two usually hold every block.
const chromeSample = 6

// chromeView reads the site's learned chrome and the text of its blocks.
func (s *Server) chromeView(ctx context.Context, st Store, site string, c *corpus) (chromeView, error) {
	v := chromeView{MinPages: chrome.MinPages, MinShare: int(chrome.MinShare * 100)}
	var err error
	if v.Pages, v.Fingerprints, err = st.ChromeStats(ctx, site); err != nil {
		return v, err
	}
	set, err := chrome.Load(ctx, st, site)
	if err != nil {
		return v, err
	}
	v.Learned = len(set)
	if len(set) == 0 {
		return v, nil
	}
	// Keyed by what it depends on: the pages counted and the size of the learned set.
	key := fmt.Sprintf("chrome %s %d %d", site, v.Pages, len(set))
	if blocks, ok := s.cache.get(key, fileVersion{valid: true}); ok {
		v.Blocks = blocks.([]string)
		return v, nil
	}
	found := map[uint64]bool{}
	latest, _ := c.siteEntries(site, 0, chromeSample)
	for _, e := range latest {
		page, err := st.Raw(ctx, e.ID)
		if err != nil {
			continue // stored without its page
		}
		d, err := extract.Parse(page, "")
		if err != nil {
			continue
		}
		for _, text := range d.TextBlocks() {
			if fp := lede.Fingerprint(text); set[fp] && !found[fp] {
				found[fp] = true
				v.Blocks = append(v.Blocks, text)
			}
		}
		if len(found) == len(set) {
			break
		}
	}
	s.cache.put(key, fileVersion{valid: true}, v.Blocks)
	return v, nil
}

// cache keeps a few computed views of the store. A value is fresh while the store file is
// unchanged, and for cacheFresh in any case: a store written all the time (a crawl of this
// process) or without a file name to watch is read again at most every few seconds.
type cache struct {
	mu sync.Mutex
	m  map[string]cached
}

type cached struct {
	value   any
	version fileVersion
	at      time.Time
}

// Cache limits: how long a value is fresh whatever the store does, and how many are kept
// (past it, the cache starts over).
const (
	cacheFresh = 3 * time.Second
	cacheSize  = 256
)

func (c *cache) get(key string, v fileVersion) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !(v.valid && e.version == v || time.Since(e.at) < cacheFresh) {
		return nil, false
	}
	return e.value, true
}

func (c *cache) put(key string, v fileVersion, value any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cacheSize {
		c.m = map[string]cached{}
	}
	c.m[key] = cached{value: value, version: v, at: time.Now()}
}
