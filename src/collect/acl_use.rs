//! Which regional web ACLs the collected API stages and load balancers name, per region, as soon
//! as those are known: the WAF collector asks ListResourcesForWebACL (1 call/s) only about the
//! other ACLs, and starts as soon as this region's stages and load balancers are read instead of
//! after the whole account, so the lookups run in the shadow of API Gateway's GetResources.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use tokio::sync::Notify;

/// Who names web ACLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AclUser {
    /// API Gateway REST stages (`webAclArn`).
    Stages,
    /// Application load balancers (GetWebACLForResource).
    LoadBalancers,
}

#[derive(Debug, Default)]
struct RegionUse {
    arns: BTreeSet<String>,
    stages_reported: bool,
    load_balancers_reported: bool,
}

/// One account's record of the web ACLs in use, filled in by the API Gateway and ELBv2
/// collectors and awaited by the WAF collector of the same region.
#[derive(Debug, Default)]
pub(super) struct AclUse {
    regions: Mutex<HashMap<String, RegionUse>>,
    changed: Notify,
}

impl AclUse {
    /// A report of `user` in `region`, sent when dropped: every path out of a collector reports,
    /// so the WAF collector never waits for a report that cannot come.
    pub(super) fn reporter<'a>(&'a self, region: &str, user: AclUser) -> AclReport<'a> {
        AclReport { acl_use: self, region: region.to_string(), user, arns: BTreeSet::new() }
    }

    fn report(&self, region: &str, user: AclUser, arns: BTreeSet<String>) {
        if let Ok(mut regions) = self.regions.lock() {
            let entry = regions.entry(region.to_string()).or_default();
            entry.arns.extend(arns);
            match user {
                AclUser::Stages => entry.stages_reported = true,
                AclUser::LoadBalancers => entry.load_balancers_reported = true,
            }
        }
        self.changed.notify_waiters();
    }

    /// The web ACLs named in `region`, once both the stages and the load balancers reported.
    pub(super) async fn named_in(&self, region: &str) -> BTreeSet<String> {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            // Registered before the check, so a report between the check and the wait wakes us.
            changed.as_mut().enable();
            match self.regions.lock() {
                Ok(regions) => {
                    if let Some(entry) = regions.get(region) {
                        if entry.stages_reported && entry.load_balancers_reported {
                            return entry.arns.clone();
                        }
                    }
                }
                // A poisoned lock: nothing more will be known; every ACL counts as unnamed, which
                // costs lookups, never correctness.
                Err(_) => return BTreeSet::new(),
            }
            changed.await;
        }
    }
}

/// The pending report of one collector (see [`AclUse::reporter`]).
pub(super) struct AclReport<'a> {
    acl_use: &'a AclUse,
    region: String,
    user: AclUser,
    arns: BTreeSet<String>,
}

impl AclReport<'_> {
    /// Adds the web ACLs a collected resource names.
    pub(super) fn extend<'s>(&mut self, arns: impl IntoIterator<Item = &'s str>) {
        self.arns.extend(arns.into_iter().map(str::to_string));
    }

    /// Sends the report now (instead of when dropped).
    pub(super) fn send(self) {
        drop(self);
    }
}

impl Drop for AclReport<'_> {
    fn drop(&mut self) {
        self.acl_use.report(&self.region, self.user, std::mem::take(&mut self.arns));
    }
}
