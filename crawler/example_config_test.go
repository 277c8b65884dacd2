package crawler

import "testing"

// TestExampleConfig keeps the documented example file valid.
func TestExampleConfig(t *testing.T) {
	cfg, err := LoadConfig("../testdata/sites.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sites) != 2 || cfg.Sites[0].MaxPages == nil || int(*cfg.Sites[0].MaxPages) != 500 {
		t.Errorf("example config read as %+v", cfg.Sites)
	}
}
