package openapi

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hookkit/hookkit/internal/specgen"
)

var onceOpts = []openapi3.ValidationOption{openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation(), openapi3.EnableMultiError()}

// TestValidOnceAgreesWithKin: validating each schema once gives kin-openapi's verdict,
// for documents with one problem at every place a schema can hide it (deep inside a
// shared schema, an allOf branch, a discriminator's mapping, a component nobody uses, a
// parameter, a header, a callback, a 3.1 webhook, beside a $ref) and for every testdata
// document, and leaves the model as it found it.
func TestValidOnceAgreesWithKin(t *testing.T) {
	t.Parallel()
	const head30 = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\n"
	const head31 = "openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\n"
	const op = `paths:
  /a/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {$ref: '#/components/schemas/Id'}}
    post:
      parameters:
        - {name: q, in: query, schema: %Q%}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Body'}
      responses:
        "200":
          description: ok
          headers:
            X-H: {schema: %H%}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Tree'}
      callbacks:
        cb:
          '{$request.body#/url}':
            post:
              requestBody:
                content:
                  application/json:
                    schema: %C%
              responses:
                "204": {description: ok}
components:
  schemas:
    Id: {type: string}
    Body:
      allOf:
        - {$ref: '#/components/schemas/Tree'}
        - type: object
          properties:
            kind: %B%
    Tree:
      type: object
      properties:
        name: {type: string}
        leaves:
          type: array
          items:
            type: object
            properties:
              deep: %D%
        kids:
          type: array
          items: {$ref: '#/components/schemas/Tree'}
    Pet:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
    Cat:
      allOf:
        - {$ref: '#/components/schemas/Pet'}
        - type: object
          properties:
            claws: %M%
    Unused:
      type: object
      properties:
        x: %U%
`
	const fine = "{type: string}"
	const bad = "{type: strin}"
	slots := []string{"%Q%", "%H%", "%C%", "%B%", "%D%", "%M%", "%U%"}
	build := func(head, badSlot, with string) string {
		doc := head + op
		for _, s := range slots {
			v := fine
			if s == badSlot {
				v = with
			}
			doc = strings.ReplaceAll(doc, s, v)
		}
		return doc
	}
	docs := map[string]string{"valid 3.0": build(head30, "", ""), "valid 3.1": build(head31, "", "")}
	for _, s := range slots {
		docs["unknown type at "+s] = build(head30, s, bad)
		docs["array without items at "+s] = build(head30, s, "{type: array}")
		docs["readOnly and writeOnly at "+s] = build(head30, s, "{type: string, readOnly: true, writeOnly: true}")
		docs["bad pattern at "+s] = build(head30, s, "{type: string, pattern: '(['}")
		docs["both additionalProperties forms at "+s+" (3.1)"] = build(head31, s, "{type: object, additionalProperties: {type: string}, maxProperties: 3, minProperties: 4}")
		docs["boolean exclusiveMinimum at "+s+" (3.1)"] = build(head31, s, "{type: number, minimum: 1, exclusiveMinimum: true}")
	}
	docs["webhook 3.1"] = head31 + `webhooks:
  ping:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {x: {type: array}}}
      responses:
        "200": {description: ok}
`
	for name, text := range docs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			agree(t, name, []byte(text))
		})
	}
	files, _ := filepath.Glob("../mockserver/testdata/*.yaml")
	more, _ := filepath.Glob("testdata/realworld/*.yaml")
	for _, f := range append(files, more...) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			agree(t, f, data)
		})
	}
	t.Run("mix", func(t *testing.T) {
		t.Parallel()
		agree(t, "mix.yaml", specgen.RealWorldMix(256<<10))
	})
}

// agree loads data with kin-openapi alone and checks validOnce's verdict against
// T.Validate's, and that the model is left as it was.
func agree(t *testing.T, source string, data []byte) {
	t.Helper()
	if abs, err := filepath.Abs(source); err == nil {
		source = abs
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = refReader(source, LoadOptions{})
	var (
		doc *openapi3.T
		err error
	)
	if _, serr := os.Stat(source); serr == nil {
		doc, err = loader.LoadFromFile(source)
	} else {
		doc, err = loader.LoadFromData(data)
	}
	if err != nil {
		t.Skipf("kin-openapi does not load it: %v", err)
	}
	before, _ := doc.MarshalJSON()
	want := doc.Validate(context.Background(), onceOpts...) == nil
	if got := validOnce(context.Background(), doc, onceOpts); got != want {
		t.Errorf("validOnce says valid=%v, kin-openapi valid=%v (%v)", got, want, doc.Validate(context.Background(), onceOpts...))
	}
	if after, _ := doc.MarshalJSON(); string(after) != string(before) {
		t.Error("validOnce changed the model")
	}
}
