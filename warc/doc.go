// Package warc reads the HTTP answers kept in WARC files (ISO 28500, WARC/1.0 and 1.1) and
// writes a crawl's HTTP exchanges as WARC/1.1 records: the rest of lede sees plain HTTP
// answers. Writing goes through github.com/nlnwa/gowarc/v3 (record building, digests, file
// rotation); reading frames records itself (see Reader for why).
//
// Reading (Reader) takes plain files and gzip files, compressed whole or record by record
// (the Common Crawl layout), and yields one Record per WARC record: a Response for each
// 200 HTML answer, its payload de-chunked and decoded (gzip, deflate, br, zstd), or the reason
// it was skipped (request, warcinfo and metadata records, other types, non-HTML payloads,
// non-200 answers). A revisit record yields its target and the URL it refers to, with no
// body: the caller resolves it against what it stored. Real-world quirks are tolerated:
// wget's <...>-wrapped target URIs, wrong chunk sizes (the payload is taken as it is),
// records that break the spec in small ways. A record that cannot be read at all (a file
// cut in the middle of one) ends the file with an error naming its offset.
//
// Writing (Writer, through gowarc) turns each HTTP exchange into a request and a response record with
// WARC-Target-URI, WARC-Date, WARC-IP-Address, WARC-Block-Digest and WARC-Payload-Digest,
// each record gzip-compressed on its own, files rotated at a size and named like Heritrix's,
// a warcinfo record first in every file.
package warc
