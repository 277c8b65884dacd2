package extract

// The article's title is its headline as displayed: the <h1> (or headline element) of the
// article when the page has one that the metadata confirms or that plainly heads the
// article, else the JSON-LD headline, og:title or <title> without the site's name. SEO titles
// ("Headline | Site", "Headline - Section - Site", a rewording with a kicker) are what the
// metadata holds; what a reader sees is the headline element.

import (
	"lede"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// headline picks the article's headline and, when it is an element of the page, that
// element (so that the byline and date lines around it can be read).
func (d *Document) headline(v *visibleMeta, readabilityTitle, siteName string) (string, *html.Node) {
	// readabilityTitle is "" when called before readability ran: the caller falls back to
	// readability's title itself when no other is found.
	m := &d.meta
	host := d.hostname()
	var metas []string // the metadata's titles, without the site's name and raw
	for _, t := range []string{m.ld.Headline, m.get("og:title"), m.get("twitter:title"), m.docTitle} {
		if t = collapse(t); t != "" {
			metas = append(metas, cleanTitle(t, siteName, host), t)
		}
	}
	if c, text := pickHeadline(v.headlines, metas, siteName, host); c != nil {
		return text, c.node
	}
	for _, t := range []string{m.ld.Headline, m.get("og:title"), m.docTitle, m.get("twitter:title")} {
		if t = cleanTitle(t, siteName, host); t != "" {
			return t, nil
		}
	}
	return cleanTitle(readabilityTitle, siteName, host), nil
}

// pickHeadline chooses among the page's headline elements: the first that a metadata title
// confirms, preferring those inside the article; else the article's only <h1> when it reads
// as a headline. It returns the element and its headline text (of an element over several
// lines, the line the metadata confirms); nil when none fits.
func pickHeadline(cands []headlineCand, metas []string, siteName, host string) (*headlineCand, string) {
	var confirmed, sole *headlineCand
	confirmedText := ""
	keys := make([]*titleKey, len(metas))
	for i, t := range metas {
		keys[i] = newTitleKey(t)
	}
	articleH1s, h1s := 0, 0
	for i := range cands {
		c := &cands[i]
		if c.offArticle || isSiteName(c.text, siteName, host) || utf8.RuneCountInString(c.text) > 300 {
			continue
		}
		if c.h1 && !c.link {
			h1s++
		}
		agrees, text := false, c.text
		shown := newTitleKey(c.text)
		for i, t := range metas {
			for _, l := range c.lines {
				if sameHeadline(newTitleKey(l), keys[i]) {
					agrees, text = true, l
					break
				}
			}
			if !agrees && sameHeadline(shown, keys[i]) {
				agrees = true
				if gluedSiteName(c.text, t, metas, siteName, host) {
					text = t // "HeadlineSite Name": the site's name hidden in the <h1>
				}
			}
			if agrees {
				break
			}
		}
		if agrees && (confirmed == nil || (c.inArticle && !confirmed.inArticle) || (c.h1 && !confirmed.h1)) {
			if confirmed == nil || !confirmed.inArticle || c.inArticle {
				confirmed, confirmedText = c, text
			}
		}
		if c.h1 && !c.link && headlineShaped(c.text) {
			if c.inArticle {
				articleH1s++
			}
			if sole == nil || (c.inArticle && !sole.inArticle) {
				sole = c
			}
		}
	}
	if confirmed != nil {
		return confirmed, confirmedText
	}
	// No metadata title matches any element: the article's only <h1> that reads as a
	// headline is the headline shown (the metadata holding an SEO rewording); several are a
	// listing's. Outside an article element, only a page without metadata titles trusts it.
	if sole != nil && ((sole.inArticle && articleH1s == 1) || (h1s == 1 && len(metas) == 0)) {
		return sole, sole.text
	}
	return nil, ""
}

// gluedSiteName reports whether shown is the metadata title meta plus, glued at either end,
// the site's name: the site name or host, or a segment that a metadata title sets apart
// with a separator ("Headline » Site Name").
func gluedSiteName(shown, meta string, metas []string, siteName, host string) bool {
	a, b := squash(shown), squash(meta)
	if a == b || !(strings.HasPrefix(a, b) || strings.HasSuffix(a, b)) {
		return false
	}
	extra := strings.Replace(a, b, "", 1)
	if isSiteName(extra, siteName, host) {
		return true
	}
	for _, t := range metas {
		for _, sep := range titleSeparators {
			if !strings.HasPrefix(sep, " ") {
				continue
			}
			for _, seg := range strings.Split(t, sep) {
				if squash(seg) == extra {
					return true
				}
			}
		}
	}
	return false
}

// headlineShaped reports whether s reads as a headline rather than a label: several words
// (or, in scripts without spaces, several characters).
func headlineShaped(s string) bool {
	if lede.WordCount(s) >= 4 {
		return true
	}
	cjk := 0
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai) {
			cjk++
		}
	}
	return cjk >= 8
}

// titleKey is a title prepared for comparisons: its letters and digits, and (on demand)
// its set of words.
type titleKey struct {
	text, squashed string
	words          map[string]bool
}

func newTitleKey(s string) *titleKey { return &titleKey{text: s, squashed: squash(s)} }

func (k *titleKey) wordSet() map[string]bool {
	if k.words == nil {
		k.words = map[string]bool{}
		for _, w := range strings.Fields(lede.NormalizeText(k.text)) {
			k.words[w] = true
		}
	}
	return k.words
}

// sameHeadline reports whether an element's text and a metadata title give the same
// headline: equal letters and digits, one holding the other with the rest a site name or
// kicker, or most words shared.
func sameHeadline(shown, meta *titleKey) bool {
	a, b := shown.squashed, meta.squashed
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	if la >= 12 && strings.Contains(b, a) && la*10 >= lb*4 {
		return true // the metadata adds a site name, section or kicker
	}
	if lb >= 12 && strings.Contains(a, b) && lb*10 >= la*6 {
		return true // the element adds a kicker
	}
	if la*3 < lb || lb*3 < la {
		return false // too different in length to share most words
	}
	wa, wb := shown.wordSet(), meta.wordSet()
	if len(wa) < 4 || len(wb) < 4 {
		return false
	}
	shared := 0
	for w := range wa {
		if wb[w] {
			shared++
		}
	}
	return shared*10 >= min(len(wa), len(wb))*8
}

// titleSeparators split a document title from the site name appended to it.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ", " / ", " :", " ：", "｜", "：", "_", "-", "|"}

// cleanTitle removes the site's name and trailing section names from a document title:
// "Headline | Site", "Headline - Section - Site", "Site: Headline", "见出し-新华网".
func cleanTitle(title, siteName, host string) string {
	title = collapse(title)
	for range 3 {
		t := stripSiteName(title, siteName, host)
		if t == title {
			break
		}
		title = t
	}
	return title
}

// stripSiteName removes one site-name (or section) segment from either end of title.
func stripSiteName(title, siteName, host string) string {
	for _, sep := range titleSeparators {
		spaced := strings.HasPrefix(sep, " ")
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		head, tail := strings.TrimSpace(title[:i]), strings.TrimSpace(title[i+len(sep):])
		if head == "" || tail == "" {
			continue
		}
		if isSiteName(tail, siteName, host) {
			return head
		}
		// An unspaced separator ("-", "_", "：") joins words too: only a site name goes.
		if spaced && lede.WordCount(tail) <= 4 && lede.WordCount(head) >= 4 && lede.WordCount(tail)*2 < lede.WordCount(head) {
			return head
		}
		j := strings.Index(title, sep)
		h2, t2 := strings.TrimSpace(title[:j]), strings.TrimSpace(title[j+len(sep):])
		if h2 != "" && t2 != "" && isSiteName(h2, siteName, host) {
			return t2
		}
	}
	return title
}

// titleSiteName returns the site's name from a <title> made of the headline and the site's
// name ("Headline - Daily Courier", "Daily Courier | Headline"), when the page names its site
// nowhere else; "" when the title is not of that shape.
func titleSiteName(docTitle, headline string) string {
	docTitle, h := collapse(docTitle), squash(headline)
	if h == "" {
		return ""
	}
	for _, sep := range titleSeparators[:12] {
		if i := strings.LastIndex(docTitle, sep); i > 0 && squash(docTitle[:i]) == h {
			return siteNameShaped(docTitle[i+len(sep):])
		}
		if i := strings.Index(docTitle, sep); i > 0 && squash(docTitle[i+len(sep):]) == h {
			return siteNameShaped(docTitle[:i])
		}
	}
	return ""
}

// siteNameShaped returns s trimmed when it is short enough to be a site's name, else "".
func siteNameShaped(s string) string {
	s = strings.TrimSpace(s)
	if n := lede.WordCount(s); n == 0 || n > 5 {
		return ""
	}
	return s
}

// isSiteName reports whether s names the site: its og:site_name (or a part of it) or its
// host name.
func isSiteName(s, siteName, host string) bool {
	k := squash(s)
	if k == "" {
		return false
	}
	if sn := squash(siteName); sn != "" && (k == sn || len(k) >= 3 && strings.Contains(sn, k)) {
		return true
	}
	h := strings.TrimPrefix(strings.ToLower(host), "www.")
	if h == "" {
		return false
	}
	if len(k) >= 3 && strings.Contains(squash(h), k) {
		return true // "Courier" on courier.example, "NYTimes.com"
	}
	name := hostName(h)
	return len(name) >= 3 && strings.Contains(k, name) && lede.WordCount(s) <= 3
}

// hostName is the distinctive label of a host name: "riverside" for news.riverside.co.uk.
func hostName(host string) string {
	labels := strings.Split(host, ".")
	if len(labels) > 1 {
		labels = labels[:len(labels)-1] // the top-level domain
	}
	if n := len(labels); n > 1 && len(labels[n-1]) <= 3 {
		switch labels[n-1] {
		case "co", "com", "net", "org", "gov", "ac", "edu", "or", "ne", "go":
			labels = labels[:n-1] // a second-level domain such as co.uk
		}
	}
	return squash(labels[len(labels)-1])
}

// squash keeps only lower-cased letters and digits, for loose comparisons.
func squash(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf { // ASCII fast path
			switch {
			case 'A' <= r && r <= 'Z':
				b.WriteByte(byte(r) + 'a' - 'A')
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				b.WriteByte(byte(r))
			}
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
