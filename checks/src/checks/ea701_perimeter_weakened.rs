use crate::declare_check;

declare_check! {
    /// ## What it finds
    ///
    /// A change between two inventories of the same accounts (`edge-audit drift`) that weakens
    /// the perimeter: a web ACL removed from a distribution, stage or load balancer; an origin
    /// secret header removed; the execute-api endpoint turned back on; an API key requirement or
    /// an authorizer dropped from a method or route; a security group opened to an address
    /// range; a load balancer listener that now forwards requests without the origin header; a
    /// Lambda function URL switched to `NONE` auth; an API behavior that starts caching.
    ///
    /// ## Why it matters
    ///
    /// Perimeters erode one change at a time: a hotfix opens a security group "for a minute", a
    /// redeploy recreates a stage without its web ACL association, a new Terraform module forgets
    /// `disable_execute_api_endpoint`. Each change looks harmless in its own pull request; the
    /// drift report names the one that reopened the way around CloudFront, with the findings
    /// that appeared with it.
    ///
    /// ## Example
    ///
    /// Yesterday's snapshot had `web_acl_arn` on stage `prod` of API `orders`; today's has
    /// none: `web_acl_removed`, weakened.
    ///
    /// ## How to fix
    ///
    /// Review the change named in the finding (`change_type`, `before`, `after` in the JSON
    /// report). If it was not intended, restore the previous setting through your infrastructure
    /// code and redeploy; if it was, take a new baseline snapshot (`edge-audit snapshot`) so the
    /// next drift run compares against the accepted state.
    ///
    /// ## References
    ///
    /// - <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html>
    /// - <https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html>
    PerimeterWeakened {
        id: "EA701",
        slug: "perimeter-weakened",
        title: "Perimeter weakened since the baseline",
        severity: High,
        produced_by: Drift,
    }
}

