package extract

import (
	"strings"
	"testing"
)

// A page too large for readability (more elements than maxElements) whose <article> holds
// only the headline: the paragraphs beside it are the article, not nothing.
func TestHugePageHeadlineOnlyArticle(t *testing.T) {
	page := "<html><head><title>Notes on rivers</title></head><body>" +
		"<article><header><h1>Notes on rivers</h1></header></article>" +
		`<div class="prose"><p>Rivers carry water to the sea, and most of them start in the hills as small streams.</p>` +
		"<p>Some dry up in summer, when the rain stops and farmers take water for their fields.</p></div>" +
		"<div hidden>" + strings.Repeat("<span></span>", maxElements+1000) + "</div></body></html>"
	a, err := Extract([]byte(page), "https://x.example/notes/rivers")
	if err != nil {
		t.Fatal(err)
	}
	want := "Rivers carry water to the sea, and most of them start in the hills as small streams.\n\n" +
		"Some dry up in summer, when the rain stops and farmers take water for their fields."
	if a.Text != want {
		t.Errorf("text %q, want %q", a.Text, want)
	}
}

// The paragraph run never comes from a consent banner, a dialog or a page's chrome: a page
// with nothing else still has no article.
func TestParagraphRunSkipsBannersAndChrome(t *testing.T) {
	page := `<html><head><title>Videos</title></head><body><h1>Videos</h1>` +
		`<div class="cmp-layer" role="dialog"><p>We use cookies and similar technologies to personalise content and ads.</p>` +
		`<p>You can change your choices at any time in the privacy settings of this site.</p><p>Accept all</p></div>` +
		`<footer><p>About us: a small team of reporters and editors in the valley since 1998.</p><p>Contact the newsroom by mail.</p><p>Imprint and terms.</p></footer>` +
		`</body></html>`
	if a, err := Extract([]byte(page), "https://x.example/videos/"); err == nil {
		t.Errorf("text %q, want no article", a.Text)
	}
}
