// Package crawler fetches news sites politely with Colly, discovers articles through start
// pages, sitemaps, feeds and in-site links, and hands each page to extract and store.
package crawler
