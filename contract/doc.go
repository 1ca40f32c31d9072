// Package contract proves that a live endpoint honours an OpenAPI document. It serves
// three ways of looking at traffic, all judged by the same rules:
//
//   - active checks: [Check] plans cases from the document and sends them to a target;
//   - passive checks: [Transport] validates whatever a Go program's own http.Client sends
//     and receives, and [Proxy] does the same for any client as a reverse proxy;
//   - recorded traffic: [CheckHAR] validates the exchanges of a HAR 1.2 file.
//
// # Checks
//
// Every failure names one check from a stable catalogue ([Checks]): reachable,
// request-valid, status-declared, no-server-error, content-type, body-schema (each error
// with its JSON pointer), headers, response-time, positive-accepted, negative-rejected and
// negative-status (a rejection with another 4xx than the one the document declares for the
// kind of problem, see [openapi.Operation.ErrorResponse]).
// The document-level rules come from package openapi, so the checker and the mock can
// never disagree about what the document says.
//
// # Cases
//
// [Plan] derives the cases of each operation from the document alone, deterministically
// for a seed: positive cases are the document's request examples plus Options.Positive
// synthesized ones; negative cases leave out each required query parameter, header and
// body field in turn, give each body field the wrong type, truncate the JSON, send
// text/plain or no Content-Type, leave out the credential and send a well-formed wrong one
// (invalid-credential: skipped with a note against a hookkit mock that answers
// "Hookkit-Auth-Verified: no", i.e. has no auth.tokens); then, as Schemathesis does,
// break each constraint keyword of each body property and query parameter, add a property
// additionalProperties: false forbids, send readOnly properties, and try a method the path
// does not declare (405 with Allow expected). Edge positives send values at the
// constraints' edges and each oneOf branch, and an operation answering other media types
// than JSON is asked for each (Accept) and judged on getting it. A negative candidate is kept only when the
// document itself rejects it (an edge positive only when it accepts it), so a permissive
// schema never yields a case no server could pass; Options.MaxCasesPerOperation caps each
// operation's plan. Positive cases of the hook API (createProjectHook) are sent through
// the generated client; every other request through a generic builder; both through the
// validating transport.
//
// # Secrets
//
// The credential (Options.Token) is applied to the document's security scheme and never
// printed: curl lines show $TOKEN, everything else [openapi.Redacted]. Secret headers and
// body fields are redacted with the document's [openapi.Redactor], and the values a
// request carries in them are scrubbed from the answer too, so a server that echoes a
// token cannot make a report leak it.
//
// Redacting is the costly part of judging an exchange, so [Transport] renders the redacted
// [Exchange] only for those someone takes: every exchange when OnExchange is set or the
// checker asks, and otherwise only the violating ones and those the document does not know
// (the journal's and the proxy's). A compliant exchange through the proxy is validated and
// dropped, never rendered.
//
// # Example
//
//	doc, _ := openapi.Default()
//	rep, err := contract.Check(ctx, doc, contract.Options{
//		BaseURL: "https://staging.example.com",
//		Token:   os.Getenv("HOOKKIT_TOKEN"),
//		Set:     map[string]string{"project_id": "0b5f4e1a8a00d2a12f4bc0126b6b3a81"},
//		Include: []string{"negative"}, // positive cases create real hooks
//	})
//	if err != nil { ... }
//	rep.WriteText(os.Stdout, false)
//	os.Exit(rep.ExitCode())
package contract
