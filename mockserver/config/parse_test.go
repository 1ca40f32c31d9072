package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseDefaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		data string
	}{
		{"empty", ""},
		{"comments only", "# nothing here\n---\n"},
		{"empty mapping", "{}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse([]byte(tc.data), "mock.yaml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if c.Seed != DefaultSeed || c.Hooks.DefaultType != "github" || c.Hooks.OnDuplicate != DuplicateCreate ||
				!c.CORSEnabled() || !c.AdminEnabled() || c.Journal.Size != DefaultJournalSize ||
				strings.Join(c.CORS.Origins, ",") != "*" || c.CORS.MaxAge != DefaultCORSMaxAge || len(c.Rules) != 0 {
				t.Errorf("defaults not applied: %+v", c)
			}
			if c.File != "mock.yaml" {
				t.Errorf("File = %q", c.File)
			}
		})
	}
}

func TestParseSettings(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(`
seed: 42
hooks:
  defaultType: gitee
  types: {my-gitlab-auth: gitlab}
  onDuplicate: reuse
cors:
  enabled: false
  origins: ["https://app.example:3000", "null"]
  maxAge: 1h
journal: {size: 0}
admin: {enabled: false}
`), "settings.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for _, check := range []struct {
		name string
		ok   bool
	}{
		{"seed", c.Seed == 42},
		{"hook type by repo auth", c.HookType("my-gitlab-auth") == "gitlab"},
		{"default hook type", c.HookType("other") == "gitee"},
		{"onDuplicate", c.Hooks.OnDuplicate == DuplicateReuse},
		{"cors off", !c.CORSEnabled()},
		{"origins replaced, not appended", strings.Join(c.CORS.Origins, ",") == "https://app.example:3000,null"},
		{"maxAge", c.CORS.MaxAge == time.Hour},
		{"journal off", c.Journal.Size == 0},
		{"admin off", !c.AdminEnabled()},
	} {
		if !check.ok {
			t.Errorf("%s not decoded: %+v", check.name, c)
		}
	}
}

func TestParseRules(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(`rules:
  - name: gitlab
    match:
      operation: createProjectHook
      method: post
      path: /v1/{project_id}/git/repos/{namespace}/{project}/hooks
      pathParams: {project: {regex: "^app-"}}
      query: {dry: {present: false}}
      headers: {x-repo-auth: my-gitlab-auth}
      body:
        /url: {regex: "^https://", equals: "https://ci.example/x"}
    respond:
      status: 200
      headers: {X-Request-Id: "{{ uuid }}"}
      body: {id: "{{ seq }}", type: gitlab, callback_url: "{{ .Body.url }}", n: [1, 2.5, true, null]}
      delay: {min: 10ms, max: 20ms}
  - sequence:
      - status: 200
        bodyText: ok
        contentType: text/plain
      - status: "{{ if .Query.Get \"x\" }}400{{ else }}200{{ end }}"
        fault: {type: timeout, probability: 0.25, hold: 2s}
      - fault: reset
    repeat: cycle
`), "rules.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(c.Rules) != 2 {
		t.Fatalf("%d rules", len(c.Rules))
	}
	r := c.Rules[0]
	m := r.Match
	switch {
	case r.Name != "gitlab" || r.Line != 2:
		t.Errorf("name/line: %q %d", r.Name, r.Line)
	case m.Method != "post" || compile(t, c).Rules()[0].match.method != "POST":
		t.Errorf("method not kept as written and normalised when compiled: %q", m.Method)
	case m.Headers["x-repo-auth"] == nil || *m.Headers["x-repo-auth"].Equals != "my-gitlab-auth" || compile(t, c).Rules()[0].match.headers["X-Repo-Auth"] == nil:
		t.Errorf("header matcher not kept as written and canonical when compiled: %v", m.Headers)
	case m.PathParams["project"].Regex != "^app-" || m.PathParams["project"].Line != 7:
		t.Errorf("path param matcher: %+v", m.PathParams["project"])
	case *m.Query["dry"].Present:
		t.Errorf("present: false decoded as true")
	case m.Body["/url"].Regex == "" || m.Body["/url"].Equals == nil:
		t.Errorf("body matcher: %+v", m.Body["/url"])
	case r.Response.Delay.Min != 10*time.Millisecond || r.Response.Delay.Max != 20*time.Millisecond:
		t.Errorf("delay: %+v", r.Response.Delay)
	}
	s := c.Rules[1]
	switch {
	case s.Name != "rule-2":
		t.Errorf("default name %q", s.Name)
	case s.Repeat != RepeatCycle || len(s.Sequence) != 3:
		t.Errorf("sequence: %q %d", s.Repeat, len(s.Sequence))
	case s.Sequence[1].Status.Template == "" || s.Sequence[1].StatusCode() != 0:
		t.Errorf("status template: %+v", s.Sequence[1].Status)
	case *s.Sequence[1].Fault != Fault{Type: FaultTimeout, Probability: 0.25, Hold: 2 * time.Second, Line: 22}:
		t.Errorf("fault mapping: %+v", *s.Sequence[1].Fault)
	case s.Sequence[2].Fault.Type != FaultReset || s.Sequence[2].Fault.Probability != 1:
		t.Errorf("fault scalar: %+v", *s.Sequence[2].Fault)
	}
}

// TestParseErrors loads the broken files of testdata/config: every problem of a file is
// reported at once, each naming the file, the line and the key or value at fault.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"unknown-keys.yaml", []string{
			`unknown-keys.yaml:2: unknown key "colour" in the config`,
			`unknown-keys.yaml:4: unknown key "defaultTyp" in hooks`,
			`unknown-keys.yaml:7: unknown key "mach" in rule`,
			`unknown-keys.yaml:13: unknown key "stauts" in response`,
		}},
		{"bad-values.yaml", []string{
			`bad-values.yaml:2: hooks.onDuplicate must be one of create, reuse, reject, not "sometimes"`,
			`bad-values.yaml:4: cors.origins: "app.example" is not an origin`,
			`bad-values.yaml:5: cors.maxAge must not be negative`,
			`bad-values.yaml:7: journal.size must be 0 (off) or more, not -5`,
			`bad-values.yaml:12: rule "bad-regex": match.headers.X-Repo-Auth: invalid regex "([a-z": missing closing ]`,
			`bad-values.yaml:17: rule "bad-status": status 999 is not an HTTP status`,
			`bad-values.yaml:20: rule "bad-fault": fault "explode" is not one of http-500`,
			`bad-values.yaml:20: rule "bad-fault": fault probability 1.5 is not between 0 and 1`,
			`bad-values.yaml:23: rule "bad-delay": delay max 100ms is less than min 300ms`,
		}},
		{"bad-types.yaml", []string{
			`bad-types.yaml:1: seed must be a whole number 0 or more, not "many"`,
			`bad-types.yaml:3: journal.size must be a whole number, not "big"`,
			`bad-types.yaml:7: a delay is a duration with a unit such as 250ms or 1.5s, not "250"`,
			`bad-types.yaml:10: status must be a number such as 200 or a template, not "ok"`,
			`bad-types.yaml:14: a matcher is a value or a mapping with equals, regex or present, not a list`,
			`bad-types.yaml:18: cors.enabled must be true or false, not "maybe"`,
			`bad-types.yaml:19: cors.maxAge must be a duration such as 10m or 250ms, not "soon"`,
			`bad-types.yaml:21: hooks.types must be a mapping of names to text values, not a list`,
		}},
		{"bad-rules.yaml", []string{
			`bad-rules.yaml:2: rule "nothing-to-say": needs respond or sequence`,
			`bad-rules.yaml:7: rule "both": has both respond and sequence`,
			`bad-rules.yaml:12: rule name "dup" is already used by the rule at line 10`,
			`bad-rules.yaml:14: rule "repeat-alone": repeat applies to a sequence only`,
			`bad-rules.yaml:21: rule "bad-template": body: invalid template "{{ .Body.url ": unclosed action`,
			`bad-rules.yaml:25: rule "unknown-func": header X-Id: invalid template "{{ nosuchfunc }}": function "nosuchfunc" not defined`,
			`bad-rules.yaml:28: rule "both-bodies": has both body and bodyText`,
		}},
		// yaml.v3 places this mistake (line 6 indented wrongly) at the block's line.
		{"syntax.yaml", []string{`syntax.yaml:2: did not find expected key`}},
		{"not-a-mapping.yaml", []string{`not-a-mapping.yaml:1: a config file must be a mapping`}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("..", "testdata", "config", tc.file)
			c, err := Load(path)
			if err == nil {
				t.Fatalf("Load succeeded: %+v", c)
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, filepath.Join("..", "testdata", "config")+string(filepath.Separator)+w) {
					t.Errorf("error lacks %q; got:\n%s", w, msg)
				}
			}
			if n := len(strings.Split(msg, "\n")); n != len(tc.want) {
				t.Errorf("got %d problems, want %d:\n%s", n, len(tc.want), msg)
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Line == 0 || ce.File != path {
				t.Errorf("error is not a located *Error: %#v", err)
			}
		})
	}
}

// TestParseAnchors: YAML anchors and merge keys let a file reuse answers and matchers.
func TestParseAnchors(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(`rules:
  - name: first
    match: &hook {operation: createProjectHook}
    respond: &ok
      status: 200
      body: {id: "1", type: github, callback_url: "https://x.example"}
  - name: second
    match:
      <<: *hook
      headers: {X-Repo-Auth: other}
    respond: *ok
`), "anchors.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	second := c.Rules[1]
	if second.Match.Operation != "createProjectHook" || second.Match.Headers["X-Repo-Auth"] == nil ||
		second.Response.StatusCode() != 200 || second.Response.Body == nil {
		t.Errorf("anchors not resolved: %+v %+v", second.Match, second.Response)
	}
	if err := c.CheckAgainst(hookDoc(t)); err != nil {
		t.Errorf("CheckAgainst: %v", err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml: ") {
		t.Fatalf("err = %v", err)
	}
}
