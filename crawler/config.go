package crawler

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"lede"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is a crawl configuration file (lede crawl --config sites.yaml): crawl-wide settings
// and a list of sites. Absent settings keep lede's defaults; command-line flags win over the
// file. testdata/sites.example.yaml documents every key.
type Config struct {
	UserAgent    string    `yaml:"user_agent"`
	Delay        *Duration `yaml:"delay"`
	Parallelism  *Count    `yaml:"parallelism"`
	Timeout      *Duration `yaml:"timeout"`
	MaxDepth     *Count    `yaml:"max_depth"`
	MaxPages     *Count    `yaml:"max_pages"`
	MaxDuration  *Duration `yaml:"max_duration"`
	MaxBody      *Count    `yaml:"max_body"`
	IgnoreRobots *bool     `yaml:"ignore_robots"`
	RefreshAfter *Duration `yaml:"refresh_after"`
	// RetryDeadAfter is how long a URL that answered 404 or 410 is left alone (default 30 days).
	RetryDeadAfter *Duration `yaml:"retry_dead_after"`
	// WARC is a directory where every HTTP exchange is also archived as WARC records (lede
	// crawl --warc); WARCMaxSize is the size at which a WARC file is rotated.
	WARC        string       `yaml:"warc"`
	WARCMaxSize *Count       `yaml:"warc_max_size"`
	Sites       []SiteConfig `yaml:"sites"`
}

// SiteConfig is one site of a Config.
type SiteConfig struct {
	Name        string    `yaml:"name"`
	Start       URLList   `yaml:"start"`
	Feeds       URLList   `yaml:"feeds"`
	Sitemaps    URLList   `yaml:"sitemaps"`
	Allow       Patterns  `yaml:"allow"`
	Deny        Patterns  `yaml:"deny"`
	Delay       *Duration `yaml:"delay"`
	Parallelism *Count    `yaml:"parallelism"`
	MaxPages    *Count    `yaml:"max_pages"`
}

// Duration is a YAML duration such as "1.5s" or "10m".
type Duration time.Duration

// UnmarshalYAML reads a Go duration, naming the line of a bad one.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q is not a duration (write 500ms, 2s, 10m, 24h)", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// Count is a YAML integer that must not be negative.
type Count int

// UnmarshalYAML reads a non-negative integer, naming the line of a bad one.
func (c *Count) UnmarshalYAML(n *yaml.Node) error {
	var v int
	if err := n.Decode(&v); err != nil || v < 0 {
		return fmt.Errorf("line %d: %q is not a whole number ≥ 0", n.Line, n.Value)
	}
	*c = Count(v)
	return nil
}

// URLList is a list of http(s) URLs; a single URL may be written without brackets.
type URLList []string

// UnmarshalYAML reads one URL or a list of them, naming the line of a bad one.
func (l *URLList) UnmarshalYAML(n *yaml.Node) error {
	return eachScalar(n, "a URL", func(c *yaml.Node) error {
		if _, err := lede.Canonicalize(c.Value); err != nil {
			return fmt.Errorf("line %d: %q is not an http(s) URL", c.Line, c.Value)
		}
		*l = append(*l, c.Value)
		return nil
	})
}

// Patterns is a list of regular expressions; a single one may be written without brackets.
type Patterns []string

// UnmarshalYAML reads one pattern or a list, naming the line of one that does not compile.
func (p *Patterns) UnmarshalYAML(n *yaml.Node) error {
	return eachScalar(n, "a regular expression", func(c *yaml.Node) error {
		if _, err := regexp.Compile(c.Value); err != nil {
			return fmt.Errorf("line %d: pattern %q: %w", c.Line, c.Value, err)
		}
		*p = append(*p, c.Value)
		return nil
	})
}

// eachScalar calls fn with n, a single value, or with each item of n, a list, stopping at
// the first error. An item that is not a single value is refused as not being want.
func eachScalar(n *yaml.Node, want string, fn func(*yaml.Node) error) error {
	nodes := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		nodes = n.Content
	}
	for _, c := range nodes {
		if c.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: want %s", c.Line, want)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// LoadConfig reads and checks a configuration file. Errors name the file and the line: an
// unknown key, a bad value, a site without start URL, feed or sitemap.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig reads and checks a configuration document.
func ParseConfig(data []byte) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, cleanYAMLError(err)
	}
	top := topMapping(&root)
	if err := checkKeys(top); err != nil {
		return nil, err
	}
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // checkKeys names the section; this is the backstop
	if err := dec.Decode(&cfg); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file: want a sites: list")
		}
		return nil, cleanYAMLError(err)
	}
	sites := siteNodes(top)
	if len(cfg.Sites) == 0 {
		return nil, errors.New("no sites: add a sites: list (see testdata/sites.example.yaml)")
	}
	for i, s := range cfg.Sites {
		if len(s.Start)+len(s.Feeds)+len(s.Sitemaps) == 0 {
			return nil, fmt.Errorf("line %d: site %s has no start, feeds or sitemaps", nodeLine(sites, i), siteLabel(s.Name, i))
		}
	}
	return &cfg, checkZeros(&cfg, top, sites)
}

// Keys of each section of a config file, from the yaml tags.
var (
	topKeys  = yamlKeys(reflect.TypeFor[Config]())
	siteKeys = yamlKeys(reflect.TypeFor[SiteConfig]())
)

// yamlKeys lists the yaml keys of struct type t's fields.
func yamlKeys(t reflect.Type) []string {
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		keys = append(keys, name)
	}
	return keys
}

// checkKeys refuses a key that is not lede's, naming its line and its section: the top level
// or a site of the sites: list.
func checkKeys(top *yaml.Node) error {
	if err := unknownKey(top, topKeys, "at the top level"); err != nil {
		return err
	}
	for i, site := range siteNodes(top) {
		name := ""
		if _, v := mappingEntry(site, "name"); v != nil {
			name = v.Value
		}
		if err := unknownKey(site, siteKeys, "in site "+siteLabel(name, i)+" under sites:"); err != nil {
			return err
		}
	}
	return nil
}

// unknownKey reports the first key of mapping m that is not in known.
func unknownKey(m *yaml.Node, known []string, where string) error {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; !slices.Contains(known, k.Value) {
			return fmt.Errorf("line %d: unknown key %q %s (the keys there: %s)", k.Line, k.Value, where, strings.Join(known, ", "))
		}
	}
	return nil
}

// checkZeros refuses a 0 where a setting needs more, naming the key and its line (a flag's
// own check would name the flag, which the user did not give).
func checkZeros(cfg *Config, top *yaml.Node, sites []*yaml.Node) error {
	zero := func(m *yaml.Node, key, want string) error {
		line := 0
		if k, _ := mappingEntry(m, key); k != nil {
			line = k.Line
		}
		return fmt.Errorf("line %d: %s: 0 is not allowed: want %s", line, key, want)
	}
	switch {
	case cfg.Timeout != nil && *cfg.Timeout == 0:
		return zero(top, "timeout", "a duration above 0 such as 30s (the time limit of one request)")
	case cfg.MaxBody != nil && *cfg.MaxBody == 0:
		return zero(top, "max_body", "a size in bytes above 0 (the largest page stored)")
	case cfg.Parallelism != nil && *cfg.Parallelism == 0:
		return zero(top, "parallelism", "1 or more (requests in flight per host)")
	}
	for i, s := range cfg.Sites {
		if s.Parallelism != nil && *s.Parallelism == 0 && i < len(sites) {
			return zero(sites[i], "parallelism", "1 or more (requests in flight per host)")
		}
	}
	return nil
}

// cleanYAMLError drops the "yaml: " prefixes so the message reads "line 5: ...".
func cleanYAMLError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg := te.Errors[0]
		if len(te.Errors) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(te.Errors)-1)
		}
		return errors.New(msg)
	}
	return err
}

// topMapping returns the document's top-level mapping, or nil.
func topMapping(root *yaml.Node) *yaml.Node {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	return root.Content[0]
}

// siteNodes returns the items of the top-level sites: list.
func siteNodes(top *yaml.Node) []*yaml.Node {
	if _, v := mappingEntry(top, "sites"); v != nil && v.Kind == yaml.SequenceNode {
		return v.Content
	}
	return nil
}

// nodeLine is the line of nodes[i], 0 when there is no such node.
func nodeLine(nodes []*yaml.Node, i int) int {
	if i < len(nodes) {
		return nodes[i].Line
	}
	return 0
}

// mappingEntry returns the key and value nodes of key in mapping m, or nils.
func mappingEntry(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// CrawlSites turns the configured sites into crawler Sites; extraAllow and extraDeny (from
// the command line) apply to every site.
func (c *Config) CrawlSites(extraAllow, extraDeny []string) []Site {
	out := make([]Site, 0, len(c.Sites))
	for _, s := range c.Sites {
		site := Site{
			Name:     s.Name,
			Start:    s.Start,
			Feeds:    s.Feeds,
			Sitemaps: s.Sitemaps,
			Allow:    append(append([]string{}, s.Allow...), extraAllow...),
			Deny:     append(append([]string{}, s.Deny...), extraDeny...),
		}
		if s.Delay != nil {
			d := time.Duration(*s.Delay)
			site.Delay = &d
		}
		if s.Parallelism != nil {
			site.Parallelism = int(*s.Parallelism)
		}
		if s.MaxPages != nil {
			site.MaxPages = int(*s.MaxPages)
		}
		out = append(out, site)
	}
	return out
}
