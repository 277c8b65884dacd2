// Package store keeps clean articles and the crawl state in one bbolt file.
//
// # Files and locking
//
// Open takes bbolt's file lock with a timeout (2s by default): a second process fails fast
// with ErrLocked ("lede.db is locked by another lede process") instead of hanging. MustExist
// and ReadOnly never create a missing file (ErrMissing). A file that is not a lede store — not
// bbolt, or bbolt without lede's meta bucket — is reported with ErrNotStore and never written
// to; a file from a newer schema is refused with ErrNewerSchema. Opening an existing store
// never writes to it, except once: a store of an older schema is upgraded in the transaction
// that first opens it for writing (migrate.go).
//
// # Damaged files
//
// bbolt trusts the file it maps, and panics or faults on a damaged page. lede does not: a
// damaged file gives a *CorruptError (ErrCorrupt) naming it, and is never written to. Open
// reads the meta pages, the root bucket's pages and the freelist with plain reads before
// bbolt maps the file, and refuses a file cut short (pages past its end), with a damaged meta
// page, or with a freelist bbolt could not load. Damage deeper in a bucket's tree is found by
// the first transaction that reaches it: every transaction runs with panic-on-fault and a
// recover (writes share transactions on a goroutine of the store's, not bbolt's Batch), and
// the first damage found fails that call and every later one. bbolt keeps no checksum of
// values: a stored value lede cannot decode (JSON, a raw page's gzip CRC) is damage too.
// Check walks every page with plain reads, runs bbolt's own check, then decodes every value;
// AllowDamaged opens a damaged file for it.
//
// # Writes
//
// PutArticle, ReplaceText, PutFetch, the frontier's Push, Done and Reset, AddBlockCounts,
// AddURLTemplates, PutHubPage and DeleteHubPage are batched as bbolt's Batch would:
// concurrent calls share one transaction (bounded by WithBatch; a lone writer commits at
// once), every commit is synced (never NoSync), and readers never see half an article.
//
// # Layout (schema version 2)
//
//	meta          "schema" → version, "created" → RFC 3339 time, "hubs-counted" → fronts counted
//	articles      id → article record (JSON: extract's fields, HTML, first-seen, aliases, SimHash)
//	raw           id → gzip of the original page, to clean stored articles again later
//	idx_url       lede.URLKey of each URL (canonical, fetched, aliases) → id
//	idx_hash      content hash → id
//	idx_time      time(published, else first-seen) + id → ∅
//	idx_seen      time(first-seen) + id → ∅
//	idx_site      site + 0x00 + time(published, else first-seen) + id → ∅
//	idx_simhash   band number + band bits + id → SimHash
//	counts        "site\x00<site>", "lang\x00<lang>" → article count; "hub\x00<site>" → fronts
//	              (fetch records of kind "hub"); "n\x00raw", "n\x00fetch",
//	              "n\x00queue" → raw pages, fetch records, queued items (Stats costs O(1))
//	fetch         URL → fetch record (JSON)
//	frontier      sequence → queue item (JSON), FIFO
//	frontier_set  URL → sequence, every URL queued since the last Reset
//	chrome        host → {"pages", "entries", fingerprint → count}, learned page chrome
//	url_templates host → {URL template → articles, fronts}, learned URL templates (urlshape.go)
//	hub_pages     site → {URL → time + gzip(raw page)}, doubtful fronts kept for lede reclassify
//	runs          time(start) + sequence → a crawl run's summary line (JSON), the last 1,000
//
// # Identity and duplicates
//
// An article's ID is the first 64 bits (hex) of the SHA-256 of its canonical URL in
// lede.URLKey form (an article stored before schema 2 keeps the ID it had).
// Its content hash is over the normalised words of its text (NFKC, lower case, Arabic letter
// variants folded, diacritics, tatweel and punctuation dropped), so the same text from
// another layout or charset hashes the same. Near-duplicates are found with a 64-bit SimHash
// over three-word shingles, looked up through a band index and confirmed by shingle overlap.
// A duplicate is not stored again: its URLs become aliases of the stored article.
//
// # Reading
//
// Articles (and Export on top of it) walks the time or site index in pages of 64 articles,
// one short read transaction per page, so memory stays constant and writers are never held
// up. ArticlesSeenAfter walks the first-seen index the same way from a cursor, so a reader
// can keep up with a growing store (lede serve's search index). After each page, and at the
// end of any transaction or write of a batch once the process's file-backed resident memory
// has grown by 4 MB since the last time (a crawl's frontier and fetch records as well as its
// articles), the store gives back the file pages it touched through bbolt's memory map
// (madvise on Linux), so the resident set does not grow with the corpus either.
package store
