// Package lede holds lede's domain: the types every part of the tool shares and the
// functions that say when two URLs, two texts or two blocks are the same. It imports none of
// lede's other packages; they import it, as Litestream's adapters import its root package.
//
//   - Article is one clean article, from extraction (package extract) to the store (package
//     store) and the corpus it exports.
//   - QueueItem and FetchRecord are the crawl's state of one URL: queued, then fetched. Their
//     Kind says what the URL is (a page, a sitemap, a feed; once fetched an article, a front,
//     a media page, a dead link...), one vocabulary for the queue, the fetch records and the
//     extractor's verdict. Via says which listing found a page.
//   - Outcome and StopReason are what a crawl did with each URL and why it ended.
//   - Frontier is the crawl's queue and visited set: the store's bbolt frontier implements
//     it, and so can another backend (Redis, for a crawl spread over machines) without
//     importing the store.
//
// Identity (url.go, text.go, hash.go): Canonicalize is the one form of a URL (an article is
// stored once under it), NormalizeHost and SiteOf name a URL's site, NormalizeText is the one
// comparison form of a text (Words its words, WordCount their number), and Fingerprint hashes
// a text block in that form.
package lede
