// Package crawler fetches news sites politely with Colly, discovers articles through start
// pages, sitemaps, feeds and in-site links, and hands each page to extract and store.
//
// A crawl is a set of Sites run by Crawler.Run. Its URLs live in a lede.Frontier (the store's
// persistent queue, or a SharedFrontier such as crawler/redisfrontier's that several
// processes share), so a crawl killed half-way resumes where it stopped.
// One run has three kinds of goroutines:
//
//   - the dispatcher pops URLs from the Frontier into per-host queues;
//   - each host has up to its parallelism of workers, which check robots.txt and the store,
//     fetch through the host's Colly collector (whose RoundTripper waits for the host's next
//     request slot: pace.go) and parse the page once with extract (links, feeds, kind,
//     article all come from that parse);
//   - committers write each outcome in crash-safe order (discovered URLs, then the article
//     and its fetch record, then Done), sharing bbolt batches while the workers fetch on.
//
// Politeness: each host has its own Colly collector with one LimitRule for that host alone (a
// LimitRule is one semaphore for every host it matches). The delay between requests (the
// larger of the configured delay and robots.txt's Crawl-delay), kept between the moments
// requests are sent, Retry-After pauses and the circuit breaker are applied by the crawler
// with context-aware timers: Colly's LimitRule delay sleeps without looking at any context,
// so a Crawl-delay of 30 s would hold up shutdown for 30 s. robots.txt is fetched once per host by the crawler itself, which also
// reads its Sitemap lines; Colly's own robots check is off so the file is not fetched twice.
// A robots.txt that answers 5xx or 429, or not at all, keeps its host out of the run.
// In a crawl shared by several processes (shared.go), robots.txt is fetched once for all of
// them, a host's requests in flight are bounded across all of them (inflight.go), and so is
// its delay (WithHostClock); learned chrome is counted and read in the shared frontier.
//
// Re-runs (recheck.go): sitemap and feed entries never fetched are always queued; sections,
// listings and feeds known from earlier runs are queued again on an adaptive schedule kept
// in their fetch records, so nothing behind a front that answers 304 is missed.
//
// Article or front (pagekind.go): each page is decided with extract's Verdict (its body,
// links, metadata and URL) plus what only the crawl knows: whether a news sitemap or a feed
// listed it, whether it is in the menu of most of the host's pages, and the host's URL
// templates, learned from the run's confident decisions and kept in the store. Articles are
// stored; fronts are followed and recorded (the raw page of a doubtful one is kept for
// Reclassify); media pages without prose and soft 404s are recorded. Dead links
// (deadlinks.go): a URL that answered 404 or 410, or was a soft 404, is not fetched again for
// WithRetryDeadAfter unless a sitemap or feed lists it anew.
//
// Learned chrome (chrome.go): the blocks of every page fetched for the first time are
// fingerprinted and counted per host in the store (through a 16-page window per host that
// drops the blocks seen once). Blocks on chrome.MinShare of a host's pages, once
// chrome.MinPages were counted, are removed from its articles as the crawl goes on, never
// from the article's own paragraph run; at the end of a run the articles cleaned with an
// older set are cleaned again from their raw pages (chrome.RecleanWith; lede reclean runs chrome.Reclean).
package crawler
