package crawler

import (
	"context"
	"errors"
	"fmt"
	"lede"

	"lede/chrome"
	"lede/extract"
	"lede/store"
)

// ReclassifyStore is what deciding stored fronts again needs from the store. *store.DB
// implements it.
type ReclassifyStore interface {
	HubPageStore
	HubPageURLs(ctx context.Context, site string) ([]string, error)
	GetFetch(ctx context.Context, url string) (rec lede.FetchRecord, ok bool, err error)
	PutFetch(ctx context.Context, rec lede.FetchRecord) error
	PutArticle(ctx context.Context, a *lede.Article, raw []byte) (store.PutResult, error)
	URLTemplates(ctx context.Context, host string) (map[string]lede.TemplateCount, error)
	HostChrome(ctx context.Context, host string, minPages int, minShare float64) (map[uint64]bool, error)
}

// ReclassifyResult is what Reclassify did to a site's fronts.
type ReclassifyResult struct {
	Site     string `json:"site"`
	Checked  int    `json:"checked"`  // fronts whose raw page was kept, decided again
	Articles int    `json:"articles"` // of which now articles: stored (or found already stored under another URL)
	Fronts   int    `json:"fronts"`   // still fronts
	Other    int    `json:"other"`    // now media pages or soft 404s (not stored; their record says so)
	Failed   int    `json:"failed"`   // pages that could not be decided again (reported through warn)
}

// Reclassify decides again, with the current rules and the site's learned URL templates and
// chrome, the pages of site judged fronts whose raw page the store kept (the doubtful ones:
// see hubKeepScore), and stores those now judged articles, with their fetch record updated.
// Fronts answering 304 are never fetched whole again, so this is how a better rule reaches
// them; a front fetched again by a crawl is decided again anyway. newArticle, when not nil,
// is told about every page stored.
func Reclassify(ctx context.Context, rs ReclassifyStore, site string, warn func(msg string, args ...any), newArticle func(url, reason string)) (ReclassifyResult, error) {
	if warn == nil {
		warn = func(string, ...any) {}
	}
	site = lede.NormalizeHost(site)
	res := ReclassifyResult{Site: site}
	urls, err := rs.HubPageURLs(ctx, site)
	if err != nil {
		return res, err
	}
	templates := map[string]Templates{}
	sets := map[string]chrome.Set{}
	for _, u := range urls {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		key := lede.SiteOf(u)
		if _, ok := templates[key]; !ok {
			t, err := LoadTemplates(ctx, rs, key)
			if err != nil {
				warn("learned URL templates not read", "host", key, "err", err)
			}
			templates[key] = t
			c, err := chrome.Load(ctx, rs, key)
			if err != nil {
				warn("learned chrome not read", "host", key, "err", err)
			}
			sets[key] = c
		}
		kind, reason, err := reclassifyOne(ctx, rs, u, templates[key], sets[key])
		switch {
		case err != nil:
			res.Failed++
			warn("front not decided again", "url", u, "err", err)
		case kind == lede.KindArticle:
			res.Checked++
			res.Articles++
			if newArticle != nil {
				newArticle(u, reason)
			}
		case kind == lede.KindHub:
			res.Checked++
			res.Fronts++
		case kind != "":
			res.Checked++
			res.Other++
		}
	}
	return res, nil
}

// reclassifyOne decides the kept page of u again and records the outcome; kind "" means the
// page no longer needed deciding (its record is not a front's any more).
func reclassifyOne(ctx context.Context, rs ReclassifyStore, u string, t Templates, set chrome.Set) (kind lede.Kind, reason string, err error) {
	defer func() {
		if p := recover(); p != nil { // one hostile page must not end the run
			kind, err = "", fmt.Errorf("extract panicked: %v", p)
		}
	}()
	rec, ok, err := rs.GetFetch(ctx, u)
	if err != nil {
		return "", "", err
	}
	raw, err := rs.HubPage(ctx, u)
	if errors.Is(err, store.ErrNotFound) {
		return "", "", nil
	}
	if err != nil {
		return "", "", err
	}
	if !ok || rec.Kind != lede.KindHub {
		return "", "", rs.DeleteHubPage(ctx, u) // decided otherwise since: the page is not needed
	}
	doc, err := extract.Parse(raw, u, set.Options()...)
	if err != nil {
		return "", "", err
	}
	v := Decide(doc, u, Signals{Via: lede.Via(rec.Via), Templates: t})
	rec.Reason = v.Reason()
	switch v.Kind {
	case lede.KindHub:
		return v.Kind, rec.Reason, rs.PutFetch(ctx, rec)
	case lede.KindMedia:
		rec.Kind = lede.KindMedia
	case lede.KindNotFound:
		rec.Kind = lede.KindNotFound
	case lede.KindArticle:
		art, err := doc.Article()
		if err != nil {
			return "", "", fmt.Errorf("no article: %w", err)
		}
		if art.URL == "" {
			art.URL = u
		}
		art.FetchedAt = rec.LastFetch
		if _, err := rs.PutArticle(ctx, art, raw); err != nil {
			return "", "", err
		}
		rec.Kind, rec.ArticleID, rec.ContentHash = lede.KindArticle, art.ID, art.ContentHash
	}
	if err := rs.PutFetch(ctx, rec); err != nil {
		return "", "", err
	}
	return v.Kind, rec.Reason, rs.DeleteHubPage(ctx, u)
}
