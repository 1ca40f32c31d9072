package specgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// MultiFile returns an OpenAPI 3.0.3 document split over files the way DigitalOcean's
// public document is: the entry file (the map's "openapi.yaml") declares ops operations,
// each answering with a model and the shared error responses, all given as whole-file
// $refs (`$ref: models/m7.yml`); the models (models/m{i}.yml, one file each) refer to
// shared ones and (even ones) to the next model as whole files too, so the shared ones
// are named from every model; the rate-limit headers and the paging parameters are fragments of one file each
// (`headers.yml#/ratelimit-limit`). The map holds every file by its path relative to the
// entry file's folder.
func MultiFile(ops, models int) map[string]string {
	files := map[string]string{}
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: multi-file, version: \"1\"}\npaths:\n")
	for i := range ops {
		fmt.Fprintf(&b, `  /things%[1]d:
    get:
      operationId: listThings%[1]d
      parameters:
        - $ref: 'shared/parameters.yml#/per_page'
        - $ref: 'shared/parameters.yml#/page'
      responses:
        "200":
          description: the things
          headers:
            ratelimit-limit:
              $ref: 'shared/headers.yml#/ratelimit-limit'
            ratelimit-remaining:
              $ref: 'shared/headers.yml#/ratelimit-remaining'
          content:
            application/json:
              schema:
                type: object
                properties:
                  things:
                    type: array
                    items:
                      $ref: 'models/m%[2]d.yml'
                  meta:
                    $ref: 'shared/meta.yml'
        "401":
          $ref: 'shared/responses/unauthorized.yml'
        "404":
          $ref: 'shared/responses/not_found.yml'
        default:
          $ref: 'shared/responses/unexpected_error.yml'
`, i, i%models)
	}
	files["openapi.yaml"] = b.String()
	for i := range models {
		var m strings.Builder
		fmt.Fprintf(&m, `type: object
description: model %[1]d, with a few fields and links to other models
required: [id, name]
properties:
  id:
    type: string
    example: m%[1]d-1
  name:
    type: string
    maxLength: 64
    example: thing %[1]d
  created_at:
    type: string
    format: date-time
  region:
    $ref: '../shared/region.yml'
  tags:
    type: array
    items:
      $ref: '../shared/tag.yml'
`, i)
		// An even model links the next one, as a resource links a related one; odd ones
		// link none, so the depth of whole-file $refs stays that of real documents
		// (kin-openapi expands each $ref anew, so a long chain of them grows without bound).
		if i%2 == 0 && i+1 < models {
			fmt.Fprintf(&m, "  related:\n    $ref: 'm%d.yml'\n", i+1)
		}
		files[fmt.Sprintf("models/m%d.yml", i)] = m.String()
	}
	files["shared/region.yml"] = `type: object
properties:
  slug: {type: string, example: nyc1}
  name: {type: string, example: New York 1}
  features:
    type: array
    items: {type: string}
  available: {type: boolean}
`
	files["shared/tag.yml"] = "type: object\nproperties:\n  name: {type: string, pattern: '^[a-z0-9:_-]+$', example: env:prod}\n  resources:\n    type: object\n    properties:\n      count: {type: integer}\n"
	files["shared/meta.yml"] = "type: object\nrequired: [total]\nproperties:\n  total: {type: integer, minimum: 0}\n"
	files["shared/error.yml"] = "type: object\nrequired: [id, message]\nproperties:\n  id: {type: string, example: not_found}\n  message: {type: string}\n  request_id: {type: string}\n"
	files["shared/headers.yml"] = `ratelimit-limit:
  schema: {type: integer, example: 5000}
  description: requests allowed per hour
ratelimit-remaining:
  schema: {type: integer, example: 4816}
  description: requests left in the hour
`
	files["shared/parameters.yml"] = `per_page:
  in: query
  name: per_page
  required: false
  schema: {type: integer, minimum: 1, maximum: 200, default: 20}
page:
  in: query
  name: page
  required: false
  schema: {type: integer, minimum: 1, default: 1}
`
	for _, r := range []string{"unauthorized", "not_found", "unexpected_error"} {
		files["shared/responses/"+r+".yml"] = fmt.Sprintf(`description: %s
headers:
  ratelimit-limit:
    $ref: '../headers.yml#/ratelimit-limit'
  ratelimit-remaining:
    $ref: '../headers.yml#/ratelimit-remaining'
content:
  application/json:
    schema:
      $ref: '../error.yml'
`, r)
	}
	return files
}

// WriteFiles writes files (a map from slash paths relative to dir to their text, as
// MultiFile returns) below dir, making the folders they need.
func WriteFiles(dir string, files map[string]string) error {
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
