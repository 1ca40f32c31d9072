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
// # Data, then a compiled rule set
//
// A Config is data: [Parse] and [Config.Validate] check it (Validate compiles the rules'
// templates and regexes to report the ones that fail, with file and line, and keeps
// nothing) and leave nothing live on it; Validate reads neither the environment nor files
// and changes nothing, so it may run on a Config that requests use. Provisioning, in the
// manner of caddy's Provision beside its Validate, has two steps that the mock runs on
// every config it loads: [Resolve] returns the settings to serve with (a copy with the
// defaults of settings left at zero, the AK/SK secret keys, accepted tokens and admin
// token read from the environment or files, the state seed file read), and [Compile]
// turns the rules into a [RuleSet] of [LiveRule] values holding what serving needs and
// what changes while serving (compiled templates, match predicates, scenario counters,
// seeded random sources). Both report problems with the config's file and line.
//
// # Serving
//
// The mock server compiles the config into its state snapshot, builds an [Input] per
// request, asks [RuleSet.Match] for the first matching rule and lets [LiveRule.Respond]
// write the answer. Respond returns an [Outcome] for the journal and the logs.
//
// # Hot reload
//
// The hookkit command watches the config file and the document (cmd/hookkit/watch.go)
// and reloads: the server builds a new snapshot, with a newly compiled RuleSet, and swaps
// it whole, so in-flight requests finish with the one they started with and the new one
// starts its scenarios and random draws again.
//
// See ../CONFIG.md for the file's reference and config.example.yaml for a commented example.
package config
