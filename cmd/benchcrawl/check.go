package main

// Checking the articles a crawler stored against newsfarm's own pages: stored once each, and
// clean — the text holds the article's paragraphs and nothing else (the headline in front is
// allowed: some crawlers keep it in the text).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// articleCheck is what the benchmark finds in a crawler's stored articles.
type articleCheck struct {
	stored   int    // articles written
	distinct int    // distinct URLs among them
	exact    int    // texts whose words are exactly the article's (headline optional)
	chrome   int    // texts holding one of chromeMarks
	example  string // the first text that is not exact, shortened, with its URL
}

// chromeMarks are pieces of newsfarm's page chrome that a clean article never holds.
var chromeMarks = []string{"Accessibility links", "Skip to content", "XS SM MD LG", "Share Facebook", "News Farm"}

// articleTruth is an article as its page has it.
type articleTruth struct {
	headline   string
	paragraphs []string
}

// checkArticles reads the JSON lines at path (objects with "url" and "text") and compares each
// text with truth(url).
func checkArticles(path string, truth func(url string) (articleTruth, error)) (articleCheck, error) {
	var c articleCheck
	fh, err := os.Open(path)
	if err != nil {
		return c, fmt.Errorf("stored articles: %w", err)
	}
	defer fh.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var rec struct {
			URL  string `json:"url"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			return c, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		c.stored++
		if !seen[rec.URL] {
			seen[rec.URL] = true
			c.distinct++
		}
		for _, m := range chromeMarks {
			if strings.Contains(rec.Text, m) {
				c.chrome++
				break
			}
		}
		t, err := truth(rec.URL)
		if err != nil {
			return c, err
		}
		if exactText(rec.Text, t) {
			c.exact++
		} else if c.example == "" {
			c.example = fmt.Sprintf("%s: %q", rec.URL, shorten(rec.Text, 160))
		}
	}
	return c, sc.Err()
}

// exactText reports whether text's words are the paragraphs' words, the headline's optionally
// in front: punctuation and layout do not count.
func exactText(text string, t articleTruth) bool {
	got := words(text)
	body := words(strings.Join(t.paragraphs, " "))
	withHeadline := append(words(t.headline), body...)
	return slices.Equal(got, body) || slices.Equal(got, withHeadline)
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n/2]) + " … " + string(r[len(r)-n/2:])
}

// farmTruth returns a function that fetches an article page from newsfarm and reads its
// headline (<h1>) and paragraphs (<p> inside <article>): newsfarm's markup is known and fixed.
func farmTruth(ctx context.Context, base string) func(string) (articleTruth, error) {
	return func(pageURL string) (articleTruth, error) {
		if !strings.HasPrefix(pageURL, base+"/") {
			return articleTruth{}, fmt.Errorf("stored URL %q is not on newsfarm (%s)", pageURL, base)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL, nil)
		if err != nil {
			return articleTruth{}, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return articleTruth{}, fmt.Errorf("fetch %s for checking: %w", pageURL, err)
		}
		defer resp.Body.Close()
		doc, err := html.Parse(resp.Body)
		if err != nil {
			return articleTruth{}, fmt.Errorf("parse %s: %w", pageURL, err)
		}
		var t articleTruth
		var walk func(n *html.Node, inArticle bool)
		walk = func(n *html.Node, inArticle bool) {
			if n.Type == html.ElementNode {
				switch n.DataAtom {
				case atom.Article:
					inArticle = true
				case atom.H1:
					t.headline = textOf(n)
				case atom.P:
					if inArticle {
						t.paragraphs = append(t.paragraphs, textOf(n))
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, inArticle)
			}
		}
		walk(doc, false)
		return t, nil
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
