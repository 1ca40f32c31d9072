// Package specgen writes synthetic OpenAPI documents of any size, for the router's tests and
// the scaling benchmarks of `make bench`.
package specgen

import (
	"fmt"
	"strings"
)

// Operations returns an OpenAPI 3.0.3 document with n GET operations named op0..op{n-1}:
// even ones on static paths (/svc{i}/items), odd ones on templated paths with two
// parameters (/svc{i}/items/{id}/parts/{part}), each with a query parameter and a JSON
// response, so routing and validation both have work to do.
func Operations(n int) []byte {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: synthetic, version: \"1\"}\npaths:\n")
	for i := range n {
		if i%2 == 0 {
			fmt.Fprintf(&b, "  /svc%d/items:\n    get:\n", i)
		} else {
			fmt.Fprintf(&b, "  /svc%d/items/{id}/parts/{part}:\n    parameters:\n"+
				"      - {name: id, in: path, required: true, schema: {type: string}}\n"+
				"      - {name: part, in: path, required: true, schema: {type: string}}\n    get:\n", i)
		}
		fmt.Fprintf(&b, "      operationId: op%d\n"+
			"      parameters:\n        - {name: limit, in: query, schema: {type: integer, minimum: 1}}\n"+
			"      responses:\n        \"200\":\n          description: ok\n          content:\n"+
			"            application/json:\n              schema: {type: object, properties: {id: {type: string}}}\n", i)
	}
	return []byte(b.String())
}

// Path returns a concrete request path for operation i of Operations.
func Path(i int) string {
	if i%2 == 0 {
		return fmt.Sprintf("/svc%d/items", i)
	}
	return fmt.Sprintf("/svc%d/items/x/parts/y", i)
}
