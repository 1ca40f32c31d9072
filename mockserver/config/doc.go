// Package config reads the mock server's YAML configuration file and runs its rules.
//
// A [Config] holds the mock's settings (seed, typed hook handler, CORS, journal, admin API)
// and an ordered list of [Rule] values. A rule matches requests (by operation, method and
// path, path parameters, query, headers and JSON body fields) and answers them with a
// templated status, headers and body, optionally after a delay, with an injected fault, or
// stepping through a scenario of several responses.
//
// # Loading
//
// [Load] and [Parse] decode the file strictly: an unknown key, a value of the wrong type, a
// regex that does not compile or a template that does not parse is an error that names the
// file and line. All problems of a file are reported at once, joined with [errors.Join], so
// a user fixes a broken file in one pass. [Config.CheckAgainst] then checks the rules
// against the OpenAPI document the mock serves: operations and paths exist, statuses are
// declared and static bodies are valid.
//
// # Serving
//
// The mock server builds an [Input] per request, asks [Config.Match] for the first matching
// rule and lets [Rule.Respond] write the answer. Respond returns an [Outcome] for the
// journal and the logs.
//
// # Hot reload
//
// [Watch] reports writes to the config file (and the document) so the server can reload;
// a Config is immutable once loaded except for its scenario counters, so the server swaps
// the whole value and in-flight requests finish with the one they started with.
//
// See ../CONFIG.md for the file's reference and config.example.yaml for a commented example.
package config
