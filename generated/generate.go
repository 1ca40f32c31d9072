// Package generated holds the oapi-codegen output for the hook API: models, a client with
// typed responses and a strict server on net/http. Everything here except this file and the
// config is written by oapi-codegen from ../openapi/hooks.yaml; run `make generate` after
// editing the document, and CI fails when the committed output drifts from it.
package generated

//go:generate go tool oapi-codegen -config oapi-codegen.yaml -o hooks.gen.go ../openapi/hooks.yaml
