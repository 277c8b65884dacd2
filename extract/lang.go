package extract

import (
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// detectLang guesses the language of text from its script, and for Latin-script text from
// its most frequent function words. It is small on purpose (no model file): it names the
// language when the evidence is clear and returns "" otherwise.
func detectLang(text string) string {
	if len(text) > 3000 {
		text = text[:3000]
	}
	var nLatn, nArab, nHebr, nCyrl, nGrek, nJpan, nHani, nHang, nThai, nDeva, nBeng, nTaml, nGeor, nArmn int
	letters := 0
	var persian, urdu, ukrainian, kana int
	for _, r := range text {
		if r < 0x80 {
			if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
				letters++
				nLatn++
			}
			continue
		}
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		switch {
		case unicode.Is(unicode.Arabic, r):
			nArab++
			switch r {
			case 'پ', 'چ', 'ژ', 'گ', 'ک', 'ی':
				persian++
			case 'ٹ', 'ڈ', 'ڑ', 'ں', 'ے', 'ہ':
				urdu++
			}
		case unicode.Is(unicode.Hebrew, r):
			nHebr++
		case unicode.Is(unicode.Cyrillic, r):
			nCyrl++
			switch r {
			case 'і', 'ї', 'є', 'ґ':
				ukrainian++
			}
		case unicode.Is(unicode.Greek, r):
			nGrek++
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
			nJpan++
		case unicode.Is(unicode.Han, r):
			nHani++
		case unicode.Is(unicode.Hangul, r):
			nHang++
		case unicode.Is(unicode.Thai, r):
			nThai++
		case unicode.Is(unicode.Devanagari, r):
			nDeva++
		case unicode.Is(unicode.Bengali, r):
			nBeng++
		case unicode.Is(unicode.Tamil, r):
			nTaml++
		case unicode.Is(unicode.Georgian, r):
			nGeor++
		case unicode.Is(unicode.Armenian, r):
			nArmn++
		case unicode.Is(unicode.Latin, r):
			nLatn++
		}
	}
	if letters < 20 {
		return ""
	}
	counts := map[string]int{"Latn": nLatn, "Arab": nArab, "Hebr": nHebr, "Cyrl": nCyrl, "Grek": nGrek, "Jpan": nJpan, "Hani": nHani, "Hang": nHang, "Thai": nThai, "Deva": nDeva, "Beng": nBeng, "Taml": nTaml, "Geor": nGeor, "Armn": nArmn}
	best, bestN := "", 0
	for s, n := range counts {
		if n > bestN || (n == bestN && s < best) {
			best, bestN = s, n
		}
	}
	if bestN*2 < letters {
		return ""
	}
	arab := counts["Arab"]
	switch best {
	case "Arab":
		switch {
		case urdu*50 > arab:
			return "ur"
		case persian*30 > arab:
			return "fa"
		}
		return "ar"
	case "Hebr":
		return "he"
	case "Cyrl":
		if ukrainian*100 > counts["Cyrl"] {
			return "uk"
		}
		return "ru"
	case "Grek":
		return "el"
	case "Jpan":
		return "ja"
	case "Hani":
		if kana*20 > counts["Hani"] {
			return "ja"
		}
		return "zh"
	case "Hang":
		return "ko"
	case "Thai":
		return "th"
	case "Deva":
		return "hi"
	case "Beng":
		return "bn"
	case "Taml":
		return "ta"
	case "Geor":
		return "ka"
	case "Armn":
		return "hy"
	case "Latn":
		return latinLang(text)
	}
	return ""
}

// latinStopwords are frequent function words that tell Latin-script languages apart.
var latinStopwords = map[string][]string{
	"en": {"the", "and", "of", "to", "in", "is", "that", "for", "it", "was", "on", "with", "he", "as", "at", "by", "this", "have", "from", "are"},
	"fr": {"le", "la", "les", "de", "des", "et", "est", "un", "une", "du", "en", "que", "pour", "dans", "qui", "sur", "pas", "au", "il", "avec"},
	"de": {"der", "die", "und", "das", "ist", "nicht", "ein", "eine", "zu", "den", "mit", "sich", "des", "auf", "für", "im", "dem", "von", "auch", "es"},
	"es": {"el", "la", "de", "que", "y", "en", "los", "del", "las", "por", "un", "una", "con", "para", "es", "se", "su", "al", "lo", "como"},
	"pt": {"o", "a", "de", "que", "e", "do", "da", "em", "um", "para", "com", "não", "uma", "os", "no", "na", "se", "por", "mais", "as"},
	"it": {"il", "di", "che", "e", "la", "per", "un", "in", "non", "una", "del", "della", "è", "sono", "con", "le", "si", "da", "gli", "al"},
	"nl": {"de", "het", "een", "van", "en", "in", "is", "dat", "op", "te", "zijn", "met", "voor", "niet", "aan", "er", "ook", "als", "bij", "door"},
	"tr": {"ve", "bir", "bu", "da", "de", "için", "ile", "çok", "olarak", "daha", "gibi", "ama", "olan", "en", "sonra", "kadar", "ne", "mi", "var", "değil"},
	"id": {"yang", "dan", "di", "ini", "itu", "dengan", "untuk", "tidak", "dari", "dalam", "akan", "pada", "juga", "ke", "karena", "ada", "oleh", "atau", "saya", "mereka"},
	"pl": {"i", "w", "nie", "na", "się", "z", "do", "to", "że", "jest", "o", "jak", "ale", "po", "co", "tak", "za", "od", "przez", "być"},
	"sv": {"och", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har", "inte", "om", "ett", "var", "jag", "men", "de"},
}

// latinLangs are the languages of latinStopwords, sorted; stopwordLangs maps each stopword
// to the languages it belongs to, as indexes into latinLangs.
var latinLangs, stopwordLangs = func() ([]string, map[string][]int) {
	langs := slices.Sorted(maps.Keys(latinStopwords))
	m := map[string][]int{}
	for i, l := range langs {
		for _, w := range latinStopwords[l] {
			m[w] = append(m[w], i)
		}
	}
	return langs, m
}()

func latinLang(text string) string {
	scores := make([]int, len(latinLangs))
	words := 0
	var word []byte // the current word, lower-cased
	count := func() {
		if len(word) > 0 {
			words++
			for _, l := range stopwordLangs[string(word)] {
				scores[l]++
			}
			word = word[:0]
		}
	}
	for _, r := range text {
		if r = unicode.ToLower(r); unicode.IsLetter(r) {
			word = utf8.AppendRune(word, r)
		} else {
			count()
		}
	}
	count()
	// The most frequent language (the first by name on a tie) and the runner-up's count.
	best, bestN, second := "", 0, 0
	for i, n := range scores {
		switch {
		case n > bestN:
			best, bestN, second = latinLangs[i], n, bestN
		case n > second:
			second = n
		}
	}
	if bestN < 3 || bestN*10 < words || float64(bestN) < 1.2*float64(second) {
		return ""
	}
	return best
}

// scriptOfLang names the script a language is written in, for consistency checks.
func scriptOfLang(tag string) string {
	primary := strings.ToLower(strings.SplitN(tag, "-", 2)[0])
	switch primary {
	case "ar", "fa", "ur", "ps", "ku", "sd", "ug":
		return "Arab"
	case "he", "yi":
		return "Hebr"
	case "ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg":
		return "Cyrl"
	case "el":
		return "Grek"
	case "zh", "ja":
		return "Hani"
	case "ko":
		return "Hang"
	case "th":
		return "Thai"
	case "hi", "mr", "ne":
		return "Deva"
	case "bn":
		return "Beng"
	case "ta":
		return "Taml"
	case "ka":
		return "Geor"
	case "hy":
		return "Armn"
	}
	return "Latn"
}
