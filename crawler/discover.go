package crawler

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// maxGunzip bounds a decompressed sitemap (the sitemap protocol caps one file at 50 MB).
const maxGunzip = 64 << 20

// sitemapEntry is one <url> or <sitemap> of a sitemap file.
type sitemapEntry struct {
	Loc     string
	LastMod time.Time // zero when absent or unreadable
	Until   time.Time // the latest instant LastMod may stand for (see parseW3CDate)
	News    bool      // a Google News sitemap entry (<news:news>): an article
}

// sitemap is a parsed sitemap file: either an index of child sitemaps or a list of pages.
type sitemap struct {
	Index bool
	Items []sitemapEntry
}

// parseSitemap reads a sitemap, sitemap index or Google News sitemap, gzip-compressed or not.
// A document cut short returns the entries read so far along with the error.
func parseSitemap(body []byte) (*sitemap, error) {
	body, err := gunzipIfNeeded(body)
	if err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) { return r, nil }
	sm := &sitemap{}
	var (
		inEntry bool
		field   string // local name of the element whose text we read
		cur     sitemapEntry
		newsPub [2]time.Time // Google News publication date and its Until
		sawRoot bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(sm.Items) > 0 {
				return sm, fmt.Errorf("sitemap XML cut short after %d entries: %w", len(sm.Items), err)
			}
			return nil, fmt.Errorf("sitemap XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			switch {
			case !sawRoot:
				sawRoot = true
				switch name {
				case "sitemapindex":
					sm.Index = true
				case "urlset":
				default:
					return nil, fmt.Errorf("not a sitemap: root element <%s>", name)
				}
			case name == "url" || name == "sitemap":
				inEntry, cur, newsPub = true, sitemapEntry{}, [2]time.Time{}
			case inEntry && (name == "loc" || name == "lastmod" || name == "publication_date"):
				field = name
			case inEntry && name == "news":
				cur.News = true
			}
		case xml.CharData:
			if !inEntry || field == "" {
				continue
			}
			s := strings.TrimSpace(string(t))
			switch field {
			case "loc":
				cur.Loc += s
			case "lastmod":
				cur.LastMod, cur.Until = parseW3CDate(s)
			case "publication_date": // Google News sitemap
				newsPub[0], newsPub[1] = parseW3CDate(s)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "url", "sitemap":
				if inEntry && cur.Loc != "" {
					if cur.LastMod.IsZero() {
						cur.LastMod, cur.Until = newsPub[0], newsPub[1]
					}
					sm.Items = append(sm.Items, cur)
				}
				inEntry = false
			}
			field = ""
		}
	}
	if !sawRoot {
		return nil, fmt.Errorf("not a sitemap: no XML root element")
	}
	return sm, nil
}

// gunzipIfNeeded decompresses body when it starts with the gzip magic bytes.
func gunzipIfNeeded(body []byte) ([]byte, error) {
	if !IsGzip(body) {
		return body, nil
	}
	zr, err := Gunzipped(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, maxGunzip))
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	return out, nil
}

// parseW3CDate reads the date formats sitemaps use (zero when none fits) and returns with it
// the latest instant it may stand for. That is the time itself when it has one; a date
// without a time zone stands for the same clock time anywhere, and a date without a time
// (2026-03-04, 2026-03, 2026) for the whole day, month or year: until its end in the
// westernmost time zone (UTC−12), so that a date-only entry of today is never taken for one
// older than this morning's fetch.
func parseW3CDate(s string) (at, until time.Time) {
	const westmost = 12 * time.Hour // UTC−12 ends a day 12 hours after UTC does
	for _, f := range []struct {
		layout string
		span   func(time.Time) time.Time
	}{
		{time.RFC3339Nano, nil},
		{"2006-01-02T15:04Z07:00", nil},
		{"2006-01-02T15:04:05", func(t time.Time) time.Time { return t.Add(westmost) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1).Add(westmost) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0).Add(westmost) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0).Add(westmost) }},
	} {
		if t, err := time.Parse(f.layout, s); err == nil {
			if f.span == nil {
				return t, t
			}
			return t, f.span(t)
		}
	}
	return time.Time{}, time.Time{}
}

// feedEntry is one item of an RSS, Atom or JSON feed.
type feedEntry struct {
	Link string
	Date time.Time // updated, else published; zero when unknown
}

// parseFeed reads an RSS, Atom or JSON feed with gofeed.
func parseFeed(body []byte) ([]feedEntry, error) {
	body, err := gunzipIfNeeded(body)
	if err != nil {
		return nil, err
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	out := make([]feedEntry, 0, len(f.Items))
	for _, it := range f.Items {
		link := it.Link
		if link == "" && len(it.Links) > 0 {
			link = it.Links[0]
		}
		if link == "" {
			continue
		}
		e := feedEntry{Link: link}
		switch {
		case it.UpdatedParsed != nil:
			e.Date = *it.UpdatedParsed
		case it.PublishedParsed != nil:
			e.Date = *it.PublishedParsed
		}
		out = append(out, e)
	}
	return out, nil
}
