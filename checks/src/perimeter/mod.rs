//! The perimeter model, computed once per account and scan ([`Perimeter::build`]) and read by
//! every check, the probe planner and drift: for every backend a distribution can reach, its
//! public entry points and its guards; for every distribution × origin, the backends behind it
//! and every guard's verdict on what that distribution sends.
//!
//! One concept per module:
//! - [`sent`]: the **distribution side**, what a distribution adds to its requests to one origin
//!   that the origin could check — a secret custom header (`x-api-key` included), an origin
//!   access control (OAC), a VPC origin, an `origin-request` Lambda@Edge signer;
//! - [`headers`]: the **header-requirement algebra** over web ACL statements and ALB listener
//!   rules;
//! - [`guards`]: the **origin side**, the [`Guard`]s that make a backend refuse requests without
//!   that — a regional web ACL or listener rules that require the header, required API keys fed
//!   from the header, AWS_IAM on every method, a Lambda URL with AuthType AWS_IAM, no public
//!   entry point at all;
//! - [`locks`]: per distribution × origin, every guard's verdict ([`GuardStatus`]);
//! - [`exposure`]: **entry points and reachability**, the one notion of "reachable directly";
//! - [`routing`]: routing rules of API Gateway custom domains as header gates on the
//!   custom-domain entry point.
//!
//! Guards at one backend all apply (a request must pass the web ACL *and* the method's
//! authorization), so a guard the distribution does not satisfy breaks the distribution even if
//! another one is satisfied; that is EA305's business. A backend with at least one guard refuses
//! requests that lack something only the distribution (or whoever holds its secret) has: it is
//! *locked*, and not an internet-facing entry point.

pub mod entry;
pub mod exposure;
pub mod guards;
pub mod headers;
pub mod locks;
pub mod oac;
pub mod routing;
pub mod scope;
pub mod sent;
pub mod vpc;

pub use exposure::{
    combined_exposure, AclEntry, Backend, BackendKind, EntryAcls, EntryKind, EntryPoint, Exposure,
    NetworkOrigin,
};
pub use guards::{coverage_gaps, Guard, GuardSource, OriginSide};
pub use headers::{AclHeaderGuard, GuardVerdict, HeaderAlternatives, HeaderCheck, Verdict};
pub use locks::{is_api_origin, GuardReport, GuardStatus, Lock, LockTarget};
pub use routing::{DomainReach, RoutingGate};
pub use scope::Scope;
pub use sent::{headers_evidence, HeaderEvidence, Sent};
pub use vpc::VpcOriginReach;

use crate::index::{Api, Index, ResolvedOrigin};
use crate::inventory::{AccountInventory, Distribution, Origin, WebAcl};
use crate::options::CheckOptions;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The perimeter of one account.
#[derive(Debug)]
pub struct Perimeter<'a> {
    /// Every REST API stage, HTTP API, load balancer and function URL, in inventory order.
    pub backends: Vec<Arc<Backend<'a>>>,
    by_arn: BTreeMap<String, Arc<Backend<'a>>>,
    /// Every origin of every distribution, in inventory order; a templated origin of a
    /// multi-tenant distribution once per enabled tenant (see [`locks::tenant_locks`]).
    pub locks: Vec<Lock<'a>>,
    /// The web ACLs in front of internet-facing entry points.
    pub entry_acls: EntryAcls<'a>,
    /// Load balancers and instances that distributions reach, with their ports and groups.
    pub network_origins: Vec<NetworkOrigin<'a>>,
    scope: Scope<'a>,
}

impl<'a> Perimeter<'a> {
    pub fn build(account: &'a AccountInventory, index: &'a Index<'a>, options: &'a CheckOptions) -> Self {
        let scope = Scope { account, index, options };
        let backends = Self::backends_of(&scope);
        let entry_acls = EntryAcls::build(&scope, &backends);
        let backends: Vec<Arc<Backend<'a>>> = backends.into_iter().map(Arc::new).collect();
        let by_arn: BTreeMap<String, Arc<Backend<'a>>> =
            backends.iter().map(|b| (b.arn.clone(), Arc::clone(b))).collect();
        let mut locks = Vec::new();
        for distribution in &account.distributions {
            for origin in &distribution.origins {
                // A templated origin is judged once per tenant (a VPC origin names its endpoint
                // by ARN whatever the template says, so it resolves as any origin).
                if matches!(index.resolve_origin(origin), ResolvedOrigin::TenantTemplate) {
                    locks.extend(locks::tenant_locks(&scope, &by_arn, distribution, origin));
                } else {
                    locks.push(locks::lock_of(&scope, &by_arn, distribution, origin));
                }
            }
        }
        let network_origins = exposure::network_origins(&scope);
        Perimeter { backends, by_arn, locks, entry_acls, network_origins, scope }
    }

    /// The account's backends alone, without locks, entry ACLs or network origins: what judging
    /// another account's distribution over this account's backends needs
    /// ([`Self::lock_in_this_account`]), kept for every account while each account's whole
    /// perimeter is built in turn ([`crate::model::Judge`]).
    pub fn backends_only(
        account: &'a AccountInventory,
        index: &'a Index<'a>,
        options: &'a CheckOptions,
    ) -> Self {
        let scope = Scope { account, index, options };
        let backends: Vec<Arc<Backend<'a>>> = Self::backends_of(&scope).into_iter().map(Arc::new).collect();
        let by_arn: BTreeMap<String, Arc<Backend<'a>>> =
            backends.iter().map(|b| (b.arn.clone(), Arc::clone(b))).collect();
        Perimeter {
            backends,
            by_arn,
            locks: Vec::new(),
            entry_acls: EntryAcls::default(),
            network_origins: Vec::new(),
            scope,
        }
    }

    /// Every REST API stage, HTTP API, load balancer and function URL of the account, in
    /// inventory order.
    fn backends_of(scope: &Scope<'a>) -> Vec<Backend<'a>> {
        let account = scope.account;
        let mut backends: Vec<Backend<'a>> = Vec::new();
        for api in &account.rest_apis {
            backends.extend(api.stages.iter().map(|stage| Backend::rest_stage(scope, api, stage)));
        }
        backends.extend(account.http_apis.iter().map(|api| Backend::http_api(scope, api)));
        backends.extend(account.load_balancers.iter().map(|lb| Backend::load_balancer(scope, lb)));
        backends.extend(
            account
                .lambda_functions
                .iter()
                .filter(|f| f.url.is_some())
                .map(|f| Backend::function_url(scope, f)),
        );
        backends
    }

    /// The lock of a distribution origin (of any account) over this account's backends:
    /// for an origin whose backend lives here while its distribution is another account's.
    pub fn lock_in_this_account(
        &self,
        scope: &Scope<'a>,
        distribution: &'a Distribution,
        origin: &'a Origin,
    ) -> Lock<'a> {
        let mut lock = locks::lock_of(scope, &self.by_arn, distribution, origin);
        lock.backend_account = Some(scope.account.account_id.clone());
        lock
    }

    /// A backend by ARN (a REST stage's ARN is the API's ARN + `/stages/{name}`).
    pub fn backend(&self, arn: &str) -> Option<&Backend<'a>> {
        self.by_arn.get(arn).map(Arc::as_ref)
    }

    /// The backends of an API: each stage of a REST API (none when it has no stage, i.e. is not
    /// deployed), the HTTP API itself.
    pub fn api_backends(&self, api: Api<'_>) -> Vec<&Backend<'a>> {
        match api {
            Api::Rest(rest) => rest
                .stages
                .iter()
                .filter_map(|s| self.backend(&format!("{}/stages/{}", rest.arn, s.name)))
                .collect(),
            Api::Http(http) => self.backend(&http.arn).into_iter().collect(),
        }
    }

    /// Whether an API is reachable from the internet without a distribution: internet-facing if
    /// any deployed stage is; unknown if a stage's data is incomplete; locked otherwise.
    pub fn api_exposure(&self, api: Api<'_>) -> Exposure {
        combined_exposure(self.api_backends(api))
    }

    /// What `origin`'s VPC origin amounts to (see [`vpc`]): `None` when it uses none.
    pub fn vpc_origin_reach(&self, origin: &Origin) -> Option<VpcOriginReach> {
        vpc::vpc_origin_reach(&self.scope, origin)
    }

    /// Whether some distribution reaching `arn` sends a secret header.
    pub fn sent_secret_header(&self, arn: &str) -> bool {
        self.scope
            .index
            .origins_reaching(arn)
            .iter()
            .any(|u| !Sent::of(u.distribution, u.origin, self.scope.options).secret_headers.is_empty())
    }
}

/// Whether a web ACL's every rule is part of a header check (no managed groups, no rate
/// rules), so the ACL is only the lock itself and not meant to filter attacks.
pub fn acl_is_only_a_lock(acl: &WebAcl, index: &Index<'_>) -> bool {
    matches!(headers::acl_header_guard(acl, index), AclHeaderGuard::Enforced(_))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod mechanism_tests;

#[cfg(test)]
mod tenant_tests;
