package extract

// Multilingual cue phrases for the chrome stripper. They are matched on lede.NormalizeText'd
// text, so case, punctuation, diacritics and Arabic letter variants do not matter. They name
// kinds of page furniture (in several languages), never a site.

// skipLinkPhrases are the labels of accessibility skip-link blocks.
var skipLinkPhrases = newPhraseSet(
	"accessibility links", "accessibility", "skip to content", "skip to main content",
	"skip to navigation", "skip navigation", "skip to main navigation", "skip to search",
	"skip to footer", "skip to the content", "jump to content", "jump to navigation",
	"skip links", "skip to", "go to content", "back to top", "aller au contenu",
	"aller au menu", "zum inhalt springen", "zum inhalt", "saltar al contenido",
	"ir al contenido", "passa al contenuto", "pular para o conteúdo",
	"روابط إمكانية الوصول", "روابط الوصول", "انتقل إلى المحتوى", "تخطي إلى المحتوى",
	"الانتقال إلى المحتوى", "تخطى إلى المحتوى الرئيسي", "الانتقال إلى المحتوى الرئيسي",
	"انتقل إلى القائمة", "العودة إلى الأعلى",
)

// textSizePhrases are the tokens of a font-size selector ("XS SM MD LG", "A- A A+").
var textSizePhrases = newPhraseSet(
	"xs", "s", "sm", "m", "md", "l", "lg", "xl", "xxl", "a", "aa", "aaa",
	"small", "medium", "large", "larger", "smaller", "normal", "reset", "default",
	"font size", "text size", "font", "size", "zoom", "taille du texte", "schriftgröße",
	"tamaño de letra", "tamaño del texto",
	"صغير", "متوسط", "كبير", "أصغر", "أكبر", "حجم الخط", "حجم النص", "الخط", "تكبير", "تصغير",
	"تكبير الخط", "تصغير الخط",
)

// sharePhrases are the words of share, print and e-mail strips.
var sharePhrases = newPhraseSet(
	"share", "share this", "share this article", "share this story", "share on", "share via",
	"shares", "tweet", "facebook", "twitter", "x", "whatsapp", "telegram", "linkedin",
	"pinterest", "reddit", "email", "e mail", "mail", "print", "copy link", "copy", "link",
	"messenger", "flipboard", "comments", "comment", "save", "sms", "bluesky", "threads",
	"partager", "imprimer", "teilen", "drucken", "compartir", "imprimir", "condividi", "stampa",
	"شارك", "مشاركة", "شارك على", "شارك عبر", "طباعة", "اطبع", "فيسبوك", "فيس بوك", "تويتر",
	"واتساب", "واتس اب", "تلغرام", "تيليغرام", "تليجرام", "البريد الإلكتروني", "بريد إلكتروني",
	"أرسل", "إرسال", "نسخ الرابط", "تعليق", "تعليقات", "حفظ",
)

// relatedPhrases head "read also", related and most-read boxes.
var relatedPhrases = newPhraseSet(
	"more", "read also", "also read", "read more", "read next", "related", "related articles",
	"related stories", "related news", "related content", "related coverage", "related links",
	"related posts", "related reading", "more on this", "more on this story",
	"more on this topic", "more about", "you may also like", "you might also like",
	"you may be interested in", "recommended", "recommended for you", "recommended stories",
	"most read", "most popular", "most viewed", "most shared", "trending", "trending now",
	"see also", "more stories", "more news", "top stories", "latest news", "latest stories",
	"don't miss", "what to read next", "see more", "watch", "watch more", "watch now", "listen", "editor's picks", "further reading", "more from",
	"lire aussi", "à lire aussi", "sur le même sujet", "lesen sie auch", "mehr zum thema",
	"leer también", "lea también", "te puede interesar", "leia também", "leggi anche",
	"اقرأ أيضا", "اقرأ أيضًا", "اقرأ كذلك", "اقرأ المزيد", "إقرأ أيضا", "مواضيع ذات صلة",
	"ذات صلة", "أخبار ذات صلة", "مقالات ذات صلة", "موضوعات ذات صلة", "مواد ذات صلة",
	"الأكثر قراءة", "الأكثر مشاهدة", "الأكثر تداولا", "قد يهمك", "قد يهمك أيضا",
	"قد يعجبك أيضا", "شاهد أيضا", "طالع أيضا", "اخترنا لك", "المزيد من الأخبار", "أخبار متعلقة",
	"للمزيد", "المزيد",
	// "Read more" and "read also" lines of other languages.
	"continue reading", "keep reading", "related story", "read the full story", "read the full article",
	"read full article", "full story", "also see",
	"weiterlesen", "mehr lesen", "lesen sie mehr", "mehr dazu", "auch interessant", "lesetipp",
	"das könnte sie auch interessieren", "zum weiterlesen", "lesen sie dazu auch", "ähnliche artikel",
	"lire la suite", "lire plus", "à lire également", "lire également", "voir aussi", "à voir aussi",
	"articles similaires", "en savoir plus", "pour aller plus loin",
	"lee también", "leer más", "seguir leyendo", "sigue leyendo", "más información", "noticias relacionadas",
	"también te puede interesar", "te recomendamos", "mira también", "ver también", "no te pierdas",
	"leia mais", "saiba mais", "veja também", "veja mais", "continue lendo", "notícias relacionadas",
	"leggi di più", "continua a leggere", "potrebbe interessarti", "articoli correlati", "vedi anche",
	"lees meer", "lees ook", "lees verder", "ook interessant",
	"czytaj więcej", "czytaj też", "czytaj także", "zobacz też", "zobacz także", "przeczytaj również", "polecamy",
	"читайте также", "читать далее", "читать дальше", "подробнее", "смотрите также", "по теме", "ещё по теме",
	"читайте також", "детальніше", "дивіться також",
	"devamını oku", "ayrıca okuyun", "ilgili haber", "ilgili haberler", "bunlar da ilginizi çekebilir",
	"baca juga", "baca selengkapnya", "selengkapnya", "simak juga", "lihat juga", "berita terkait", "artikel terkait",
	"đọc thêm", "xem thêm", "tin liên quan",
	"続きを読む", "関連記事", "関連ニュース", "あわせて読みたい", "合わせて読みたい", "こちらもおすすめ",
	"더보기", "기사 더보기", "관련기사", "관련 기사", "이어서 읽기",
	"阅读更多", "阅读全文", "相关阅读", "相关文章", "相关新闻", "延伸阅读", "推荐阅读",
	"閱讀更多", "閱讀全文", "相關閱讀", "相關新聞", "延伸閱讀", "推薦閱讀",
	"بیشتر بخوانید", "ادامه مطلب", "مطالب مرتبط", "اخبار مرتبط",
	"קראו גם", "קרא עוד", "קראו עוד", "עוד בנושא",
	"यह भी पढ़ें", "ये भी पढ़ें", "और पढ़ें",
)

// promptPhrases occur in newsletter, cookie and comment prompts.
var promptPhrases = newPhraseSet(
	"newsletter", "newsletters", "sign up", "subscribe", "subscribe now", "we use cookies",
	"affiliate links", "affiliate link", "referral links", "affiliate commission", "contain affiliate", "contains affiliate",
	"cookie policy", "cookies", "cookie settings", "accept cookies", "accept all",
	"privacy policy", "inbox", "abonnez vous", "inscrivez vous", "anmelden",
	"اشترك", "اشترك الآن", "النشرة البريدية", "النشرة الإخبارية", "ملفات تعريف الارتباط",
	"الكوكيز", "سياسة الخصوصية", "سجل الآن",
)

// promptLines are whole lines that invite the reader to comment or act.
var promptLines = newPhraseSet(
	"comments", "comment", "leave a comment", "post a comment", "tell us what you think",
	"join the conversation", "have your say", "what do you think", "show comments",
	"view comments", "load comments", "add a comment", "click here", "click to expand",
	"أضف تعليق", "أضف تعليقك", "التعليقات", "شاركنا رأيك",
)

// adLabels are the labels of advertisement slots and script-only widgets.
var adLabels = newPhraseSet(
	"advert", "advertisement", "advertising", "ad", "ads", "sponsored", "sponsored content",
	"promoted", "promoted content", "paid content", "paid post", "partner content",
	"story continues below", "story continues below advertisement", "article continues below",
	"article continues below advertisement", "continue reading below", "scroll to continue",
	"scroll to continue with content", "content continues below", "advertisement continue reading below",
	"this slideshow requires javascript", "please enable javascript", "javascript is disabled",
	"you need to enable javascript", "loading", "loading video", "إعلان", "اعلان", "محتوى مدعوم",
	"publicité", "anzeige", "publicidad", "pubblicità", "werbung",
)

// tagPhrases head tag and keyword lists.
var tagPhrases = newPhraseSet(
	"tags", "tag", "topics", "keywords", "filed under", "categories", "category",
	"mots clés", "schlagworte", "themen", "etiquetas", "temas", "argomenti",
	"الكلمات المفتاحية", "كلمات مفتاحية", "الوسوم", "وسوم", "تصنيفات", "التصنيفات", "الموضوعات",
)

// bylinePrefixes start a byline line.
var bylinePrefixes = newPhraseSet(
	"by", "written by", "reporting by", "words by", "story by", "author", "authors",
	"par", "von", "por", "di", "door",
	"بقلم", "كتب", "كتبت", "تحرير", "إعداد", "الكاتب", "المحرر", "تقرير",
)

// dateWords are the words of date and "published / updated" lines.
var dateWords = newPhraseSet(
	"published", "updated", "posted", "last updated", "first published", "modified", "on", "at",
	"am", "pm", "gmt", "utc", "est", "edt", "pst", "pdt", "bst", "cet", "cest", "ist", "et",
	"ago", "minutes", "minute", "hours", "hour", "days", "day", "today", "yesterday", "mins", "min", "hrs",
	"january", "february", "march", "april", "may", "june", "july", "august", "september",
	"october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
	"sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "th", "st", "nd", "rd",
	"publié le", "mis à jour", "le", "veröffentlicht", "aktualisiert", "am", "publicado", "actualizado",
	"نشر", "نشر في", "نشرت", "تاريخ النشر", "آخر تحديث", "تحديث", "تم التحديث", "منذ", "دقيقة",
	"دقائق", "ساعة", "ساعات", "يوم", "أيام", "اليوم", "أمس", "في", "الساعة", "صباحا", "مساء", "ص", "م",
	"يناير", "فبراير", "مارس", "أبريل", "ابريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
	"أكتوبر", "نوفمبر", "ديسمبر", "كانون الثاني", "كانون ثاني", "شباط", "آذار", "نيسان", "أيار",
	"حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين أول", "تشرين الثاني", "تشرين ثاني",
	"كانون الأول", "كانون أول", "السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء",
	"الخميس", "الجمعة",
	"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
	"outubro", "novembro", "dezembro", "segunda feira", "terça feira", "quarta feira",
	"quinta feira", "sexta feira", "sábado", "domingo", "de", "às", "h",
	"enero", "febrero", "marzo", "mayo", "junio", "julio", "septiembre", "octubre",
	"noviembre", "diciembre", "lunes", "martes", "miércoles", "jueves", "viernes", "del",
	"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
	"octobre", "novembre", "décembre", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
	"samedi", "dimanche", "januar", "februar", "märz", "juni", "juli", "oktober", "dezember",
	"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "um", "uhr",
	"更新", "更新日", "更新日時", "公開", "公開日", "配信", "掲載", "発行", "发布", "发布时间", "發布", "發佈",
	"更新时间", "更新時間", "입력", "수정", "업데이트", "기사입력", "최종수정", "등록", "게시",
)

// promptStarts begin a call to subscribe, follow or download.
var promptStarts = newPhraseSet(
	"subscribe to", "subscribe for", "sign up for", "sign up to", "follow us", "join us",
	"join our", "download our app", "download the app", "get the app", "like us on facebook",
	"اشترك في", "اشترك الآن", "تابعونا", "تابعنا على", "حمل تطبيق", "انضم إلى",
)

// bioHeadings head an author biography box.
var bioHeadings = newPhraseSet(
	"about the author", "about the authors", "about the writer", "author bio", "about author",
	"à propos de l'auteur", "über den autor", "sobre el autor", "sobre o autor",
	"عن الكاتب", "نبذة عن الكاتب", "عن المؤلف",
)

// creditPrefixes start photo credit lines.
var creditPrefixes = newPhraseSet(
	"photo", "photos", "photograph", "image", "images", "picture", "credit", "credits",
	"photo credit", "image credit", "image source", "source image", "illustration", "video",
	"foto", "bild", "crédit photo", "صورة", "الصورة", "صور", "تصوير", "مصدر الصورة", "الصورة من",
	"file photo", "archive photo", "stock photo", "photo illustration", "archive", "file",
	"صورة أرشيفية", "صورة من الأرشيف", "أرشيف", "أرشيفية", "صورة تعبيرية", "صورة توضيحية",
)
