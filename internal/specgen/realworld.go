package specgen

import (
	"fmt"
	"strings"
)

// RealWorldMix returns an OpenAPI 3.0.3 document of at least minBytes that mixes the
// constructs of published documents hookkit must serve with warnings rather than refuse:
// response and request examples that break their schemas (a relative URI for format: uri,
// a missing required field), duplicate names in required, a default outside its enum, an
// unknown format, operations that declare only 200 and 404 or no 4xx at all, a bearer
// scheme with 401 declared, 422 for bodies, and long descriptions as real documents have.
// Block i adds four operations under /accounts{i}.
func RealWorldMix(minBytes int) []byte {
	var b strings.Builder
	b.WriteString(`openapi: 3.0.3
info: {title: real-world mix, version: "1"}
security:
  - bearer: []
paths:
`)
	var comps strings.Builder
	prose := strings.Repeat("This field is described at length, as published documents describe theirs: what it means, when it is set, how it relates to the other fields of the resource and which values older clients may still send. ", 12)
	for i := 0; b.Len()+comps.Len() < minBytes; i++ {
		fmt.Fprintf(&b, `  /accounts%[1]d:
    get:
      operationId: listAccounts%[1]d
      description: %[2]q
      parameters:
        - {name: page_size, in: query, schema: {type: integer, minimum: 1, maximum: 100}, example: 0}
      responses:
        "200":
          description: a page
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Page%[1]d"}
              examples:
                relative: {value: {uri: /accounts%[1]d.json, accounts: []}}
                absolute: {value: {uri: "https://api.example.com/accounts%[1]d.json", accounts: []}}
        "401": {$ref: "#/components/responses/Error"}
        "400": {$ref: "#/components/responses/Error"}
    post:
      operationId: createAccount%[1]d
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Create%[1]d"}
            examples:
              incomplete: {value: {currency: EUR}}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Account%[1]d"}
        "401": {$ref: "#/components/responses/Error"}
        "422": {$ref: "#/components/responses/Error"}
        "400": {$ref: "#/components/responses/Error"}
  /accounts%[1]d/{sid}:
    parameters:
      - {name: sid, in: path, required: true, schema: {type: string, pattern: "^AC[0-9]{4}$"}, example: AC0001}
    get:
      operationId: getAccount%[1]d
      responses:
        "200":
          description: one account
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Account%[1]d"}
        "404": {$ref: "#/components/responses/Error"}
  /accounts%[1]d/{sid}/close:
    parameters:
      - {name: sid, in: path, required: true, schema: {type: string, pattern: "^AC[0-9]{4}$"}}
    post:
      operationId: closeAccount%[1]d
      security: []
      responses:
        "200":
          description: closed
`, i, prose)
		fmt.Fprintf(&comps, `    Create%[1]d:
      type: object
      required: [name, currency, name]
      properties:
        name: {type: string, minLength: 1, maxLength: 40, description: %[2]q}
        currency: {type: string, pattern: "^[A-Z]{3}$", description: %[2]q}
    Account%[1]d:
      type: object
      required: [sid, name]
      properties:
        sid: {type: string, pattern: "^AC[0-9]{4}$"}
        name: {type: string, description: %[2]q}
        status: {type: string, enum: [active, closed], default: open}
        region: {type: string, format: iso-country-code}
    Page%[1]d:
      type: object
      required: [uri, accounts]
      properties:
        uri: {type: string, format: uri}
        accounts:
          type: array
          maxItems: 3
          items: {$ref: "#/components/schemas/Account%[1]d"}
`, i, prose)
	}
	b.WriteString(`components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  responses:
    Error:
      description: a problem
      content:
        application/json:
          schema:
            type: object
            required: [message]
            properties:
              message: {type: string}
  schemas:
`)
	b.WriteString(comps.String())
	return []byte(b.String())
}
