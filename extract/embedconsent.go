package extract

// Consent placeholders of embedded media: the text a page shows where a video or a social
// post would be until the reader accepts its cookies ("Mit Ihrer Zustimmung wird hier ein
// externer Inhalt (YouTube) geladen", "This content is hosted by a third party… set your
// cookie preferences", "Ce contenu est bloqué car vous n'avez pas accepté les cookies",
// "هذا المحتوى مستضاف على يوتيوب. يرجى قبول ملفات تعريف الارتباط"), and the leftovers of
// embeds that did not load ("View this post on Instagram"). A block that asks for consent
// and names an embed goes, with its small box.

// embedConsentAsks are the requests for consent.
var embedConsentAsks = newPhraseSet(
	"accept cookies", "accept all cookies", "acceptance of", "cookie preferences", "cookie settings",
	"enable cookies", "allow cookies", "by clicking", "click to load", "load content", "show content",
	"i agree", "manage consent", "your consent", "consent to",
	"mit ihrer zustimmung", "ich bin damit einverstanden", "zustimmen", "externen inhalt laden",
	"inhalt laden", "inhalte anzeigen", "einwilligung",
	"j accepte", "en cliquant", "accepté les cookies", "accepter les cookies", "votre consentement",
	"acepta las cookies", "aceptar las cookies", "aceptar cookies", "al hacer clic", "tu consentimiento",
	"accetta i cookie", "accettare i cookie", "il tuo consenso", "aceitar os cookies", "aceite os cookies",
	"accepteer cookies", "cookies accepteren", "geaccepteerd", "toestemming",
	"قبول ملفات تعريف الارتباط", "الموافقه علي", "اضغط هنا لعرض", "عرض المحتوي",
)

// embedConsentEmbeds name what is embedded.
var embedConsentEmbeds = newPhraseSet(
	"youtube", "vimeo", "twitter", "instagram", "facebook", "tiktok", "spotify", "soundcloud",
	"podcast", "video", "videos", "external content", "third party", "third party provider",
	"externer inhalt", "externe inhalte", "externen inhalt", "drittanbieter", "drittplattformen",
	"contenu externe", "contenus", "tiers", "contenido externo", "terceros", "contenuto esterno",
	"terze parti", "conteúdo externo", "externe content", "derden",
	"محتوي خارجي", "طرف ثالث", "يوتيوب", "تويتر", "فيسبوك", "انستغرام", "الفيديو", "فيديو",
)

// embedLeftovers are whole lines left by embeds that did not load; embedCredits start one
// ("A post shared by Jane (@jane)").
var embedLeftovers = newPhraseSet(
	"view this post on instagram", "watch on youtube", "view on instagram",
	"view on twitter", "view on x", "this embed is invalid", "loading tweet",
	"dieser beitrag auf instagram ansehen", "voir cette publication sur instagram",
	"ver esta publicación en instagram", "visualizza questo post su instagram",
)

var embedCredits = newPhraseSet("a post shared by", "ein beitrag geteilt von", "une publication partagée par",
	"una publicación compartida de", "una publicación compartida por", "un post condiviso da")

func isEmbedConsent(norm string) bool {
	return embedConsentAsks.contains(norm) && embedConsentEmbeds.contains(norm)
}

func embedConsentCompanion(norm string) bool {
	return embedConsentAsks.contains(norm) || embedConsentEmbeds.contains(norm) || promptPhrases.contains(norm)
}

// embedConsentRule handles a consent placeholder: it names the rule that removes block b,
// or removes the box around it itself; done reports whether b was one.
func (c *cleaner) embedConsentRule(b *block) (rule string, done bool) {
	if b.words <= 12 {
		if embedLeftovers.is(b.norm) {
			return "embed", true
		}
		if _, _, ok := embedCredits.prefix(b.norm); ok {
			return "embed", true
		}
	}
	if b.words > 80 || !isEmbedConsent(b.norm) {
		return "", false
	}
	if box := c.promptBox(b, embedConsentCompanion); box != nil {
		c.drop("embed-consent", textOf(box), box)
		return "", true
	}
	return "embed-consent", true
}
