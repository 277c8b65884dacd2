package chrome

import (
	"context"
	"errors"
	"fmt"

	"lede"
	"lede/extract"
	"lede/store"
)

// RecleanStore is what cleaning stored articles again needs from the store. *store.DB
// implements it.
type RecleanStore interface {
	Source
	Articles(ctx context.Context, f store.Filter, fn func(*lede.Article) error) error
	Raw(ctx context.Context, idOrURL string) ([]byte, error)
	Get(ctx context.Context, idOrURL string) (*lede.Article, error)
	ReplaceText(ctx context.Context, id, text, htmlText string) (bool, error)
}

// RecleanResult is what Reclean did to a site's stored articles.
type RecleanResult struct {
	Site         string `json:"site"`
	ChromeBlocks int    `json:"chrome_blocks"` // learned chrome blocks of the site's host
	Checked      int    `json:"checked"`       // stored articles looked at
	Updated      int    `json:"updated"`       // articles whose text was replaced (same ID)
	Unchanged    int    `json:"unchanged"`     // articles whose text came out the same
	Kept         int    `json:"kept"`          // articles left as they were: no raw page, or the new text is not the old one minus some blocks
}

// Reclean extracts the stored articles of site again from their raw pages, removing the
// learned chrome of the host each was fetched from, and replaces an article's text in place
// (same ID) when it changed. While nothing is learned for site it does nothing. An article
// whose raw page is missing, whose page yields no article, or whose new text is not the old
// text minus some blocks (another extractor version, a charset only the lost HTTP header
// named) is kept as it was. warn (may be nil) is told about each article that failed.
func Reclean(ctx context.Context, rs RecleanStore, site string, warn func(msg string, args ...any)) (RecleanResult, error) {
	cache := map[string]Set{}
	var loadErr error
	chromeOf := func(host string) Set {
		if set, ok := cache[host]; ok {
			return set
		}
		set, err := Load(ctx, rs, host)
		if err != nil && loadErr == nil {
			loadErr = err
		}
		cache[host] = set
		return set
	}
	res, err := recleanSite(ctx, rs, site, chromeOf, warn)
	if err == nil {
		err = loadErr
	}
	return res, err
}

// RecleanWith is Reclean with set as the chrome of every article of site (the crawler's
// final set of a host, at the end of a run).
func RecleanWith(ctx context.Context, rs RecleanStore, site string, set Set, warn func(msg string, args ...any)) (RecleanResult, error) {
	return recleanSite(ctx, rs, site, func(string) Set { return set }, warn)
}

// RecleanIDs is RecleanWith for the articles ids of site only.
func RecleanIDs(ctx context.Context, rs RecleanStore, site string, ids []string, set Set, warn func(msg string, args ...any)) (RecleanResult, error) {
	res := RecleanResult{Site: lede.NormalizeHost(site), ChromeBlocks: len(set), Checked: len(ids)}
	err := recleanEach(ctx, rs, ids, func(string) Set { return set }, warn, &res)
	return res, err
}

// recleanSite is Reclean with the chrome of each article's host given by chromeOf.
func recleanSite(ctx context.Context, rs RecleanStore, site string, chromeOf func(host string) Set, warn func(msg string, args ...any)) (RecleanResult, error) {
	site = lede.NormalizeHost(site)
	res := RecleanResult{Site: site, ChromeBlocks: len(chromeOf(site))}
	if res.ChromeBlocks == 0 {
		return res, nil // nothing learned: the articles are as clean as extraction makes them
	}
	// Only an article with a line of learned chrome in its text can change (see InText):
	// the others are checked on the way and never extracted again.
	var ids []string
	err := rs.Articles(ctx, store.Filter{Site: site}, func(a *lede.Article) error {
		res.Checked++
		if chromeOf(lede.SiteOf(a.URL)).InText(a.Text) {
			ids = append(ids, a.ID)
		} else {
			res.Unchanged++
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("articles of %s: %w", site, err)
	}
	err = recleanEach(ctx, rs, ids, chromeOf, warn, &res)
	return res, err
}

// recleanEach cleans the articles ids again and counts the outcomes in res.
func recleanEach(ctx context.Context, rs RecleanStore, ids []string, chromeOf func(host string) Set, warn func(msg string, args ...any), res *RecleanResult) error {
	if warn == nil {
		warn = func(string, ...any) {}
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		changed, err := recleanOne(ctx, rs, id, chromeOf)
		switch {
		case errors.Is(err, errKeep):
			res.Kept++
		case err != nil:
			res.Kept++
			warn("article not cleaned again", "id", id, "err", err)
		case changed:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	return nil
}

// errKeep says an article is better left as it is.
var errKeep = errors.New("kept as stored")

// recleanOne cleans one stored article again.
func recleanOne(ctx context.Context, rs RecleanStore, id string, chromeOf func(host string) Set) (changed bool, err error) {
	defer func() {
		// One hostile page must not end the reclean (nor the crawl it closes).
		if p := recover(); p != nil {
			changed, err = false, fmt.Errorf("extract panicked: %v", p)
		}
	}()
	old, err := rs.Get(ctx, id)
	if err != nil {
		return false, err
	}
	pageURL := old.URL
	set := chromeOf(lede.SiteOf(pageURL))
	if !set.InText(old.Text) {
		return false, nil // no line of it is learned chrome: extracting again changes nothing
	}
	raw, err := rs.Raw(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, errKeep
	}
	if err != nil {
		return false, err
	}
	a, err := extract.Extract(raw, pageURL, set.Options()...)
	if err != nil {
		return false, errKeep // the page gave an article once; it may have been a lucky parse
	}
	if a.Text == old.Text {
		return false, nil
	}
	// Cleaning removes (or, once a block is no longer chrome, restores) whole blocks; any
	// other difference means the page no longer extracts as it did, and the stored text
	// stays. Neither is more than half of the article ever removed.
	if !(onlyRemoved(old.Text, a.Text) || onlyRemoved(a.Text, old.Text)) || 2*len(lede.Words(a.Text)) < len(lede.Words(old.Text)) {
		return false, errKeep
	}
	return rs.ReplaceText(ctx, id, a.Text, a.HTML)
}

// onlyRemoved reports whether the words of text are the words of old with some removed:
// every word of text, in order, is found in old (cleaning removes blocks, never adds).
func onlyRemoved(old, text string) bool {
	ow, nw := lede.Words(old), lede.Words(text)
	if len(nw) == 0 || len(nw) > len(ow) {
		return false
	}
	i := 0
	for _, w := range nw {
		for i < len(ow) && ow[i] != w {
			i++
		}
		if i == len(ow) {
			return false
		}
		i++
	}
	return true
}
