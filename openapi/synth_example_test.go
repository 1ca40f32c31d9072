package openapi_test

import (
	"encoding/json"
	"fmt"

	"github.com/hookkit/hookkit/openapi"
)

// Seed 0 gives the canonical value: the schema's own examples wherever they are valid, so a
// mock without response examples still answers with what the document's authors wrote.
func ExampleDocument_Synthesize() {
	d, err := openapi.Default()
	if err != nil {
		panic(err)
	}
	hook := d.T.Components.Schemas["Hook"]
	v, err := d.Synthesize(hook, openapi.SynthOptions{Seed: 0, Direction: openapi.Response})
	if err != nil {
		panic(err)
	}
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
	// Output: {"callback_url":"https://example.com/webhook","id":"1573","type":"github"}
}

// The examples of a media type come sorted by name: "the first example" is the same one for
// the mock, the checker and a reader of the document.
func ExampleMediaExamples() {
	d, err := openapi.Default()
	if err != nil {
		panic(err)
	}
	op, _ := d.Operation("createProjectHook")
	for _, ex := range openapi.MediaExamples(op.Operation.RequestBody.Value.Content.Get("application/json")) {
		fmt.Printf("%s: %s\n", ex.Name, ex.Summary)
	}
	// Output:
	// ci-trigger: A hook that triggers a CI pipeline
	// github-webhook: The request of the API reference
}
