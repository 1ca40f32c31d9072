package main

import (
	"runtime/debug"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	t.Parallel()
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "de172c9089ea310df51694b66f6b88009bbcd851"},
		{Key: "vcs.time", Value: "2026-11-27T15:52:12Z"},
		{Key: "vcs.modified", Value: "false"},
	}
	dirty := append(vcs[:3:3], debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	info := func(mainVersion string, settings []debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/hookkit/hookkit", Version: mainVersion}, Settings: settings}
	}
	tests := []struct {
		name    string
		stamped string
		info    *debug.BuildInfo
		want    string
	}{
		{
			name: "go install module@version",
			info: info("v1.2.3", nil),
			want: "hookkit v1.2.3 (go1.26.8 linux/amd64)",
		},
		{
			name: "go build in a clone: pseudo-version and VCS settings",
			info: info("v0.0.0-20261127155212-de172c9089ea", vcs),
			want: "hookkit v0.0.0-20261127155212-de172c9089ea (commit de172c9089ea 2026-11-27T15:52:12Z, go1.26.8 linux/amd64)",
		},
		{
			name: "uncommitted changes",
			info: info("v0.0.0-20261127155212-de172c9089ea+dirty", dirty),
			want: "hookkit v0.0.0-20261127155212-de172c9089ea+dirty (commit de172c9089ea 2026-11-27T15:52:12Z modified, go1.26.8 linux/amd64)",
		},
		{
			name:    "make build: stamped version wins over the module version",
			stamped: "de172c9-dirty",
			info:    info("v0.0.0-20261127155212-de172c9089ea+dirty", dirty),
			want:    "hookkit de172c9-dirty (commit de172c9089ea 2026-11-27T15:52:12Z modified, go1.26.8 linux/amd64)",
		},
		{
			name:    "stamped, VCS stamping off (container build)",
			stamped: "v1.4.0",
			info:    info("(devel)", nil),
			want:    "hookkit v1.4.0 (go1.26.8 linux/amd64)",
		},
		{
			name: "nothing known",
			info: info("(devel)", nil),
			want: "hookkit devel (go1.26.8 linux/amd64)",
		},
		{
			name: "short revision",
			info: info("(devel)", []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}}),
			want: "hookkit devel (commit abc, go1.26.8 linux/amd64)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := buildVersion(tc.stamped, tc.info, "linux", "amd64"); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
