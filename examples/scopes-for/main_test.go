package main

import (
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		args    []string
		want    []string
		wantErr bool
	}{
		{[]string{"servers.list", "servers.get", "backups.restore"}, []string{"backups:restore        destructive", "servers:read           read", "1 destructive"}, false},
		{[]string{"account.get"}, []string{"account:read"}, false},
		{nil, []string{"usage:", "members.pull", "(inferred)"}, false},
		{[]string{"nope.nothing"}, nil, true},
	}
	for _, tt := range tests {
		var out strings.Builder
		err := run(tt.args, &out)
		if (err != nil) != tt.wantErr {
			t.Fatalf("run(%v) error = %v", tt.args, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("run(%v) output lacks %q:\n%s", tt.args, w, out.String())
			}
		}
		if len(tt.args) == 1 && tt.args[0] == "account.get" && strings.Contains(out.String(), "destructive") {
			t.Errorf("account.get should need no destructive scope:\n%s", out.String())
		}
	}
}
