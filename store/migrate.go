package store

import (
	"errors"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"lede"
)

// Schema versions:
//
//  1. The first layout.
//  2. idx_url keys are lede.URLKey of each URL, the form the crawler queues URLs in. Version
//     1 keyed them by a normalisation of the store's own, which re-encoded query strings
//     ("?q=a%20b" as "?q=a+b", "?amp" as "?amp="), kept a shorter list of tracking
//     parameters and lost an IPv6 host's brackets when a port followed. Most keys are the
//     same in both; an article keeps its ID whatever its key.
//
// A store of an older version is upgraded by migrate in the transaction that first opens it
// for writing. Opened read-only before that, it is read as it is: an article whose key
// changed is found by its ID, and by its URL once the store was upgraded.

// migrate upgrades a store of schema version from to SchemaVersion (the caller records the
// new version).
func migrate(tx *bolt.Tx, from int) error {
	if from < 2 {
		if err := migrateURLKeys(tx); err != nil {
			return err
		}
	}
	return nil
}

// migrateURLKeys re-keys the URL index. A version-1 key differs from the URLKey form of the
// URL it was made from only when that URL had a query string (re-encoded) or an IPv6 host
// with a port (mangled). So every key that is not in URLKey form is dropped (a lookup never
// asks for it), and for every such key and every key with a query string, the article it
// leads to gets the keys of its URL, canonical URL and listed aliases, and the key's own
// URLKey form (which stands for the aliases beyond those listed). A key already taken stays
// with its article.
func migrateURLKeys(tx *bolt.Tx) error {
	byURL := tx.Bucket(bucketByURL)
	var stale [][]byte
	var ids []string               // the articles to key again, once each
	again := map[string][]string{} // article ID → URLs of the keys found for it
	err := byURL.ForEach(func(k, v []byte) error {
		key, id := string(k), string(v)
		c, err := lede.Canonicalize(key)
		switch {
		case err != nil && !looksHTTP(key):
			return nil // not a web address: keyed as it is, then and now
		case err != nil || c != key:
			stale = append(stale, slices.Clone(k))
		case !strings.Contains(key, "?"):
			return nil
		}
		if _, ok := again[id]; !ok {
			ids = append(ids, id)
		}
		again[id] = append(again[id], key)
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range stale {
		if err := byURL.Delete(k); err != nil {
			return err
		}
	}
	add := func(u, id string) error {
		if u == "" {
			return nil
		}
		k := []byte(lede.URLKey(u))
		if _, err := lede.Canonicalize(string(k)); err != nil && looksHTTP(string(k)) {
			return nil // a key v1 mangled stays out
		}
		if byURL.Get(k) != nil {
			return nil
		}
		return byURL.Put(k, []byte(id))
	}
	for _, id := range ids {
		urls := again[id]
		rec, err := loadRecord(tx, id)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			urls = append(append([]string{rec.URL, rec.CanonicalURL}, rec.Aliases...), urls...)
		}
		for _, u := range urls {
			if err := add(u, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// looksHTTP reports whether s starts like an http(s) URL.
func looksHTTP(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}
