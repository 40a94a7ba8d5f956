//! How inventory items are named in findings.

use crate::finding::ResourceRef;
use crate::inventory::*;

/// An inventory item that findings can be about.
pub trait AsResource {
    fn resource(&self, account: &str) -> ResourceRef;
}

fn named(arn: &str, id: &str, resource_type: &str, name: &str, region: &str, account: &str) -> ResourceRef {
    ResourceRef {
        arn: arn.to_string(),
        id: id.to_string(),
        resource_type: resource_type.to_string(),
        name: (!name.is_empty()).then(|| name.to_string()),
        region: region.to_string(),
        account: account.to_string(),
    }
}

impl AsResource for Distribution {
    fn resource(&self, account: &str) -> ResourceRef {
        let name = self.aliases.first().map(String::as_str).unwrap_or(&self.domain_name);
        named(&self.arn, &self.id, "cloudfront/distribution", name, GLOBAL_REGION, account)
    }
}

impl AsResource for DistributionTenant {
    fn resource(&self, account: &str) -> ResourceRef {
        let name = self.domains.first().map(String::as_str).unwrap_or(&self.name);
        named(&self.arn, &self.id, "cloudfront/distribution-tenant", name, GLOBAL_REGION, account)
    }
}

impl AsResource for WebAcl {
    fn resource(&self, account: &str) -> ResourceRef {
        named(&self.arn, &self.id, "wafv2/webacl", &self.name, &self.region, account)
    }
}

impl AsResource for IpSet {
    fn resource(&self, account: &str) -> ResourceRef {
        named(&self.arn, &self.id, "wafv2/ipset", &self.name, &self.region, account)
    }
}

impl AsResource for RestApi {
    fn resource(&self, account: &str) -> ResourceRef {
        named(&self.arn, &self.id, "apigateway/restapi", &self.name, &self.region, account)
    }
}

impl AsResource for HttpApi {
    fn resource(&self, account: &str) -> ResourceRef {
        named(&self.arn, &self.id, "apigatewayv2/api", &self.name, &self.region, account)
    }
}

impl AsResource for SecurityGroup {
    fn resource(&self, account: &str) -> ResourceRef {
        named(&self.arn, &self.id, "ec2/security-group", &self.name, &self.region, account)
    }
}

impl AsResource for Instance {
    fn resource(&self, account: &str) -> ResourceRef {
        let name = self.tags.get("Name").map(String::as_str).unwrap_or("");
        named(&self.arn, &self.id, "ec2/instance", name, &self.region, account)
    }
}

impl AsResource for LoadBalancer {
    fn resource(&self, account: &str) -> ResourceRef {
        // The id is the last two segments of the ARN (`app/name/hash`), made path-safe.
        let id = self
            .arn
            .rsplit_once(":loadbalancer/")
            .map(|(_, id)| id.to_string())
            .unwrap_or_else(|| self.name.clone());
        named(&self.arn, &id, "elasticloadbalancing/loadbalancer", &self.name, &self.region, account)
    }
}

impl AsResource for LambdaFunction {
    fn resource(&self, account: &str) -> ResourceRef {
        named(&self.arn, &self.name, "lambda/function", &self.name, &self.region, account)
    }
}
