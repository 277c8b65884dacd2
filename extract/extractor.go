package extract

import (
	"fmt"
	"lede"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Article runs readability and lede's chrome stripping on the document and returns the
// clean article; ErrNoArticle when the page holds none. It mutates the tree, so it runs
// once: later calls (and Verdict) return the first call's outcome.
func (d *Document) Article() (*lede.Article, error) {
	if !d.articleDone {
		d.articleDone = true
		d.article, d.articleErr = d.extractArticle()
	}
	return d.article, d.articleErr
}

// extractArticle is Article's work.
func (d *Document) extractArticle() (*lede.Article, error) {
	a := &lede.Article{}
	if d.url != nil {
		a.URL = d.url.String()
	}
	a.CanonicalURL = d.canonical
	a.Site = siteOf(d.canonical, a.URL)
	m := &d.meta
	a.SiteName = d.siteName()
	a.Description = collapse(firstNonEmpty(m.get("og:description", "description", "twitter:description"), m.ld.Description))
	a.Image = absURL(d, firstNonEmpty(m.get("og:image", "og:image:url", "twitter:image", "twitter:image:src"), m.ld.Image))
	md := d.readMetadata(a.SiteName)
	a.Title, a.Published, a.Modified = md.title, md.published, md.modified
	a.Byline = byline(md.bylines, md.orgBylines)

	// The page's own marked-up body (itemprop=articleBody, else its only <article>) and its
	// raw size are noted before readability mutates the tree, to arbitrate afterwards.
	markedWords, markedStrict := 0, d.bodyCandidateStrict
	if d.bodyCandidate != nil {
		markedWords = wordsUnder(d.bodyCandidate)
	}
	d.posts = d.findPostList() // before readability moves the posts
	content, rTitle := d.mainContent()
	if a.Title == "" {
		a.Title = cleanTitle(rTitle, a.SiteName, d.hostname())
	}
	if a.SiteName == "" {
		a.SiteName = titleSiteName(m.docTitle, a.Title)
	}
	suspect := ""
	if content != nil {
		suspect = suspectContent(content)
	}

	c := d.newCleaner(a, md.bylineTexts)
	var teasers teaserMarks // the teaser cards of the body, marked before cleaning strips their headlines
	repeats, container := 0, ""
	if content != nil {
		teasers = d.findTeasers(content)
		repeats, container = d.countRepeats(content)
		a.Text = c.cleanText(content)
		content, a.Text = d.avoidConsent(c, content, a.Text)
		if a.Byline == "" {
			a.Byline = byline([][][]authorName{{splitByline(c.foundByline, d.outlet(a.SiteName), true)}}, nil)
		}
		if a.Byline == "" {
			a.Byline = bracketCredit(a.Text, d.outlet(a.SiteName))
		}
		if a.Published.IsZero() {
			a.Published = c.foundPublished
		}
		if a.Modified.IsZero() {
			a.Modified = c.foundModified
		}
	}
	if a.Published.IsZero() {
		a.Published = a.Modified // the only date the page gives ("Updated 7 March")
	}
	// The page's marked-up body may beat readability's choice.
	if marked, alt, markedTeasers := d.markedBodyInstead(c, a.Text, suspect, markedWords, markedStrict); marked != nil {
		content, a.Text, teasers = marked, alt, markedTeasers
	}
	if recovered := d.recoverBody(a.Text); recovered != "" {
		a.Text = recovered
		content = nil
	}
	a.Text, content = d.fillEmpty(c, a.Text, content)
	d.body = d.measureBody(content, a.Text, teasers)
	d.body.repeats, d.body.container = repeats, container
	a.WordCount = d.textWords(a.Text)
	if a.WordCount == 0 {
		return nil, ErrNoArticle // nothing, or only punctuation
	}
	a.Lang = d.language(a.Text)
	a.HTML = articleHTML(content, a.Text)
	return a, nil
}

// newCleaner returns the cleaner of the article a (its metadata read so far): its title,
// captions and byline are what the cleaner removes when the text repeats them; bylineTexts
// are the byline as printed on the page.
func (d *Document) newCleaner(a *lede.Article, bylineTexts []string) *cleaner {
	m := &d.meta
	c := &cleaner{cfg: &d.cfg, title: lede.NormalizeText(a.Title), imgTexts: captionTexts(d.imgTexts, a.Title, a.Description, m.docTitle, m.get("og:title"))}
	if d.url != nil {
		c.host = lede.NormalizeHost(d.url.Hostname())
	}
	c.byline = append(c.byline, strings.Fields(lede.NormalizeText(a.Byline))...)
	if a.Byline != "" {
		// The byline as printed ("By Maria Lopez, Staff Writer") goes from the text too.
		for _, t := range bylineTexts {
			c.byline = append(c.byline, strings.Fields(lede.NormalizeText(t))...)
		}
	}
	return c
}

// markedBodyInstead returns the page's marked-up body (itemprop=articleBody, else its only
// <article>), its cleaned text and teasers, when it beats readability's text: nil when
// readability's stays. itemprop=articleBody is precise: prefer it when readability kept
// under half of it. A bare <article> may hold comments and teasers: only when readability
// found little. So is any marked-up body when readability's choice looks like comments, a
// caption or a listing (suspect says why).
func (d *Document) markedBodyInstead(c *cleaner, text, suspect string, markedWords int, markedStrict bool) (*html.Node, string, teaserMarks) {
	got := d.textWords(text)
	if !((markedStrict && markedWords >= 50 && got*2 < markedWords) ||
		(!markedStrict && markedWords > 0 && got < 30 && markedWords > got) || (suspect != "" && markedWords > 0)) {
		return nil, "", teaserMarks{}
	}
	if suspect != "" {
		got = 0
	}
	marked := d.freshBodyCandidate()
	if marked == nil {
		return nil, "", teaserMarks{}
	}
	quiet := *c
	quiet.cfg = &config{dropBlock: d.cfg.dropBlock}
	markedTeasers := d.findTeasers(marked)
	alt := (&quiet).cleanText(marked)
	// When readability's text comes from the marked-up body, it chose (and cleaned)
	// the right place: keep it, unless it kept almost nothing.
	sameRegion := got >= 30 && suspect == "" && drawnFrom(text, alt)
	if want := lede.WordCount(alt); !sameRegion && ((markedStrict && got*2 < want) || (!markedStrict && want > got)) {
		if d.cfg.explain != nil {
			d.cfg.explain("body-candidate", fmt.Sprintf("readability kept %d words%s, the marked-up body has %d: using it", lede.WordCount(text), suspect, want))
		}
		return marked, alt, markedTeasers
	}
	return nil, "", teaserMarks{}
}

// articleHTML is the article's cleaned HTML: content without its attributes, or the text
// as paragraphs when no node holds it.
func articleHTML(content *html.Node, text string) string {
	if content == nil {
		return textToHTML(text)
	}
	stripAttrs(content)
	var b strings.Builder // rendered into directly: no copy at the end
	b.Grow(len(text) * 2)
	if err := html.Render(&b, content); err == nil {
		return b.String()
	}
	return ""
}

// mainContent runs readability on the document and returns the article's top node (nil
// when it found nothing) and readability's own idea of the title.
func (d *Document) mainContent() (*html.Node, string) {
	if d.elements > maxElements {
		return d.largeFallback(), ""
	}
	p := readability.NewParser()
	p.KeepClasses = true
	r, err := p.ParseAndMutate(d.root, d.url)
	if err != nil || r.Node == nil {
		return nil, r.Title()
	}
	fixAtoms(r.Node, 0)
	d.completeSplitBody(r.Node)
	return r.Node, r.Title()
}

// fixAtoms sets DataAtom on elements readability created by name only (such as the <p>
// and <br> it makes from <div> runs), so that the atom-based rules see them.
func fixAtoms(n *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	if n.Type == html.ElementNode && n.DataAtom == 0 {
		n.DataAtom = atom.Lookup([]byte(n.Data))
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		fixAtoms(c, depth+1)
	}
}

// largeFallback handles pages too large for readability: it keeps the <p> elements of the
// page's <article> (else of the whole body), which is linear in the page's size.
func (d *Document) largeFallback() *html.Node {
	var scope *html.Node
	var find func(*html.Node, int)
	find = func(n *html.Node, depth int) {
		if scope != nil || depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Article || n.DataAtom == atom.Main) {
			scope = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c, depth+1)
		}
	}
	find(d.root, 0)
	if scope == nil || (len(collapsedText(scope)) < 200 && scope.Parent != nil) {
		// No <article> or <main>, or one holding little more than a headline.
		if run := paragraphRun(d.root); run != nil {
			scope = run
		} else {
			scope = d.root
		}
	}
	out := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	var paras []*html.Node
	var collect func(*html.Node, int)
	collect = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.P || isHeading(n)) {
			if len(collapse(textOutsideLinks(n))) >= 40 || isHeading(n) {
				paras = append(paras, n)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			collect(c, depth+1)
		}
	}
	collect(scope, 0)
	for _, p := range paras {
		p.Parent.RemoveChild(p)
		out.AppendChild(p)
	}
	return out
}

// recoverBody returns the JSON-LD articleBody when readability kept far less text than the
// page's own structured data promises; "" to keep what readability found.
func (d *Document) recoverBody(text string) string {
	body := collapse(d.meta.ld.Body)
	if body == "" {
		return ""
	}
	got, want := d.textWords(text), lede.WordCount(body)
	if want >= 50 && got*2 < want {
		return paragraphsFromLD(d.meta.ld.Body)
	}
	return ""
}

// paragraphsFromLD turns a JSON-LD articleBody (plain text, sometimes HTML) into blocks.
func paragraphsFromLD(body string) string {
	if strings.Contains(body, "<p") || strings.Contains(body, "<br") {
		if n, err := html.Parse(strings.NewReader(body)); err == nil {
			return renderText(n)
		}
	}
	var out []string
	for _, line := range strings.Split(body, "\n") {
		if l := collapse(line); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n\n")
}

// language is the declared language, unless the text is plainly in another script.
func (d *Document) language(text string) string {
	declared := d.meta.declaredLang()
	detected := detectLang(text)
	if declared == "" {
		return detected
	}
	if detected != "" && scriptOfLang(declared) != scriptOfLang(detected) {
		return detected
	}
	return declared
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func siteOf(canonical, pageURL string) string {
	for _, s := range []string{canonical, pageURL} {
		if u := resolve(nil, s); u != nil && u.Host != "" {
			return lede.NormalizeHost(u.Hostname())
		}
	}
	return ""
}

func absURL(d *Document, s string) string {
	if s == "" {
		return ""
	}
	if u := resolve(d.base, s); u != nil {
		return u.String()
	}
	return s
}

// stripAttrs removes presentational attributes from the cleaned article HTML.
func stripAttrs(n *html.Node) {
	if n.Type == html.ElementNode {
		kept := n.Attr[:0]
		for _, a := range n.Attr {
			switch a.Key {
			case "href", "src", "alt", "title", "colspan", "rowspan", "datetime", "lang", "dir", "cite":
				kept = append(kept, a)
			}
		}
		n.Attr = kept
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		stripAttrs(c)
	}
}

// textToHTML wraps plain-text blocks in paragraphs.
func textToHTML(text string) string {
	var b strings.Builder
	b.WriteString("<div>")
	for _, p := range strings.Split(text, "\n\n") {
		b.WriteString("<p>")
		b.WriteString(html.EscapeString(p))
		b.WriteString("</p>")
	}
	b.WriteString("</div>")
	return b.String()
}

// cleanText strips chrome from n, elements first, then text blocks, and renders its text.
func (c *cleaner) cleanText(n *html.Node) string {
	c.cleanElements(n)
	c.cleanBlocks(n)
	return renderText(n)
}

// freshBodyCandidate parses the page again (readability mutated the first tree) and
// returns its marked-up article body. It runs only when readability seems to have missed
// the body, so the common case pays nothing.
func (d *Document) freshBodyCandidate() *html.Node {
	root, err := parseHTML(d.page, d.cfg.contentType)
	if err != nil {
		return nil
	}
	var strict, article *html.Node
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if strict != nil || depth > maxDepth {
			return
		}
		if n.Type == html.ElementNode {
			if strings.EqualFold(strings.TrimSpace(attr(n, "itemprop")), "articleBody") {
				strict = n
				return
			}
			if n.DataAtom == atom.Article && article == nil {
				article = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	if strict != nil {
		return strict
	}
	return article
}

// captionTexts returns the image texts that can identify a caption: alt texts that merely
// copy the headline or the description are metadata, and the article's lead paragraph
// often says the same.
func captionTexts(imgTexts map[string]bool, metadata ...string) map[string]bool {
	if len(imgTexts) == 0 {
		return nil
	}
	norms := make([]string, 0, len(metadata))
	for _, m := range metadata {
		if n := lede.NormalizeText(m); n != "" {
			norms = append(norms, n)
		}
	}
	out := make(map[string]bool, len(imgTexts))
outer:
	for t := range imgTexts {
		for _, n := range norms {
			if strings.Contains(n, t) || strings.Contains(t, n) {
				continue outer
			}
		}
		out[t] = true
	}
	return out
}

// suspectContent tells whether readability's choice looks like something other than the
// article: mostly reader comments, mostly a photo caption, or mostly links (a listing). It
// returns a short reason, or "".
func suspectContent(n *html.Node) string {
	var total, comments, captions, links int
	var walk func(n *html.Node, inComment, inCaption, inLink bool, depth int)
	walk = func(n *html.Node, inComment, inCaption, inLink bool, depth int) {
		if depth > maxDepth {
			return
		}
		switch n.Type {
		case html.TextNode:
			l := len(strings.TrimSpace(n.Data))
			total += l
			if inComment {
				comments += l
			}
			if inCaption {
				captions += l
			}
			if inLink {
				links += l
			}
			return
		case html.ElementNode:
			if cid := classID(n); cid != "" && !inComment {
				inComment = matchCue(cid, commentCues) != ""
			}
			inCaption = inCaption || n.DataAtom == atom.Figcaption
			inLink = inLink || n.DataAtom == atom.A
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inComment, inCaption, inLink, depth+1)
		}
	}
	walk(n, false, false, false, 0)
	switch {
	case total == 0:
		return ""
	case comments*2 > total:
		return " (mostly comments)"
	case captions*2 > total:
		return " (mostly a caption)"
	case links*10 > total*7:
		return " (mostly links)"
	}
	return ""
}

// commentCues are class / id tokens of reader-comment sections.
var commentCues = newCueSet("comment", "comments", "commentlist", "disqus", "replies", "reply", "respond", "discussion")

// drawnFrom reports whether most paragraphs of text (up to ten of five words or more) also
// occur in other, comparing normalised forms.
func drawnFrom(text, other string) bool {
	hay := lede.NormalizeText(other)
	seen, found := 0, 0
	for _, p := range strings.Split(text, "\n\n") {
		if lede.WordCount(p) < 5 {
			continue
		}
		seen++
		if strings.Contains(hay, lede.NormalizeText(p)) {
			found++
		}
		if seen == 10 {
			break
		}
	}
	return seen > 0 && found*10 >= seen*6
}
