// Package hookapi is everything the mock does only for ServiceStage's hook API, as a
// profile the generic mock calls through its [mockserver.Profile] interface: error bodies
// with the SVCSTG.REPO error ids, the typed hook handler for createProjectHook with the
// hooks it created, webhook deliveries to them signed with each hook's secret, and the
// admin endpoints showing both. Package mockserver imports none of it (a test pins that);
// hookkit mock and mocktest hand a [Profile] to the mock in mockserver.Options.Profiles.
//
// # Profile
//
// [New] returns the profile for one mock server; it is on for a document that says
// `x-hookkit-profile: servicestage` (the embedded hook API does) or a config that says
// `profile: servicestage`. The mock calls it at these seams:
//
//   - ErrorShape, SetErrorFields, ErrorVariants, NotFoundBody: invalid requests get
//     {"error_code": "SVCSTG.REPO.<id>", "error_msg": "..."} where the declared error
//     schema has those two string properties; the id is the first problem's row of
//     [ErrorCatalogue], the single source of the ids (a test pins it against the table in
//     hooks.yaml). Any other declared error body is the generic mock's to fill.
//   - Typed and Load, ServeTyped: createProjectHook, when the document declares it in the
//     shape the generated code expects, is answered by the typed hook handler (hook.go)
//     through the generated strict interface, so the compiler keeps handler and document in
//     agreement. It keeps created hooks in memory (hookstore.go, bounded by
//     hooks.maxStored and hooks.maxBytes) or, with state on, in the state store
//     (hookstate.go), where replicas sharing a Redis see each other's hooks.
//   - AdminRoutes, Health, ConfigView: GET and DELETE /__admin/hooks and
//     /__admin/deliveries, POST /__admin/hooks/{id}/deliveries (admin.go), behind the
//     mock's admin guard; the health answer counts the hooks, and GET /__admin/config
//     shows the config's hooks section.
//   - Configure, Reset, Close: the hooks and deliveries outlive reloads; a reload applies
//     the new bounds and delivery settings, POST /__admin/reset forgets both, and the
//     server's Close stops the deliveries.
//
// # Deliveries
//
// A [Deliverer] sends deliveries (package webhook) to callback URLs on its own
// goroutines, retrying 5xx answers, timeouts and connection errors with a doubling
// backoff, and keeps the last [MaxDeliveries] records, redacted, for the admin API
// (`GET /__admin/deliveries`). Only loopback hosts, and hosts in
// `hooks.deliver.allowHosts`, are ever contacted: a refused delivery is recorded, not sent.
// A hook's secret stays in the memory of the replica that created it, never in a state
// store other replicas read: a delivery is sent by that replica.
//
// AK/SK (SDK-HMAC-SHA256) signatures are verified by the generic mock for any document
// that declares the scheme; a refusal is a problem of kind [KindInvalidSignature], which
// the catalogue maps to the credential id.
package hookapi
