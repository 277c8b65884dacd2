package extract

import (
	"lede"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Paywall and membership prompts: the box that replaces the rest of a subscriber's article
// ("Subscribe to keep reading", "Already a subscriber? Log in", "Il vous reste 68 % de cet
// article à lire", "この記事は有料記事です。残り842文字", "이 기사는 유료회원 전용입니다",
// "本文为付费内容，订阅后可阅读全文", "هذا المقال متاح للمشتركين فقط"). A short block that
// says so goes, and with it the small box around it when everything else in that box is
// more of the same, links or buttons.

// paywallPhrases are matched on word boundaries in normalised text.
var paywallPhrases = newPhraseSet(
	"subscribers only", "for subscribers only", "subscriber only", "subscriber exclusive",
	"exclusive to subscribers", "already a subscriber", "already subscribed", "already a member",
	"subscribe to continue", "subscribe to read", "subscribe to keep reading", "subscribe to unlock",
	"unlock this article", "unlock this story", "unlimited digital access", "free article limit",
	"reached your limit", "become a member to read", "log in to read", "sign in to read",
	"register to read", "this article is for subscribers", "this content is for subscribers",
	"nur für abonnenten", "exklusiv für abonnenten", "bereits abonnent", "schon abonnent",
	"réservé aux abonnés", "réservée aux abonnés", "déjà abonné", "abonnez vous pour lire",
	"la suite est réservée", "de cet article à lire", "vous possédez déjà un compte",
	"exclusivo para suscriptores", "solo para suscriptores", "ya eres suscriptor", "ya soy suscriptor",
	"suscríbete para seguir leyendo", "riservato agli abbonati", "sei già abbonato", "abbonati per leggere",
	"exclusivo para assinantes", "já é assinante", "já sou assinante", "assine para ler",
	"alleen voor abonnees", "al abonnee", "tylko dla subskrybentów", "masz już subskrypcję",
	"tylko dla prenumeratorów", "только для подписчиков", "доступен только подписчикам",
	"уже есть подписка", "abonelere özel", "zaten abone",
	"للمشتركين فقط", "مخصص للمشتركين", "اشترك للاستمرار", "لديك اشتراك", "محتوى حصري للمشتركين",
	"למנויים בלבד", "כבר מנויים",
)

// weakPaywallPhrases also occur in article sentences ("to continue reading the report"):
// they mark a prompt only in a line of a dozen words or fewer.
var weakPaywallPhrases = newPhraseSet(
	"for subscribers", "already have an account", "continue reading with", "to continue reading",
	"keep reading with", "unlimited access", "free articles", "article limit", "premium article",
	"members only", "member exclusive", "log in to continue", "sign in to continue",
	"für abonnenten", "bereits registriert", "jetzt weiterlesen", "weiterlesen mit", "plus artikel",
	"abo abschließen", "jetzt abonnieren", "zugang zu allen artikeln", "pour lire la suite",
	"accès illimité", "article réservé", "para seguir leyendo", "para continuar leyendo",
	"acceso ilimitado", "per continuare a leggere", "para continuar lendo", "lees verder met",
	"оформите подписку", "чтобы продолжить чтение", "чтобы читать дальше", "okumaya devam etmek için",
	"لمواصلة القراءة", "لمتابعة القراءة", "להמשך קריאה",
)

// paywallWide are matched anywhere in normalised text (containsPhrase): Chinese, Japanese
// and Korean write them without spaces around.
var paywallWide = normalizeAll(
	"有料会員", "有料記事", "会員限定", "購読者限定", "続きをお読みいただけます", "続きを読むには", "ログインして続きを",
	"유료회원", "유료 회원", "구독자 전용", "회원 전용", "구독하고", "로그인 후 이용",
	"付费内容", "付费阅读", "订阅后", "订阅即可", "登录后阅读", "会员专享", "会员专属", "解锁全文",
	"付費會員", "付費內容", "訂閱後", "訂閱即可", "登入後閱讀", "會員專屬", "解鎖全文",
)

// reRemaining matches "残り842文字" (842 characters left), as Japanese paywalls count them.
var reRemaining = regexp.MustCompile(`残り\p{Nd}+文字`)

// isPaywallText reports whether a normalised text holds a paywall cue.
func isPaywallText(norm string) bool {
	if paywallPhrases.contains(norm) || (strings.Count(norm, " ") < 12 && weakPaywallPhrases.contains(norm)) {
		return true
	}
	if !hasCJK(norm) {
		return false
	}
	return containsPhrase(norm, paywallWide) != "" || reRemaining.MatchString(norm)
}

// paywallCompanion reports whether a text beside a paywall prompt belongs to the prompt:
// a weaker cue suffices there ("Jetzt weiterlesen mit Plus: Zugang zu allen Artikeln…").
func paywallCompanion(norm string) bool {
	return isPaywallText(norm) || (strings.Count(norm, " ") < 40 && weakPaywallPhrases.contains(norm))
}

// hasCJK reports whether s holds a Chinese, Japanese, Korean or Thai character (isCJK).
func hasCJK(s string) bool { return strings.IndexFunc(s, isCJK) >= 0 }

// paywallRule handles a paywall prompt: it names the rule that removes block b, or
// removes the box around it itself; done reports whether b was a prompt.
func (c *cleaner) paywallRule(b *block) (rule string, done bool) {
	if b.words > 25 || utf8.RuneCountInString(b.norm) > 200 || !isPaywallText(b.norm) {
		return "", false
	}
	if box := c.promptBox(b, paywallCompanion); box != nil {
		c.drop("paywall", textOf(box), box)
		return "", true // gone with its box
	}
	return "paywall", true
}

// promptBox returns the largest element around block b that holds nothing but b and more
// of the same (texts for which same is true), links, buttons and short labels: the box of a
// prompt. It returns nil when b is not alone in such a box. The box never reaches the
// article's root.
func (c *cleaner) promptBox(b *block, same func(norm string) bool) *html.Node {
	var box *html.Node
	start := b.nodes[0].Parent
	if el := b.el(); el != nil {
		start = el
	} else if start == nil {
		return nil
	}
	for n := start; n.Parent != nil && n.Parent != c.root && n.Parent.Type == html.ElementNode; n = n.Parent {
		if !onlyPromptSiblings(n, same) || lede.WordCount(textOf(n.Parent)) > 120 {
			break
		}
		box = n.Parent
	}
	return box
}

// onlyPromptSiblings reports whether every sibling of n is empty, mostly links, a short
// label, or itself a prompt (same).
func onlyPromptSiblings(n *html.Node, same func(norm string) bool) bool {
	for s := n.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s == n || s.Type == html.CommentNode {
			continue
		}
		t := collapsedText(s)
		if t == "" || lede.WordCount(t) <= 6 && !strings.ContainsAny(t, ".!?。") {
			continue
		}
		if s.Type == html.ElementNode && linkDensity(s) >= 0.5 {
			continue
		}
		if same(lede.NormalizeText(t)) {
			continue
		}
		return false
	}
	return true
}
