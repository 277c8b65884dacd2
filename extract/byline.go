package extract

// The byline: every person credited with the article, as "Name, Name" in page order. Names
// come from JSON-LD, meta tags, rel=author and itemprop=author elements, byline elements and
// the "By ..." line under the headline; each is cut into names (multilingual conjunctions,
// commas, bars) and cleaned of what is not a name: "By" / "Von" / "بقلم", roles ("Staff
// Writer", "مراسل"), places ("in Berlin"), dates, social handles. An organisation (the
// site, a news agency, "Staff") is the byline only when no person is named.

import (
	"lede"
	"strings"
	"unicode"
	"unicode/utf8"
)

// authorName is one name read from a byline.
type authorName struct {
	name string
	org  bool // an organisation, or a single word that may be one
}

// bylinePrefixWords start a byline ("By Jane Doe", "Von Hans Muster", "بقلم ...").
var bylinePrefixWords = newPhraseSet("by", "written by", "reporting by", "reported by", "words by",
	"story by", "text by", "posted by", "published by", "from", "author", "authors", "autor", "autoren",
	"autora", "auteur", "auteurs", "autore", "autori", "von", "text", "texto", "por", "par", "di", "door",
	"av", "af", "przez", "napisał", "napisała", "автор", "авторы", "текст", "yazan", "oleh",
	"بقلم", "كتب", "كتبت", "كتبه", "كتبها", "إعداد", "اعداد", "تحرير", "تقرير", "الكاتب", "المحرر",
	"作者", "文", "撰文", "记者", "記者", "글", "기자",
	// An author box's heading: "About Jane Doe", "More from Jane Doe", "Sobre Carlos".
	"about", "about the author", "more from", "more by", "posts by", "all posts by", "view all posts by",
	"articles by", "stories by", "sobre", "über", "acerca de", "à propos de", "mehr von", "plus de",
	"más de", "عن", "المزيد من")

// creditPrefixWords start a credit that is not an authorship: an editor's, a photographer's,
// a reviewer's ("Edited by", "Photos:", "责任编辑：", "Reviewed by"). The names after them
// are left out of the byline.
var creditPrefixWords = newPhraseSet("edited by", "editing by", "editor", "editors", "editorial by",
	"reviewed by", "medically reviewed by", "fact checked by", "photos by", "photo by", "photos",
	"photo", "photography", "photography by", "images by", "illustration by", "illustrations by",
	"video by", "graphics by", "translated by", "translation", "additional reporting by",
	"contributing", "with additional reporting", "redigiert von", "bearbeitet von", "fotos",
	"foto", "bild", "redaktion", "bearbeitung", "edición", "fotografía", "fotos de", "rédaction",
	"édité par", "photos de", "traduction", "a cura di", "редактор", "фото", "تحرير", "تصوير",
	"ترجمة", "مراجعة", "编辑", "责任编辑", "責任編輯", "编审", "校对", "审核", "摄影", "图", "編集",
	"写真", "사진", "편집")

// bylineConjunctions join the last two names of a list.
var bylineConjunctions = map[string]bool{
	"and": true, "und": true, "y": true, "e": true, "et": true, "i": true, "og": true, "och": true,
	"ja": true, "и": true, "та": true, "ve": true, "dan": true, "és": true, "a": true, "و": true,
	"和": true, "與": true, "与": true, "及": true, "と": true, "with": true, "mit": true, "con": true,
	"avec": true, "com": true, "con la colaboración de": true, "&": true,
}

// roleWords are job titles printed with bylines; a name segment holding one is a role.
var roleWords = wordSet("writer", "writers", "reporter", "reporters", "correspondent", "correspondents",
	"editor", "editors", "columnist", "contributor", "journalist", "photographer", "photojournalist",
	"analyst", "producer", "anchor", "host", "critic", "reviewer", "intern", "fellow", "contributing",
	"staff", "staffer", "freelance", "freelancer", "bureau", "chief", "senior", "special", "associate",
	"redakteur", "redakteurin", "korrespondent", "korrespondentin", "reporterin", "autorin",
	"redaktorin", "redaktor", "volontär", "volontärin", "mitarbeiter", "mitarbeiterin",
	"corresponsal", "redactor", "redactora", "periodista", "enviado", "enviada", "colaborador",
	"colaboradora", "correspondant", "correspondante", "journaliste", "rédacteur", "rédactrice",
	"envoyé", "envoyée", "chroniqueur", "chroniqueuse", "giornalista", "inviato", "inviata",
	"corrispondente", "redattore", "repórter", "jornalista", "correspondente", "redator",
	"корреспондент", "обозреватель", "журналист", "редактор", "muhabir", "editör", "wartawan",
	"مراسل", "مراسلة", "مراسلنا", "مراسلتنا", "محرر", "محررة", "صحفي", "صحفية", "صحافي", "صحافية",
	"مندوب", "مندوبة", "كاتب", "كاتبة", "مدير", "رئيس", "特派員", "記者", "记者", "编辑", "通讯员",
	"編集委員", "特约记者", "본부장", "특파원", "기자", "technologist", "scientist", "engineer", "professor",
	"director", "manager", "president", "founder", "ceo", "lecturer", "researcher", "adviser", "advisor")

// orgWords mark a name as an organisation's: an agency, a desk, a newsroom.
var orgWords = wordSet("news", "newsroom", "staff", "desk", "team", "agency", "agencies", "press",
	"media", "wire", "wires", "service", "services", "associated", "editorial", "editors", "board",
	"times", "post", "daily", "tribune", "herald", "journal", "magazine", "gazette", "radio", "tv",
	"television", "online", "network", "channel", "group", "international", "insider", "reports",
	"report", "bureau", "inc", "ltd", "llc", "gmbh", "redaktion", "nachrichten", "agentur", "redacción",
	"agencia", "agencias", "agence", "rédaction", "redazione", "agenzia", "redação", "редакция",
	"агентство", "وكالة", "وكالات", "قناة", "صحيفة", "موقع", "فريق", "غرفة", "الأخبار", "الاخبار",
	"التحرير", "newsdesk", "admin", "administrator", "webmaster", "sports", "dpa", "project",
	"institute", "university", "foundation", "center", "centre", "council", "association", "ministry",
	"afp", "ap", "reuters", "efe", "ansa", "xinhua", "tass", "pti", "ians", "anp")

// placePrepositions introduce the place a byline was filed from or the outlet it was
// written for: "Jane Doe in Berlin", "John Roe for Example Online".
var placePrepositions = wordSet("in", "from", "aus", "à", "em", "в", "из", "في", "من", "for", "für",
	"pour", "para", "per", "voor", "для", "لـ", "لصالح")

// followWords precede a social handle: "Follow @jane".
var followWords = wordSet("follow", "folgen", "seguir", "suivre", "segui", "تابع", "تابعوا", "twitter",
	"email", "e-mail", "mail", "facebook", "instagram", "linkedin", "x")

// byline returns "Name, Name" from the first tier of sources that names a person: within
// a tier the source naming the most people wins (the first on a tie). When no source names
// a person, the organisations of the first of orgSources that credits one are the byline.
func byline(tiers [][][]authorName, orgSources [][]authorName) string {
	for _, tier := range tiers {
		best, bestPersons := -1, 0
		for i, s := range tier {
			p := 0
			for _, n := range s {
				if !n.org {
					p++
				}
			}
			if p > bestPersons {
				best, bestPersons = i, p
			}
		}
		if best >= 0 {
			return joinNames(tier[best], false)
		}
	}
	for _, s := range orgSources {
		if out := joinNames(s, true); out != "" {
			return out
		}
	}
	return ""
}

// joinNames joins the persons' names (with orgs, the organisations' too) once each.
func joinNames(names []authorName, orgs bool) string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		if k := squash(n.name); k != "" && !seen[k] && (orgs || !n.org) {
			seen[k] = true
			out = append(out, n.name)
		}
	}
	return strings.Join(out, ", ")
}

// splitByline cuts a byline text into the names it credits, in order. strict is for text
// read off the page (a line, an element) rather than a metadata value: its names must look
// like names (capitalised words in scripts with case).
func splitByline(text string, o outlet, strict bool) []authorName {
	text = collapse(text)
	if text == "" || strings.HasPrefix(text, "http://") || strings.HasPrefix(text, "https://") {
		return nil
	}
	if strict {
		text = fromBylinePrefix(text)
	}
	var out []authorName
	// A role or an organisation continues over the segments after it that a comma
	// introduces ("Jane Doe, Senior Technologist, Civil Liberties Union, Privacy Project"); a
	// non-author credit ("Edited by", "Photos:") runs until the next byline prefix.
	continues, crediting := false, false
	for _, seg := range bylineSegments(text) {
		norm := lede.NormalizeText(seg.text)
		if _, rest, ok := creditPrefixWords.prefix(norm); ok && rest != "" {
			crediting = true
			continue
		}
		if _, _, ok := bylinePrefixWords.prefix(norm); ok {
			crediting = false
		}
		if crediting || (continues && !seg.joined) {
			continue
		}
		n, kind := cleanName(seg.text, o, strict)
		continues = kind == roleName || kind == orgName
		if kind == personName || kind == orgName {
			out = append(out, n)
		}
	}
	// A single word after a person's name is a place or an outlet ("Jane Doe, Washington").
	persons := 0
	for _, n := range out {
		if !n.org && strings.Contains(n.name, " ") {
			persons++
		}
	}
	if persons > 0 {
		for i := range out {
			if !strings.Contains(out[i].name, " ") && !cjkName(out[i].name) {
				out[i].org = true
			}
		}
	}
	return out
}

// fromBylinePrefix cuts what comes before a byline prefix inside a line: "Danmark - 10.
// marts 2020 kl. 20:00 Af Ritzau" is credited to Ritzau, "Politics | By Jane Doe" to Jane.
func fromBylinePrefix(text string) string {
	words := strings.Fields(text)
	for i := 1; i+1 < len(words); i++ {
		if bylinePrefixWords.is(lede.NormalizeText(words[i])) && startsUpper(words[i+1]) &&
			len(lede.NormalizeText(words[i])) <= 4 {
			return strings.Join(words[i:], " ")
		}
	}
	return text
}

// bylineSeg is one part of a byline between separators.
type bylineSeg struct {
	text   string
	joined bool // introduced by a conjunction, "&", a bar or a semicolon: a name of its own
}

// bylineSegments splits a byline at separators, conjunctions and sentence stops, and cuts
// it before a date or a handle.
func bylineSegments(text string) []bylineSeg {
	words := bylineWords(text)
	var segs []bylineSeg
	var cur []string
	joined := false
	flush := func() {
		if len(cur) > 0 {
			segs = append(segs, bylineSeg{text: strings.Join(cur, " "), joined: joined})
			cur = nil
			joined = false
		}
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		lw := strings.ToLower(w)
		switch {
		case w == ";" || w == "|" || w == "&" || w == "+" || w == "؛" || w == "；" || w == "｜":
			flush()
			joined = true
		case w == "(" && nickname(words, i):
			// "Richard (R.J.) Eskow": a nickname inside the name stays.
			j := i + 1
			for words[j] != ")" {
				j++
			}
			cur = append(cur, "("+strings.Join(words[i+1:j], " ")+")")
			i = j
		case w == "-" || len(w) <= 3 && strings.ContainsAny(w, bylineSeparators):
			flush()
		case w == ".":
			flush() // "Finian Cunningham. Sputnik International"
		case bylineConjunctions[lw] && !startsUpper(w):
			// "and", "und", "y", "و" — but "Dan" (Indonesian "and") is a name.
			flush()
			joined = true
		case strings.HasPrefix(w, "@") || strings.Contains(w, "@") && strings.Contains(w, "."):
			// A handle or an e-mail address: drop it and the "Follow" before it.
			if n := len(cur); n > 0 && followWords[foldWord(cur[n-1])] {
				cur = cur[:n-1]
			}
			flush()
		case startsDate(words, i):
			flush()
			return segs
		case arabicAnd(cur, words, i):
			flush()
			joined = true
			cur = append(cur, strings.TrimPrefix(w, "و"))
		default:
			cur = append(cur, w)
		}
	}
	flush()
	return segs
}

// bylineSeparators split a byline into segments (hyphens too, when they stand alone).
const bylineSeparators = ",;|/&+·•،؛–—:()、，（）：；｜【】[]／="

// bylineWords splits text into words and the separators between them (each a word of its
// own). Stops stay on initials and abbreviations ("E.", "S.A.", "Dr."); after a longer
// word a stop is a separator. Hyphens and apostrophes inside names stay.
func bylineWords(text string) []string {
	const seps = bylineSeparators
	var out []string
	for _, f := range strings.Fields(text) {
		var tail []string
		// Leading separators.
		for f != "" {
			r, size := utf8.DecodeRuneInString(f)
			if !strings.ContainsRune(seps+"-", r) {
				break
			}
			out = append(out, string(r))
			f = f[size:]
		}
		// Trailing separators and a stop.
		for f != "" {
			r, size := utf8.DecodeLastRuneInString(f)
			if r == '.' {
				word := f[:len(f)-size]
				if utf8.RuneCountInString(word) <= 1 || strings.Contains(word, ".") || honorific(word) {
					break // an initial or an abbreviation keeps its stop
				}
			} else if !strings.ContainsRune(seps+"-", r) {
				break
			}
			tail = append(tail, string(r))
			f = f[:len(f)-size]
		}
		// Separators inside ("Smith,Jones", "Jane|John"), never hyphens or stops.
		for f != "" {
			i := strings.IndexAny(f, seps)
			if i < 0 {
				out = append(out, f)
				break
			}
			if i > 0 {
				out = append(out, f[:i])
			}
			_, size := utf8.DecodeRuneInString(f[i:])
			out = append(out, f[i:i+size])
			f = f[i+size:]
		}
		for j := len(tail) - 1; j >= 0; j-- {
			out = append(out, tail[j])
		}
	}
	return out
}

// nickname reports whether the bracket at words[i] holds one or two words and the name
// goes on after it: "Richard (R.J.) Eskow", "Amanda (Tania Mae) Tan".
func nickname(words []string, i int) bool {
	for j := i + 1; j < len(words) && j <= i+3; j++ {
		if words[j] == ")" {
			return j > i+1 && j+1 < len(words) && startsUpper(words[j+1]) && !strings.ContainsAny(words[j+1], bylineSeparators)
		}
		if strings.ContainsAny(words[j], bylineSeparators) {
			return false
		}
	}
	return false
}

// honorific reports titles printed before a name with a stop: "Dr. Jane Doe".
func honorific(w string) bool {
	switch strings.ToLower(strings.TrimSuffix(w, ".")) {
	case "dr", "mr", "mrs", "ms", "jr", "sr", "st", "prof", "mme", "mlle", "hr", "fr", "sra", "dra":
		return true
	}
	return false
}

// startsDate reports whether words[i] starts a date, a time or a count ("2 min read"):
// the byline ends there.
func startsDate(words []string, i int) bool {
	w := words[i]
	if r, _ := utf8.DecodeRuneInString(w); digitValue(r) >= 0 {
		return true
	}
	lw := foldWord(w)
	if updateWords[lw] || publishWords[lw] {
		// "Published 18 Nov", "Updated:", but not "Posted by Jane Doe".
		return i+1 >= len(words) || !bylinePrefixWords.is(lede.NormalizeText(words[i+1]))
	}
	if weekdayNames[lw] {
		return true
	}
	next := i + 1
	for next < len(words) && words[next] == "." {
		next++
	}
	if next < len(words) && (lw == "last" || lw == "zuletzt" || lw == "dernière") && updateWords[foldWord(words[next])] {
		return true // "Last updated"
	}
	if _, ok := monthNames[lw]; ok && next < len(words) {
		if r, _ := utf8.DecodeRuneInString(words[next]); digitValue(r) >= 0 {
			return true
		}
	}
	return false
}

// dateLinkWords stand between a byline and its date: "Jane Doe on Monday", "am 3. März".
var dateLinkWords = wordSet("on", "am", "le", "el", "il", "op", "em", "på", "den", "в", "في", "at")

// weekdayNames start a date in a byline line ("Jane Doe, Monday 18 November").
var weekdayNames = wordSet("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
	"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
	"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
	"lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
	"segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira",
	"lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato",
	"понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье",
	"السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")

// arabicAnd reports whether words[i] is an Arabic name glued to the conjunction و ("محمد
// علي وأحمد حسن"): two names of two words or more on each side.
func arabicAnd(cur, words []string, i int) bool {
	w := words[i]
	if !strings.HasPrefix(w, "و") || utf8.RuneCountInString(w) < 4 || len(cur) < 2 {
		return false
	}
	if i+1 >= len(words) || !isLetters(words[i+1]) {
		return false
	}
	switch strings.TrimPrefix(w, "و") {
	case "ليد", "ائل", "فاء", "سام", "جدي", "حيد", "ديع", "داد", "صفي", "عد", "هبة", "هيب", "ضاح", "لاء":
		return false // وليد، وائل، وفاء ...: names that begin with و
	}
	return true
}

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return s != ""
}

// outlet names the publication: its site name, its publisher's name, its host. A byline
// naming it credits an organisation, not a person.
type outlet struct {
	names []string
	host  string
}

// is reports whether s names the outlet.
func (o outlet) is(s string) bool {
	for _, n := range o.names {
		if n != "" && isSiteName(s, n, "") {
			return true
		}
	}
	return isSiteName(s, "", o.host)
}

// exactly reports whether s is the outlet's whole name or its host's name ("Florida Today"
// on floridatoday.com), not a part of it.
func (o outlet) exactly(s string) bool {
	k := squash(s)
	if k == "" {
		return false
	}
	for _, n := range o.names {
		if k == squash(n) {
			return true
		}
	}
	h := strings.TrimPrefix(strings.ToLower(o.host), "www.")
	return h != "" && (k == hostName(h) || k == squash(h))
}

// nameParticles are the lower-case words inside names: "Ana de Armas", "Vincent van Gogh".
var nameParticles = wordSet("de", "del", "della", "der", "den", "di", "da", "das", "do", "dos", "du",
	"la", "le", "van", "von", "ter", "ten", "y", "e", "bin", "ibn", "al", "el", "zu", "af", "av", "st")

// Kinds of byline segment, as cleanName tells them.
const (
	noName = iota
	personName
	orgName
	roleName // a job title alone: "Staff Writer", "Editor"
)

// cleanName strips a byline prefix, a role and a place from one segment and tells a person
// from an organisation or a role; noName when nothing name-like is left.
func cleanName(seg string, o outlet, strict bool) (authorName, int) {
	words := strings.Fields(strings.Trim(seg, " ,:;-–—'\""))
	if len(words) == 0 || bylinePrefixWords.is(lede.NormalizeText(seg)) {
		return authorName{}, noName // "Autor:" alone
	}
	if creditPrefixWords.is(lede.NormalizeText(seg)) {
		return authorName{}, roleName // "Editor", "Photos"
	}
	// A reporter credited CJK style: "記者林宸誼" (the role glued), "台北報導" (where it was
	// filed: not a name).
	if len(words) == 1 {
		for _, p := range cjkRolePrefixes {
			if n := strings.TrimPrefix(words[0], p); n != words[0] && cjkName(n) {
				return authorName{name: n}, personName
			}
		}
		for _, suffix := range []string{"報導", "报道", "報道", "電", "电"} {
			if strings.HasSuffix(words[0], suffix) {
				return authorName{}, roleName
			}
		}
	}
	// Prefixes: "By", "Written by", "بقلم", "Von".
	for len(words) >= 2 {
		p, _, ok := bylinePrefixWords.prefix(lede.NormalizeText(strings.Join(words, " ")))
		if !ok {
			break
		}
		words = words[strings.Count(p, " ")+1:]
	}
	// Follow words left behind a handle; a trailing "on" / "am" before a date.
	for len(words) > 0 && (followWords[foldWord(words[len(words)-1])] || dateLinkWords[foldWord(words[len(words)-1])]) {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return authorName{}, noName
	}
	// A capitalised "The" inside a credit starts the outlet's name: "Metro Desk The Evening
	// Star", "Jane Doe The Weekly Review".
	for i := 2; i < len(words); i++ {
		if words[i] == "The" {
			words = words[:i]
			break
		}
	}
	// A person's name followed by the outlet's: "Kelli Miller WebMD Health News".
	if len(words) >= 4 && givenAndFamily(words[0], words[1]) && (o.is(words[2]) || orgWords[foldWord(words[len(words)-1])]) {
		words = words[:2]
	}
	// An organisation keeps its whole name: "Staff Reports", "AP National Desk".
	for _, w := range words {
		lw := foldWord(strings.Trim(w, ".,"))
		if strings.Contains(lw, "admin") || lw == "webmaster" || lw == "user" || lw == "guest" {
			return authorName{}, noName // a CMS account ("admin", "jdadmin"), not a credit
		}
		if orgWords[lw] {
			if len(words) > 6 {
				return authorName{}, noName
			}
			return authorName{name: strings.Join(words, " "), org: true}, orgName
		}
	}
	// A place or an outlet: "Jane Doe in Berlin", "Jane Doe for MailOnline".
	for i := 1; i+1 < len(words); i++ {
		if placePrepositions[foldWord(words[i])] && (startsUpper(words[i+1]) || !hasCase(words[i+1])) {
			words = words[:i]
			break
		}
	}
	// A role: "Reporter Jane Doe", "Jane Doe Staff Writer", "مراسل الجزيرة".
	whole := strings.Join(words, " ")
	roles := 0
	for len(words) > 0 && roleWords[foldWord(words[0])] {
		words, roles = words[1:], roles+1
	}
	if len(words) == 0 {
		return authorName{}, roleName
	}
	if roles > 0 && len(words) == 1 && !cjkName(words[0]) {
		// A role and one word: an outlet's correspondent ("مراسل الشبكة"), credited as printed.
		return authorName{name: whole, org: true}, orgName
	}
	for i, w := range words {
		if roleWords[foldWord(w)] {
			if i < 2 {
				return authorName{}, roleName // a role, maybe with a desk: "AP Auto Writer"
			}
			words = words[:i]
			break
		}
	}
	// The outlet's name glued after the person's: "Jane Doe Florida Today".
	for k := min(3, len(words)-2); k >= 1; k-- {
		if o.exactly(strings.Join(words[len(words)-k:], " ")) {
			words = words[:len(words)-k]
			break
		}
	}
	if len(words) == 0 || len(words) > 5 || strict && !nameShaped(words) {
		return authorName{}, noName // a sentence, a bio
	}
	name := strings.Join(words, " ")
	if !hasLetter(name) || strings.ContainsAny(name, "?!") || sharePhrases.is(lede.NormalizeText(name)) ||
		promptLines.is(lede.NormalizeText(name)) {
		return authorName{}, noName // "Print", "Comments"
	}
	if isOrgName(name, words, o) {
		return authorName{name: name, org: true}, orgName
	}
	return authorName{name: name}, personName
}

// givenAndFamily reports whether two words read as a first and last name: capitalised, not
// acronyms, articles or particles, not an organisation's words ("The New", "MA WebMD").
func givenAndFamily(a, b string) bool {
	for _, w := range []string{a, b} {
		lw := foldWord(w)
		if !startsUpper(w) || acronym(w) || nameParticles[lw] || orgWords[lw] || articleWords[lw] || utf8.RuneCountInString(w) < 2 {
			return false
		}
	}
	return true
}

// articleWords are articles that open organisations' names: "The New York Times".
var articleWords = wordSet("the", "la", "el", "le", "les", "los", "las", "die", "der", "das", "il", "lo",
	"het", "de", "o", "a", "al", "os", "as")

// nameShaped reports whether words can be a name: in scripts with case, every word but the
// particles starts with a capital ("the end of the year" is not a name; "ana de armas" is
// not written so either).
func nameShaped(words []string) bool {
	capitals := 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r) || unicode.IsTitle(r):
			capitals++
		case unicode.IsLower(r):
			if !nameParticles[foldWord(w)] {
				return false
			}
		}
	}
	return capitals > 0 || !hasCase(words[0])
}

// isOrgName reports whether a name is an organisation's: the outlet's own name, a domain, an
// acronym, or a single word that may be one (a person's byline has a first and last name).
func isOrgName(name string, words []string, o outlet) bool {
	if o.is(name) {
		return true
	}
	if strings.Contains(name, ".") && !strings.Contains(name, " ") {
		return true // a domain: "Cleveland.com"
	}
	if len(words) >= 2 && acronym(words[0]) && strings.IndexFunc(words[len(words)-1], unicode.IsLower) >= 0 {
		return true // an acronym then words: "CNN Business", "AP Photo" (but "TOM KRISHER")
	}
	if len(words) == 1 {
		w := words[0]
		if acronym(w) {
			return true
		}
		return !cjkName(w) && !arabicScript(w)
	}
	return false
}

// acronym reports an all-capital word of two to six letters: "AP", "AFP", "CNN".
func acronym(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 6
}

// cjkName reports a name written in Han, kana or Hangul (no spaces between its parts).
func cjkName(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 6
}

func arabicScript(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) {
			return true
		}
	}
	return false
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func hasCase(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsLower(r)
}

// namesOf reads every value of a list of byline texts into names, in order.
func namesOf(texts []string, o outlet, strict bool) []authorName {
	var out []authorName
	for _, t := range texts {
		out = append(out, splitByline(t, o, strict)...)
	}
	return out
}

// bylineLine returns the names of the first byline among the lines around the headline,
// and that line. A byline line starts with a byline prefix ("By Jane Doe and John Roe", once
// a leading date is skipped), with a role ("Reporter Jane Doe", "編集委員 中沢克二"), names a
// CJK reporter by role ("이용민 기자", "記者林宸誼／台北報導").
func bylineLine(lines []string, o outlet) (names []authorName, line string) {
	for _, l := range lines {
		if len(l) > maxVisibleText {
			continue
		}
		text := skipLeadingDate(l)
		norm := lede.NormalizeText(text)
		p, rest, ok := bylinePrefixWords.prefix(norm)
		if ok && p != "from" && p != "text" && p != "文" && rest != "" {
			if names := splitByline(text, o, true); len(names) > 0 {
				return names, l
			}
		}
		if names := roleLine(norm, text, o); len(names) > 0 {
			return names, l
		}
	}
	return nil, ""
}

// skipLeadingDate drops a date that opens a line, up to the byline prefix after it
// ("2/26/2015 7:11 AM PST BY TMZ STAFF").
func skipLeadingDate(l string) string {
	if _, _, ok := dateAt(tokenizeDate(l, 40), 0, ""); !ok {
		return l
	}
	words := strings.Fields(l)
	for i, w := range words {
		if i > 0 && bylinePrefixWords.is(lede.NormalizeText(w)) {
			return strings.Join(words[i:], " ")
		}
	}
	return l
}

// cjkRolePrefixes are reporter roles written before a name without a space: "記者林宸誼".
var cjkRolePrefixes = []string{"記者", "记者", "特派員", "特派员", "通讯员"}

// roleLine reads a line made of a role and a name: "Reporter Jane Doe", "編集委員 中沢克二",
// "이용민 기자 | 2020-03-04", "記者林宸誼／台北報導".
func roleLine(norm, text string, o outlet) []authorName {
	words := strings.Fields(norm)
	if len(words) == 0 {
		return nil
	}
	if roleWords[words[0]] && len(words) <= 5 {
		return splitByline(text, o, true)
	}
	for _, seg := range bylineSegments(text) {
		ws := strings.Fields(seg.text)
		switch {
		case len(ws) == 2 && roleWords[foldWord(ws[1])] && (cjkName(ws[0]) || hangulName(ws[0])):
			return []authorName{{name: ws[0]}} // "이용민 기자"
		case len(ws) == 1:
			for _, p := range cjkRolePrefixes {
				if n := strings.TrimPrefix(ws[0], p); n != ws[0] && cjkName(n) {
					return []authorName{{name: n}} // "記者林宸誼"
				}
			}
		}
	}
	return nil
}

// hangulName reports a Korean name: two to four Hangul syllables.
func hangulName(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.Is(unicode.Hangul, r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 4
}

// sourcePrefixes introduce the outlet a story comes from: "来源：新华网", "Source: AFP".
var sourcePrefixes = wordSet("来源", "來源", "source", "sources", "fuente", "fonte", "quelle", "bron",
	"источник", "المصدر", "출처", "出典", "出处", "kaynak", "sumber", "źródło")

// sourceOf returns the outlet the first of lines credits as the story's source ("… 来源：
// 新华网", "Source: AFP"), as an organisation, or nil.
func sourceOf(lines []string) []authorName {
	for _, l := range lines {
		if n := sourceLine(l); n != nil {
			return n
		}
	}
	return nil
}

// sourceLine reads the outlet a line credits as the story's source, or nil.
func sourceLine(text string) []authorName {
	words := bylineWords(text)
	for i, w := range words {
		if !sourcePrefixes[foldWord(w)] {
			continue
		}
		// The outlet's words after the prefix (and its colon), up to the next separator,
		// credit line or date: "来源： 新华网 作者：…", "Source: AFP".
		var name []string
		for _, x := range words[i+1:] {
			if x == ":" || x == "：" {
				if len(name) == 0 {
					continue
				}
				break
			}
			if strings.ContainsAny(x, bylineSeparators) || startsDate([]string{x}, 0) ||
				bylinePrefixWords.is(lede.NormalizeText(x)) || creditPrefixWords.is(lede.NormalizeText(x)) {
				break
			}
			name = append(name, x)
			if r, _ := utf8.DecodeRuneInString(x); isCJK(r) {
				break // written without spaces: the next word is something else ("来源：某报 某网")
			}
		}
		if n := strings.Join(name, " "); n != "" && lede.WordCount(n) <= 5 {
			return []authorName{{name: n, org: true}}
		}
		return nil
	}
	return nil
}
