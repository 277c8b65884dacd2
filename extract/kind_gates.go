package extract

import (
	"lede"
	"strings"
	"unicode"
)

// The two checks that come before a verdict's score: soft 404s and media pages.

// notFoundPhrases say that a page does not exist, in the title or headline of the page a
// server answers with 200 instead of 404. Matched on lede.NormalizeText'd text, on word
// boundaries (anywhere for scripts written without spaces).
var notFoundPhrases = normalizeAll(
	"page not found", "404 not found", "not found 404", "error 404", "404 error", "404 page",
	"page does not exist", "page doesn't exist", "page cannot be found", "page can't be found",
	"page could not be found", "we can't find that page", "we couldn't find that page",
	"page you requested", "page you are looking for", "page you were looking for",
	"content not found", "article not found", "this page is no longer available",
	"page introuvable", "page non trouvée", "erreur 404", "page n'existe pas", "page demandée n'existe",
	"página no encontrada", "no se encontró la página", "la página no existe", "página não encontrada",
	"página não existe", "seite nicht gefunden", "seite wurde nicht gefunden", "fehler 404",
	"seite existiert nicht", "pagina non trovata", "errore 404", "pagina non esiste",
	"pagina niet gevonden", "pagina bestaat niet", "страница не найдена", "ошибка 404",
	"страница не существует", "сторінку не знайдено", "sayfa bulunamadı", "nie znaleziono strony",
	"strona nie istnieje", "błąd 404", "stránka nenalezena", "sidan kunde inte hittas",
	"sidan hittades inte", "siden blev ikke fundet", "siden finnes ikke", "sivua ei löytynyt",
	"halaman tidak ditemukan", "halaman tidak dijumpai", "không tìm thấy trang",
	"η σελίδα δεν βρέθηκε", "הדף לא נמצא", "पृष्ठ नहीं मिला", "صفحه مورد نظر یافت نشد",
	"صفحه پیدا نشد", "الصفحة غير موجودة", "الصفحة المطلوبة غير موجودة", "لم يتم العثور على الصفحة",
	"خطأ 404", "الصفحة التي تبحث عنها", "الصفحة التي طلبتها", "ページが見つかりません",
	"お探しのページ", "ページは存在しません", "页面不存在", "找不到页面", "页面未找到", "您访问的页面不存在",
	"頁面不存在", "找不到網頁", "페이지를 찾을 수 없습니다", "요청하신 페이지", "ไม่พบหน้า",
)

// normalizeAll returns the phrases lede.NormalizeText'd.
func normalizeAll(phrases ...string) []string {
	out := make([]string, len(phrases))
	for i, p := range phrases {
		out[i] = lede.NormalizeText(p)
	}
	return out
}

// containsPhrase reports the first phrase found in norm (a lede.NormalizeText'd text), on word
// boundaries for phrases with spaces or Latin letters.
func containsPhrase(norm string, phrases []string) string {
	padded := " " + norm + " "
	for _, p := range phrases {
		if strings.Contains(padded, " "+p+" ") {
			return p
		}
		if r := []rune(p); len(r) > 0 && isCJK(r[0]) && strings.Contains(norm, p) {
			return p
		}
	}
	return ""
}

// softNotFoundProse is the most own prose (weighted characters) a soft 404 has: an article
// about missing pages has more.
const softNotFoundProse = 1200

// softNotFound returns the cue that makes the page a soft 404, or "": its title, og:title or
// headline says the page does not exist (or is just "404"), and it has little prose.
func (d *Document) softNotFound() string {
	if d.body.proseChars >= softNotFoundProse {
		return ""
	}
	for _, t := range []string{d.meta.docTitle, d.meta.h1, d.meta.get("og:title")} {
		norm := lede.NormalizeText(t)
		if norm == "" {
			continue
		}
		if bare404(t) {
			return `title "` + shorten(collapse(t), 60) + `"`
		}
		if containsPhrase(norm, notFoundPhrases) != "" {
			return `title "` + shorten(collapse(t), 60) + `"`
		}
	}
	return ""
}

// bare404 reports whether a title is the number 404 alone, or as one part of a title that
// punctuation splits ("404 | The Daily Record", "Oops! 404"): a headline that only ends or
// begins with the number ("Two hurt in crash on Highway 404") is not a soft 404.
func bare404(title string) bool {
	for part := range strings.FieldsFuncSeq(title, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }) {
		if lede.NormalizeText(part) == "404" {
			return true
		}
	}
	return false
}

// mediaLDTypes are the JSON-LD types of media pages.
var mediaLDTypes = map[string]MediaType{
	"videoobject": MediaVideo, "videogallery": MediaVideo, "movie": MediaVideo, "tvepisode": MediaVideo,
	"imagegallery": MediaGallery, "mediagallery": MediaGallery, "photograph": MediaGallery,
	"podcastepisode": MediaPodcast, "podcastseries": MediaPodcast, "radioepisode": MediaPodcast,
	"audioobject": MediaPodcast, "recipe": MediaRecipe,
}

// mediaPathWords name a media page in a URL path segment.
var mediaPathWords = map[string]MediaType{
	"video": MediaVideo, "videos": MediaVideo, "watch": MediaVideo, "vod": MediaVideo,
	"gallery": MediaGallery, "galleries": MediaGallery, "photos": MediaGallery, "photo": MediaGallery,
	"pictures": MediaGallery, "fotos": MediaGallery, "foto": MediaGallery, "bilder": MediaGallery,
	"fotogalerie": MediaGallery, "galeria": MediaGallery, "galerie": MediaGallery, "galleria": MediaGallery,
	"photogallery": MediaGallery, "slideshow": MediaGallery, "slideshows": MediaGallery, "diaporama": MediaGallery,
	"in-pictures": MediaGallery, "podcast": MediaPodcast, "podcasts": MediaPodcast, "audio": MediaPodcast,
	"recipe": MediaRecipe, "recipes": MediaRecipe, "receta": MediaRecipe, "recetas": MediaRecipe,
	"rezept": MediaRecipe, "rezepte": MediaRecipe, "recette": MediaRecipe, "recettes": MediaRecipe,
	"ricetta": MediaRecipe, "ricette": MediaRecipe, "recept": MediaRecipe, "recepten": MediaRecipe,
}

// mediaType says whether the page presents itself as a video, gallery, podcast or recipe:
// its og:type, its JSON-LD type when it declares no article type, or a segment of its URL.
func (d *Document) mediaType() MediaType {
	m := &d.meta
	og := strings.ToLower(m.get("og:type"))
	switch {
	case strings.HasPrefix(og, "video"):
		return MediaVideo
	case strings.HasPrefix(og, "music"):
		return MediaPodcast
	}
	if m.ld.Type == "" {
		for _, t := range m.ldTypes {
			if mt, ok := mediaLDTypes[strings.ToLower(t)]; ok {
				return mt
			}
		}
	}
	if b := d.body; b.captionChars > 0 && 2*b.captionChars >= b.totalChars {
		return MediaGallery // the body is a picture's caption
	}
	if d.url != nil {
		for _, s := range splitPath(d.url.EscapedPath()) {
			if mt, ok := mediaPathWords[s.text]; ok {
				return mt
			}
		}
	}
	return ""
}
