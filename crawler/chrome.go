package crawler

import (
	"context"
	"maps"
	"time"

	"lede"
	"lede/chrome"
)

// Learning chrome during a crawl (package chrome holds what it is and how it is read). Every
// HTML page the crawler fetches for the first time has the fingerprints of its text blocks
// counted per host in the store (extract's Document.BlockFingerprints; a window of pages per
// host, then the store's AddBlockCounts). The crawler removes a host's learned chrome from
// its articles as it goes (chrome.Set.Options; the article's own paragraph run is never
// touched), and at the end of a run cleans again, from their raw pages, the host's stored
// articles that were cleaned with another set than the final one.

// hostChrome is what a run knows of one host's chrome.
type hostChrome struct {
	set        chrome.Set
	digest     uint64
	loadedAt   int // pages counted by this run when set was loaded
	counted    int // pages counted by this run
	storePages int // pages the store had counted when set was loaded
	// Reclean at the end of the run: start is the digest of the set first read, which the
	// host's articles stored before this run were cleaned with (earlier says there are
	// some); cleaned lists this run's stored articles and the digests they were cleaned
	// with, up to maxCleanedListed (overflow: more).
	start    uint64
	startSet chrome.Set
	earlier  bool
	cleaned  []cleanedArticle
	overflow bool
}

// chromeReload is how many newly counted pages make a run read a host's chrome again:
// a tenth of the pages counted, at least 8.
func chromeReload(storePages int) int { return max(8, storePages/10) }

// learnsChrome reports whether this run learns chrome: the option is on and the store can.
func (r *run) learnsChrome() bool {
	_, ok := r.c.store.(chrome.Store)
	return ok && r.c.cfg.learnChrome
}

// chromeFor returns the learned chrome to clean a page of host key with (nil when the
// store does not learn chrome), reading it again from the store when enough pages were
// counted since.
func (r *run) chromeFor(key string) (chrome.Set, uint64) {
	cs := r.chromeCounts()
	if !r.learnsChrome() || key == "" {
		return nil, 0
	}
	r.chromeMu.Lock()
	defer r.chromeMu.Unlock()
	hc := r.chrome[key]
	if hc != nil && hc.counted-hc.loadedAt < chromeReload(hc.storePages) {
		return hc.set, hc.digest
	}
	var start chrome.Set
	if hc != nil {
		start = hc.startSet
	}
	set, err := chrome.LoadKeeping(r.storeCtx, cs, key, start)
	if err != nil {
		r.log.Warn("learned chrome not read", "host", key, "err", err)
		if hc != nil {
			return hc.set, hc.digest
		}
		set = chrome.Set{}
	}
	pages, _, _ := cs.ChromeStats(r.storeCtx, key)
	if hc == nil {
		hc = &hostChrome{start: set.Digest(), startSet: set, earlier: true}
		r.chrome[key] = hc
		if sr, ok := r.c.store.(interface {
			SiteArticles(context.Context, string) (int, error)
		}); ok {
			if n, err := sr.SiteArticles(r.storeCtx, key); err == nil {
				hc.earlier = n > 0
			}
		}
	} else if d := set.Digest(); d != hc.digest {
		r.log.Info("learned chrome updated", "host", key, "pages", pages, "blocks", len(set))
	}
	hc.set, hc.digest, hc.loadedAt, hc.storePages = set, set.Digest(), hc.counted, pages
	return hc.set, hc.digest
}

// Page block counts reach the store through a window per host: windowPages pages are
// counted in memory, then written at once, leaving out the fingerprints found on a single
// page of a full window. Those are the article's own sentences, most of every page's blocks;
// a block on chrome.MinShare of a host's pages is on many pages of every window. Writing only
// the repeated ones keeps the store's work per page small and the per-host counts far from
// their cap. Windows are written when full, when all hosts together hold maxBufferedPages
// pages, and at the end of the run (a crawl killed outright loses its open windows' counts:
// at most windowPages pages of each host).
const (
	windowPages      = 16
	maxBufferedPages = 256
)

// blockWindow is the block counts of a host's pages not yet written to the store.
type blockWindow struct {
	pages  int
	counts map[uint64]int
}

// countPage adds one page's block fingerprints to its host's window, writing windows that
// are due.
func (r *run) countPage(key string, fps []uint64) {
	if !r.learnsChrome() || key == "" || len(fps) == 0 {
		return
	}
	due := map[string]*blockWindow{}
	r.chromeMu.Lock()
	w := r.windows[key]
	if w == nil {
		w = &blockWindow{counts: map[uint64]int{}}
		r.windows[key] = w
	}
	w.pages++
	r.buffered++
	for _, fp := range fps {
		w.counts[fp]++
	}
	if w.pages >= windowPages {
		due[key] = w
	}
	if r.buffered >= maxBufferedPages {
		maps.Copy(due, r.windows)
	}
	for k, w := range due {
		delete(r.windows, k)
		r.buffered -= w.pages
	}
	r.chromeMu.Unlock()
	for k, w := range due {
		r.writeWindow(k, w)
	}
}

// flushWindows writes every host's open window.
func (r *run) flushWindows() {
	r.chromeMu.Lock()
	due := r.windows
	r.windows, r.buffered = map[string]*blockWindow{}, 0
	r.chromeMu.Unlock()
	for k, w := range due {
		r.writeWindow(k, w)
	}
}

// writeWindow adds a window's counts to the store in one transaction. In a window of half
// its size or more, fingerprints seen on a single page are left out.
func (r *run) writeWindow(key string, w *blockWindow) {
	if w.pages >= windowPages/2 {
		maps.DeleteFunc(w.counts, func(_ uint64, n int) bool { return n < 2 })
	}
	cs := r.chromeCounts()
	if local, _ := r.c.store.(chrome.Store); local != cs {
		// A shared crawl's counts are the crawl's; the store keeps its own pages' too, for
		// lede stats and lede reclean on this shard.
		if err := local.AddBlockCounts(r.storeCtx, key, w.pages, w.counts); err != nil {
			r.log.Warn("page blocks not counted in the store", "host", key, "err", err)
		}
	}
	if err := cs.AddBlockCounts(r.storeCtx, key, w.pages, w.counts); err != nil {
		r.log.Warn("page blocks not counted", "host", key, "err", err)
		return
	}
	r.chromeMu.Lock()
	if hc := r.chrome[key]; hc != nil {
		hc.counted += w.pages
	}
	r.chromeMu.Unlock()
}

// cleanedArticle is an article stored in this run and the digest of the chrome it was
// cleaned with.
type cleanedArticle struct {
	id     string
	digest uint64
}

// maxCleanedListed bounds how many stored articles a run lists per host for recleaning;
// beyond, the host's whole store is checked.
const maxCleanedListed = 100_000

// cleanedWith notes that article id of host key was stored cleaned with chrome digest d.
func (r *run) cleanedWith(key, id string, d uint64) {
	r.chromeMu.Lock()
	if hc := r.chrome[key]; hc != nil {
		if len(hc.cleaned) < maxCleanedListed {
			hc.cleaned = append(hc.cleaned, cleanedArticle{id, d})
		} else {
			hc.overflow = true
		}
	}
	r.chromeMu.Unlock()
}

// recleanChanged cleans again, at the end of a run, the stored articles of each host that
// were cleaned with another chrome than the host's final learned set: this run's articles
// stored with an older set and, when the set changed during the run, the host's articles
// stored before it. With onlyReport, it logs which hosts need it (lede reclean) instead.
func (r *run) recleanChanged(ctx context.Context, onlyReport bool) {
	rs, ok := r.c.store.(chrome.RecleanStore)
	if !ok || !r.c.cfg.learnChrome {
		return
	}
	type job struct {
		set chrome.Set
		all bool     // every stored article of the host
		ids []string // else these
	}
	jobs := map[string]job{}
	r.chromeMu.Lock()
	for key, hc := range r.chrome {
		set, err := chrome.LoadKeeping(ctx, r.chromeCounts(), key, hc.startSet)
		if err != nil {
			r.log.Warn("learned chrome not read", "host", key, "err", err)
			continue
		}
		d := set.Digest()
		j := job{set: set, all: hc.overflow || (hc.earlier && hc.start != d)}
		if !j.all {
			for _, c := range hc.cleaned {
				if c.digest != d {
					j.ids = append(j.ids, c.id)
				}
			}
		}
		if j.all || len(j.ids) > 0 {
			jobs[key] = j
		}
	}
	r.chromeMu.Unlock()
	for key, j := range jobs {
		if onlyReport {
			r.log.Warn("articles were stored with an older learned chrome; to clean them again run: lede reclean --site "+key, "host", key)
			continue
		}
		start := time.Now()
		var res chrome.RecleanResult
		var err error
		if j.all {
			res, err = chrome.RecleanWith(ctx, rs, key, j.set, r.log.Warn)
		} else {
			res, err = chrome.RecleanIDs(ctx, rs, key, j.ids, j.set, r.log.Warn)
		}
		if err != nil {
			r.log.Warn("stored articles not cleaned again", "host", key, "err", err)
		}
		r.log.Info("cleaned stored articles again with learned chrome", "host", key, "blocks", len(j.set),
			"checked", res.Checked, "updated", res.Updated, "kept", res.Kept, "elapsed", time.Since(start).Round(time.Millisecond))
		r.mu.Lock()
		for name, c := range r.summary.Hosts {
			if lede.SiteOf(name) == key {
				c.Recleaned += res.Updated
				break
			}
		}
		r.mu.Unlock()
	}
}
