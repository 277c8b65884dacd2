package extract

import (
	"lede"
	nurl "net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/publicsuffix"
)

// Link structure: a front links to many article-shaped pages of its site, with anchors as long
// as headlines, in its main region; an article links to few, most of them in boxes of their
// own (menus, header, footer, asides, related and most-read boxes, tickers). Parse notes every
// link by the region it sits in; linkStructure resolves them once, when a verdict asks.

// linkRegion is the part of the page a link sits in. Regions nest upwards only: inside a
// menu everything is menu, inside chrome everything is chrome or menu.
type linkRegion uint8

const (
	regionMain   linkRegion = iota // the page's own content
	regionChrome                   // header, footer, asides, related / most-read boxes, tickers
	regionNav                      // navigation menus
)

// Class and id cues of link boxes that are not the page's own content (see matchCue).
var (
	navCues        = newCueSet("nav", "navigation", "navbar", "menu", "mainmenu", "megamenu", "topnav", "sitenav", "subnav")
	linkChromeCues = newCueSet("header", "masthead", "footer", "sidebar", "aside", "related", "relatedarticles",
		"relatedposts", "relatedstories", "relatedcontent", "relatedlinks", "morestories", "mostread",
		"mostpopular", "mostviewed", "popular", "trending", "recommended", "recommendations", "readalso",
		"readmore", "readnext", "seealso", "alsoread", "ticker", "breaking", "marquee", "widget",
		"rail", "outbrain", "taboola", "breadcrumb", "breadcrumbs", "newsletter", "promo", "banner",
		"share", "social")
)

// regionOf says which region element n opens (regionMain: none).
func regionOf(n *html.Node) linkRegion {
	switch n.DataAtom {
	case atom.Nav, atom.Menu:
		return regionNav
	case atom.Header, atom.Footer, atom.Aside:
		return regionChrome
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "menubar", "menu":
		return regionNav
	case "banner", "contentinfo", "complementary":
		return regionChrome
	}
	cid := classID(n)
	if cid == "" {
		return regionMain
	}
	switch bits := cueBits(cid); {
	case bits&navCues.cueBit != 0:
		return regionNav
	case bits&linkChromeCues.cueBit != 0:
		return regionChrome
	}
	return regionMain
}

// pageLink is a link noted at Parse time for the link structure.
type pageLink struct {
	href    string
	text    string // anchor text, collapsed (menu links only)
	heading bool   // the link is a heading's (in one, or around one)
}

// Bounds on the links noted per page.
const (
	maxMainLinks = 400
	maxNavLinks  = 200
	// headlineWeight is the least anchor text (weighted characters, see textWeight) of a
	// headline: "Read more" is not one, "Dry spring cuts grain harvest forecast" is.
	headlineWeight = 25
)

// notePageLink notes an <a> of the body: menu links, and headline-long links of the page's
// own content.
func (d *Document) notePageLink(n *html.Node, href string, region linkRegion) {
	switch region {
	case regionNav:
		if len(d.navLinks) < maxNavLinks {
			d.navLinks = append(d.navLinks, pageLink{href: href, text: collapsedText(n)})
		}
	case regionMain:
		if len(d.mainLinks) < maxMainLinks && textWeight(textOf(n)) >= headlineWeight {
			d.mainLinks = append(d.mainLinks, pageLink{href: href, heading: inHeading(n) || hasHeading(n, 0)})
		}
	}
}

// linkFacts are what the link structure says.
type linkFacts struct {
	articleLinks int  // distinct pages of the same site (siteDomain), not this one, linked with a headline from the main region, their URL not front-shaped
	headingLinks int  // of which linked from a heading (<h1>–<h6>)
	childLinks   int  // of which below the page's own path (/shows/x → /shows/x/2024-05-10/slug)
	selfInNav    bool // the page's own URL is in its menu, under a name its title or headline carries
}

// linkStructure resolves the noted links (once).
func (d *Document) linkStructure() linkFacts {
	if d.linkInfo != nil {
		return *d.linkInfo
	}
	f := linkFacts{}
	d.linkInfo = &f
	if d.url == nil {
		return f
	}
	self := map[string]bool{pageKey(d.url): true}
	if c, err := nurl.Parse(d.canonical); err == nil && d.canonical != "" {
		self[pageKey(c)] = true
	}
	site := siteDomain(d.url)
	// The page's own path, as a folder: the pages below it are its children. (Not its
	// canonical's: some articles declare their section's front as their canonical.)
	folder := ""
	if p := strings.TrimSuffix(d.url.EscapedPath(), "/"); p != "" && d.url.RawQuery == "" {
		folder = p + "/"
	}
	seen := map[string]bool{}
	for _, l := range d.mainLinks {
		u := resolve(d.base, l.href)
		if u == nil || (u.Scheme != "http" && u.Scheme != "https") || siteDomain(u) != site {
			continue
		}
		k := pageKey(u)
		if self[k] || seen[k] {
			continue
		}
		seen[k] = true
		if shapeOf(u).Score >= 0 {
			f.articleLinks++
			if l.heading {
				f.headingLinks++
			}
			if folder != "" && strings.HasPrefix(u.EscapedPath(), folder) {
				f.childLinks++
			}
		}
	}
	title := lede.NormalizeText(d.meta.docTitle + " " + d.meta.h1)
	for _, l := range d.navLinks {
		u := resolve(d.base, l.href)
		if u == nil || !self[pageKey(u)] {
			continue
		}
		// A menu item's name is short: a link as long as a headline is a ticker's or a
		// trending bar's, where an article may list itself.
		if name := lede.NormalizeText(l.text); name != "" && textWeight(name) < headlineWeight && strings.Contains(title, name) {
			f.selfInNav = true
			break
		}
	}
	return f
}

// bareHost is a URL's host name, lower case, without "www.".
func bareHost(u *nurl.URL) string {
	return lede.NormalizeHost(u.Hostname())
}

// siteDomain is the registrable domain of a URL's host (news.example.co.uk →
// example.co.uk), or the host itself when it has none (an IP address, localhost): the unit
// of "the same site" for links, as a site's sections often live on subdomains.
func siteDomain(u *nurl.URL) string {
	h := bareHost(u)
	if d, err := publicsuffix.EffectiveTLDPlusOne(h); err == nil {
		return d
	}
	return h
}

// pageKey identifies a page for comparing links: host without "www.", path without a
// trailing slash, query; no scheme, port or fragment.
func pageKey(u *nurl.URL) string {
	p := strings.TrimSuffix(u.EscapedPath(), "/")
	k := bareHost(u) + p
	if u.RawQuery != "" {
		k += "?" + u.RawQuery
	}
	return k
}

// NavLinks returns the absolute http(s) URLs linked from the page's navigation menus
// (<nav>, role=navigation, menu classes), without fragments and duplicates: a crawl counts
// them per site, as a URL in the menu of most of a site's pages is a front.
func (d *Document) NavLinks() []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range d.navLinks {
		u := resolve(d.base, l.href)
		if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		if s := u.String(); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// inHeading reports whether n sits in a heading element.
func inHeading(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if isHeading(p) {
			return true
		}
		if p.DataAtom == atom.Body {
			return false
		}
	}
	return false
}

// hasHeading reports whether a heading element sits below n.
func hasHeading(n *html.Node, depth int) bool {
	if depth > maxDepth {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isHeading(c) || hasHeading(c, depth+1) {
			return true
		}
	}
	return false
}
