package resource_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

func load(t *testing.T, path string) *openapi.Document {
	t.Helper()
	var doc *openapi.Document
	var err error
	if path == "" {
		doc, err = openapi.Default()
	} else {
		doc, err = openapi.Load(path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestInfer pins what the inference makes of the shipped documents.
func TestInfer(t *testing.T) {
	t.Parallel()
	type want struct{ name, path, item, idParam, idField, scope, ops string }
	for _, tc := range []struct {
		doc  string
		want []want
	}{
		{"", []want{{"hooks", "/v1/{project_id}/git/repos/{namespace}/{project}/hooks", "", "", "id", "project_id,namespace,project", "create=createProjectHook"}}},
		{"../../mockserver/testdata/crud.yaml", []want{{"todos", "/todos", "/todos/{id}", "id", "id", "", "create=createTodo list=listTodos get=getTodo replace=replaceTodo delete=deleteTodo"}}},
		{"../../mockserver/testdata/projects.yaml", []want{
			{"projects", "/projects", "/projects/{projectId}", "projectId", "id", "", "create=createProject list=listProjects get=getProject patch=updateProject delete=deleteProject"},
			// task_id comes from the create response's links, not from a property name.
			{"tasks", "/projects/{projectId}/tasks", "/projects/{projectId}/tasks/{taskId}", "taskId", "task_id", "projectId", "create=createTask list=listTasks get=getTask replace=replaceTask delete=deleteTask"},
		}},
	} {
		t.Run(tc.doc, func(t *testing.T) {
			t.Parallel()
			m, err := resource.Infer(load(t, tc.doc), nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []want
			for _, c := range m.Collections {
				got = append(got, want{c.Name, c.Path, c.ItemPath, c.IDParam, c.IDField, strings.Join(c.Scope, ","), strings.Join(c.Operations(), " ")})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("collections\n got %+v\nwant %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("collection %d\n got %+v\nwant %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestOverrides: config renames, corrects or drops collections, and names what does not
// fit the document.
func TestOverrides(t *testing.T) {
	t.Parallel()
	doc := load(t, "../../mockserver/testdata/projects.yaml")
	m, err := resource.Infer(doc, []resource.Override{
		{Name: "work", Path: "/projects/{projectId}/tasks", IDField: "title"},
		{Path: "/projects", Disabled: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Collections) != 1 || m.Collections[0].Name != "work" || m.Collections[0].IDField != "title" || m.Collections[0].Source != "config" {
		t.Fatalf("collections: %+v", m.Collections[0])
	}
	for _, tc := range []struct {
		o    resource.Override
		want string
	}{
		{resource.Override{Path: "/nope"}, `path "/nope" is not a path of`},
		{resource.Override{Path: "/projects", IDField: "nope"}, `idField "nope" is not a property`},
		{resource.Override{Path: "/projects", ItemPath: "/projects/{projectId}/tasks"}, "must be the collection path"},
	} {
		_, err := resource.Infer(doc, []resource.Override{tc.o})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err %v, want %q", tc.o, err, tc.want)
		}
	}
}

// TestInferEnvelopes: answers that wrap the resource ({"reserved_ip": {...}}, as
// DigitalOcean's do) are recognised by the list's bare items; the id is never an object,
// a boolean that ends in "id" (valid) or another resource's reference (project_id).
func TestInferEnvelopes(t *testing.T) {
	t.Parallel()
	m, err := resource.Infer(load(t, "../testdata/realworld/envelopes.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	type want struct{ name, envelope, idField string }
	var got []want
	for _, c := range m.Collections {
		got = append(got, want{c.Name, c.Envelope, c.IDField})
	}
	wants := []want{{"validate", "", ""}, {"replicas", "replica", "id"}, {"reserved_ips", "reserved_ip", "ip"}}
	if !slices.Equal(got, wants) {
		t.Fatalf("collections %+v, want %+v", got, wants)
	}
	c := m.Collections[2]
	if s := c.ItemSchema(); s == nil || s.Properties["ip"] == nil {
		t.Errorf("item schema is not the envelope's: %+v", s)
	}
	inner := map[string]any{"ip": "10.0.0.1"}
	if got := c.Unwrap(map[string]any{"reserved_ip": inner, "links": map[string]any{}}); got == nil || got.(map[string]any)["ip"] != "10.0.0.1" {
		t.Errorf("Unwrap: %v", got)
	}
}

// TestInferSameLiterals: collections whose paths have the same literal segments
// (/threads/runs, /threads/{thread_id}/runs) get distinct names, numbered in path order;
// Twilio's /Queues/{Sid}.json is an item path, not a collection of its own.
func TestInferSameLiterals(t *testing.T) {
	t.Parallel()
	m, err := resource.Infer(load(t, "../testdata/realworld/collections.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range m.Collections {
		names = append(names, c.Name+"="+c.Path)
	}
	want := "Queues.json=/Queues.json events=/events threads-runs=/threads/runs threads-runs-2=/threads/{thread_id}/runs"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("collections %s, want %s", got, want)
	}
}

// TestRequestSchema: of a request body declared in several media types, the JSON one's
// schema is read (the first in sorted order), else the form's, every time.
func TestRequestSchema(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Parse([]byte(`openapi: 3.0.3
info: {title: bodies, version: "1"}
paths:
  /both:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, title: form}
          application/json:
            schema: {type: object, title: json}
          application/merge-patch+json:
            schema: {type: object, title: merge}
      responses:
        "201": {description: created}
  /form:
    post:
      requestBody:
        content:
          text/plain:
            schema: {type: string, title: text}
          application/x-www-form-urlencoded; charset=utf-8:
            schema: {type: object, title: form}
      responses:
        "201": {description: created}
  /none:
    post:
      requestBody:
        content:
          text/plain:
            schema: {type: string}
      responses:
        "201": {description: created}
`), "bodies.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"/both": "json", "/form": "form", "/none": ""} {
		op, ok := doc.Operation("POST " + path)
		if !ok {
			t.Fatalf("POST %s missing", path)
		}
		for range 20 {
			got := ""
			if s := resource.RequestSchema(op); s != nil {
				got = s.Title
			}
			if got != want {
				t.Fatalf("POST %s: schema %q, want %q", path, got, want)
			}
		}
	}
}
