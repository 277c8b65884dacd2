package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Donation and membership appeals: the box that asks readers to fund the publication ("we
// have a small favour to ask… Support us", "Unterstützen Sie unabhängigen Journalismus",
// "Faire un don", "ادعم صحافتنا المستقلة"). A block with an appeal goes, with its box, when
// the box links to a page for giving (its address has a word such as donate, contribute,
// spenden or don) or is named so; a short appeal line ("Donate now") goes on its own.

// donationPhrases are the appeals themselves.
var donationPhrases = newPhraseSet(
	"support our journalism", "support independent journalism", "support our work",
	"support us", "make a donation", "make a contribution", "donate now", "donate today",
	"become a supporter", "become a patron", "small favour to ask", "small favor to ask",
	"reader supported", "reader funded", "chip in", "every contribution",
	"jetzt spenden", "jetzt unterstützen", "unterstützen sie unabhängigen journalismus",
	"unterstützen sie uns", "freiwillig zahlen", "faire un don", "faites un don", "soutenez nous",
	"soutenez notre", "nous soutenir", "haz una donación", "apoya nuestro periodismo",
	"apoya el periodismo", "hazte socio", "hazte socia", "apoie o jornalismo", "faça uma doação",
	"sostieni", "fai una donazione", "steun ons", "doneer", "wesprzyj", "поддержите", "пожертвовать",
	"bağış yap", "destek ol", "dukung kami", "ادعم", "ادعمونا", "تبرع", "تبرع الان", "تبرعك",
)

// donationWideCues are appeals written without spaces (Chinese, Japanese, Korean).
var donationWideCues = normalizeAll("寄付", "ご支援", "후원하기", "후원해", "捐助", "赞助我们", "支持我们")

// donationCompanions are words of the texts that sit in an appeal's box.
var donationCompanions = newPhraseSet(
	"journalism", "journalists", "journalismus", "journalisme", "periodismo", "jornalismo",
	"giornalismo", "support", "independent", "unabhängig", "unabhängiger", "indépendant",
	"independiente", "readers", "leser", "leserinnen", "lecteurs", "lectores", "contribution",
	"donation", "dons", "don", "spende", "spenden", "thank you", "danke", "merci", "gracias",
	"صحافه", "مستقل", "مستقله", "دعم", "تبرع",
)

// donationPathWords are the words of the addresses of pages for giving.
var donationPathWords = newTokenSet("donate", "donation", "donations", "donar", "donacion",
	"donativo", "doar", "doacao", "dona", "don", "dons", "spenden", "spende", "unterstuetzen",
	"unterstutzen", "support", "supporter", "supporters", "contribute", "contribution",
	"contributions", "membership", "soutenir", "soutien", "sostieni", "sostenere", "steun",
	"doneer", "wesprzyj", "patron", "fundraise", "fundraising")

func isDonationText(norm string) bool {
	if donationPhrases.contains(norm) {
		return true
	}
	return hasCJK(norm) && containsPhrase(norm, donationWideCues) != ""
}

func donationCompanion(norm string) bool {
	return isDonationText(norm) || donationCompanions.contains(norm)
}

// donationRule handles an appeal: it names the rule that removes block b, or removes the
// box around it itself; done reports whether b was an appeal.
func (c *cleaner) donationRule(b *block) (rule string, done bool) {
	if b.words > longBlock || !isDonationText(b.norm) {
		return "", false
	}
	box := c.promptBox(b, donationCompanion)
	if box != nil && givesTo(box) {
		c.drop("donation", textOf(box), box)
		return "", true
	}
	for _, n := range b.nodes {
		if givesTo(n) {
			return "donation", true
		}
	}
	if b.words <= 12 {
		return "donation", true
	}
	return "", false
}

// givesTo reports whether n links to a page for giving, or is named as an appeal.
func givesTo(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if cid := classID(n); cid != "" && matchCue(cid, donationPathWords) != "" {
		return true
	}
	if n.DataAtom == atom.A {
		if u := resolve(nil, attr(n, "href")); u != nil {
			host, _, _ := strings.Cut(strings.ToLower(u.Hostname()), ".")
			return donationPathWords.has(host) || matchCue(strings.ToLower(u.Path), donationPathWords) != ""
		}
		return false
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if givesTo(ch) {
			return true
		}
	}
	return false
}
