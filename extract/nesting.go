package extract

import (
	"bytes"
	"io"

	"golang.org/x/net/html"
)

// flatDepths are the nesting depths a page refused by the HTML parser is flattened to, in
// turn, before it is given up on. x/net/html refuses a document that keeps more than 512
// elements open at once; legacy pages do that with hundreds of <font> or <div> tags that are
// never closed, typically in the footer after the article.
var flatDepths = []int{256, 64}

// parseHTML decodes page (see decode) and parses it. A page the parser refuses is parsed
// again with its nesting flattened (see flattenNesting), so that its article is kept; when
// that fails too, the parser's first error is returned.
func parseHTML(page []byte, contentType string) (*html.Node, error) {
	root, err := html.Parse(decode(page, contentType))
	if err == nil {
		return root, nil
	}
	decoded, rerr := io.ReadAll(decode(page, contentType))
	if rerr != nil {
		return nil, err
	}
	for _, depth := range flatDepths {
		flat, changed := flattenNesting(decoded, depth)
		if !changed {
			break
		}
		if root, ferr := html.Parse(bytes.NewReader(flat)); ferr == nil {
			return root, nil
		}
	}
	return nil, err
}

// voidElements never have content or an end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "keygen": true, "link": true, "meta": true, "param": true, "source": true,
	"track": true, "wbr": true,
}

// rawTextElements hold text the tokenizer reads raw (scripts, styles): their tags are always
// kept, or their content would turn into page text.
var rawTextElements = map[string]bool{
	"iframe": true, "noembed": true, "noframes": true, "noscript": true, "plaintext": true,
	"script": true, "style": true, "textarea": true, "title": true, "xmp": true,
}

// textBlocks are the elements that give an article its blocks (paragraphs, headings, list
// items, cells). Below a soup of unclosed tags they are kept up to blockRoom deeper than
// the flattening depth, so that an article inside the soup keeps its paragraphs apart
// instead of running them together into one text.
var textBlocks = map[string]bool{
	"article": true, "blockquote": true, "dd": true, "dl": true, "dt": true, "figcaption": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "li": true,
	"main": true, "ol": true, "p": true, "pre": true, "section": true, "table": true,
	"tbody": true, "td": true, "th": true, "thead": true, "tr": true, "ul": true,
}

// blockRoom is how much deeper than the flattening depth textBlocks may open: the deepest
// flattened page stays well within the parser's 512 open elements.
const blockRoom = 128

// flattenNesting rewrites an HTML document so that no element opens deeper than depth
// (textBlocks: depth+blockRoom): a start tag that would is dropped, and so is the end tag
// that closes it; every text, comment and other tag is copied as it was. Nesting is followed
// the simple way (an end tag closes the innermost open element of its name; a <p> closes an
// open <p> it would be inside, as the parser does), which is close enough to bound the
// parser's stack. changed reports whether any tag was dropped.
func flattenNesting(doc []byte, depth int) (out []byte, changed bool) {
	z := html.NewTokenizer(bytes.NewReader(doc))
	var b bytes.Buffer
	b.Grow(len(doc))
	var open []string           // names of the elements open, outermost first
	dropped := map[string]int{} // start tags dropped and not closed yet, by name
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break // io.EOF: the input is in memory
		}
		raw := z.Raw()
		switch tt {
		case html.StartTagToken:
			name, _ := z.TagName()
			n := string(name)
			if voidElements[n] {
				break
			}
			if n == "p" && len(open) > 0 && open[len(open)-1] == "p" {
				open = open[:len(open)-1] // an unclosed <p> ends where the next one starts
			}
			if limit := depth + blockRoom*b2i(textBlocks[n]); len(open) >= limit && !rawTextElements[n] {
				dropped[n]++
				changed = true
				continue
			}
			open = append(open, n)
		case html.EndTagToken:
			name, _ := z.TagName()
			n := string(name)
			if dropped[n] > 0 { // the innermost element of that name is one that was dropped
				dropped[n]--
				continue
			}
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] == n {
					open = open[:i]
					break
				}
			}
		}
		b.Write(raw)
	}
	return b.Bytes(), changed
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
