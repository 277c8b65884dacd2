package extract

import (
	"fmt"
	"lede"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Consent dialogs chosen as the article: on a page with a short article, readability can
// take the cookie or privacy preference centre (long paragraphs about cookies, "Always
// active" toggles, the right to opt out of the sale of personal data) for the article. When
// most of the text lede got is about cookies and consent, the page is read again without its
// consent containers (named cookie, consent, cmp, gdpr…, or dialogs) and readability runs on
// that; its article wins unless it is about consent too.

// consentWords occur in the paragraphs of consent dialogs.
var consentWords = newPhraseSet(
	"cookie", "cookies", "consent", "opt out", "opt-out", "personal information", "personal data",
	"legitimate interest", "vendors", "targeting", "tracking technologies", "privacy preferences",
	"privacy preference center", "always active", "strictly necessary", "do not sell",
	"einwilligung", "zustimmung", "datenschutzeinstellungen", "personenbezogene daten",
	"consentement", "traceurs", "données personnelles", "consentimiento", "datos personales",
	"consenso", "dati personali", "consentimento", "dados pessoais", "toestemming",
	"zgoda", "согласие", "персональных данных", "çerez", "çerezler",
	"ملفات تعريف الارتباط", "الكوكيز", "موافقتك", "البيانات الشخصية",
	"クッキー", "個人情報", "쿠키", "개인정보", "隐私", "個人資料",
)

// consentMarks are substrings a text about consent almost always has: a cheap gate.
var consentMarks = []string{"ookie", "onsent", "クッキー", "쿠키", "تعريف الارتباط", "الكوكيز", "insatzung", "inwilligung", "çerez", "隐私", "個人"}

// consentCues are class / id tokens of consent dialogs and banners.
var consentCues = newCueSet("cookie", "cookies", "cookiebanner", "cookienotice", "cookiebar",
	"cookieconsent", "consent", "cmp", "gdpr", "ccpa", "privacy", "onetrust", "didomi",
	"cookiebot", "usercentrics", "trustarc", "sourcepoint", "quantcast")

// aboutConsent reports whether most of text (blocks separated by blank lines) is in blocks
// about cookies and consent, two blocks at least.
func aboutConsent(text string) bool {
	gate := false
	for _, m := range consentMarks {
		if strings.Contains(text, m) {
			gate = true
			break
		}
	}
	if !gate {
		return false
	}
	total, consent, blocks := 0, 0, 0
	for _, p := range strings.Split(text, "\n\n") {
		w := lede.WordCount(p)
		total += w
		if consentWords.contains(lede.NormalizeText(p)) {
			consent += w
			blocks++
		}
	}
	return blocks >= 2 && consent*2 > total
}

// avoidConsent returns the article found once the page's consent containers are gone, when
// text (cleaned from content) is mostly about consent and that article is not; else content
// and text as they were.
func (d *Document) avoidConsent(c *cleaner, content *html.Node, text string) (*html.Node, string) {
	if content == nil || !aboutConsent(text) || d.elements > maxElements {
		return content, text
	}
	root, err := parseHTML(d.page, d.cfg.contentType)
	if err != nil {
		return content, text
	}
	removeConsentContainers(root, 0)
	p := readability.NewParser()
	p.KeepClasses = true
	r, err := p.ParseAndMutate(root, d.url)
	if err != nil || r.Node == nil {
		return content, text
	}
	fixAtoms(r.Node, 0)
	quiet := *c
	quiet.cfg = &config{dropBlock: d.cfg.dropBlock}
	alt := (&quiet).cleanText(r.Node)
	if lede.WordCount(alt) == 0 || aboutConsent(alt) {
		return content, text
	}
	if d.cfg.explain != nil {
		d.cfg.explain("consent-dialog", fmt.Sprintf("readability chose a consent dialog (%d words): using the page without it (%d words)", lede.WordCount(text), lede.WordCount(alt)))
	}
	return r.Node, alt
}

// removeConsentContainers removes the elements under n named as consent dialogs or banners
// and the page's dialogs.
func removeConsentContainers(n *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		if ch.Type == html.ElementNode {
			if consentContainer(ch) {
				n.RemoveChild(ch)
			} else {
				removeConsentContainers(ch, depth+1)
			}
		}
		ch = next
	}
}

func consentContainer(n *html.Node) bool {
	if n.DataAtom == atom.Dialog || n.DataAtom == atom.Body || n.DataAtom == atom.Html {
		return n.DataAtom == atom.Dialog
	}
	switch strings.ToLower(attr(n, "role")) {
	case "dialog", "alertdialog":
		return true
	}
	if attr(n, "aria-modal") == "true" {
		return true
	}
	cid := classID(n)
	return cid != "" && matchCue(cid, consentCues) != ""
}
