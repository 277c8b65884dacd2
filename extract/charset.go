package extract

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// decode returns page as UTF-8 text, choosing the encoding the HTML5 way: a byte-order
// mark, then the Content-Type charset, then <meta charset> / http-equiv found by a prescan,
// then a statistical guess. Undecodable bytes become U+FFFD; decode never fails. Valid
// UTF-8 (most of the web) is read in place, without a copy.
func decode(page []byte, contentType string) io.Reader {
	enc, valid := pickEncoding(page, contentType)
	if enc == nil || enc == unicode.UTF8 || enc == encoding.Nop {
		page = bytes.TrimPrefix(page, []byte("\xEF\xBB\xBF"))
		if valid || utf8.Valid(page) {
			return bytes.NewReader(page)
		}
		return bytes.NewReader(bytes.ToValidUTF8(page, []byte("\uFFFD")))
	}
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return bytes.NewReader(bytes.ToValidUTF8(page, []byte("\uFFFD")))
	}
	// A UTF-8 decoder keeps a byte-order mark as U+FEFF, which the HTML parser would take for
	// text before <html>, putting <head> and its <title> in the body.
	return bytes.NewReader(bytes.TrimPrefix(out, []byte("\xEF\xBB\xBF")))
}

// pickEncoding returns the page's encoding; valid reports that it found the whole page to
// be valid UTF-8 (false: not known), so that decode need not check it again.
func pickEncoding(page []byte, contentType string) (enc encoding.Encoding, valid bool) {
	// charset.DetermineEncoding follows the spec: BOM, transport charset, then a prescan
	// of the first 1024 bytes. It is "certain" when one of those declared the encoding.
	enc, _, certain := charset.DetermineEncoding(page, contentType)
	if certain {
		return enc, false
	}
	// Undeclared text that is valid UTF-8 is UTF-8: legacy encodings of non-ASCII text
	// practically never form valid UTF-8 sequences.
	if utf8.Valid(page) {
		return unicode.UTF8, true
	}
	if isValidUTF8Prefix(page) {
		return unicode.UTF8, false
	}
	// Many pages declare their charset after long <head> scripts, past the 1024 bytes the
	// standard prescan reads: look further before guessing.
	if e := metaCharset(page); e != nil {
		return e, false
	}
	return guessEncoding(page, enc), false
}

// isValidUTF8Prefix reports whether b is valid UTF-8, forgiving a rune cut at the end.
func isValidUTF8Prefix(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for i := 1; i <= 3 && i < len(b); i++ {
		if utf8.Valid(b[:len(b)-i]) {
			return true
		}
	}
	return false
}

var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)`)

// metaCharset finds a <meta charset> or http-equiv declaration in the first 64 KiB.
func metaCharset(page []byte) encoding.Encoding {
	probe := page
	if len(probe) > 64<<10 {
		probe = probe[:64<<10]
	}
	m := metaCharsetRE.FindSubmatch(probe)
	if m == nil {
		return nil
	}
	enc, name := charset.Lookup(string(m[1]))
	if enc == nil {
		return nil
	}
	// A page declaring a UTF-16 charset in ASCII bytes is really an ASCII superset (HTML5).
	if strings.HasPrefix(name, "utf-16") {
		return unicode.UTF8
	}
	return enc
}

// guessEncoding asks a statistical detector, keeping fallback when it has no usable answer.
func guessEncoding(page []byte, fallback encoding.Encoding) encoding.Encoding {
	sample := page
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	// Tags and attributes are ASCII noise for the detector: give it the text between tags.
	sample = stripTags(sample)
	r, err := chardet.NewHtmlDetector().DetectBest(sample)
	if err != nil || r == nil || r.Confidence < 30 {
		return fallback
	}
	if enc, _ := charset.Lookup(r.Charset); enc != nil {
		return enc
	}
	return fallback
}

func stripTags(b []byte) []byte {
	var out bytes.Buffer
	in := false
	for _, c := range b {
		switch {
		case c == '<':
			in = true
		case c == '>':
			in = false
			out.WriteByte(' ')
		case !in:
			out.WriteByte(c)
		}
	}
	return out.Bytes()
}
