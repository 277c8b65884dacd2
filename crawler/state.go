package crawler

import (
	"context"

	"lede"
	"lede/store"
)

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
