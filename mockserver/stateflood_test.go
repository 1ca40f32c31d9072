package mockserver_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

// notesDoc is a collection whose fields have no maxLength: only the mock's own bounds
// stand between a client and its memory.
const notesDoc = `openapi: 3.0.3
info: {title: notes, version: "1"}
paths:
  /notes:
    post:
      operationId: createNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NoteInput"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
        "400":
          description: bad request
          content:
            application/json:
              schema: {type: object, properties: {error: {type: string}}}
  /notes/{noteId}:
    parameters:
      - {name: noteId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getNote
      responses:
        "200":
          description: the note
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
        "404":
          description: not found
    patch:
      operationId: updateNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NoteInput"}
      responses:
        "200":
          description: updated
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
        "400":
          description: bad request
          content:
            application/json:
              schema: {type: object, properties: {error: {type: string}}}
components:
  schemas:
    NoteInput:
      type: object
      properties:
        text: {type: string}
        extra: {type: string}
    Note:
      type: object
      required: [id]
      properties:
        id: {type: string, readOnly: true}
        text: {type: string}
        extra: {type: string}
`

// TestStatefulMemoryBounded floods the stateful memory store as a client would: large
// resources are forgotten, oldest first, past state.maxBytes (the count bound alone would
// keep them all), and repeated PATCHes cannot grow one resource beyond --max-body.
func TestStatefulMemoryBounded(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Parse([]byte(notesDoc), "notes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, base := statefulMock(t, doc, "state: {enabled: true, maxBytes: 1048576}\n", "")
	big := strings.Repeat("n", 100<<10)
	var last string
	for range 40 {
		created := call(t, doc, base, "POST", "/notes", `{"text":"`+big+`"}`)
		if created.status != 201 {
			t.Fatalf("create: %d %.200s", created.status, created.body)
		}
		last, _ = created.json(t)["id"].(string)
	}
	view := do(t, mustReq(t, "GET", base+"/__admin/state/notes"))
	var coll struct {
		Count int
		Items []struct{ ID string }
	}
	if err := json.Unmarshal(view.body, &coll); err != nil {
		t.Fatal(err)
	}
	if coll.Count < 5 || coll.Count > 10 || len(view.body) > 2<<20 {
		t.Fatalf("%d resources of 100 KiB (%d bytes) kept under state.maxBytes 1 MiB", coll.Count, len(view.body))
	}
	if got := call(t, doc, base, "GET", "/notes/"+last, ""); got.status != 200 {
		t.Fatalf("the newest resource is gone: %d", got.status)
	}

	// Each PATCH body is under --max-body (1 MiB), but together they would make the
	// resource 1.4 MiB: the second is refused and the resource keeps the first.
	part := strings.Repeat("p", 700<<10)
	if got := call(t, doc, base, "PATCH", "/notes/"+last, `{"text":"`+part+`"}`); got.status != 200 {
		t.Fatalf("first patch: %d %.200s", got.status, got.body)
	}
	refused := call(t, doc, base, "PATCH", "/notes/"+last, `{"extra":"`+part+`"}`)
	if refused.status != 400 || !strings.Contains(string(refused.body), "more than the limit of 1048576 bytes (--max-body)") {
		t.Fatalf("growing patch: %d %.300s", refused.status, refused.body)
	}
	got := call(t, doc, base, "GET", "/notes/"+last, "").json(t)
	if got["extra"] != nil || got["text"] != part {
		t.Fatalf("the refused patch changed the resource")
	}
}
