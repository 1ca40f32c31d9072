package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hookkit/hookkit/internal/specgen"
)

// loadBothWays loads the document at path with shared external $refs and as written.
// Not parallel: it turns sharing off for the second load.
func loadBothWays(t *testing.T, path string) (shared, plain *Document) {
	t.Helper()
	shared, err := Load(path)
	if err != nil {
		t.Fatalf("with shared $refs: %v", err)
	}
	sharingOn = false
	defer func() { sharingOn = true }()
	plain, err = Load(path)
	if err != nil {
		t.Fatalf("as written: %v", err)
	}
	return shared, plain
}

// TestSharedRefsSameDocument: a document whose files are named by many $refs (whole-file
// and fragment, from the entry file and from files in other folders, of every kind that is
// shared; a schema naming itself; a discriminator mapping leading back to its schema; a
// $ref with a sibling; a path item and a callback) loads to the same model with shared
// $refs as without: the same $ref texts and content (the model marshalled), the same
// warnings with the same file and line, the same synthesized values for every schema of
// every operation, and no trace of the virtual documents anywhere in the model.
func TestSharedRefsSameDocument(t *testing.T) {
	dir := t.TempDir()
	if err := specgen.WriteFiles(dir, specgen.MultiFile(12, 5)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"testdata/realworld/sharedrefs.yaml",
		"testdata/realworld/operationrefs.yaml",
		"testdata/realworld/propertiesrefs.yaml",
		filepath.Join(dir, "openapi.yaml"),
	} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			shared, plain := loadBothWays(t, path)
			a, err := json.Marshal(shared.T)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(plain.T)
			if err != nil {
				t.Fatal(err)
			}
			if string(a) != string(b) {
				t.Errorf("the model differs:\nshared: %.2000s\nplain:  %.2000s", a, b)
			}
			if got, want := fmt.Sprint(shared.Warnings), fmt.Sprint(plain.Warnings); got != want {
				t.Errorf("warnings differ:\nshared: %s\nplain:  %s", got, want)
			}
			if len(shared.Operations) != len(plain.Operations) || len(shared.Operations) == 0 {
				t.Fatalf("%d operations, as written %d", len(shared.Operations), len(plain.Operations))
			}
			for i, op := range shared.Operations {
				for j, s := range operationSchemas(op) {
					other := operationSchemas(plain.Operations[i])[j]
					x, errX := shared.Synthesize(s, SynthOptions{Seed: 3, Direction: Response})
					y, errY := plain.Synthesize(other, SynthOptions{Seed: 3, Direction: Response})
					if fmt.Sprint(x, errX) != fmt.Sprint(y, errY) {
						t.Errorf("%s schema %d synthesizes %v (%v), as written %v (%v)", op.ID, j, x, errX, y, errY)
					}
				}
			}
			if where := findString(reflect.ValueOf(shared.T), sharePrefix, "T", map[uintptr]bool{}); where != "" {
				t.Errorf("the virtual documents show in the model at %s", where)
			}
		})
	}
}

// TestSharedRefsShareValues: the $refs to one file share one decoded value, whatever
// folder they are written from, and each keeps the text it was written with; a schema
// that names itself and a discriminator cycle resolve all the way down.
func TestSharedRefsShareValues(t *testing.T) {
	t.Parallel()
	d, err := Load("testdata/realworld/sharedrefs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	list, _ := d.Operation("listPets")
	create, _ := d.Operation("createPet")
	get, _ := d.Operation("getPet")
	listed := list.Operation.Responses.Value("200")
	if listed.Ref != "sharedrefs/responses/pets.yml" {
		t.Errorf("listPets 200's $ref reads %q", listed.Ref)
	}
	item := listed.Value.Content.Get("application/json").Schema.Value.Items
	created := create.Operation.Responses.Value("201").Value.Content.Get("application/json").Schema
	got := get.Operation.Responses.Value("200").Value.Content.Get("application/json").Schema
	if item.Ref != "../models/pet.yml" || created.Ref != "sharedrefs/models/pet.yml" || got.Ref != "../models/pet.yml" {
		t.Errorf("$ref texts: %q, %q, %q", item.Ref, created.Ref, got.Ref)
	}
	if item.Value == nil || item.Value != created.Value || created.Value != got.Value || d.T.Components.Schemas["Pet"].Value != got.Value {
		t.Errorf("models/pet.yml decoded more than once: %p %p %p", item.Value, created.Value, got.Value)
	}
	if o := created.Value.Origin; o == nil || o.Key == nil || !strings.HasSuffix(o.Key.File, "models/pet.yml") || o.Key.Line != 1 {
		t.Errorf("the shared value's origin: %+v", o)
	}
	unauthorized := list.Operation.Responses.Value("401")
	if unauthorized.Value == nil || unauthorized.Value != create.Operation.Responses.Value("401").Value {
		t.Error("the fragment shared/responses.yml#/unauthorized decoded more than once")
	}
	trees, _ := d.Operation("listTrees")
	tree := trees.Operation.Responses.Value("200").Value.Content.Get("application/json").Schema.Value.Items.Value
	for depth := 0; depth < 4; depth++ {
		children := tree.Properties["children"]
		if children == nil || children.Value == nil || children.Value.Items == nil || children.Value.Items.Value == nil {
			t.Fatalf("tree.yml unresolved at depth %d", depth)
		}
		tree = children.Value.Items.Value
	}
	action, _ := d.Operation("postAction")
	for _, branch := range action.Operation.RequestBody.Value.Content.Get("application/json").Schema.Value.AnyOf {
		base := branch.Value.AllOf[0]
		if base.Value == nil || base.Value.Discriminator == nil || base.Ref != "#/action" {
			t.Errorf("actions.yml branch %q: base %+v", branch.Ref, base)
		}
	}
}

// shareRoot is a document whose two operations name models/a.yml, the second through
// responses/b.yml (shareB) from another folder.
const shareRoot = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: a
          content:
            application/json:
              schema:
                $ref: 'models/a.yml'
  /b:
    get:
      responses:
        "200":
          $ref: 'responses/b.yml'
`

// shareB is the response file shareRoot names.
const shareB = `description: b
content:
  application/json:
    schema:
      $ref: '../models/a.yml'
`

// TestSharedRefsErrorsAsWritten: a document that cannot be loaded says what is wrong in
// the terms of its own files, never of the virtual documents; a document that names the
// virtual documents' files itself, or whose folder holds one, is loaded as written.
func TestSharedRefsErrorsAsWritten(t *testing.T) {
	t.Run("missing file", func(t *testing.T) {
		path := writeShareFiles(t, map[string]string{"openapi.yaml": shareRoot, "responses/b.yml": shareB,
			"models/a.yml": "type: object\nproperties:\n  x:\n    $ref: 'missing.yml'\n"})
		_, err := Load(path)
		sharingOn = false
		_, plainErr := Load(path)
		sharingOn = true
		if err == nil || plainErr == nil || err.Error() != plainErr.Error() {
			t.Fatalf("error %v, as written %v", err, plainErr)
		}
		if strings.Contains(err.Error(), sharePrefix) || !strings.Contains(err.Error(), "missing.yml") {
			t.Errorf("error: %v", err)
		}
	})
	t.Run("virtual name taken", func(t *testing.T) {
		path := writeShareFiles(t, map[string]string{"openapi.yaml": shareRoot, "responses/b.yml": shareB,
			"models/a.yml": "type: object\n", sharePrefix + "schemas.yaml": "type: string\n"})
		d, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		op, _ := d.Operation("GET /a")
		if s := op.Operation.Responses.Value("200").Value.Content.Get("application/json").Schema; s.Value == nil || s.Ref != "models/a.yml" {
			t.Errorf("schema %+v", s)
		}
	})
	t.Run("virtual name written", func(t *testing.T) {
		path := writeShareFiles(t, map[string]string{"openapi.yaml": shareRoot, "responses/b.yml": shareB,
			"models/a.yml": "type: object\nproperties:\n  x:\n    $ref: '../" + sharePrefix + "schemas.yaml#/components/schemas/u000001'\n"})
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("a $ref to a virtual document's name must name a file on disk: %v", err)
		}
	})
}

// operationSchemas lists the schemas of an operation's request body and responses, in a
// fixed order.
func operationSchemas(op *Operation) []*openapi3.SchemaRef {
	var out []*openapi3.SchemaRef
	if rb := op.Operation.RequestBody; rb != nil && rb.Value != nil {
		for _, mt := range sortedContent(rb.Value.Content) {
			out = append(out, mt.Schema)
		}
	}
	for _, code := range sortedKeys(op.Operation.Responses.Map()) {
		if r := op.Operation.Responses.Value(code); r != nil && r.Value != nil {
			for _, mt := range sortedContent(r.Value.Content) {
				out = append(out, mt.Schema)
			}
		}
	}
	return out
}

func sortedContent(c openapi3.Content) []*openapi3.MediaType {
	var out []*openapi3.MediaType
	for _, k := range sortedKeys(c) {
		if c[k] != nil && c[k].Schema != nil {
			out = append(out, c[k])
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// findString returns where, in the exported fields, map keys and values reachable from v,
// a string containing sub is found ("" when nowhere), each pointer followed once.
func findString(v reflect.Value, sub, at string, seen map[uintptr]bool) string {
	switch v.Kind() {
	case reflect.String:
		if strings.Contains(v.String(), sub) {
			return at + " = " + v.String()
		}
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return ""
		}
		seen[v.Pointer()] = true
		// Paths, Responses and Callback keep their entries in an unexported map.
		if m := v.MethodByName("Map"); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() == 1 {
			if w := findString(m.Call(nil)[0], sub, at, seen); w != "" {
				return w
			}
		}
		return findString(v.Elem(), sub, at, seen)
	case reflect.Interface:
		if !v.IsNil() {
			return findString(v.Elem(), sub, at, seen)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() {
				if w := findString(v.Field(i), sub, at+"."+f.Name, seen); w != "" {
					return w
				}
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if w := findString(v.Index(i), sub, fmt.Sprintf("%s[%d]", at, i), seen); w != "" {
				return w
			}
		}
	case reflect.Map:
		if v.IsNil() {
			return ""
		}
		iter := v.MapRange()
		for iter.Next() {
			k := fmt.Sprint(iter.Key())
			if strings.Contains(k, sub) {
				return at + " key " + k
			}
			if w := findString(iter.Value(), sub, at+"["+k+"]", seen); w != "" {
				return w
			}
		}
	}
	return ""
}

// TestSharedRefsOverBudget: a document whose walk needs more steps than maxShareSteps is
// loaded as written, correctly, only without sharing.
func TestSharedRefsOverBudget(t *testing.T) {
	old := maxShareSteps
	maxShareSteps = 10
	defer func() { maxShareSteps = old }()
	d, err := Load("testdata/realworld/sharedrefs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	list, _ := d.Operation("listPets")
	create, _ := d.Operation("createPet")
	a := list.Operation.Responses.Value("200").Value.Content.Get("application/json").Schema.Value.Items
	b := create.Operation.Responses.Value("201").Value.Content.Get("application/json").Schema
	if a.Value == nil || b.Value == nil || a.Value == b.Value {
		t.Errorf("over the budget, models/pet.yml is decoded at each $ref as kin-openapi does: %p %p", a.Value, b.Value)
	}
}

// TestSharedRefsCyclesNotShared: $refs that are not shared (with siblings, into the
// document itself, to a path item) but lead back to themselves are walked once: the
// document loads, or fails, as written, instead of the walk recursing until the stack
// overflows (a fatal error no recover catches: one hostile document ended the process).
func TestSharedRefsCyclesNotShared(t *testing.T) {
	const head = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\n"
	const ext = `  /ext:
    get:
      responses:
        "200":
          description: e
          content:
            application/json:
              schema: {$ref: 'models/e.yml'}
`
	for name, files := range map[string]map[string]string{
		"files with siblings": {
			"openapi.yaml": head + "paths:\n" + ext + `  /a:
    get:
      responses:
        "200":
          description: a
          content:
            application/json:
              schema: {$ref: 'a.yml', description: x}
`,
			"a.yml": "$ref: 'b.yml'\ndescription: a\n",
			"b.yml": "$ref: 'a.yml'\ndescription: b\n",
		},
		"path item naming itself": {
			"openapi.yaml": head + "paths:\n" + ext + "  /p:\n    $ref: 'p.yml'\n",
			"p.yml":        "$ref: 'p.yml'\n",
		},
		"components with siblings": {
			"openapi.yaml": head + "paths:\n" + ext + `components:
  schemas:
    A: {$ref: '#/components/schemas/B', description: a}
    B: {$ref: '#/components/schemas/A', description: b}
`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			files["models/e.yml"] = "type: string\n"
			path := writeShareFiles(t, files)
			_, err := Load(path)
			sharingOn = false
			_, plainErr := Load(path)
			sharingOn = true
			if fmt.Sprint(err) != fmt.Sprint(plainErr) {
				t.Errorf("error %v, as written %v", err, plainErr)
			}
		})
	}
}

// TestSharedRefsVirtualNameEscaped: a $ref to a virtual document's name written with a
// percent-escape (which kin-openapi unescapes, and no check of the $ref's text sees)
// names a file that does not exist, as when the document is loaded as written; it is
// never served a shared value.
func TestSharedRefsVirtualNameEscaped(t *testing.T) {
	path := writeShareFiles(t, map[string]string{
		"openapi.yaml": shareRoot, "responses/b.yml": shareB,
		"models/a.yml": "type: object\nproperties:\n  x:\n    $ref: '../%2Ehookkit-shared-schemas.yaml#/components/schemas/g000001'\n  y: {$ref: 'b.yml'}\n",
		"models/b.yml": "type: integer\n",
	})
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("a $ref to a virtual document's escaped name must name a file on disk: %v", err)
	}
}

// TestSharedRefsNotInExtensions: a $ref that kin-openapi keeps as written in an extension
// (a YAML alias repeating a $ref mapping under an x- key; 3.1's components.pathItems,
// which kin-openapi keeps as an extension; an x- section of the document or of the
// paths) is not rewritten: the model is the same as when loaded as written, with no
// trace of the virtual documents.
func TestSharedRefsNotInExtensions(t *testing.T) {
	for name, doc := range map[string]string{
		"alias": `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      responses:
        "200":
          description: a
          headers:
            X-H: &h {$ref: 'shared/h.yml'}
          content:
            application/json:
              schema: &s {$ref: 'models/owner.yml'}
      x-schema: *s
      x-header: *h
`,
		"extension places": `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /a: {$ref: '#/components/pathItems/A'}
  /b: {$ref: '#/x-items/B'}
  x-draft:
    get:
      responses:
        "200":
          description: d
          content:
            application/json:
              schema: {$ref: 'models/owner.yml'}
components:
  pathItems:
    A:
      get:
        responses:
          "200":
            description: a
            content:
              application/json:
                schema: {$ref: 'models/owner.yml'}
x-items:
  B:
    get:
      responses:
        "200":
          description: b
          content:
            application/json:
              schema: {$ref: 'models/owner.yml'}
`,
	} {
		t.Run(name, func(t *testing.T) {
			shared, plain := loadBothWays(t, writeShareFiles(t, map[string]string{"openapi.yaml": doc,
				"models/owner.yml": "type: object\nproperties:\n  name: {type: string}\n",
				"shared/h.yml":     "schema: {type: string}\n"}))
			if where := findString(reflect.ValueOf(shared.T), sharePrefix, "T", map[uintptr]bool{}); where != "" {
				t.Errorf("the virtual documents show in the model at %s", where)
			}
			a, _ := json.Marshal(shared.T)
			b, _ := json.Marshal(plain.T)
			if string(a) != string(b) {
				t.Errorf("the model differs:\nshared: %s\nplain:  %s", a, b)
			}
		})
	}
}

// writeShareFiles writes files into a new folder and returns the path of its openapi.yaml.
func writeShareFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := specgen.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "openapi.yaml")
}
