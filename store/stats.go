package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Stats summarises a store for `lede stats`.
type Stats struct {
	Path     string         `json:"path"`
	FileSize int64          `json:"file_size"`
	Articles int            `json:"articles"`
	BySite   map[string]int `json:"by_site"`
	ByLang   map[string]int `json:"by_lang"` // "" is articles without a language
	// HubsBySite counts the pages judged fronts (section, topic, tag pages, listings) per
	// site: followed, not stored. A site with many may be losing articles: see lede show URL.
	HubsBySite map[string]int `json:"hubs_by_site"`
	Oldest     time.Time      `json:"oldest,omitzero"` // published, else first-seen
	Newest     time.Time      `json:"newest,omitzero"`
	Fetches    int            `json:"fetch_records"`
	Queued     int            `json:"queued"`
	RawPages   int            `json:"raw_pages"`
	Schema     int            `json:"schema"` // the file's schema version (see SchemaVersion)
	// FreeBytes is the space in the file's free pages, which later writes reuse.
	FreeBytes int64 `json:"free_bytes"`
}

// SiteArticles returns how many articles of site the store holds: one counter read, where
// Stats walks every site's.
func (db *DB) SiteArticles(ctx context.Context, site string) (int, error) {
	n := 0
	err := db.view(ctx, func(tx *bolt.Tx) error {
		n = getCount(tx, countKey("site", site))
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("articles of %s in %s: %w", site, db.path, err)
	}
	return n, nil
}

// Stats counts the store's articles by site and language and reads its date range and size.
// It reads the counters kept on every write, so it costs the same for any corpus size.
func (db *DB) Stats(ctx context.Context) (*Stats, error) {
	s := &Stats{Path: db.path, BySite: map[string]int{}, ByLang: map[string]int{}, HubsBySite: map[string]int{}}
	if info, err := os.Stat(db.path); err == nil {
		s.FileSize = info.Size()
	}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCounts).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			kind, value, ok := bytes.Cut(k, []byte{0})
			if !ok {
				continue
			}
			switch string(kind) {
			case "site":
				s.BySite[string(value)] = int(getU64(v))
				s.Articles += int(getU64(v))
			case "lang":
				s.ByLang[string(value)] = int(getU64(v))
			case "hub":
				s.HubsBySite[string(value)] = int(getU64(v))
			}
		}
		tc := tx.Bucket(bucketByTime).Cursor()
		if k, _ := tc.First(); k != nil {
			s.Oldest = keyTime(k[:8])
		}
		if k, _ := tc.Last(); k != nil {
			s.Newest = keyTime(k[:8])
		}
		s.Fetches = getCount(tx, countFetch)
		s.Queued = getCount(tx, countQueue)
		s.RawPages = getCount(tx, countRaw)
		s.Schema, _ = strconv.Atoi(string(tx.Bucket(bucketMeta).Get(metaSchemaKey)))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("stats of %s: %w", db.path, err)
	}
	s.FreeBytes = int64(db.bolt.Stats().FreeAlloc)
	return s, nil
}
