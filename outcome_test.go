package lede

import (
	"encoding/json"
	"testing"
)

// TestOutcomeNames: every outcome has its summary name, and JSON shows it.
func TestOutcomeNames(t *testing.T) {
	seen := map[string]bool{}
	for o := OutcomeNew; o <= OutcomeFeed; o++ {
		name := o.String()
		if name == "" || seen[name] || name[0] == 'O' {
			t.Errorf("outcome %d is named %q", o, name)
		}
		seen[name] = true
	}
	b, err := json.Marshal(map[string]Outcome{"o": OutcomeAlreadyStored})
	if err != nil || string(b) != `{"o":"already_stored"}` {
		t.Errorf("JSON %s, %v", b, err)
	}
	if s := Outcome(0).String(); s != "Outcome(0)" {
		t.Errorf("the zero outcome is named %q", s)
	}
}
