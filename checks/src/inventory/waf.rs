//! AWS WAF (v2) web ACLs, their rules and statements, IP sets and regex pattern sets.

use super::{Tags, ValueTest};
use crate::secret::SecretValue;
use crate::strict::tagged_enum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WafScope {
    #[default]
    Cloudfront,
    Regional,
}

impl WafScope {
    /// The coverage service its web ACLs and sets are read under.
    pub fn service(self) -> super::Service {
        match self {
            Self::Cloudfront => super::Service::WafCloudfront,
            Self::Regional => super::Service::WafRegional,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WafAction {
    #[default]
    Allow,
    Block,
    Count,
    Captcha,
    Challenge,
}

impl WafAction {
    /// Whether the action ends the web ACL's evaluation (Allow, Block, CAPTCHA, Challenge; Count
    /// only adds the rule's labels and goes on).
    pub fn terminates(self) -> bool {
        self != Self::Count
    }

    /// Whether the action stops a request (Block, CAPTCHA and Challenge all refuse a plain client).
    pub fn blocks(self) -> bool {
        matches!(self, Self::Block | Self::Captcha | Self::Challenge)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebAcl {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub scope: WafScope,
    /// [`GLOBAL_REGION`](super::GLOBAL_REGION) for CLOUDFRONT scope.
    pub region: String,
    pub default_action: WafAction,
    pub rules: Vec<WafRule>,
    /// Firewall Manager's rule groups evaluated before the ACL's own rules, in priority order.
    pub pre_process_rules: Vec<WafRule>,
    /// Firewall Manager's rule groups evaluated after the ACL's own rules.
    pub post_process_rules: Vec<WafRule>,
    /// A logging configuration exists. `None` when it could not be read.
    pub logging_enabled: Option<bool>,
    /// Regional resources of the types edge-audit does not collect (AppSync, Cognito, App
    /// Runner, Verified Access) that ListResourcesForWebACL reports as associated. Only asked
    /// for a regional ACL that no collected stage or load balancer uses; `None` when not asked or
    /// not answered. Checks derive associations from the resources' side (distribution web ACL
    /// id, stage webAclArn, ALB GetWebACLForResource) and use this only as a supplement.
    pub associated_resources: Option<Vec<String>>,
    pub tags: Tags,
}

impl WebAcl {
    /// Every rule AWS WAF evaluates, in its order: Firewall Manager's pre-process rule groups,
    /// the ACL's own rules, Firewall Manager's post-process rule groups.
    pub fn all_rules(&self) -> impl Iterator<Item = &WafRule> {
        self.pre_process_rules.iter().chain(&self.rules).chain(&self.post_process_rules)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WafRule {
    pub name: String,
    #[serde(default)]
    pub priority: i64,
    /// The rule action for ordinary rules; `None` for rule group references (which use
    /// `override_count`).
    #[serde(default)]
    pub action: Option<WafAction>,
    /// For managed and custom rule group references: OverrideAction is Count.
    #[serde(default)]
    pub override_count: bool,
    /// The labels the rule adds to a request it matches (RuleLabels), whatever its action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    pub statement: Statement,
}

impl WafRule {
    /// Whether two rules are configured alike (see [`Statement::same_configuration`]).
    pub fn same_configuration(&self, other: &Self) -> bool {
        (&self.name, self.priority, self.action, self.override_count, &self.labels)
            == (&other.name, other.priority, other.action, other.override_count, &other.labels)
            && self.statement.same_configuration(&other.statement)
    }

    /// Whether the rule can stop a request when it matches.
    pub fn enforces(&self) -> bool {
        match self.action {
            Some(action) => action.blocks(),
            // Rule groups: the group's own rules decide unless overridden to Count.
            None => !self.override_count,
        }
    }
}

tagged_enum! {
    /// A rule statement. Match strings and regexes are secrets.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
    pub enum Statement {
        And {
            statements: Vec<Statement>,
        },
        Or {
            statements: Vec<Statement>,
        },
        Not {
            statement: Box<Statement>,
        },
        ByteMatch {
            field: FieldToMatch,
            /// `EXACTLY`, `STARTS_WITH`, `ENDS_WITH`, `CONTAINS`, `CONTAINS_WORD`.
            positional_constraint: String,
            search: SecretValue,
            /// Text transformation types in priority order.
            #[serde(default)]
            transformations: Vec<String>,
            /// What the match accepts among the sent header values, when it is not a plain
            /// EXACTLY comparison (see [`ValueTest`]).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            test: Option<ValueTest>,
        },
        RegexPatternSetReference {
            arn: String,
            field: FieldToMatch,
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            transformations: Vec<String>,
            /// What any pattern of the set accepts among the sent header values.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            test: Option<ValueTest>,
        },
        RegexMatch {
            field: FieldToMatch,
            pattern: SecretValue,
            /// The fingerprint of the literal the regex accepts when it is an anchored literal
            /// (`^value$`), so it can be compared with header values.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            literal: Option<SecretValue>,
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            transformations: Vec<String>,
            /// What the regex accepts among the sent header values.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            test: Option<ValueTest>,
        },
        IpSetReference {
            arn: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            forwarded_ip_header: Option<String>,
        },
        RateBased {
            limit: i64,
            aggregate_key_type: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            scope_down: Option<Box<Statement>>,
        },
        ManagedRuleGroup {
            vendor: String,
            name: String,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            version: Option<String>,
            /// Rules inside the group overridden to Count (or excluded).
            #[serde(default)]
            rules_overridden_to_count: Vec<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            scope_down: Option<Box<Statement>>,
        },
        RuleGroupReference {
            arn: String,
            /// Rules of the group whose action is Count (ExcludedRules, the older form).
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            excluded_rules: Vec<String>,
            /// RuleActionOverrides: rule name → the action used instead of the rule's own.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            rule_action_overrides: Vec<RuleActionOverride>,
        },
        GeoMatch {
            country_codes: Vec<String>,
        },
        SizeConstraint {
            field: FieldToMatch,
            comparison: String,
            size: i64,
        },
        LabelMatch {
            scope: String,
            key: String,
        },
        /// A statement type edge-audit does not model (XssMatch, SqliMatch, AsnMatch …).
        Other {
            kind: String,
        },
    }
}

impl Statement {
    /// Whether two statements are the same configuration: everything but the facts the
    /// matching pass derived (which change with the values distributions send, not with the
    /// statement).
    pub fn same_configuration(&self, other: &Self) -> bool {
        let (mut left, mut right) = (self.clone(), other.clone());
        left.clear_facts();
        right.clear_facts();
        left == right
    }

    fn clear_facts(&mut self) {
        match self {
            Self::And { statements } | Self::Or { statements } => {
                statements.iter_mut().for_each(Self::clear_facts)
            }
            Self::Not { statement } => statement.clear_facts(),
            Self::RateBased { scope_down: Some(sub), .. }
            | Self::ManagedRuleGroup { scope_down: Some(sub), .. } => sub.clear_facts(),
            Self::ByteMatch { test, .. }
            | Self::RegexMatch { test, .. }
            | Self::RegexPatternSetReference { test, .. } => *test = None,
            _ => {}
        }
    }

    /// Every statement in the tree, the root first, then each sub-statement depth-first
    /// (`And`/`Or` members, `Not`'s operand, rate-based and managed-group scope-downs).
    pub fn walk(&self) -> Vec<&Self> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(statement) = stack.pop() {
            out.push(statement);
            match statement {
                Self::And { statements } | Self::Or { statements } => stack.extend(statements.iter().rev()),
                Self::Not { statement } => stack.push(statement),
                Self::RateBased { scope_down: Some(sub), .. }
                | Self::ManagedRuleGroup { scope_down: Some(sub), .. } => stack.push(sub),
                _ => {}
            }
        }
        out
    }
}

tagged_enum! {
    #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
    #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
    pub enum FieldToMatch {
        SingleHeader { name: String },
        UriPath,
        QueryString,
        SingleQueryArgument { name: String },
        Method,
        Body,
        Headers,
        Cookies,
        Other { kind: String },
    }
}

/// A rule of a referenced rule group evaluated with another action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleActionOverride {
    pub name: String,
    pub action: WafAction,
}

/// A customer-managed rule group (GetRuleGroup), read once per ARN a web ACL references.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RuleGroup {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub scope: WafScope,
    pub region: String,
    pub rules: Vec<WafRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IpSet {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub scope: WafScope,
    pub region: String,
    /// `IPV4` or `IPV6`.
    pub ip_address_version: String,
    /// CIDRs.
    pub addresses: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegexPatternSet {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub scope: WafScope,
    pub region: String,
    pub patterns: Vec<RegexPattern>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegexPattern {
    pub pattern: SecretValue,
    /// See [`Statement::RegexMatch::literal`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal: Option<SecretValue>,
}
