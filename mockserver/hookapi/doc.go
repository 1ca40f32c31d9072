// Package hookapi holds what the mock does only for ServiceStage's hook API: its profile
// (error bodies with the SVCSTG.REPO error ids, which operation the typed hook handler
// serves), verifying AK/SK (SDK-HMAC-SHA256) request signatures, and delivering webhooks
// to the hooks the typed handler created, signed with each hook's secret.
//
// # Profile
//
// [Profile] implements mockserver.Profile; it is on for a document that says
// `x-hookkit-profile: servicestage` (the embedded hook API does) or a config that says
// `profile: servicestage`. Invalid requests then get {"error_code": "SVCSTG.REPO.<id>",
// "error_msg": "..."} where the declared error schema has those two string properties; the
// id is the first problem's row of [ErrorCatalogue], the single source of the ids (a test
// pins it against the table in hooks.yaml). The typed handler itself (generated strict
// server, hook store) is still in package mockserver.
//
// # AK/SK
//
// [NewAuth] builds the verifier of a config's `auth` section on package aksk, the same
// signer `hookkit check` signs with. A request whose Authorization header is an
// SDK-HMAC-SHA256 signature is verified (or, without configured keys, only checked for
// form and a fresh date); a refusal is a [openapi.Problem] of kind [KindInvalidSignature]
// whose message never contains a signature or secret key.
//
// # Deliveries
//
// A [Deliverer] sends deliveries (package webhook) to callback URLs on its own
// goroutines, retrying 5xx answers, timeouts and connection errors with a doubling
// backoff, and keeps the last [MaxDeliveries] records, redacted, for the admin API
// (`GET /__admin/deliveries`). Only loopback hosts, and hosts in
// `hooks.deliver.allowHosts`, are ever contacted: a refused delivery is recorded, not sent.
package hookapi
