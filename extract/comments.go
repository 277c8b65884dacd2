package extract

import (
	"strings"
	"unicode"
)

// Comment counters: "14 Comments", "Comments (14)", "12 commentaires", "Réagir (12)",
// "댓글 3개", "コメント(5)", "23条评论", "12 تعليقًا". A short line of numbers and words for
// comments (share words allowed beside them: a counter often sits in the share strip) tells
// how many readers replied; it is not the article.

// commentCountWords name comments and the invitation to react, in several languages.
var commentCountWords = newPhraseSet(
	"comment", "comments", "reply", "replies", "response", "responses", "discussion",
	"kommentar", "kommentare", "kommentaren", "antworten", "commentaire", "commentaires",
	"réagir", "réactions", "réaction", "comentario", "comentarios", "commento", "commenti",
	"comentário", "comentários", "reactie", "reacties", "komentarz", "komentarze",
	"komentarzy", "комментарий", "комментария", "комментариев", "комментарии", "yorum",
	"yorumlar", "yorumu", "komentar", "komentari", "tanggapan", "bình luận",
	"تعليق", "تعليقات", "تعليقا", "التعليقات", "نظر", "نظرات", "תגובות", "תגובה",
	"コメント", "댓글", "评论", "評論", "留言",
	"show", "view", "see", "all", "read", "voir", "ver", "anzeigen",
)

// commentCountRule names the rule for a comment counter, or returns "".
func commentCountRule(b *block) string {
	if b.words > 6 || !hasDigits(b.norm) {
		return ""
	}
	comment := false
	for rest := b.norm; rest != ""; {
		if p, r, ok := commentCountWords.prefix(rest); ok {
			rest = r
			comment = comment || !commentVerbs[p]
			continue
		}
		if p, r, ok := sharePhrases.prefix(rest); ok && p != "" {
			rest = r
			continue
		}
		w, r, _ := strings.Cut(rest, " ")
		rest = r
		switch {
		case isNumber(w):
		case cjkCount(w) != "":
			comment = comment || commentCountWords.is(cjkCount(w))
		default:
			return ""
		}
	}
	if comment {
		return "comment-count"
	}
	return ""
}

// commentVerbs may stand beside a counter but do not make one.
var commentVerbs = map[string]bool{"show": true, "view": true, "see": true, "all": true, "read": true, "voir": true, "ver": true, "anzeigen": true}

// cjkCount strips the digits and counter words (条, 个, 件, 개, 則) from a CJK word written
// without spaces ("23条评论", "3개"), returning what is left, or "" when nothing is.
func cjkCount(w string) string {
	var b strings.Builder
	digits := false
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9' || (r > 127 && unicode.IsDigit(r)):
			digits = true
		case strings.ContainsRune("条个件개則则", r):
		default:
			b.WriteRune(r)
		}
	}
	if !digits {
		return ""
	}
	if b.Len() == 0 {
		return "#" // a number with a counter word only: part of a count
	}
	return b.String()
}
