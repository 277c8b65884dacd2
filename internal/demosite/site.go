// Package demosite is the small news site `lede demo` serves on loopback: a front page, two
// section fronts, Arabic and English articles wrapped in the chrome lede strips (skip links,
// a text-size selector, captions shown twice, share bars, related and most-read boxes,
// newsletter and cookie prompts), an RSS feed, a sitemap and robots.txt. One Arabic article
// is encoded in windows-1256 and declares it only in a <meta> tag.
//
// The files are embedded, so the demo works from any directory and without the network.
package demosite

import (
	"bytes"
	"embed"
	"net/http"
	"path"
	"strings"
)

//go:embed index.html robots.txt rss.xml sitemap.xml world arabic news
var files embed.FS

// Handler serves the site. In robots.txt, the feed and the sitemap, {{BASE}} becomes the
// scheme and host the request was made to.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name == "" || strings.HasSuffix(r.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		body, err := files.ReadFile(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		switch path.Ext(name) {
		case ".html":
			if bytes.Contains(body[:min(len(body), 1024)], []byte("windows-1256")) {
				w.Header().Set("Content-Type", "text/html") // the charset is only in <meta>
			} else {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
			}
		case ".xml":
			w.Header().Set("Content-Type", "application/xml")
			if name == "rss.xml" {
				w.Header().Set("Content-Type", "application/rss+xml")
			}
		default:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}
		if path.Ext(name) != ".html" {
			body = bytes.ReplaceAll(body, []byte("{{BASE}}"), []byte("http://"+r.Host))
		}
		w.Write(body)
	})
}
