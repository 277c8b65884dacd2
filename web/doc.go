// Package web is lede's browser UI and metrics endpoint: lede serve, lede schedule --serve
// and lede demo --serve. Its pages, rendered on the server with html/template (no script,
// no build step, nothing fetched from elsewhere: templates and stylesheet are embedded in
// the binary), answer what users of a news corpus ask every day:
//
//   - / (overview): articles per site and language, a chart of articles per day (inline
//     SVG), the last crawl runs with their counts, hosts with errors or paused;
//   - /site/{site}: the site's articles (newest first, paged), its fetch records by kind
//     (hubs and skipped pages with their reason, errors) and its learned chrome;
//   - /a/{id}: an article's clean text and metadata; /a/{id}/explain: every text block of
//     the stored page, each removed one struck out with the rule that removed it;
//     /a/{id}/raw and /a/{id}/json;
//   - /search: articles by words of their title or text (an in-memory index, corpus.go);
//   - /lookup?url=: why a URL is, or is not, in the corpus;
//   - /metrics: Prometheus text format (Metrics).
//
// It is a package of its own, beside cmd/lede rather than in it, because it is more than
// wiring: templates, an index kept up with the store, the explain view's matching of a
// page's blocks with what the extractor removed, metrics. It reads the store through the
// small Store interface (store.DB implements it) and never writes to it; Access decides
// when the file is open (per request, so a cron crawl is never kept out of it for long, or
// shared with a crawl of the same process).
//
// Stored text comes from the web: html/template escapes it everywhere, pages are served
// with a Content-Security-Policy that allows no script at all, and a stored page shown as
// it was (/a/{id}/raw) is sandboxed.
package web
