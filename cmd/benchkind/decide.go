package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"lede"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"lede/crawler"
	"lede/extract"
	"lede/store"
)

// decideOffline decides every page as lede extract does.
func decideOffline(pages []*page) []result {
	out := make([]result, 0, len(pages))
	for _, p := range pages {
		r := result{p: p}
		doc, err := extract.Parse(p.Body, p.URL)
		if err != nil {
			r.kind, r.reason = "error", err.Error()
		} else {
			v := crawler.Decide(doc, p.URL, crawler.Signals{})
			r.kind, r.reason, r.kept = string(v.Kind), v.Reason(), v.Kind == lede.KindArticle
		}
		out = append(out, r)
	}
	return out
}

// indexPath is where each loopback host serves the page linking all of its pages.
const indexPath = "/lede-benchkind-index.html"

// site is one original host served on loopback.
type site struct {
	host   string           // the original host
	pages  map[string]*page // canonical path?query → page
	order  []string         // the paths, in label order
	server *http.Server
	base   string // http://127.x.y.z:PORT, an address of its own
}

// decideCrawled serves every original host's pages on its own loopback server and crawls
// them all with lede's crawler into a temporary store.
func decideCrawled(ctx context.Context, pages []*page, withSitemap bool) ([]result, error) {
	sites := map[string]*site{}
	var hostOrder []string
	var dup []result
	for _, p := range pages {
		u, err := url.Parse(p.URL)
		if err != nil {
			dup = append(dup, result{p: p, kind: "error", reason: "bad URL"})
			continue
		}
		s := sites[u.Host]
		if s == nil {
			s = &site{host: u.Host, pages: map[string]*page{}}
			sites[u.Host] = s
			hostOrder = append(hostOrder, u.Host)
		}
		key := pathKey(u)
		if _, ok := s.pages[key]; ok {
			dup = append(dup, result{p: p, kind: "not served", reason: "another labelled page has the same URL"})
			continue
		}
		s.pages[key] = p
		s.order = append(s.order, key)
	}
	var starts []crawler.Site
	for i, h := range hostOrder {
		s := sites[h]
		if err := s.serve(i, withSitemap); err != nil {
			return nil, err
		}
		defer s.server.Close()
		cs := crawler.Site{Start: []string{s.base + indexPath}}
		if withSitemap {
			cs.Sitemaps = []string{s.base + "/lede-benchkind-sitemap.xml"}
		}
		starts = append(starts, cs)
	}
	dir, err := os.MkdirTemp("", "benchkind")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(filepath.Join(dir, "lede.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	// The real pages announce feeds on their original hosts: the crawl must not go out for
	// them, nor wait to retry them.
	tr := &http.Transport{DialContext: loopbackOnly}
	defer tr.CloseIdleConnections()
	c := crawler.New(db, db.Frontier(), crawler.WithDelay(0), crawler.WithParallelism(4), crawler.IgnoreRobots(true),
		crawler.WithMaxDepth(1), crawler.WithRetries(0, 0), crawler.WithCircuitBreaker(1, time.Second, 1), crawler.WithTransport(tr), crawler.WithLogger(slog.New(slog.DiscardHandler)))
	if _, err := c.Run(ctx, starts...); err != nil {
		return nil, fmt.Errorf("crawl: %w", err)
	}
	var out []result
	hosts := make([]string, 0, len(sites))
	for h := range sites {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	byPage := map[*page]result{}
	for _, h := range hosts {
		s := sites[h]
		for _, key := range s.order {
			p := s.pages[key]
			u, err := lede.Canonicalize(s.base + key)
			if err != nil {
				byPage[p] = result{p: p, kind: "error", reason: err.Error()}
				continue
			}
			rec, ok, err := db.GetFetch(ctx, u)
			switch {
			case err != nil:
				return nil, err
			case !ok:
				byPage[p] = result{p: p, at: u, kind: "not fetched", reason: "no fetch record for " + u}
			default:
				byPage[p] = result{p: p, at: u, kind: string(rec.Kind), reason: rec.Reason, kept: rec.Kind == lede.KindArticle}
			}
		}
	}
	for _, p := range pages {
		if r, ok := byPage[p]; ok {
			out = append(out, r)
		}
	}
	return append(out, dup...), nil
}

// pathKey is the path and query of u as the crawler will ask for them.
func pathKey(u *url.URL) string {
	c, err := lede.Canonicalize("http://x" + u.RequestURI())
	if err != nil {
		return u.RequestURI()
	}
	cu, _ := url.Parse(c)
	return cu.RequestURI()
}

// serve starts the site's loopback server: its pages at their original paths, the index
// page, and (withSitemap) a sitemap of all its pages. Site number i listens on a loopback
// address of its own (siteAddr), so that the crawler, which tells hosts apart by name without
// the port (as it learns URL templates and menus per host), sees one host per site.
func (s *site) serve(i int, withSitemap bool) error {
	ln, err := net.Listen("tcp", siteAddr(i)+":0")
	if err != nil {
		// Systems that answer on 127.0.0.1 only: the sites then share one host.
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return err
		}
	}
	s.base = "http://" + ln.Addr().String()
	mux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch key := pathKey(r.URL); {
		case r.URL.Path == indexPath:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			var b strings.Builder
			b.WriteString("<!DOCTYPE html><html><head><title>Index</title></head><body><ul>\n")
			for _, k := range s.order {
				// Absolute: a path beginning "//" (as some real URLs do) would read as a host.
				fmt.Fprintf(&b, "<li><a href=\"%s\">%s</a></li>\n", html.EscapeString(s.base+k), html.EscapeString(k))
			}
			b.WriteString("</ul></body></html>\n")
			io.WriteString(w, b.String())
		case withSitemap && r.URL.Path == "/lede-benchkind-sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			var b strings.Builder
			b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
			for _, k := range s.order {
				fmt.Fprintf(&b, "<url><loc>%s</loc></url>\n", html.EscapeString(s.base+k))
			}
			b.WriteString("</urlset>\n")
			io.WriteString(w, b.String())
		case s.pages[key] != nil:
			w.Header().Set("Content-Type", "text/html")
			w.Write(s.pages[key].Body)
		default:
			http.NotFound(w, r)
		}
	})
	s.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.server.Serve(ln)
	return nil
}

// siteAddr is the loopback address of site number i: 127.1.0.1, 127.1.0.2, … (all of
// 127.0.0.0/8 is loopback).
func siteAddr(i int) string {
	return fmt.Sprintf("127.1.%d.%d", i/250, i%250+1)
}

// loopbackOnly dials loopback addresses only: the crawl stays on the machine.
func loopbackOnly(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("benchkind: %s is not a loopback address", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}
