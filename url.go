package lede

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// trackingParams are query parameters that only identify a campaign or a click, never a page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gclsrc": true, "msclkid": true, "yclid": true,
	"mc_cid": true, "mc_eid": true, "igshid": true, "_ga": true, "_gl": true, "_hsenc": true,
	"_hsmi": true, "mkt_tok": true, "ref_src": true, "ref_url": true, "cmpid": true, "ocid": true,
	"spm": true, "share": true, "at_medium": true, "at_campaign": true, "ito": true, "ns_mchannel": true,
	"ns_source": true, "ns_campaign": true, "ns_linkname": true, "ns_fee": true, "wt.mc_id": true,
	"smid": true, "cmp": true, "xtor": true, "s_cid": true,
}

// isTrackingParam reports whether the query parameter key only tracks a visit.
func isTrackingParam(key string) bool {
	k := strings.ToLower(key)
	return strings.HasPrefix(k, "utm_") || strings.HasPrefix(k, "pk_") || trackingParams[k]
}

// Canonicalize returns the one form lede uses for a URL, so that one article is one URL (the
// crawler queues URLs in this form, the store keys articles by it):
// scheme and host lower-cased, default ports and the fragment dropped, an empty path made "/",
// tracking parameters (utm_*, fbclid, gclid and the like) removed and the rest sorted.
// Only http and https URLs with a host (and a port, when given, from 1 to 65535) are accepted.
func Canonicalize(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("canonicalize %q: %w", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("canonicalize %q: not an http(s) URL", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("canonicalize %q: no host", raw)
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if n, err := strconv.Atoi(port); port != "" && (err != nil || n < 1 || n > 65535) {
		return "", fmt.Errorf("canonicalize %q: port %s is not a port number (1 to 65535)", raw, port)
	}
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	if u.RawQuery != "" {
		u.RawQuery = cleanQuery(u.RawQuery)
	}
	u.ForceQuery = false
	return u.String(), nil
}

// cleanQuery drops tracking parameters and sorts the rest by key, keeping each value's
// original encoding and the order of repeated keys.
func cleanQuery(raw string) string {
	parts := strings.Split(raw, "&")
	kept := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		key := p
		if i := strings.IndexByte(p, '='); i >= 0 {
			key = p[:i]
		}
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if isTrackingParam(key) {
			continue
		}
		kept = append(kept, p)
	}
	sort.SliceStable(kept, func(i, j int) bool { return paramKey(kept[i]) < paramKey(kept[j]) })
	return strings.Join(kept, "&")
}

func paramKey(p string) string {
	if i := strings.IndexByte(p, '='); i >= 0 {
		return p[:i]
	}
	return p
}

// URLKey is the form under which lede identifies u: Canonicalize(u), or u trimmed of spaces
// when it is not an http(s) URL with a host.
func URLKey(u string) string {
	if c, err := Canonicalize(u); err == nil {
		return c
	}
	return strings.TrimSpace(u)
}

// NormalizeHost returns a host as lede names sites: trimmed, in lower case, without a leading
// "www.". A port, when the host has one, stays.
func NormalizeHost(host string) string {
	return strings.TrimPrefix(strings.ToLower(strings.TrimSpace(host)), "www.")
}

// SiteOf returns the site of a URL or of a bare host name ("example.com",
// "www.Example.com:8080/news"): its host name without a port, normalised (NormalizeHost).
// A string that names no host is taken for a host name as it is.
func SiteOf(hostOrURL string) string {
	if u, err := url.Parse(hostOrURL); err == nil && u.Host != "" {
		return NormalizeHost(u.Hostname())
	}
	if u, err := url.Parse("http://" + hostOrURL); err == nil && u.Host != "" {
		return NormalizeHost(u.Hostname())
	}
	return NormalizeHost(hostOrURL)
}
