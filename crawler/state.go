package crawler

import (
	"context"

	"lede"
	"lede/store"
)

// A SharedFrontier is a lede.Frontier that several crawl processes use at once (a Redis one): a
// process pops a few items at a time, so that the others get their share, looks again now and
// then for items the others queued, and, when its own work is done, waits while the others
// hold leases, since their pages may queue more and a dead worker's leases come back.
type SharedFrontier interface {
	lede.Frontier
	// Others is the number of items not done that this process does not hold.
	Others(ctx context.Context) (int, error)
}

// Store is what the crawler needs from lede's store: articles and per-URL fetch records.
// *store.DB implements it.
type Store interface {
	PutArticle(ctx context.Context, a *lede.Article, raw []byte) (store.PutResult, error)
	HasArticle(ctx context.Context, url string) (bool, error)
	GetFetch(ctx context.Context, url string) (rec lede.FetchRecord, ok bool, err error)
	PutFetch(ctx context.Context, rec lede.FetchRecord) error
	// FetchRecords calls fn with each fetch record whose URL starts with prefix.
	FetchRecords(ctx context.Context, prefix string, fn func(lede.FetchRecord) error) error
}

// The store implements every interface.
var (
	_ lede.Frontier   = (*store.Frontier)(nil)
	_ Store           = (*store.DB)(nil)
	_ TemplateStore   = (*store.DB)(nil)
	_ HubPageStore    = (*store.DB)(nil)
	_ ReclassifyStore = (*store.DB)(nil)
)
