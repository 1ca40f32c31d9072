// Package mockserver serves a mock backend for an OpenAPI document: hookkit's main job.
// Frontend teams develop against it instead of the real backend; it answers the way the
// real backend would, within what the document declares.
//
// # Serving
//
// [New] builds a [Server] (an http.Handler) for a document and a config. Everything that
// can be worked out before the first request is worked out then: the bodies of examples,
// bodies synthesized from schemas, the error response of every operation, CORS answers.
// [Server.Reload] swaps document and config atomically; requests already running finish
// with the state they started with, and a reload that fails changes nothing.
//
// # Requests
//
// A request is routed with [openapi.Document.Find] and validated with
// [openapi.Document.ValidateRequest], which reports every problem at once and never quotes
// a value. An invalid request gets the operation's declared error response: the one the
// kind of the first problem chooses ([openapi.Operation.ErrorResponse]: 401/403 for a credential,
// 422 for a body, then 400, 4XX, default, the lowest declared 4xx), filled with the message
// where the schema has a message-like string property, or, for a response without content,
// with the problems in a Hookkit-Problems header; and RFC 9457 application/problem+json
// when the operation declares no 4xx at all. A document of more than 150 operations is
// planned lazily, each operation on its first request. The
// mock answers no status the operation does not declare, except 404 for unknown paths,
// 405 (with Allow) for known paths with another method, and configured faults.
//
// # Request stages
//
// [Server.ServeHTTP] takes the state snapshot the request will see to its end (a reload
// never changes it under a running request), puts it in the request's context, and
// passes the request through small middlewares (func(http.Handler) http.Handler, one file
// each, composed once by New; handle.go lists them): admin (stage_admin.go: /__admin/
// behind its guard, not journaled), journal (stage_journal.go: records the status and a
// bounded body, journals and logs after the answer), route and unrouted
// (stage_route.go: 404 and 405), cors (stage_cors.go, between the two, so 404 and 405
// answers are decorated too), validate (stage_validate.go: body, validation, AK/SK,
// credentials), then the sources below, each answering or passing on: rules, invalid,
// prefer, state, typed, example (stage_*.go). What the stages share is the request's
// call: the snapshot, the recorder and what was learnt (route, plan, problems, source).
//
// # Profiles
//
// An API's conventions beyond its document are a [Profile] (profile.go), given to the
// mock in [Options.Profiles] and turned on by the config's `profile:` or the document's
// `x-hookkit-profile`. The generic mock knows no profile's conventions and imports no
// profile: it calls one at fixed seams. At load, for every operation, ErrorShape (is the
// declared error schema the profile's error body?) and Typed (does its typed handler
// answer the operation?), then Load once; after a load took effect, Configure. Per
// request: SetErrorFields in the error body of an invalid request, NotFoundBody for the
// router's 404 and 405, the loaded part's ServeTyped for a valid request of a typed
// operation. On the admin API its AdminRoutes, Health and ConfigView (its sections of GET
// /__admin/config), behind the one admin guard;
// Reset and Close with the server's. The one profile today is the hook API's (package hookapi, which the
// embedded document names, and hookkit mock and mocktest pass); without it, a document
// whose error schema has the hook API's property names gets its own declared body.
//
// # Responses
//
// The first source that applies answers:
//
//  1. a config rule ([config.Config.Match]); rules see invalid requests too, so a user
//     can script exactly what a client gets, as WireMock stubs do;
//  2. the Prefer header, as Stoplight Prism reads it: code=400, example=name,
//     dynamic=true, in any combination;
//  3. with state on (Options.Stateful, config state.enabled), the stored resources of the
//     document's collections (stateful.go): creates are stored, reads, updates and
//     deletes act on them, through a [state.Store] (in memory, or Redis shared by
//     replicas);
//  4. the profile's typed handler, for the operations it serves (the hook API's
//     createProjectHook, through its generated strict interface);
//  5. the operation's first example (or the one Prefer names);
//  6. a body synthesized from the schema, deterministic for the config's seed, with
//     realistic values (examples, name-aware strings and times) and the path's id echoed.
//
// Bodies are rendered in the media type Accept negotiates: JSON, XML named by the
// schema's xml objects, event streams, text (render.go, render_xml.go). With auth.tokens
// in the config a present but unknown credential is refused like a missing one; without,
// answers that required one say "Hookkit-Auth-Verified: no".
//
// # Journal, admin API, CORS and logs
//
// Every exchange is journaled (redacted: no credential, no secret field) after its
// response is written, and logged on one line with log/slog. The admin API under
// /__admin/ follows WireMock's paths: requests, mappings, reset, health, plus config,
// state and the profiles' endpoints. CORS preflights are answered for any origin by
// default.
//
// # The hook API's own parts
//
// Package [github.com/hookkit/hookkit/mockserver/hookapi] is the hook API's profile: its
// error ids, the typed hook handler with the hooks it created (in memory, or in the
// state store when state is on) and their webhook deliveries, with the admin endpoints
// hooks, deliveries and hooks/{id}/deliveries. [Server.Close] closes the profiles
// (stopping deliveries) and the state store. AK/SK (SDK-HMAC-SHA256) signatures are
// verified here (aksk.go) for any document that declares the scheme.
//
// # Security
//
// The admin API can rewrite the mock, so it is guarded (adminguard.go): it answers only
// Hosts that are loopback names, the bound address or admin.hosts (DNS rebinding), CORS
// only for admin.origins, writes only with a YAML or JSON Content-Type (which a web page
// cannot send without a preflight), every request with the admin token when one is set,
// and loopback clients only when bound to another address without a token. The journal
// has a byte budget and per-entry cuts, a profile's stores their own bounds, rules'
// templates an output and time budget; the secret values a request carried are scrubbed
// from everything the journal shows, so a rule that echoes one cannot leak it. See
// SECURITY.md at the repository's root.
//
// # Tests
//
// Package [github.com/hookkit/hookkit/mockserver/mocktest] starts a Server on loopback for
// a Go test, like net/http/httptest.
//
// [state.Store]: github.com/hookkit/hookkit/mockserver/state
package mockserver
