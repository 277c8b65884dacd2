// Package crawler fetches news sites politely with Colly, discovers articles through start
// pages, sitemaps, feeds and in-site links, and hands each page to extract and store.
//
// A crawl is a set of Sites. The crawler keeps one Colly collector per host, with one
// LimitRule for that host alone (a LimitRule is one semaphore for every host it matches),
// and paces each host itself with context-aware timers: Colly's own LimitRule delay sleeps
// without looking at any context, so a Crawl-delay of 30 s would hold up shutdown for 30 s.
//
// URLs to fetch live in a Frontier (the store's persistent queue today), so a crawl killed
// half-way resumes where it stopped. Every page is parsed once by extract: its links, feeds,
// kind (article or hub) and clean article all come from that one parse.
package crawler
