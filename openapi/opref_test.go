package openapi

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOperationRefs: operations given as {$ref: file} (whole file or fragment) load with
// the operation inlined and every $ref inside it rebased: relative files through the
// included file's folder (../../shared/...), local "#/..." refs to the included file.
func TestOperationRefs(t *testing.T) {
	t.Parallel()
	d, err := Load("testdata/realworld/operationrefs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	list, ok := d.Operation("listWidgets")
	if !ok {
		t.Fatal("listWidgets missing")
	}
	ok200 := list.Operation.Responses.Status(200)
	if ok200 == nil || ok200.Value == nil {
		t.Fatal("listWidgets has no 200 response")
	}
	if h := ok200.Value.Headers["X-Rate-Limit"]; h == nil || h.Value == nil || h.Value.Schema.Value.Min == nil {
		t.Errorf("header ../../shared/headers.yml#/X-Rate-Limit not resolved: %+v", h)
	}
	items := ok200.Value.Content.Get("application/json").Schema.Value.Properties["widgets"].Value.Items.Value
	if items == nil || items.Properties["name"] == nil {
		t.Errorf("items widgets.yml#/schemas/Widget not resolved: %+v", items)
	}
	if p := list.Parameters(); len(p) != 1 || p[0].Value.Name != "limit" {
		t.Errorf("parameter widgets.yml#/parameters/limit not resolved: %+v", p)
	}
	if r := list.Operation.Responses.Status(401); r == nil || r.Value == nil || r.Value.Content.Get("application/json").Schema.Value.Properties["message"] == nil {
		t.Errorf("response ../../shared/responses/unauthorized.yml (and its own ../schemas ref) not resolved")
	}
	if r := list.Operation.Responses.Default(); r == nil || r.Value == nil || *r.Value.Description != "no such widget" {
		t.Errorf("default response (a name, not a schema default) not rebased")
	}
	create, ok := d.Operation("createWidget")
	if !ok {
		t.Fatal("createWidget missing (fragment #/create)")
	}
	body := create.Operation.RequestBody.Value.Content.Get("application/json").Schema.Value
	if len(body.OneOf) != 2 || body.OneOf[0].Value == nil || body.OneOf[0].Value.Properties["id"] == nil {
		t.Fatalf("local #/schemas/Widget in the included file not resolved: %+v", body)
	}
	if ref := body.OneOf[0].Ref; !strings.HasSuffix(ref, "widgets.yml#/schemas/Widget") {
		t.Errorf("local ref rebased to %q, want the included file's", ref)
	}
	if m := body.Discriminator.Mapping["gadget"]; !strings.HasSuffix(m.Ref, "operationrefs/resources/widgets/widgets.yml#/schemas/Gadget") {
		t.Errorf("discriminator mapping rebased to %q", m.Ref)
	}
	if _, ok := d.Operation("deleteWidget"); !ok {
		t.Error("an ordinary operation beside them is lost")
	}
}

func TestRebaseRef(t *testing.T) {
	t.Parallel()
	local := &url.URL{Path: "resources/inference/op.yml"}
	remote, _ := url.Parse("https://specs.example.com/v2/resources/op.yml")
	tests := []struct {
		ref  string
		base *url.URL
		want string
	}{
		{"../../shared/headers.yml#/x", local, "shared/headers.yml#/x"},
		{"#/components/schemas/A", local, "resources/inference/op.yml#/components/schemas/A"},
		{"models/m.yml", local, "resources/inference/models/m.yml"},
		{"./m.yml#/a~1b", local, "resources/inference/m.yml#/a~1b"},
		{"/abs/file.yml", local, "/abs/file.yml"},
		{"https://other.example.com/x.yml#/y", local, "https://other.example.com/x.yml#/y"},
		{"../shared/h.yml#/x", remote, "https://specs.example.com/v2/shared/h.yml#/x"},
		{"#/x", remote, "https://specs.example.com/v2/resources/op.yml#/x"},
	}
	for _, tt := range tests {
		file := tt.base.String()
		if got := rebaseRef(tt.ref, tt.base, file); got != tt.want {
			t.Errorf("rebaseRef(%q, %s) = %q, want %q", tt.ref, tt.base, got, tt.want)
		}
	}
}

// TestOperationRefErrors: an operation $ref that cannot be inlined is a load error with
// the line, which never quotes the file it names; a 3.1 webhook's operation is inlined too.
func TestOperationRefErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.yml")
	write := func(name, text string) {
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(outside, "responses: {'200': {description: TOPSECRET}}\n")
	write(filepath.Join(dir, "op.yml"), "operationId: hook\nresponses:\n  '200': {$ref: '#/ok'}\nok: {description: fine}\nnotyaml: [\n")
	write(filepath.Join(dir, "good.yml"), "operationId: hook\nresponses:\n  '200': {$ref: '#/x-parts/ok'}\nx-parts:\n  ok: {description: fine}\n")
	head := "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
	tests := []struct {
		name, doc string
		line      int
		want      string
	}{
		{"outside the folder", head + "paths:\n  /a:\n    get: {$ref: '" + filepath.ToSlash(outside) + "'}\n", 5, "outside the document's folder"},
		{"missing file", head + "paths:\n  /a:\n    get:\n      $ref: nothere.yml\n", 5, "no such file"},
		{"not YAML", head + "paths:\n  /a:\n    get: {$ref: op.yml}\n", 5, "not a YAML or JSON document"},
		{"missing fragment", head + "paths:\n  /a:\n    get: {$ref: 'good.yml#/nope'}\n", 5, "does not name an operation"},
		{"remote off", head + "paths:\n  /a:\n    get: {$ref: 'https://example.com/op.yml'}\n", 5, "remote references are off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".yaml")
			write(src, tt.doc)
			_, err := Load(src)
			var le *LoadError
			if !errors.As(err, &le) || le.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want a load error at line %d saying %q", err, tt.line, tt.want)
			}
			if strings.Contains(err.Error(), "TOPSECRET") {
				t.Errorf("error quotes the file: %v", err)
			}
		})
	}
	src := filepath.Join(dir, "webhooks.yaml")
	write(src, head+"webhooks:\n  hook:\n    post: {$ref: 'good.yml'}\n")
	d, err := Load(src)
	if err != nil {
		t.Fatal(err)
	}
	wh := d.T.Webhooks["hook"]
	if wh == nil || wh.Post == nil || wh.Post.Responses.Status(200) == nil || *wh.Post.Responses.Status(200).Value.Description != "fine" {
		t.Fatalf("webhook operation not inlined: %+v", wh)
	}
	if len(d.Warnings) == 0 || d.Warnings[0].Kind != OperationRef || d.Warnings[0].Line != 5 {
		t.Errorf("warnings %v, want operation-ref at line 5", d.Warnings)
	}
}
