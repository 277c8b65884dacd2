package extract

import (
	"lede"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Learned chrome (issue 6). A crawler learns a site's chrome by counting, over the site's
// pages, the fingerprints of every text block of each page (BlockFingerprints); blocks found
// on a large share of the pages are the site's chrome, which it then removes through
// WithDropBlock. Frequency alone would also remove text that closes every article of a site
// (an attribution line such as "(Reuters)" or "المصدر: وكالات"), so the cleaner asks the
// WithDropBlock predicate only about blocks outside the article's paragraph run (see
// textFlow): chrome sits in containers of its own or differs in structure from the article's
// paragraphs. Numbers and table cells are data, never learned chrome (see learnedRule).

// maxPageFingerprints bounds how many distinct block fingerprints one page yields.
const maxPageFingerprints = 1000

// BlockFingerprints returns the distinct fingerprints (see lede.Fingerprint) of the text blocks
// of the whole page body, in document order, for learning which blocks recur on a site's
// pages. The whole page teaches more than the extracted article: a chrome block is on every
// page even where the article extraction happened to leave it out, so its share of the
// site's pages reaches the threshold sooner and more surely.
//
// Blocks are cut as the chrome stripper cuts them (a block element without block
// descendants, or a run of inline nodes between block siblings or line breaks), and their
// text is normalised and hashed in one streaming pass, without building the blocks: about
// a tenth of the cost of parsing the page. Scripts and styles are left out, and so are
// blocks without a letter. Call it before Article, which rewrites the tree; afterwards it
// returns nil.
func (d *Document) BlockFingerprints() []uint64 {
	if d.articleDone || d.root == nil {
		return nil
	}
	body := findBody(d.root)
	if body == nil {
		return nil
	}
	f := &fingerprinter{seen: map[uint64]bool{}}
	f.markBlocks(body, 0)
	f.walk(body, 0)
	f.flush()
	return f.out
}

// TextBlocks returns the text of the page body's blocks in document order, whitespace
// collapsed, cut as BlockFingerprints cuts them (Fingerprint of a block's text is what
// BlockFingerprints counts; blocks without text are left out, repeats are kept). With
// WithRemoved it shows what became of every block of a page. Call it before Article, which
// rewrites the tree; afterwards it returns nil.
func (d *Document) TextBlocks() []string {
	if d.articleDone || d.root == nil {
		return nil
	}
	body := findBody(d.root)
	if body == nil {
		return nil
	}
	var out []string
	for _, b := range blocks(body, blockPlain) {
		// blocks() reads a <script> or <style> met in a run of inline nodes (readability's
		// output has none): leave it out, as BlockFingerprints does.
		text := b.text
		if slices.ContainsFunc(b.nodes, isScriptLike) {
			var sb strings.Builder
			for _, n := range b.nodes {
				if !isScriptLike(n) {
					sb.WriteString(textOf(n))
					sb.WriteByte(' ')
				}
			}
			text = collapse(sb.String())
		}
		if text != "" {
			out = append(out, text)
		}
	}
	return out
}

// isScriptLike reports whether n is an element whose content is not text a reader sees.
func isScriptLike(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template:
		return true
	}
	return false
}

// fingerprinter streams a page's blocks into fingerprints. Its walk mirrors blocks().
type fingerprinter struct {
	hasBlock []bool // by element pre-order index: the element's subtree holds a block element
	next     int    // pre-order index of the next element walk meets
	norm     []byte // the current block's text, normalised as lede.NormalizeText does
	space    bool   // a separator is pending before the next letter or digit
	letter   bool   // the current block has a letter
	seen     map[uint64]bool
	out      []uint64
}

// markBlocks records, in pre-order, whether each element's subtree holds a block element,
// and reports it for n.
func (f *fingerprinter) markBlocks(n *html.Node, depth int) bool {
	i := len(f.hasBlock)
	f.hasBlock = append(f.hasBlock, false)
	found := false
	if depth <= maxDepth {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && (f.markBlocks(ch, depth+1) || isBlock(ch)) {
				found = true
			}
		}
	}
	f.hasBlock[i] = found
	return found
}

// walk cuts n's children into blocks as blocks() does. next must be n's pre-order index;
// walk, skip and textOf advance it over exactly the elements markBlocks indexed.
func (f *fingerprinter) walk(n *html.Node, depth int) {
	f.next++ // n itself
	if depth > maxDepth {
		return // markBlocks did not index n's children
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch {
		case ch.Type == html.TextNode:
			f.text(ch.Data)
			f.space = true
		case ch.Type != html.ElementNode:
		case ch.DataAtom == atom.Br:
			f.next++
			f.flush()
		case f.hasBlock[f.next] || isBlock(ch):
			f.flush()
			if f.hasBlock[f.next] || hasChildBr(ch) {
				f.walk(ch, depth+1)
			} else {
				f.textOf(ch, depth+1)
			}
			f.flush()
		default: // an inline element of a run
			f.textOf(ch, depth+1)
			f.space = true
		}
	}
}

// textOf feeds the text of element n's subtree (scripts and styles left out, as textOf
// does) and advances next past n and its indexed descendants.
func (f *fingerprinter) textOf(n *html.Node, depth int) {
	f.next++
	if depth > maxDepth {
		return
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template:
		f.skip(n, depth)
		return
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			f.text(ch.Data)
		case html.ElementNode:
			f.textOf(ch, depth+1)
		}
	}
}

// skip advances next past the indexed descendants of n without reading them.
func (f *fingerprinter) skip(n *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode {
			f.next++
			f.skip(ch, depth+1)
		}
	}
}

// text normalises s onto the current block, as lede.NormalizeText does.
func (f *fingerprinter) text(s string) {
	for _, r := range s {
		r = lede.FoldRune(r)
		switch {
		case r < 0:
			continue
		case lede.IsWordRune(r):
			f.letter = f.letter || unicode.IsLetter(r)
			if f.space && len(f.norm) > 0 {
				f.norm = append(f.norm, ' ')
			}
			f.space = false
			f.norm = utf8.AppendRune(f.norm, r)
		default:
			f.space = true
		}
	}
}

// flush ends the current block: its fingerprint is kept once.
func (f *fingerprinter) flush() {
	f.space = false
	if len(f.norm) == 0 || !f.letter {
		f.norm, f.letter = f.norm[:0], false
		return // no text, or only digits: never chrome (see learnedRule)
	}
	f.letter = false
	h := uint64(lede.NewFNV64a.AddBytes(f.norm)) // as lede.NormalizedFingerprint
	f.norm = f.norm[:0]
	if !f.seen[h] && len(f.out) < maxPageFingerprints {
		f.seen[h] = true
		f.out = append(f.out, h)
	}
}

// findBody returns the page's <body> element (nil when it has none).
func findBody(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.Body {
			return c
		}
		if c.DataAtom == atom.Html {
			return findBody(c)
		}
	}
	return nil
}

// textFlow is the article's paragraph run: the structural signature (element and class,
// parent element and class) holding most of the article's words. A block of the same
// element in the same kind of container, with the run's class or none, and little link
// text, belongs to the article's own text even when it repeats on every page of the site:
// it is never removed as learned chrome. Chrome sits in containers of its own or carries a
// class of its own (readability turns a <div> of inline text into a <p> but keeps its
// class).
type textFlow struct {
	tag, class, parent string
}

// flowSignature is the structural signature of a block: its element and class, and its
// parent's element and class. A run of inline nodes (a line of a <br>-written paragraph,
// text beside a nested block) is signed as the block element holding it, so that the lines
// of a paragraph sign as the paragraph.
func flowSignature(b *block) textFlow {
	el, p := b.el(), b.nodes[0].Parent
	if el == nil && p != nil && isBlock(p) {
		el, p = p, p.Parent
	}
	f := textFlow{tag: "#run"}
	if el != nil {
		f.tag, f.class = el.Data, classSig(el)
	}
	if p != nil && p.Type == html.ElementNode {
		f.parent = p.Data + "." + classSig(p)
	}
	return f
}

// classSig is an element's class attribute, lower-cased, its names sorted by position.
func classSig(n *html.Node) string {
	return strings.Join(strings.Fields(strings.ToLower(attr(n, "class"))), ".")
}

// flowOf finds the article's paragraph run among its blocks: the signature with the most
// words.
func flowOf(bs []*block) textFlow {
	words := map[textFlow]int{}
	var best textFlow
	bestWords := 0
	for _, b := range bs {
		sig := flowSignature(b)
		words[sig] += b.words
		if words[sig] > bestWords {
			best, bestWords = sig, words[sig]
		}
	}
	return best
}

// holds reports whether b is part of the article's paragraph run and mostly plain text (a
// link-heavy line among paragraphs is a teaser): the same element in the same kind of
// container, with the run's class, none, or another class on a sentence of prose (styling
// classes vary between paragraphs; a chrome line is short), or any element with the run's
// own class (a body split over containers, or paragraphs some of which are <div>s).
func (f textFlow) holds(b *block) bool {
	if f.tag == "" {
		return false
	}
	s := flowSignature(b)
	sameRun := (s.tag == f.tag && s.parent == f.parent && (s.class == f.class || s.class == "" || b.words >= proseWords)) ||
		(f.class != "" && s.class == f.class)
	return sameRun && b.linkDensity() < 0.5
}

// proseWords is the length from which a block in the paragraph run's place counts as one of
// its paragraphs whatever its class.
const proseWords = 12

// flowFor returns the article's paragraph run, found on first use: most articles have no
// block of learned chrome, and never need it.
func (c *cleaner) flowFor() textFlow {
	if c.flowBlocks != nil {
		c.flow, c.flowBlocks = flowOf(c.flowBlocks), nil
	}
	return c.flow
}

// RuleLearnedChrome is the rule name (see WithExplain) of the blocks the WithDropBlock
// predicate removes: chrome learned elsewhere, such as a site's blocks found on most of its
// pages. lede extract --explain and lede serve's explain view show it as it is.
const RuleLearnedChrome = "learned-chrome"

// learnedRule names the rule removing b as chrome learned elsewhere (RuleLearnedChrome,
// through the WithDropBlock predicate), or returns "". It is asked after the generic rules, so that
// a block they remove anyway is reported under their name.
//
// Besides the paragraph run, it keeps what is data rather than furniture: a block without a
// letter (a number, a score, a date in digits: pagination and counters repeat on every
// page, and so do the same numbers in an article's table) and a table cell of its own.
func (c *cleaner) learnedRule(b *block) string {
	if c.cfg.dropBlock == nil || b.norm == "" || !hasLetter(b.norm) || !c.cfg.dropBlock(b.norm) {
		return ""
	}
	if el := b.el(); el != nil && (el.DataAtom == atom.Td || el.DataAtom == atom.Th) {
		return ""
	}
	if c.flowFor().holds(b) {
		return ""
	}
	return RuleLearnedChrome
}

// hasLetter reports whether s holds a letter.
func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}
