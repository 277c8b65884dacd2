package extract

import (
	"lede"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Metadata keys of the publication and modification dates, in order of trust.
var (
	publishedKeys = []string{"article:published_time", "og:published_time", "datepublished",
		"og:article:published_time", "article.published", "parsely-pub-date", "sailthru.date",
		"pubdate", "publishdate", "publish-date", "publish_date", "date", "dc.date", "dc.date.issued",
		"dcterms.created", "dcterms.date", "dcterms.issued", "citation_publication_date",
		"citation_date", "originalpublicationdate", "displaydate", "article_date_original"}
	modifiedKeys = []string{"article:modified_time", "og:updated_time", "datemodified",
		"og:article:modified_time", "article.updated", "dcterms.modified", "last-modified",
		"lastmod", "revised"}
)

// metadata is what Article reads of the page's metadata before readability mutates the
// tree: the headline, the byline and the dates, from the structured metadata and from what
// the page shows around its headline.
type metadata struct {
	title               string
	bylines             [][][]authorName // tiers of sources of names, most trusted first (see byline)
	orgBylines          [][]authorName   // the sources again, those read off the page first
	bylineTexts         []string         // the byline texts as printed, for removing the byline line from the text
	published, modified time.Time
}

// readMetadata gathers the title, byline and dates. siteName is the page's own name, kept
// out of titles and, while a person is named, out of bylines.
func (d *Document) readMetadata(siteName string) metadata {
	m := &d.meta
	pageURL := ""
	if d.url != nil {
		pageURL = d.url.String()
	}
	lang := m.declaredLang()
	v := d.readVisible()
	var md metadata
	title, node := d.headline(v, "", siteName)
	md.title = title
	var around []string
	var lead string
	headSeq := 0
	if node != nil {
		before, after, l := linesAround(node)
		lead = l
		for _, h := range v.headlines {
			if h.node == node {
				headSeq = h.seq
				// The headline element's other lines ("編集委員 中沢克二" under the headline).
				for _, l := range h.lines {
					if l != title {
						around = append(around, l)
					}
				}
			}
		}
		around = append(append(around, after...), before...)
		// A credit opening the body in brackets: "〔記者巫其倫／台北報導〕…", "[By Jane Doe] …".
		if b := leadBracket(lead); b != "" {
			around = append(around, b)
		}
	}

	// Byline sources: JSON-LD, the "By ..." line under the headline, rel=author and
	// itemprop=author elements; then the author metas (often the site's); then byline-
	// classed elements.
	o := d.outlet(siteName)
	var ld []authorName
	for _, au := range m.ld.Authors {
		names := splitByline(au.Name, o, false)
		for _, n := range names {
			n.org = n.org || au.Org
			if au.Person && len(names) == 1 && o.exactly(n.name) && strings.Contains(n.name, " ") && !strings.Contains(n.name, ".") {
				n.org = false // a Person named like the site: a personal site
			}
			if accountName(n.name) && !v.shown(n.name) {
				continue // a CMS account ("redaktion1", "webdesk"), not shown as a credit
			}
			ld = append(ld, n)
		}
	}
	head := ancestors(node)
	var rel, classed []authorCand
	for _, c := range v.authors {
		if offArticle(c.node, head) {
			continue
		}
		if c.rel {
			rel = append(rel, c)
		} else {
			classed = append(classed, c)
		}
	}
	line, lineText := bylineLine(around, o)
	source := sourceOf(around)
	if source == nil {
		source = sourceOf(v.dateLinesFrom(headSeq, head)) // "来源：中国日报网 2023-11-17" in an info line
	}
	md.bylineTexts = append(md.bylineTexts, lineText)
	for _, au := range m.ld.Authors {
		md.bylineTexts = append(md.bylineTexts, au.Name)
	}
	md.bylineTexts = append(md.bylineTexts, m.authors...)
	for _, c := range v.authors {
		md.bylineTexts = append(md.bylineTexts, c.text)
	}
	relNames := nearHeadline(rel, headSeq, func(t string) []authorName { return splitByline(t, o, false) })
	classedNames := nearHeadline(classed, headSeq, func(t string) []authorName { return splitByline(t, o, true) })
	// The author metas often name the site, an account or an editor: only names the page
	// shows count.
	var metaNames []authorName
	for _, n := range namesOf(m.authors, o, false) {
		if v.shown(n.name) {
			metaNames = append(metaNames, n)
		}
	}
	md.bylines = [][][]authorName{{ld, line, relNames}}
	if len(line) == 0 {
		// The author metas and byline-classed elements only when the page prints no byline
		// line of its own (an agency's, say) under the headline.
		md.bylines = append(md.bylines, []([]authorName){metaNames}, []([]authorName){classedNames})
	}
	// An organisation is the byline only when it is not the site itself (which publishes
	// everything it hosts), unless a byline line or the lines around the headline print it
	// ("November 19, 2019 / 10:07 AM / CBS News").
	shownNear := strings.ToLower(strings.Join(around, " | "))
	md.orgBylines = [][]authorName{line, source, notOutlet(relNames, o, shownNear), notOutlet(classedNames, o, shownNear),
		notOutlet(ld, o, shownNear), notOutlet(metaNames, o, shownNear)}

	d.readDates(&md, v, headSeq, head, around, lead, lang, pageURL)
	return md
}

// readDates reads the publication and modification dates. The structured metadata gives the
// moment; the day a reader sees — the date line around the headline, else the URL's day —
// decides the day: a structured date one day off it is the same moment written in UTC
// (kept, shown in a zone that puts it on the day read), one further off is another date
// (a creation or first-indexing date) and the day read wins. Without either, date-classed
// elements of the article, its <time> elements and the page's title give the date.
func (d *Document) readDates(md *metadata, v *visibleMeta, headSeq int, head map[*html.Node]bool, around []string, lead, lang, pageURL string) {
	m := &d.meta
	md.published = firstDate(m.ld.Published, m.get(publishedKeys...), m.itemprop["datepublished"])
	md.modified = firstDate(m.ld.Modified, m.get(modifiedKeys...), m.itemprop["datemodified"])
	var shownPub, shownMod time.Time
	for _, l := range around {
		pub, mod := lineDates(l, lang)
		if shownPub.IsZero() {
			shownPub = pub
		}
		if shownMod.IsZero() {
			shownMod = mod
		}
	}
	if shownPub.IsZero() && headSeq > 0 {
		// A date-marked element close after the headline is shown with it too.
		for _, l := range v.dateLines {
			if l.seq > headSeq && l.seq-headSeq <= nearHeadlineSpan && lede.WordCount(l.text) <= maxDateLineWords && !offArticle(l.node, head) {
				if shownPub, _ = lineDates(l.text, lang); !shownPub.IsZero() {
					break
				}
			}
		}
	}
	// The URL's day wins over the shown one when the metadata gives the URL's day: the
	// line under the headline then shows the update ("November 28 -- Updated 0203 GMT").
	day, fromURL := shownPub, time.Time{}
	if pageURL != "" {
		fromURL = urlDate(pageURL)
	}
	if !fromURL.IsZero() && (day.IsZero() || sameDay(md.published, fromURL)) {
		day = fromURL
	}
	md.published = onDay(md.published, day)
	if md.modified.IsZero() {
		md.modified = shownMod
	}
	md.readDateLines(v.dateLinesFrom(headSeq, head), lang)
	for _, t := range v.times {
		dt := parseDate(t.datetime)
		if !plausibleDate(dt) || offArticle(t.node, head) {
			continue
		}
		if t.modified && md.modified.IsZero() {
			md.modified = dt
		} else if !t.modified && md.published.IsZero() {
			md.published = dt
		}
	}
	// Last, a dateline opening the body ("Feb. 23, 2015 -- Life-threatening …"), then a
	// date in the page's title ("Headline | DW | 23.05.2011").
	if md.published.IsZero() {
		md.published = leadDate(lead, lang)
	}
	for _, t := range []string{m.get("og:title"), m.docTitle} {
		if md.published.IsZero() {
			md.published, _ = lineDates(t, lang)
		}
	}
}

// sameDay reports whether a and b fall on the same calendar day, each in its own zone.
func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// nearDay reports whether t falls on day, or does in a zone within 12 hours of UTC (the
// same moment written in UTC while the page keeps local time).
func nearDay(t, day time.Time) bool {
	return !t.IsZero() && !day.IsZero() && sameDay(onDay(t, day), day) && onDay(t, day).Equal(t)
}

// onDay combines a date with the day a reader sees (zero when unknown). Without a date, the
// day is the date. A date on that day, or one day off it (the same moment written in UTC
// while the page shows local time), is kept, in the nearest whole-hour zone that puts it
// on the day; a date further off gives way to the day.
func onDay(t, day time.Time) time.Time {
	if day.IsZero() {
		return t
	}
	if t.IsZero() {
		return day
	}
	y, m, d := day.Date()
	if ty, tm, td := t.Date(); ty == y && tm == m && td == d {
		return t
	}
	for h := 1; h <= 14; h++ {
		for _, off := range []int{-h, h} {
			if off < -12 {
				continue
			}
			z := t.In(time.FixedZone("", off*3600))
			if zy, zm, zd := z.Date(); zy == y && zm == m && zd == d {
				return z
			}
		}
	}
	return day
}

// readDateLines fills the dates still unknown from date lines, the first line first.
func (md *metadata) readDateLines(lines []string, lang string) {
	for _, l := range lines {
		if !md.published.IsZero() && !md.modified.IsZero() {
			return
		}
		pub, mod := lineDates(l, lang)
		if md.published.IsZero() {
			md.published = pub
		}
		if md.modified.IsZero() {
			md.modified = mod
		}
	}
}

// firstDate returns the first value that reads as a plausible date.
func firstDate(vals ...string) time.Time {
	for _, v := range vals {
		if t := parseDate(v); plausibleDate(t) {
			return t
		}
	}
	return time.Time{}
}

// hostname is the page's host name, or "" when its address is unknown.
func (d *Document) hostname() string {
	if d.url == nil {
		return ""
	}
	return d.url.Hostname()
}

// outlet is the page's publication, as bylines may name it.
func (d *Document) outlet(siteName string) outlet {
	return outlet{names: []string{siteName, d.meta.ld.Publisher}, host: d.hostname()}
}

// siteName is the page's own name: og:site_name, application-name, twitter:site or the
// JSON-LD publisher, the first that is shaped like a name (a few words, not the headline:
// some pages put the page's title in application-name).
func (d *Document) siteName() string {
	m := &d.meta
	headline := squash(firstNonEmpty(m.get("og:title"), m.ld.Headline))
	for _, s := range []string{m.get("og:site_name"), m.get("application-name"), m.get("twitter:site"), m.ld.Publisher} {
		s = strings.TrimPrefix(strings.TrimSpace(s), "@")
		if s == "" || lede.WordCount(s) > 6 || (headline != "" && strings.Contains(squash(s), headline)) {
			continue
		}
		return s
	}
	return ""
}

// notOutlet returns names without the organisations that are the outlet itself, but for
// those the text near (lower-cased) shows.
func notOutlet(names []authorName, o outlet, near string) []authorName {
	var out []authorName
	for _, n := range names {
		if !n.org || !o.is(n.name) || strings.Contains(near, strings.ToLower(n.name)) {
			out = append(out, n)
		}
	}
	return out
}

// bracketCredit returns the people a bracketed credit names at the start of one of the
// first paragraphs of text ("〔記者巫其倫／台北報導〕…" after a photo's caption), or "".
// Organisations are left out: "(Reuters) -" is a dateline's agency, not a byline.
func bracketCredit(text string, o outlet) string {
	seen := 0
	for p := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		if b := leadBracket(p); b != "" {
			if names := splitByline(b, o, true); len(names) > 0 {
				return joinNames(names, false)
			}
		}
		if seen++; seen == 3 {
			break
		}
	}
	return ""
}

// accountName reports whether name reads as a CMS account rather than a person's name: one
// word without a capital in a script that has capitals.
func accountName(name string) bool {
	if strings.ContainsFunc(name, unicode.IsSpace) || strings.ContainsFunc(name, unicode.IsUpper) {
		return false
	}
	return strings.ContainsFunc(name, unicode.IsLower)
}

// leadBracket returns the bracketed credit that opens a paragraph ("〔記者巫其倫／台北報導〕"),
// or "".
func leadBracket(p string) string {
	for _, br := range [][2]string{{"〔", "〕"}, {"[", "]"}, {"【", "】"}, {"（", "）"}, {"(", ")"}} {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(p), br[0]); ok {
			if in, _, ok := strings.Cut(rest, br[1]); ok && utf8.RuneCountInString(in) <= 40 {
				return in
			}
		}
	}
	return ""
}
