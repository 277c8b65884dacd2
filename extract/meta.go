package extract

import (
	"encoding/json"
	"strings"

	"golang.org/x/net/html"
)

// pageMeta is the metadata read from the page's <head>, JSON-LD and microdata at Parse time.
type pageMeta struct {
	htmlLang, contentLang, ogLocale string
	docTitle, h1                    string
	canonical, ogURL                string
	feedHrefs                       []string

	og      map[string]string // og:*, article:*, twitter:* and name= metas, lower-cased keys
	authors []string          // every value of the author metas, in page order
	jsonLD  []string          // raw ld+json scripts
	ld      ldArticle         // the article object found in them
	ldTypes []string          // every @type seen, for Verdict
	// ldArticles counts the Article-like objects: more than two is a listing's markup.
	ldArticles int

	timePublished string // first <time datetime> marked as publication (or the first at all)
	timeAny       string
	// timePublishedNode is the <time> element timePublished was read from.
	timePublishedNode *html.Node
	itemprop          map[string]string
}

// ldArticle holds the fields lede reads from a JSON-LD Article-like object.
type ldArticle struct {
	Type, Headline, Published, Modified, Publisher, Image, Description, Body, Lang string
	Authors                                                                        []ldAuthor
}

// ldAuthor is one JSON-LD author: a Person's or an Organization's name.
type ldAuthor struct {
	Name   string
	Org    bool
	Person bool // typed Person: a personal site's author, even when named like the site
}

// authorMetaKeys are the meta tags that name authors (several tags for several authors).
var authorMetaKeys = map[string]bool{
	"author": true, "article:author": true, "byl": true, "dc.creator": true, "dcterms.creator": true,
	"sailthru.author": true, "parsely-author": true, "cxenseparse:author": true, "citation_author": true,
}

func (m *pageMeta) set(key, val string) {
	val = strings.TrimSpace(val)
	if key == "" || val == "" {
		return
	}
	if m.og == nil {
		m.og = map[string]string{}
	}
	if _, ok := m.og[key]; !ok {
		m.og[key] = val
	}
}

func (m *pageMeta) get(keys ...string) string {
	for _, k := range keys {
		if v := m.og[k]; v != "" {
			return v
		}
	}
	return ""
}

func (m *pageMeta) readMeta(n *html.Node) {
	content := attr(n, "content")
	if he := strings.ToLower(attr(n, "http-equiv")); he == "content-language" {
		m.contentLang = strings.TrimSpace(strings.Split(content, ",")[0])
		return
	}
	for _, k := range []string{"property", "name", "itemprop"} {
		if key := strings.ToLower(strings.TrimSpace(attr(n, k))); key != "" {
			m.set(key, content)
			if authorMetaKeys[key] && strings.TrimSpace(content) != "" && len(m.authors) < 16 {
				m.authors = append(m.authors, content)
			}
		}
	}
	if l := m.og["og:locale"]; l != "" && m.ogLocale == "" {
		m.ogLocale = l
	}
	if u := m.og["og:url"]; u != "" {
		m.ogURL = u
	}
}

func (m *pageMeta) readLink(n *html.Node) {
	rel := strings.ToLower(attr(n, "rel"))
	href := attr(n, "href")
	if href == "" {
		return
	}
	for _, r := range strings.Fields(rel) {
		switch r {
		case "canonical":
			if m.canonical == "" {
				m.canonical = href
			}
		case "alternate":
			switch strings.ToLower(strings.TrimSpace(attr(n, "type"))) {
			case "application/rss+xml", "application/atom+xml", "application/feed+json",
				"application/rss", "application/atom", "text/xml", "application/xml", "application/json":
				m.feedHrefs = append(m.feedHrefs, href)
			}
		}
	}
}

func (m *pageMeta) readTime(n *html.Node) {
	dt := strings.TrimSpace(attr(n, "datetime"))
	if dt == "" {
		return
	}
	if m.timeAny == "" {
		m.timeAny = dt
	}
	ip := strings.ToLower(attr(n, "itemprop"))
	cls := strings.ToLower(attr(n, "class"))
	if m.timePublished == "" && (hasAttr(n, "pubdate") || strings.Contains(ip, "published") ||
		strings.Contains(cls, "publish") || strings.Contains(cls, "pubdate")) {
		m.timePublished, m.timePublishedNode = dt, n
	}
}

func (m *pageMeta) readItemprop(n *html.Node, ip string) {
	if m.itemprop == nil {
		m.itemprop = map[string]string{}
	}
	for _, key := range strings.Fields(strings.ToLower(ip)) {
		if _, ok := m.itemprop[key]; ok {
			continue
		}
		var v string
		switch {
		case attr(n, "content") != "":
			v = attr(n, "content")
		case attr(n, "datetime") != "":
			v = attr(n, "datetime")
		case key == "author" || key == "name" || key == "headline":
			t := collapsedText(n)
			if len(t) < 200 {
				v = t
			}
		}
		if v = strings.TrimSpace(v); v != "" {
			m.itemprop[key] = v
		}
	}
}

// articleLDTypes are the schema.org types whose objects describe the page's article.
var articleLDTypes = map[string]bool{
	"article": true, "newsarticle": true, "blogposting": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "reviewnewsarticle": true,
	"backgroundnewsarticle": true, "scholarlyarticle": true, "techarticle": true,
	"liveblogposting": true, "socialmediaposting": true, "report": true, "posting": true,
	"advertisernewsarticle": true, "satiricalarticle": true, "medicalscholarlyarticle": true,
}

// parseJSONLD reads every ld+json script and keeps the first Article-like object.
func (m *pageMeta) parseJSONLD() {
	for _, raw := range m.jsonLD {
		raw = strings.TrimSpace(raw)
		raw = strings.TrimPrefix(raw, "<!--")
		raw = strings.TrimSuffix(raw, "-->")
		// Some pages wrap their JSON-LD in CDATA, for XHTML parsers.
		raw = strings.TrimSpace(raw)
		raw = strings.TrimPrefix(strings.TrimPrefix(raw, "//"), "<![CDATA[")
		raw = strings.TrimSuffix(strings.TrimSuffix(raw, "]]>"), "//")
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			// Hand-written JSON-LD sometimes carries // comments: try once without them.
			if !strings.Contains(raw, "//") || json.Unmarshal([]byte(dropComments(raw)), &v) != nil {
				continue
			}
		}
		m.visitLD(v, 0)
	}
}

// dropComments removes the // comments of hand-written JSON-LD: whole lines and the rest of
// a line after a value ("height": "1000", // default), outside strings.
func dropComments(raw string) string {
	var b strings.Builder
	inString, escaped := false, false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '/' && i+1 < len(raw) && raw[i+1] == '/':
			for i < len(raw) && raw[i] != '\n' {
				i++
			}
			if i < len(raw) {
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (m *pageMeta) visitLD(v any, depth int) {
	if depth > 6 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			m.visitLD(e, depth+1)
		}
	case map[string]any:
		types := ldStrings(x["@type"])
		isArticle := false
		for _, t := range types {
			m.ldTypes = append(m.ldTypes, t)
			if articleLDTypes[strings.ToLower(t)] {
				isArticle = true
			}
		}
		if isArticle {
			m.ldArticles++
		}
		if isArticle && m.ld.Type == "" {
			m.ld = ldArticle{
				Type:        types[0],
				Headline:    ldString(x["headline"]),
				Authors:     ldAuthors(x["author"]),
				Published:   ldString(x["datePublished"]),
				Modified:    ldString(x["dateModified"]),
				Publisher:   ldNames(x["publisher"]),
				Image:       ldImage(x["image"]),
				Description: ldString(x["description"]),
				Body:        ldString(x["articleBody"]),
				Lang:        ldString(x["inLanguage"]),
			}
			if m.ld.Headline == "" {
				m.ld.Headline = ldString(x["name"])
			}
			if len(m.ld.Authors) == 0 {
				m.ld.Authors = ldAuthors(x["creator"])
			}
		}
		if g, ok := x["@graph"]; ok {
			m.visitLD(g, depth+1)
		}
		if me, ok := x["mainEntity"]; ok {
			m.visitLD(me, depth+1)
		}
	}
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(html.UnescapeString(x))
	case []any:
		if len(x) > 0 {
			return ldString(x[0])
		}
	case map[string]any:
		if s := ldString(x["@value"]); s != "" {
			return s
		}
		return ldString(x["name"])
	}
	return ""
}

func ldStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ldAuthors reads a Person or Organization, a list of them, or plain names.
func ldAuthors(v any) []ldAuthor {
	var out []ldAuthor
	var add func(v any, depth int)
	add = func(v any, depth int) {
		if depth > 3 || len(out) >= 32 {
			return
		}
		switch x := v.(type) {
		case string:
			if s := strings.TrimSpace(html.UnescapeString(x)); s != "" && !strings.HasPrefix(s, "http") {
				out = append(out, ldAuthor{Name: s})
			}
		case []any:
			for _, e := range x {
				add(e, depth+1)
			}
		case map[string]any:
			org, person := false, false
			for _, t := range ldStrings(x["@type"]) {
				switch strings.ToLower(t) {
				case "organization", "newsmediaorganization", "corporation", "newsorganization", "website":
					org = true
				case "person":
					person = true
				}
			}
			if s := ldString(x["name"]); s != "" && !strings.HasPrefix(s, "http") {
				out = append(out, ldAuthor{Name: s, Org: org, Person: person})
			}
		}
	}
	add(v, 0)
	return out
}

// ldNames reads a Person/Organization (or a list of them, or a plain string) as a name list.
func ldNames(v any) string {
	var names []string
	var add func(v any, depth int)
	add = func(v any, depth int) {
		if depth > 3 {
			return
		}
		switch x := v.(type) {
		case string:
			if s := strings.TrimSpace(x); s != "" && !strings.HasPrefix(s, "http") {
				names = append(names, s)
			}
		case []any:
			for _, e := range x {
				add(e, depth+1)
			}
		case map[string]any:
			if s := ldString(x["name"]); s != "" {
				names = append(names, s)
			}
		}
	}
	add(v, 0)
	return joinUnique(names)
}

func ldImage(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			return ldImage(x[0])
		}
	case map[string]any:
		if s := ldString(x["url"]); s != "" {
			return s
		}
		return ldString(x["contentUrl"])
	}
	return ""
}

func joinUnique(names []string) string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		n = collapse(n)
		if n != "" && !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}

// declaredLang is the language the page declares, normalised to a BCP 47 tag.
func (m *pageMeta) declaredLang() string {
	for _, l := range []string{m.htmlLang, m.contentLang, m.ld.Lang, m.ogLocale} {
		if t := normalizeLang(l); t != "" {
			return t
		}
	}
	return ""
}

// normalizeLang turns "en_US", "AR", "ar-sa" into "en-US", "ar", "ar-SA"; "" when unusable.
func normalizeLang(l string) string {
	l = strings.TrimSpace(strings.ReplaceAll(l, "_", "-"))
	if l == "" || strings.EqualFold(l, "x-default") || strings.EqualFold(l, "und") {
		return ""
	}
	parts := strings.Split(l, "-")
	p := strings.ToLower(parts[0])
	if len(p) < 2 || len(p) > 3 {
		return ""
	}
	for _, r := range p {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	out := []string{p}
	for _, s := range parts[1:] {
		switch {
		case len(s) == 2:
			out = append(out, strings.ToUpper(s))
		case len(s) == 4:
			out = append(out, strings.ToUpper(s[:1])+strings.ToLower(s[1:]))
		case s != "":
			out = append(out, strings.ToLower(s))
		}
	}
	return strings.Join(out, "-")
}
